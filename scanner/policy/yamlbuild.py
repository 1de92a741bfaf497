"""Build line-aware nodes straight from libyaml's parse events, reading YAML the way Go does.

Kubernetes, Flux, Argo CD and kustomize decode YAML with go-yaml (a port of libyaml: the same
scanner and parser), so the events libyaml emits are the events they see. What differs is the
step after: PyYAML's composer refuses things go-yaml accepts. Composing here follows go-yaml:

- an anchor may be defined again in the same document; an alias refers to the definition
  that precedes it (go-yaml's parser keeps one anchor table and overwrites entries);
- an alias may be a mapping key (`*app : x`), as in go-yaml;
- a key may occur twice in one mapping (sigs.k8s.io/yaml keeps the last, kyaml finds the
  first): every occurrence is kept and recorded, and `readings()` gives each way to read it;
- `<<` merges: keys written in the mapping win over merged ones, earlier merge sources over
  later ones (the YAML merge-key rules go-yaml applies).

Bounds protect time and memory, not validity: nodes per document, the nodes reached through
aliases (an alias bomb expands exponentially; go-yaml refuses "excessive aliasing" too) and
nesting depth. The builder keeps its own stack, so deep input cannot exhaust Python's.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from scanner.policy.yamlnodes import (
    Duplicate,
    Map,
    Node,
    ParseProblem,
    Scalar,
    Seq,
    TooComplex,
)

MAX_NODES = 250_000
MAX_ALIAS_NODES = 10_000
MAX_DEPTH = 100
MAX_READINGS = 16

_TAGS = {"str": "str", "int": "int", "float": "float", "bool": "bool", "null": "null"}
_PENDING = object()  # an anchor whose node is still open (an alias to it would recurse)


@dataclass(frozen=True)
class Built:
    """One composed document: its root and the duplicate keys met on the way."""

    root: Node
    duplicates: tuple[Duplicate, ...] = ()


@dataclass(slots=True)
class _Open:
    """A mapping or sequence being built."""

    is_map: bool
    line: int
    column: int
    anchor: str | None
    items: list[Any] = field(default_factory=list)
    size: int = 1


def _resolvers() -> dict[Any, Any]:
    from yaml.resolver import Resolver

    return Resolver.yaml_implicit_resolvers


# The tag of a plain scalar is a function of its text: one cache for every document of the
# process (a history holds the same keys and values in thousands of versions), bounded.
_PLAIN_TAGS: dict[str, str] = {}
_PLAIN_TAGS_MAX = 1 << 16


class _Resolver:
    """PyYAML's YAML 1.1 implicit tags (as composing would resolve them), cached by value."""

    def __init__(self) -> None:
        self.table = _resolvers()
        self.cache = _PLAIN_TAGS

    def plain(self, value: str) -> str:
        known = self.cache.get(value)
        if known is not None:
            return known
        tag = "str"
        for long_tag, regexp in self.table.get(value[:1] if value else "", ()):
            if regexp.match(value):
                tag = _TAGS.get(long_tag.rsplit(":", 1)[-1], "other")
                break
        if len(value) <= 64:
            if len(self.cache) >= _PLAIN_TAGS_MAX:
                self.cache.clear()
            self.cache[value] = tag
        return tag

    def tag(self, event: Any) -> str:
        tag = event.tag
        if tag is None or tag == "!":
            return self.plain(event.value) if event.implicit[0] else "str"
        return _TAGS.get(str(tag).rsplit(":", 1)[-1], "other")


