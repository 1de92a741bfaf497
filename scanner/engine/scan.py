"""The engine: one prefilter over all rule keywords, then each hit rule's full regex."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from scanner.blob import Blob
from scanner.engine import filters, regexfilter, validators
from scanner.engine.matcher import DENSE_HITS, Positions, keyword_positions, make_prefilter
from scanner.engine.published import published
from scanner.engine.regexfilter import RegexFilter, Survey
from scanner.engine.rules import Rule
from scanner.engine.window import windows
from scanner.findings import Finding, severity_rank


class _Auto:
    """Default for `survey` arguments: survey the data if the scan is bulk enough."""


AUTO = _Auto()


@dataclass(frozen=True)
class Match:
    """One confirmed hit of one rule in one blob (offsets into the blob's bytes)."""

    rule: Rule
    secret: str
    start: int
    end: int
    severity: str = ""  # the rule's, or "low" when its validator says the token grants little
    timed_out: bool = False  # a user rule ran out of time here: the blob is not fully scanned


class Engine:
    def __init__(self, rules: Sequence[Rule], backend: str | None = None,
                 markers: Sequence[bytes] = ()) -> None:
        """`markers`: literals whose presence a bulk survey also reports (see survey())."""
        self.rules = list(rules)
        self.markers = tuple(markers)
        index: dict[bytes, list[int]] = {}
        for i, rule in enumerate(self.rules):
            for keyword in rule.keywords_lower:
                index.setdefault(keyword, []).append(i)
        self._keywords = list(index)
        self._keyword_rules = [tuple(index[k]) for k in self._keywords]
        kid = {k: n for n, k in enumerate(self._keywords)}
        self._rule_keywords = [tuple(kid[k] for k in dict.fromkeys(rule.keywords_lower))
                               for rule in self.rules]
        self._scoped = tuple(i for i, rule in enumerate(self.rules) if rule.paths)
        # Token prefixes: keywords of provider rules shaped like `ghp_`, `sk-proj-`, `xoxb-`
        # (binary.py puts a boundary before them; a bare word like `EAAA` also occurs
        # inside base64 and identifiers).
        self._prefixes = frozenset(
            kid for kid, keyword in enumerate(self._keywords)
            if len(keyword) >= 4 and keyword[:1].isalnum() and keyword[-1:] in b"_-"
            and any(self.rules[i].family != "generic" for i in self._keyword_rules[kid]))
        self._prefilter = make_prefilter(self._keywords, backend)
        self.backend = self._prefilter.name
        self._regex_filter: RegexFilter | None = None
        self._filter_tried = False
        self._bytes_seen = 0

    def candidate_rules(self, data: bytes) -> list[Rule]:
        return [self.rules[i] for i in sorted(self._rule_hits(self._prefilter.positions(data)))]

    def _rule_hits(self, positions: Positions) -> dict[int, list[int] | None]:
        """Keyword hit offsets per candidate rule; None when a keyword's hits are dense."""
        out: dict[int, list[int] | None] = {}
        for kid, hits in positions.items():
            dense = len(hits) > DENSE_HITS
            for index in self._keyword_rules[kid]:
                known = out.get(index, [])
                out[index] = None if dense or known is None else known + hits
        return out

    def prepare_bulk(self) -> None:
        """Load the bulk-scan regex filter now (before forking workers, so they share it)."""
        self._bytes_seen = max(self._bytes_seen, regexfilter.BULK_BYTES)
        if self.backend == "hyperscan" and not self._filter_tried:
            self._filter_tried = True
            self._regex_filter = regexfilter.load(self.rules, self.markers)

    def _bulk_filter(self, data: bytes) -> RegexFilter | None:
        """The regex filter once a scan is big enough to pay for it (Hyperscan only)."""
        self._bytes_seen += len(data)
        if self.backend != "hyperscan" or self._bytes_seen < regexfilter.BULK_BYTES:
            return None
        if not self._filter_tried:
            self._filter_tried = True
            self._regex_filter = regexfilter.load(self.rules, self.markers)
        return self._regex_filter

    def _keyword_hits(self, data: bytes, rules: Iterable[int]) -> dict[int, list[int] | None]:
        """Keyword hit offsets for `rules` (the same answer as `_rule_hits` restricted to
        them), by substring search: a blob full of a common keyword ("users:" in every
        scope string) then costs no callback per hit."""
        wanted = set(rules)
        keywords = sorted({k for i in wanted for k in self._rule_keywords[i]})
        positions = keyword_positions(data.lower(), [self._keywords[k] for k in keywords])
        hits = self._rule_hits({keywords[n]: found for n, found in positions.items()})
        return {i: found for i, found in hits.items() if i in wanted}

    def survey(self, data: bytes) -> Survey | None:
        """One bulk pass over `data`: the rules that may match, where, and the markers
        present; None for small scans (they do without) or a blob too dense to survey.
        Pass it to scan()/matches() to reuse it."""
        bulk = self._bulk_filter(data)
        return bulk.survey(data) if bulk is not None else None

    def matches(self, data: bytes, survey: Survey | _Auto | None = AUTO,
                path: str | None = None) -> list[Match]:
        """The confirmed matches in `data`, read as the file at `path`: a rule confined to
        one file format (`paths:`) reads only such files, and no text of unknown origin."""
        if isinstance(survey, _Auto):
            survey = self.survey(data)
        ends: dict[int, list[int] | None] = {}
        if survey is None:
            rule_hits = self._rule_hits(self._prefilter.positions(data))
        elif not survey.rules:
            return []  # no rule can match: skip the keyword-offset pass entirely
        else:
            # A match that cannot cross lines lies on the line of its last byte: those rules'
            # windows come from the survey's end offsets, exactly. Matches that may span
            # lines are found around their keywords (a reach estimate either way).
            ends = {i: hits for i, hits in survey.ends.items() if self.rules[i].reach == 0}
            rest = survey.rules - ends.keys()
            rule_hits = self._keyword_hits(data, rest) if rest else {}
        found: list[Match] = []
        elsewhere = {i for i in self._scoped if not self.rules[i].applies_to(path)}
        for index in sorted((rule_hits.keys() | ends.keys()) - elsewhere):
            rule = self.rules[index]
            hits = ends[index] if index in ends else rule_hits[index]
            if hits is None:  # dense: one pass over the blob beats many windows
                spans = [(0, len(data))]
            elif index in ends:  # exactly the lines where a match may end
                spans = windows(data, [max(end - 1, 0) for end in hits], 0)
            elif rule.literal_first:  # re's own literal search beats keyword windows
                spans = [(0, len(data))]
            else:  # a match contains one of these keywords
                spans = windows(data, hits, rule.reach)
            found.extend(_confirm_spans(rule, data, spans))
        return _drop_overlaps(found)

    def binary_matches(self, data: bytes, survey: Survey | _Auto | None = AUTO,
                       path: str | None = None) -> list[Match]:
        """matches() of binary content, and of its copy with the word boundaries binary
        formats leave out (binary.py)."""
        from scanner.engine.binary import split_views

        found = self.matches(data, survey, path)
        positions = self._prefilter.positions(data)
        starts = [at for kid in self._prefixes & positions.keys() for at in positions[kid]]
        seen = {(m.rule.id, m.start, m.end) for m in found}
        more = [m for view in split_views(data, starts) for m in self.matches(view, AUTO, path)
                if (m.rule.id, m.start, m.end) not in seen]
        return _drop_overlaps(found + more) if more else found

    def scan(self, blob: Blob, survey: Survey | _Auto | None = AUTO,
             partners: bytes | None = None) -> Iterator[Finding]:
        """`partners`: where an identifier's secret would be (default: the blob itself; a
        Secret's decoded values for one of them)."""
        data = blob.data
        in_tests = filters.is_test_or_example_path(blob.path)
        in_ci = filters.is_ci_path(blob.path)
        found = self.binary_matches if blob.binary else self.matches
        for match in found(data, survey, blob.path):
            if match.timed_out:
                yield _timeout_finding(blob, match.rule)
                continue
            line, column = line_and_column(data, match.start)
            if _suppressed(data, match.start, match.rule.id):
                continue
            severity, message = match.severity or match.rule.severity, f"{match.rule.name} found"
            public = published(match.secret)
            if public is not None:
                severity, message = "low", f"{message}: {public} (public, grants nothing)"
            elif in_tests and match.rule.family == "generic":
                # Reported, not blocking: a password in a test or an example is usually one.
                severity, message = "low", f"{message} (in test, example or documentation)"
            elif filters.commented_out(data, match.start) and filters.sample_value(
                    match.secret, strict="pass" not in match.rule.id):
                # `# databaseUrl: postgres://postgres:windmill@db/...`: a chart's default left
                # as a comment is an example, judged as documentation is.
                severity, message = "low", f"{message} (a sample value in a comment)"
            elif filters.lone_identifier(match.rule.id, data if partners is None else partners):
                severity = "low"
                message = f"{message} (alone: its secret key is kept elsewhere, not in this file)"
            elif (in_tests or in_ci) and filters.is_example_value(
                    match.secret, strict=not in_tests or "pass" not in match.rule.id):
                # A one-word Redis password for a CI cluster, a sample password in a docs
                # connection string: a chosen word where nothing is deployed to last.
                severity, message = "low", f"{message} (a weak value in tests, docs or CI)"
            yield Finding(
                rule=match.rule.id, category="secret", severity=severity,
                path=blob.path, line=blob.file_line(line), column=column,
                message=message, secret=match.secret,
                name=match.rule.name, remedy=match.rule.remedy,
            )


def _confirm_spans(rule: Rule, data: bytes, spans: list[tuple[int, int]]) -> list[Match]:
    if not rule.guarded:
        return [m for start, end in spans for m in confirm(rule, data, start, end)]
    from scanner.engine.redos import USER_PATTERN_SECONDS, PatternTimeout, time_limit

    try:
        with time_limit(USER_PATTERN_SECONDS):
            return [m for start, end in spans for m in confirm(rule, data, start, end)]
    except PatternTimeout:
        return [Match(rule, "", 0, 0, timed_out=True)]


def _timeout_finding(blob: Blob, rule: Rule) -> Finding:
    from scanner.engine.redos import USER_PATTERN_SECONDS

    return Finding(
        rule="rule-timeout", category="parse-error", severity="high", path=blob.path,
        line=blob.file_line(1), column=1, secret="", name="Custom rule ran out of time",
        message=f"custom rule '{rule.id}' ran out of time ({USER_PATTERN_SECONDS:.0f} s) on "
                "this file, so the file was not fully scanned by it: simplify its regex "
                "(catastrophic backtracking?)",
        remedy="Rewrite the rule's regex without nested or overlapping repeats; "
               "`sealguard rules check` tests it on adversarial input.",
    )


# C0 controls other than tab and line breaks, and DEL: no credential holds one, binary
# content (scanned as its bytes) is full of them.
_CONTROL_BYTE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def confirm(rule: Rule, data: bytes, start: int = 0, end: int | None = None,
            validated: bool = True) -> Iterator[Match]:
    """Confirm the rule's regex on data[start:end] (lookbehinds still see before `start`),
    then its validator (`validated=False`: everything short of it, for `rules check`)."""
    for m in rule.compiled.finditer(data, start, len(data) if end is None else end):
        raw = m.group(1)
        if not raw:
            continue
        whole = m.group(0).lower()
        if not any(k in whole for k in rule.keywords_lower):
            continue
        if _CONTROL_BYTE.search(raw):  # bytes of a binary around text, not a credential
            continue
        secret = raw.decode("utf-8", "replace")
        if rule.min_entropy is not None and filters.shannon_entropy(secret) < rule.min_entropy:
            continue
        if filters.is_placeholder(secret):
            continue
        generic = rule.family == "generic"
        if generic and filters.looks_generic_false_positive(secret, data, m.start(1)):
            continue
        severity = rule.severity
        if rule.validate and validated:
            verdict = validators.check(rule.validate, secret)
            if verdict == validators.FAIL:
                continue
            severity = "low" if verdict == validators.LOW else severity
        yield Match(rule, secret, m.start(1), m.end(1), severity)


def _drop_overlaps(matches: list[Match]) -> list[Match]:
    """Where spans overlap keep the most specific rule: provider over generic, then severity."""
    def priority(m: Match) -> tuple[int, int, int]:
        return (m.rule.family != "generic", severity_rank(m.rule.severity), m.end - m.start)

    kept: list[Match] = []
    for m in sorted(matches, key=priority, reverse=True):
        if not any(m.start < k.end and k.start < m.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: (m.start, m.rule.id))


def line_and_column(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def _line_bounds(data: bytes, offset: int) -> tuple[int, int]:
    start = data.rfind(b"\n", 0, offset) + 1
    end = data.find(b"\n", offset)
    return start, len(data) if end < 0 else end


def _suppressed(data: bytes, offset: int, rule_id: str) -> bool:
    start, end = _line_bounds(data, offset)
    if filters.line_allows(data[start:end], rule_id):
        return True
    if start == 0:
        return False
    prev_start, _ = _line_bounds(data, start - 1)
    return filters.previous_line_allows(data[prev_start:start])
