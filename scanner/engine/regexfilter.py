"""A second Hyperscan pass for bulk scans: each rule's own regex, in PREFILTER mode.

Keywords decide which rules *may* match a blob; this database decides which of them *can*:
Hyperscan's PREFILTER mode matches a superset of what the regex matches, so a rule it rules
out has no match to confirm, and skipping it changes no finding. Rules with very long bounded
repeats (PEM bodies, state files) compile too slowly and stay on the keyword path alone.
The database is compiled once and cached; it is loaded only after a scan has read a few MB,
so the pre-commit hook never pays for it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
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
    return _largest_bound(_p.parse(rule.regex)) <= MAX_BOUND


class RegexFilter:
    def __init__(self, rules: Sequence[Rule]) -> None:
        import hyperscan

        from scanner.engine.cache import cached_bytes, key_of

        self._hs = hyperscan
        self.indices = [i for i, rule in enumerate(rules) if eligible(rule)]
        # Rules too slow to compile are represented by their keywords, so one scan answers
        # for every rule: "cannot match" is then known without the keyword-offset pass.
        chosen = set(self.indices)
        self._owners = list(self.indices)
        patterns = [rules[i].regex.encode() for i in self.indices]
        literal = len(patterns)
        for i, rule in enumerate(rules):
            if i not in chosen:
                for keyword in rule.keywords_lower:
                    self._owners.append(i)
                    patterns.append(re.escape(keyword))
        version = str(getattr(hyperscan, "__version__", "")).encode()
        blob = cached_bytes("hsre", key_of(b"prefilter-v2", version, *patterns),
                            lambda: self._compile(patterns, literal))
        self._db = hyperscan.loadb(blob, hyperscan.HS_MODE_BLOCK)
        self._db.scratch = hyperscan.Scratch(self._db)

    def _compile(self, patterns: list[bytes], literal: int) -> bytes:
        hs = self._hs
        db = hs.Database(mode=hs.HS_MODE_BLOCK)
        single = hs.HS_FLAG_SINGLEMATCH | hs.HS_FLAG_ALLOWEMPTY
        flags = [single | (hs.HS_FLAG_PREFILTER if n < literal else hs.HS_FLAG_CASELESS)
                 for n in range(len(patterns))]
        db.compile(expressions=patterns, ids=list(range(len(patterns))),
                   elements=len(patterns), flags=flags)
        return bytes(hs.dumpb(db))

    def possible(self, data: bytes) -> set[int]:
        """Rule indices that may match in data: eligible rules whose regex may match, and
        the others whose keywords occur."""
        found: set[int] = set()
        owners = self._owners

        def on_match(pid: int, start: int, end: int, flags: int, ctx: Any) -> None:
            found.add(owners[pid])

        if data:
            self._db.scan(data, match_event_handler=on_match)
        return found


def load(rules: Sequence[Rule]) -> RegexFilter | None:
    """The filter, or None where Hyperscan cannot compile the set (then keywords alone)."""
    try:
        return RegexFilter(rules)
    except Exception:
        return None
