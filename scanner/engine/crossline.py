"""Rule check: whitespace next to an assignment operator must not cross a line.

`PASSWORD:\\s*(\\S+)` means "the value after the colon", but `\\s` also matches a newline: an
empty `PASSWORD:` then reports the next line's text as the password. The check reads each
rule's parsed regex and flags a repeated item that can match a newline (`\\s`, `[\\s"]`,
`[^"]`, `.` under DOTALL) placed right before or right after an assignment operator (a `:` or
`=`, alone or in a group of alternatives such as `(?:=>|:=|[:=])`). Write `[ \\t]` instead;
a rule that really spans lines says so with an explicit `\\r?\\n`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from scanner.engine.rules import Rule

if sys.version_info >= (3, 11):
    from re import _constants as sre
    from re import _parser as sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_constants as sre
    import sre_parse

_OPERATOR_CHARS = frozenset(map(ord, ":=>"))
_ASSIGN_CHARS = frozenset(map(ord, ":="))
_NEWLINE = 10
_CATEGORY_NEWLINE = {
    sre.CATEGORY_SPACE: True, sre.CATEGORY_NOT_SPACE: False, sre.CATEGORY_DIGIT: False,
    sre.CATEGORY_NOT_DIGIT: True, sre.CATEGORY_WORD: False, sre.CATEGORY_NOT_WORD: True,
}
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))


def _class_has_newline(items: Sequence[tuple[Any, Any]]) -> bool:
    negate, found = False, False
    for op, arg in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            found = found or arg == _NEWLINE
        elif op is sre.RANGE:
            found = found or arg[0] <= _NEWLINE <= arg[1]
        elif op is sre.CATEGORY:
            found = found or _CATEGORY_NEWLINE.get(arg, False)
    return found != negate


def _item_has_newline(op: Any, arg: Any, dotall: bool) -> bool:
    if op is sre.IN:
        return _class_has_newline(arg)
    if op is sre.ANY:
        return dotall
    if op is sre.CATEGORY:
        return _CATEGORY_NEWLINE.get(arg, False)
    if op is sre.NOT_LITERAL:
        return bool(arg != _NEWLINE)
    return op is sre.LITERAL and arg == _NEWLINE


def _crossing_repeat(node: tuple[Any, Any], dotall: bool) -> bool:
    """A repeat (`*`, `+`, `{n,m}`) of one item that can match a newline."""
    op, arg = node
    if op not in _REPEATS:
        return False
    body = list(arg[2])
    return len(body) == 1 and _item_has_newline(body[0][0], body[0][1], dotall)


def _operator_chars(node: tuple[Any, Any]) -> set[int] | None:
    """The characters an operator-only node is made of, or None if it is not one."""
    op, arg = node
    if op is sre.LITERAL:
        return {arg} if arg in _OPERATOR_CHARS else None
    if op is sre.IN:
        chars = {a for o, a in arg if o is sre.LITERAL}
        ok = len(chars) == len(arg) and chars <= _OPERATOR_CHARS
        return chars if ok else None
    if op is sre.SUBPATTERN:
        return _sequence_chars(list(arg[-1]))
    if op is sre.BRANCH:
        found: set[int] = set()
        for alternative in arg[1]:
            part = _sequence_chars(list(alternative))
            if part is None:
                return None
            found |= part
        return found
    return None


def _sequence_chars(items: list[tuple[Any, Any]]) -> set[int] | None:
    found: set[int] = set()
    for item in items:
        chars = _operator_chars(item)
        if chars is None:
            return None
        found |= chars
    return found or None


def _is_operator(node: tuple[Any, Any]) -> bool:
    chars = _operator_chars(node)
    return chars is not None and bool(chars & _ASSIGN_CHARS)


def _alternatives(node: tuple[Any, Any]) -> list[list[tuple[Any, Any]]] | None:
    op, arg = node
    if op is sre.SUBPATTERN:
        inner = list(arg[-1])
        return _alternatives(inner[0]) if len(inner) == 1 else [inner]
    if op is sre.BRANCH:
        return [list(alt) for alt in arg[1]]
    return None


def _edge_operator(node: tuple[Any, Any], last: bool) -> bool:
    """The node is an operator, or every way through it ends (starts) with one: `value:`."""
    if _is_operator(node):
        return True
    alternatives = _alternatives(node) or []
    return bool(alternatives) and all(
        alt and _edge_operator(alt[-1] if last else alt[0], last) for alt in alternatives)


def _children(op: Any, arg: Any) -> Iterator[list[tuple[Any, Any]]]:
    if op is sre.SUBPATTERN:
        yield list(arg[-1])
    elif op is sre.BRANCH:
        yield from (list(alt) for alt in arg[1])
    elif op in _REPEATS:
        yield list(arg[2])
    elif op in (sre.ASSERT, sre.ASSERT_NOT):
        yield list(arg[1])


def _crossings(items: list[tuple[Any, Any]], dotall: bool) -> Iterator[int]:
    """Indexes of repeats adjacent to an operator, at every nesting level."""
    for i, node in enumerate(items):
        before = i > 0 and _crossing_repeat(items[i - 1], dotall)
        after = i + 1 < len(items) and _crossing_repeat(items[i + 1], dotall)
        if before and _edge_operator(node, last=False):
            yield i - 1
        if after and _edge_operator(node, last=True):
            yield i + 1
        for child in _children(*node):
            yield from _crossings(child, dotall)


def crossings(pattern: str) -> int:
    """How many repeats next to an assignment operator in `pattern` can match a newline."""
    parsed: Any = sre_parse.parse(pattern)
    dotall = bool(parsed.state.flags & re.DOTALL)
    return len(list(_crossings(list(parsed), dotall)))


def crosses_line(pattern: str) -> bool:
    return crossings(pattern) > 0


def crossline_problems(rules: Sequence[Rule]) -> list[str]:
    return [f"{rule.id}: whitespace next to an assignment operator can cross a line "
            r"(use [ \t] for horizontal space)" for rule in rules if crosses_line(rule.regex)]
