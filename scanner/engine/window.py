"""Where a rule's regex needs to run: windows around its keyword occurrences.

Every match must contain one of the rule's keywords, so a match lies within `reach` bytes of
a keyword occurrence, where `reach` is the longest match the regex can make. Unbounded
repeats (`\\s*`, `+`) count as at most REPEAT_CAP characters, so a match in which one repeat
runs longer than that is out of reach -- the documented price of not running every regex over
whole files. Windows are widened to whole lines and merged. Both matcher back-ends share this
code, so findings stay identical between them.
"""

from __future__ import annotations

import sys
from typing import Any

REPEAT_CAP = 256
MERGE_GAP = 128
MAX_REACH = 1 << 20

if sys.version_info >= (3, 11):
    from re import _constants as _c
    from re import _parser as _p
else:  # pragma: no cover - Python 3.10
    import sre_constants as _c
    import sre_parse as _p


def _width(items: Any) -> int:
    total = 0
    for op, arg in items:
        total += _item_width(op, arg)
        if total >= MAX_REACH:
            return MAX_REACH
    return total


def _item_width(op: Any, arg: Any) -> int:
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, high, sub = arg
        count = int(high) if high < _c.MAXREPEAT else max(int(low), REPEAT_CAP)
        return count * _width(sub)
    if op is _c.SUBPATTERN:
        return _width(arg[-1])
    if op is _c.BRANCH:
        return max(_width(branch) for branch in arg[1])
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return 0
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _width(arg)
    if op is _c.GROUPREF_EXISTS:
        return max(_width(arg[1]), _width(arg[2]) if arg[2] else 0)
    if op is _c.GROUPREF:
        return REPEAT_CAP
    return 1  # LITERAL, NOT_LITERAL, ANY, IN, CATEGORY, RANGE ...


def reach(regex: str) -> int:
    """Longest match the regex can make (unbounded repeats capped), in bytes."""
    return min(_width(_p.parse(regex)), MAX_REACH)


def windows(lowered: bytes, positions: list[int], span: int,
            after: int | None = None) -> list[tuple[int, int]]:
    """Merged [start, end) line-aligned windows from `span` bytes before each position to
    `after` (default: `span`) bytes after it.

    Windows closer than MERGE_GAP are merged: one regex pass over a few extra whole lines
    costs less than another call, and matches still have to contain a keyword."""
    size = len(lowered)
    ahead = span if after is None else after
    out: list[tuple[int, int]] = []
    for pos in sorted(positions):
        lo, hi = max(0, pos - span), min(size, pos + ahead)
        if out and lo <= out[-1][1] + MERGE_GAP:
            out[-1] = (out[-1][0], max(out[-1][1], _line_end(lowered, hi, size)))
            continue
        out.append((_line_start(lowered, lo), _line_end(lowered, hi, size)))
    return out


def _line_start(data: bytes, offset: int) -> int:
    return 0 if offset <= 0 else data.rfind(b"\n", 0, offset) + 1


def _line_end(data: bytes, offset: int, size: int) -> int:
    if offset >= size:
        return size
    end = data.find(b"\n", offset)
    return size if end < 0 else end + 1


def _set_has_newline(items: Any) -> bool:
    negate = False
    hit = False
    for op, arg in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            hit = hit or arg == 10
        elif op is _c.RANGE:
            hit = hit or arg[0] <= 10 <= arg[1]
        elif op is _c.CATEGORY:
            hit = hit or arg in (_c.CATEGORY_SPACE, _c.CATEGORY_NOT_DIGIT, _c.CATEGORY_NOT_WORD,
                                 _c.CATEGORY_LINEBREAK)
    return hit != negate


def _crosses(items: Any, dotall: bool) -> bool:
    return any(_item_crosses(op, arg, dotall) for op, arg in items)


def _item_crosses(op: Any, arg: Any, dotall: bool) -> bool:
    if op is _c.LITERAL:
        return bool(arg == 10)
    if op is _c.NOT_LITERAL:
        return bool(arg != 10)
    if op is _c.ANY:
        return dotall
    if op is _c.IN:
        return _set_has_newline(arg)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        return _crosses(arg[2], dotall)
    if op is _c.SUBPATTERN:
        add = arg[1] if len(arg) > 1 else 0
        return _crosses(arg[-1], dotall or bool(add & _c.SRE_FLAG_DOTALL))
    if op is _c.BRANCH:
        return any(_crosses(b, dotall) for b in arg[1])
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _crosses(arg, dotall)
    if op is _c.GROUPREF_EXISTS:
        return _crosses(arg[1], dotall) or bool(arg[2] and _crosses(arg[2], dotall))
    if op is _c.CATEGORY:
        return _set_has_newline([(op, arg)])
    return op is _c.GROUPREF  # AT, ASSERT, ASSERT_NOT consume nothing


def crosses_lines(regex: str) -> bool:
    """Whether a match can contain a newline; if not, a match lies on its keyword's line."""
    return _crosses_lines(_p.parse(regex))


def _crosses_lines(parsed: Any) -> bool:
    return _crosses(parsed, bool(parsed.state.flags & _c.SRE_FLAG_DOTALL))


def facts(regex: str) -> tuple[int, bool]:
    """(reach, literal_first) of a rule from one parse of its regex: reach 0 when no match
    can cross a line (see Rule.reach)."""
    parsed = _p.parse(regex)
    span = min(_width(parsed), MAX_REACH) if _crosses_lines(parsed) else 0
    return span, _literal_first(parsed)


def literal_first(regex: str) -> bool:
    """Whether the regex starts with a case-sensitive literal: `re` then finds candidates
    with a fast substring search, so one pass over the whole blob beats many windows."""
    return _literal_first(_p.parse(regex))


def _literal_first(parsed: Any) -> bool:
    if parsed.state.flags & _c.SRE_FLAG_IGNORECASE:
        return False
    items: Any = parsed.data
    while items:
        op, arg = items[0]
        if op is _c.SUBPATTERN:
            if len(arg) > 1 and arg[1] & _c.SRE_FLAG_IGNORECASE:
                return False
            items = arg[-1].data
            continue
        return op is _c.LITERAL
    return False