class Builder:
    """Feed it one chunk's events (`run`); it yields a Built per document."""

    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.resolver = _Resolver()
        self._reset()

    def _reset(self) -> None:
        self.stack: list[_Open] = []
        self.anchors: dict[str, Any] = {}
        self.sizes: dict[int, int] = {}
        self.nodes = 0
        self.alias_nodes = 0
        self.duplicates: list[Duplicate] = []
        self.root: Node | None = None

    def run(self, events: Iterator[Any]) -> Iterator[Built]:
        import yaml

        handlers = {
            yaml.ScalarEvent: self._scalar, yaml.AliasEvent: self._alias,
            yaml.MappingStartEvent: self._start_map, yaml.SequenceStartEvent: self._start_seq,
            yaml.MappingEndEvent: self._end, yaml.SequenceEndEvent: self._end,
        }
        for event in events:
            handler = handlers.get(type(event))
            if handler is not None:
                handler(event)
            elif type(event) is yaml.DocumentEndEvent:
                if self.root is not None:
                    yield Built(self.root, tuple(self.duplicates))
                self._reset()

    # -- events -----------------------------------------------------------------------------
    def _where(self, event: Any) -> tuple[int, int]:
        mark = event.start_mark
        return mark.line + 1 + self.offset, mark.column + 1

    def _count(self, line: int) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise TooComplex(f"too complex: more than {MAX_NODES} nodes", line)

    def _scalar(self, event: Any) -> None:
        mark = event.start_mark
        line = mark.line + 1 + self.offset
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise TooComplex(f"too complex: more than {MAX_NODES} nodes", line)
        tag = event.tag
        if tag is None and event.implicit[0]:  # the common case, inlined from tag()
            tag = _PLAIN_TAGS.get(event.value) or self.resolver.plain(event.value)
        else:
            tag = self.resolver.tag(event)
        node = Scalar(event.value, line, mark.column + 1, tag, event.style or "")
        if event.anchor is not None:
            self.anchors[event.anchor] = node
        if self.stack:
            top = self.stack[-1]
            top.size += 1
            top.items.append(node)
        else:
            self.root = node

    def _alias(self, event: Any) -> None:
        line, _ = self._where(event)
        target = self.anchors.get(event.anchor)
        if target is None:
            raise TooComplex(f"invalid YAML: unknown anchor '{event.anchor}' referenced", line)
        if target is _PENDING:
            raise TooComplex(f"invalid YAML: anchor '{event.anchor}' value contains itself",
                             line)
        size = self.sizes.get(id(target), 1)
        self.alias_nodes += size
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise TooComplex("too complex: alias expansion exceeds "
                             f"{MAX_ALIAS_NODES} nodes (alias bomb?)", line)
        if isinstance(target, Scalar) and self._key_expected():
            column = event.start_mark.column + 1  # a key is placed where the alias is written
            target = Scalar(target.value, line, column, target.tag, target.style)
        self._add(target, size, line)

    def _key_expected(self) -> bool:
        return bool(self.stack) and self.stack[-1].is_map and len(self.stack[-1].items) % 2 == 0

    def _start_map(self, event: Any) -> None:
        self._start(event, True)

    def _start_seq(self, event: Any) -> None:
        self._start(event, False)

    def _start(self, event: Any, is_map: bool) -> None:
        line, column = self._where(event)
        self._count(line)
        if len(self.stack) >= MAX_DEPTH:
            raise TooComplex(f"too complex: nesting deeper than {MAX_DEPTH}", line)
        if event.anchor is not None:
            self.anchors[event.anchor] = _PENDING
        self.stack.append(_Open(is_map, line, column, event.anchor))

    def _end(self, event: Any) -> None:
        top = self.stack.pop()
        node: Node
        if top.is_map:
            node = Map(tuple(self._mapping(top)), top.line, top.column)
        else:
            node = Seq(tuple(top.items), top.line, top.column)
        if top.anchor is not None:
            self.anchors[top.anchor] = node
            self.sizes[id(node)] = top.size
        self._add(node, top.size, top.line)

    def _add(self, node: Node, size: int, line: int) -> None:
        if not self.stack:
            self.root = node
            return
        top = self.stack[-1]
        top.size += size
        top.items.append(node)

    # -- mappings ---------------------------------------------------------------------------
    def _mapping(self, top: _Open) -> list[tuple[Scalar, Node]]:
        keys = [_key(k) for k in top.items[::2]]
        raws = top.items[::2]
        if len({k.value for k in keys}) == len(keys) and not any(
                k.value == "<<" and _is_merge(raw) for k, raw in zip(keys, raws, strict=True)):
            return list(zip(keys, top.items[1::2], strict=True))  # no repeat, no merge
        pairs = [(key, v, k)
                 for key, k, v in zip(keys, top.items[::2], top.items[1::2], strict=True)]
        own = [(k, v) for k, v, raw in pairs if not _is_merge(raw)]
        merged = [item for _, v, raw in pairs if _is_merge(raw) for item in _merge_items(v)]
        self._note_duplicates(own)
        written = {k.value for k, _ in own}
        taken: set[str] = set()
        inherited = []
        for key, value in merged:  # earlier sources first: the first one of a key wins
            if key.value not in written and key.value not in taken:
                taken.add(key.value)
                inherited.append((key, value))
        return inherited + own

    def _note_duplicates(self, own: list[tuple[Scalar, Node]]) -> None:
        lines: dict[str, list[int]] = {}
        for key, _ in own:
            lines.setdefault(key.value, []).append(key.line)
        for name, where in lines.items():
            if len(where) > 1:
                self.duplicates.append(Duplicate(name, tuple(where)))


