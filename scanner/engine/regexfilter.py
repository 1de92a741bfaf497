"""A second Hyperscan pass for bulk scans: each rule's own regex, in PREFILTER mode.

Keywords decide which rules *may* match a blob; this database decides which of them *can*:
Hyperscan's PREFILTER mode matches a superset of what the regex matches, so a rule it rules
out has no match to confirm, and skipping it changes no finding. Long bounded repeats (PEM
bodies, state files) are opened up first (`{64,16000}` -> `{64,}`: a superset again), as they
make compiling slow. Every match end is reported, so a rule whose matches stay on one line is
confirmed on exactly the lines where one may end. A rule Hyperscan cannot compile at all
stands in by its keywords. The same pass reports which "marker" literals occur (those the
GitOps policy gate asks about), so a large scan reads each blob once, not once per question.
The database is compiled once and cached; it is loaded only after a scan has read a few MB,
so the pre-commit hook never pays for it.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scanner.engine.matcher import DENSE_HITS
from scanner.engine.rules import Rule

# Repeat bounds above this are opened up (a superset, all a prefilter needs). Bounded repeats
# cost Hyperscan compile time in proportion to the bound: on the 655 built-in rules, opening
# those past 64 (the `[^\n]{0,300}` contexts, `{16,2048}` token runs) builds the database in
# ~2 s of CPU instead of ~17 s, and a CI runner builds it once per job.
MAX_BOUND = 64
CALLBACK_LIMIT = 16 * DENSE_HITS  # candidate match ends per blob before falling back
BULK_BYTES = 4 << 20  # load the database after this much content

if sys.version_info >= (3, 11):
    from re import _constants as _c
    from re import _parser as _p
else:  # pragma: no cover - Python 3.10
    import sre_constants as _c
    import sre_parse as _p


def relax_bounds(regex: str, limit: int = MAX_BOUND) -> str:
    """`regex` with every repeat bound above `limit` made open (`{16,4096}` -> `{16,}`).
    The result matches a superset, which is all a prefilter needs, and Hyperscan compiles
    it quickly (long bounded repeats are what make PEM or state-file rules slow to build).
    Python's `{,n}` is spelled `{0,n}`: Hyperscan, like PCRE, would read it as literal text."""
    out: list[str] = []
    i, in_class = 0, False
    while i < len(regex):
        ch = regex[i]
        if ch == "\\":
            out.append(regex[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]" or (out[-1] == "[" or out[-1] == "[^")
        elif ch == "[":
            in_class = True
            if regex.startswith("[^", i):
                out.append("[^")
                i += 2
                continue
        elif ch == "{":
            close = regex.find("}", i)
            low, comma, high = regex[i + 1 : close].partition(",") if close > 0 else ("", "", "")
            quantifier = _hyperscan_quantifier(low, comma, high, limit)
            if quantifier is not None:
                out.append(quantifier)
                i = close + 1
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _hyperscan_quantifier(low: str, comma: str, high: str, limit: int) -> str | None:
    """The replacement for `{low,high}` (None: keep it as written)."""
    if not (low.isdigit() or (comma and not low)) or not (high.isdigit() or not high):
        return None  # not a quantifier: literal braces
    start = low or "0"
    bound = high if comma else low
    if (bound and int(bound) > limit) or (comma and not high):
        return f"{{{start},}}"
    return f"{{{start},{high}}}" if not low else None


def database_pattern(rule: Rule) -> str:
    return relax_bounds(filter_pattern(rule))


def filter_pattern(rule: Rule) -> str:
    """What stands for the rule in the database: its regex, or its declared `prefilter` (a
    contiguous part of the regex that every match contains, for regexes Hyperscan runs slowly
    even in PREFILTER mode, such as a vendor name followed by a multi-line YAML context)."""
    return rule.prefilter or rule.regex


@dataclass(frozen=True)
class Survey:
    """One pass over a blob: the rules that may match; for the rules compiled into the
    database, every offset where a match may end (None past DENSE_HITS of them); and the
    marker literals that occur."""

    rules: frozenset[int]
    ends: dict[int, list[int] | None]
    markers: frozenset[bytes]


class RegexFilter:
    """Pattern n stands for rule owners[n], or for marker -1 - owners[n] when negative.
    Rule regexes report every end offset (PREFILTER mode: a superset of the real matches'
    ends); keywords and markers report once per blob (HS_FLAG_SINGLEMATCH)."""

    def __init__(self, rules: Sequence[Rule], markers: Sequence[bytes] = ()) -> None:
        import hyperscan

        from scanner.engine.cache import cached_value, key_of

        self._hs = hyperscan
        self.markers = tuple(markers)
        version = str(getattr(hyperscan, "__version__", "")).encode()
        parts = [b"prefilter-v5", version, *self.markers, b"\0"]
        for rule in rules:
            parts += [database_pattern(rule).encode(), *rule.keywords_lower, b"\0"]
        # Which rules compiled (see _compile) is part of the cached artefact.
        meta, self._db = cached_value("hsre", key_of(*parts), lambda: self._compile(rules),
                                      _load)
        self.indices: list[int] = meta["indices"]
        self._owners: list[int] = meta["owners"]
        self._db.scratch = hyperscan.Scratch(self._db)

    def _compile(self, rules: Sequence[Rule]) -> bytes:
        hs = self._hs
        indices = list(range(len(rules)))
        try:
            db, owners = self._database(rules, indices)
        except hs.error:
            # A pattern Hyperscan rejects (a custom rule's construct) stands in by its
            # keywords; the rest keep their regexes.
            indices = [i for i in indices if self._compiles(database_pattern(rules[i]))]
            db, owners = self._database(rules, indices)
        meta = json.dumps({"indices": indices, "owners": owners}).encode()
        return len(meta).to_bytes(4, "little") + meta + bytes(hs.dumpb(db))

    def _compiles(self, pattern: str) -> bool:
        hs = self._hs
        try:
            hs.Database(mode=hs.HS_MODE_BLOCK).compile(
                expressions=[pattern.encode()], ids=[0], elements=1,
                flags=[hs.HS_FLAG_PREFILTER | hs.HS_FLAG_ALLOWEMPTY])
        except hs.error:
            return False
        return True

    def _database(self, rules: Sequence[Rule], indices: list[int]) -> tuple[Any, list[int]]:
        hs = self._hs
        owners = list(indices)
        patterns = [database_pattern(rules[i]).encode() for i in indices]
        flags = [hs.HS_FLAG_PREFILTER | hs.HS_FLAG_ALLOWEMPTY] * len(patterns)
        single = hs.HS_FLAG_SINGLEMATCH
        chosen = set(indices)
        for i, rule in enumerate(rules):
            if i not in chosen:
                for keyword in rule.keywords_lower:
                    owners.append(i)
                    patterns.append(re.escape(keyword))
                    flags.append(single | hs.HS_FLAG_CASELESS)
        for n, marker in enumerate(self.markers):
            owners.append(-1 - n)
            patterns.append(re.escape(marker))
            flags.append(single)
        db = hs.Database(mode=hs.HS_MODE_BLOCK)
        db.compile(expressions=patterns, ids=list(range(len(patterns))),
                   elements=len(patterns), flags=flags)
        return db, owners

    def survey(self, data: bytes) -> Survey | None:
        """Which rules may match in data and where (see Survey), and which markers occur.
        None when the blob has so many candidate matches that the pass stopped early (the
        caller then falls back to the keyword path, which handles dense blobs)."""
        found: set[int] = set()
        ends: dict[int, list[int] | None] = {}
        owners, compiled = self._owners, len(self.indices)
        calls = 0

        def on_match(pid: int, start: int, end: int, flags: int, ctx: Any) -> bool:
            nonlocal calls
            owner = owners[pid]
            if pid >= compiled:
                found.add(owner)
                return False
            hits = ends.get(owner, [])
            if hits is not None:
                if len(hits) > DENSE_HITS:
                    ends[owner] = None
                else:
                    hits.append(end)
                    ends[owner] = hits
            calls += 1
            return calls > CALLBACK_LIMIT

        if data:
            try:
                self._db.scan(data, match_event_handler=on_match)
            except self._hs.ScanTerminated:
                return None
        markers = frozenset(self.markers[-1 - o] for o in found if o < 0)
        rules = frozenset(o for o in found if o >= 0) | ends.keys()
        return Survey(rules, ends, markers)


def load(rules: Sequence[Rule], markers: Sequence[bytes] = ()) -> RegexFilter | None:
    """The filter, or None where Hyperscan cannot compile the set (then keywords alone)."""
    try:
        return RegexFilter(rules, markers)
    except Exception:
        return None


def _norm(items: Any) -> tuple[Any, ...]:
    """A parsed regex as plain tuples, group numbers left out (they differ in a factor)."""
    out = []
    for op, arg in items:
        if op is _c.SUBPATTERN:
            arg = (arg[1], arg[2], _norm(arg[-1]))
        out.append((str(op), _norm_arg(arg)))
    return tuple(out)


def _norm_arg(arg: Any) -> Any:
    if isinstance(arg, _p.SubPattern):
        return _norm(arg)
    if isinstance(arg, list | tuple):
        return tuple(_norm_arg(a) for a in arg)
    return arg


def is_factor(part: str, regex: str) -> bool:
    """Whether `part` is a contiguous run of `regex`'s top-level items under the same global
    flags: then every match of `regex` contains a match of `part`."""
    whole, piece = _p.parse(regex), _p.parse(part)
    if whole.state.flags != piece.state.flags:
        return False
    items, run = _norm(whole), _norm(piece)
    return bool(run) and any(items[i : i + len(run)] == run
                             for i in range(len(items) - len(run) + 1))


def _load(blob: bytes) -> tuple[dict[str, list[int]], Any]:
    import hyperscan

    size = int.from_bytes(blob[:4], "little")
    meta = json.loads(blob[4 : 4 + size])
    if not isinstance(meta.get("indices"), list) or not isinstance(meta.get("owners"), list):
        raise ValueError("cached filter without its rule map")
    return meta, hyperscan.loadb(blob[4 + size :], hyperscan.HS_MODE_BLOCK)
