"""A second Hyperscan pass for bulk scans: each rule's own regex, in PREFILTER mode.

Keywords decide which rules *may* match a blob; this database decides which of them *can*:
Hyperscan's PREFILTER mode matches a superset of what the regex matches, so a rule it rules
out has no match to confirm, and skipping it changes no finding. Rules with very long bounded
repeats (PEM bodies, state files) compile too slowly and stay on the keyword path alone.
The same pass reports which "marker" literals occur (those the GitOps policy gate asks
about), so a large scan reads each blob once instead of once per question.
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

from scanner.engine.rules import Rule

MAX_BOUND = 2048  # largest {m,n} a rule may use to be compiled here
BULK_BYTES = 4 << 20  # load the database after this much content

if sys.version_info >= (3, 11):
    from re import _constants as _c
    from re import _parser as _p
else:  # pragma: no cover - Python 3.10
    import sre_constants as _c
    import sre_parse as _p


def _largest_bound(items: Any) -> int:
    largest = 0
    for op, arg in items:
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            low, high, sub = arg
            bound = int(high) if high < _c.MAXREPEAT else int(low)
            largest = max(largest, bound, _largest_bound(sub))
        elif op is _c.SUBPATTERN:
            largest = max(largest, _largest_bound(arg[-1]))
        elif op is _c.BRANCH:
            largest = max([largest, *(_largest_bound(b) for b in arg[1])])
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            largest = max(largest, _largest_bound(arg[1]))
    return largest


def eligible(rule: Rule) -> bool:
    return _largest_bound(_p.parse(filter_pattern(rule))) <= MAX_BOUND


def filter_pattern(rule: Rule) -> str:
    """What stands for the rule in the database: its regex, or its declared `prefilter` (a
    contiguous part of the regex that every match contains, for regexes Hyperscan runs slowly
    even in PREFILTER mode, such as a vendor name followed by a multi-line YAML context)."""
    return rule.prefilter or rule.regex


@dataclass(frozen=True)
class Survey:
    """One pass over a blob: the rules that may match, and the marker literals that occur."""

    rules: frozenset[int]
    markers: frozenset[bytes]


class RegexFilter:
    """Pattern n stands for rule owners[n], or for marker -1 - owners[n] when negative.
    Every pattern is reported at most once per blob (HS_FLAG_SINGLEMATCH)."""

    def __init__(self, rules: Sequence[Rule], markers: Sequence[bytes] = ()) -> None:
        import hyperscan

        from scanner.engine.cache import cached_bytes, key_of

        self._hs = hyperscan
        self.markers = tuple(markers)
        version = str(getattr(hyperscan, "__version__", "")).encode()
        parts = [b"prefilter-v3", version, *self.markers, b"\0"]
        for rule in rules:
            parts += [filter_pattern(rule).encode(), *rule.keywords_lower, b"\0"]
        # Which rules are eligible is part of the cached artefact: parsing every regex to
        # find out costs more than loading the database.
        blob = cached_bytes("hsre", key_of(*parts), lambda: self._compile(rules))
        size = int.from_bytes(blob[:4], "little")
        meta = json.loads(blob[4 : 4 + size])
        self.indices: list[int] = meta["indices"]
        self._owners: list[int] = meta["owners"]
        self._db = hyperscan.loadb(blob[4 + size :], hyperscan.HS_MODE_BLOCK)
        self._db.scratch = hyperscan.Scratch(self._db)

    def _compile(self, rules: Sequence[Rule]) -> bytes:
        hs = self._hs
        indices = [i for i, rule in enumerate(rules) if eligible(rule)]
        single = hs.HS_FLAG_SINGLEMATCH | hs.HS_FLAG_ALLOWEMPTY
        owners = list(indices)
        patterns = [filter_pattern(rules[i]).encode() for i in indices]
        flags = [single | hs.HS_FLAG_PREFILTER] * len(patterns)
        # Rules too slow to compile stand in by their keywords, so one scan answers for every
        # rule: "cannot match" is then known without the keyword-offset pass.
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
        meta = json.dumps({"indices": indices, "owners": owners}).encode()
        return len(meta).to_bytes(4, "little") + meta + bytes(hs.dumpb(db))

    def survey(self, data: bytes) -> Survey:
        """Which rules may match in data (eligible rules whose regex may match, the others
        when one of their keywords occurs) and which markers occur."""
        found: set[int] = set()
        owners = self._owners
        if data:
            self._db.scan(data, match_event_handler=lambda pid, *_: found.add(owners[pid]))
        markers = frozenset(self.markers[-1 - o] for o in found if o < 0)
        return Survey(frozenset(o for o in found if o >= 0), markers)

    def possible(self, data: bytes) -> frozenset[int]:
        return self.survey(data).rules


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