def _key(node: Node) -> Scalar:
    if isinstance(node, Scalar):
        if node.tag == "str" and node.style == "":
            return node  # already what a key is read as
        return Scalar(node.value, node.line, node.column)
    return Scalar("", node.line, node.column)


def _is_merge(node: Node) -> bool:
    return isinstance(node, Scalar) and node.value == "<<" and node.style == "" \
        and node.tag in ("other", "str")


def _merge_items(value: Node) -> Iterator[tuple[Scalar, Node]]:
    for source in value.items if isinstance(value, Seq) else (value,):
        if isinstance(source, Map):
            yield from source.items


def build(events: Iterator[Any], offset: int) -> Iterator[Built | ParseProblem]:
    """The documents of one chunk's events; a problem ends the chunk."""
    import yaml

    try:
        yield from Builder(offset).run(events)
    except TooComplex as exc:
        yield ParseProblem(str(exc), exc.line)
    except yaml.YAMLError as exc:
        yield _problem(exc, offset)


def _problem(exc: Exception, offset: int) -> ParseProblem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = (mark.line + 1 if mark is not None else 1) + offset
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return ParseProblem(f"invalid YAML: {problem}", line)


# -- readings of a document with duplicate keys ---------------------------------------------

def readings(root: Node, duplicates: tuple[Duplicate, ...]) -> list[Node]:
    """Every way to read `root` when keys repeat: one occurrence of each repeated key kept,
    in every combination (the first and the last everywhere when there are too many)."""
    if not duplicates:
        return [root]
    groups = _groups(root)
    counts = [len(places) for _, places in groups]
    total = 1
    for n in counts:
        total *= n
    if total <= MAX_READINGS:
        choices = list(itertools.product(*(range(n) for n in counts)))
    else:
        choices = [tuple(0 for _ in counts), tuple(n - 1 for n in counts)]
    return [_apply(root, dict(zip(groups, pick, strict=True)), {}) for pick in choices]


Group = tuple[tuple[int, str], tuple[int, ...]]  # ((id of the map, key), item indices)


def _groups(root: Node) -> list[Group]:
    out: list[Group] = []
    seen: set[int] = set()
    todo: list[Node] = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen or isinstance(node, Scalar):
            continue
        seen.add(id(node))
        if isinstance(node, Seq):
            todo.extend(node.items)
            continue
        where: dict[str, list[int]] = {}
        for i, (key, value) in enumerate(node.items):
            where.setdefault(key.value, []).append(i)
            todo.append(value)
        out += [((id(node), k), tuple(ix)) for k, ix in where.items() if len(ix) > 1]
    return out


def _apply(node: Node, pick: dict[Group, int], memo: dict[int, Node]) -> Node:
    if isinstance(node, Scalar):
        return node
    done = memo.get(id(node))
    if done is not None:
        return done
    if isinstance(node, Seq):
        out: Node = Seq(tuple(_apply(v, pick, memo) for v in node.items), node.line,
                        node.column)
    else:
        drop = {ix for (where, ixs), n in pick.items() if where[0] == id(node)
                for ix in ixs if ix != ixs[n]}
        out = Map(tuple((k, _apply(v, pick, memo)) for i, (k, v) in enumerate(node.items)
                        if i not in drop), node.line, node.column)
    memo[id(node)] = out
    return out
