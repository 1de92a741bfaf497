"""Line-aware YAML reading: documents split on `---`, composed with a safe loader, converted
to small immutable nodes that carry 1-based lines. Bounded in size, nodes and alias expansion.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Union

from scanner.policy.values import TEMPLATE_SENTINEL

MAX_DOC_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000
MAX_ALIAS_NODES = 10_000
MAX_DEPTH = 100


@dataclass(frozen=True)
class Scalar:
    value: str
    line: int
    column: int
    tag: str = "str"
    style: str = ""

    @property
    def is_str(self) -> bool:
        return self.tag == "str"


@dataclass(frozen=True)
class Map:
    items: tuple[tuple[Scalar, Node], ...]
    line: int
    column: int

    def get(self, key: str) -> Node | None:
        for k, v in self.items:
            if k.value == key:
                return v
        return None

    def key_node(self, key: str) -> Scalar | None:
        return next((k for k, _ in self.items if k.value == key), None)

    def text(self, key: str) -> str | None:
        node = self.get(key)
        return node.value if isinstance(node, Scalar) else None

    def map(self, key: str) -> Map | None:
        node = self.get(key)
        return node if isinstance(node, Map) else None

    def seq(self, key: str) -> Seq | None:
        node = self.get(key)
        return node if isinstance(node, Seq) else None

    def path(self, *keys: str) -> Node | None:
        node: Node | None = self
        for key in keys:
            node = node.get(key) if isinstance(node, Map) else None
        return node


@dataclass(frozen=True)
class Seq:
    items: tuple[Node, ...]
    line: int
    column: int

    def maps(self) -> Iterator[Map]:
        return (item for item in self.items if isinstance(item, Map))


Node = Union[Scalar, Map, Seq]  # noqa: UP007 (runtime alias on 3.10)


class TooComplex(Exception):
    """The document exceeds a bound; `line` is where it was noticed."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class ParseProblem:
    message: str
    line: int


@dataclass(frozen=True)
class Document:
    """One YAML document: its text, first line (1-based) and the composed root (or a problem)."""

    text: str
    first_line: int
    root: Node | None = None
    problem: ParseProblem | None = None
    templated: bool = False


_TAGS = {"str": "str", "int": "int", "float": "float", "bool": "bool", "null": "null"}


class _Builder:
    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.nodes = 0
        self.alias_nodes = 0
        self.seen: set[int] = set()

    def _count(self, node: Any, depth: int, via_alias: bool) -> tuple[int, int, bool]:
        self.nodes += 1
        line = node.start_mark.line + 1 + self.offset
        alias = via_alias or id(node) in self.seen
        self.seen.add(id(node))
        if alias:
            self.alias_nodes += 1
        if self.nodes > MAX_NODES:
            raise TooComplex(f"too complex: more than {MAX_NODES} nodes", line)
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise TooComplex("too complex: alias expansion exceeds "
                             f"{MAX_ALIAS_NODES} nodes (alias bomb?)", line)
        if depth > MAX_DEPTH:
            raise TooComplex(f"too complex: nesting deeper than {MAX_DEPTH}", line)
        return line, node.start_mark.column + 1, alias

    def build(self, node: Any, depth: int = 0, via_alias: bool = False) -> Node:
        import yaml

        line, column, alias = self._count(node, depth, via_alias)
        if isinstance(node, yaml.ScalarNode):
            tag = _TAGS.get(str(node.tag).rsplit(":", 1)[-1], "other")
            return Scalar(str(node.value), line, column, tag, node.style or "")
        if isinstance(node, yaml.SequenceNode):
            return Seq(tuple(self.build(v, depth + 1, alias) for v in node.value), line, column)
        return Map(tuple(self._items(node, depth, alias)), line, column)

    def _items(self, node: Any, depth: int, alias: bool) -> Iterator[tuple[Scalar, Node]]:
        import yaml

        for key, value in node.value:
            if str(key.tag).endswith(":merge"):
                merged = self.build(value, depth + 1, True)
                for m in merged.items if isinstance(merged, Seq) else (merged,):
                    if isinstance(m, Map):
                        yield from m.items
                continue
            if isinstance(key, yaml.ScalarNode):
                k = Scalar(str(key.value), key.start_mark.line + 1 + self.offset,
                           key.start_mark.column + 1)
            else:
                k = Scalar("", key.start_mark.line + 1 + self.offset, key.start_mark.column + 1)
            yield k, self.build(value, depth + 1, alias)


_DOC_SPLIT = re.compile(r"(?m)^(?=---(?:[ \t]|$))|^\.\.\.[ \t]*(?:\r?\n|$)")


def split_documents(text: str) -> Iterator[tuple[int, str]]:
    """(first line 0-based, text) of each `---`-separated chunk, lines preserved."""
    start, line = 0, 0
    for match in _DOC_SPLIT.finditer(text):
        if match.start() > start or match.group(0):
            chunk = text[start : match.start()]
            yield line, chunk
            line += chunk.count("\n") + match.group(0).count("\n")
            start = match.end()
    yield line, text[start:]


_ACTION_RE = re.compile(r"\{\{(?:[^}]|\}(?!\})){0,4000}\}\}|\{%(?:[^%]|%(?!\})){0,4000}%\}")
_ONLY_SENTINEL = re.compile(rf"^[ \t]*(?:{TEMPLATE_SENTINEL}[ \t]*)+\r?$")


def blank_templates(text: str) -> str:
    """Helm/Jinja actions -> a sentinel scalar; lines holding only actions -> empty lines."""

    def sub(match: re.Match[str]) -> str:
        return TEMPLATE_SENTINEL + "\n" * match.group(0).count("\n")

    replaced = _ACTION_RE.sub(sub, text)
    return "\n".join("" if _ONLY_SENTINEL.match(ln) else ln for ln in replaced.split("\n"))


def _problem(exc: Exception, offset: int) -> ParseProblem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = (mark.line + 1 if mark is not None else 1) + offset
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return ParseProblem(f"invalid YAML: {problem}", line)


def compose(text: str, offset: int) -> Iterator[Node | ParseProblem]:
    """Roots of the documents in `text` (one chunk); a ParseProblem ends the chunk."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        for node in yaml.compose_all(text, Loader=loader):
            if node is not None:
                yield _Builder(offset).build(node)
    except TooComplex as exc:
        yield ParseProblem(str(exc), exc.line)
    except yaml.YAMLError as exc:
        yield _problem(exc, offset)
    except (RecursionError, MemoryError):
        yield ParseProblem("too complex: nesting too deep to read", offset + 1)


def _prepare(text: str, is_json: bool) -> str:
    if is_json:  # JSON allows tabs as whitespace; YAML does not (raw tabs cannot be in strings)
        return text.replace("\t", " ")
    return text


def read_documents(text: str, is_json: bool = False) -> Iterator[Document]:
    text = text.removeprefix("\ufeff")
    chunks = [(0, text)] if is_json else split_documents(text)
    for offset, chunk in chunks:
        if not chunk.strip() or chunk.strip() in ("---", "..."):
            continue
        if len(chunk) > MAX_DOC_BYTES:
            yield Document(chunk, offset + 1, problem=ParseProblem(
                f"too large: document of {len(chunk)} bytes exceeds {MAX_DOC_BYTES}", offset + 1))
            continue
        yield from _read_chunk(chunk, offset, is_json)


_SKIPPED_KIND = re.compile(r"(?m)^kind:[ \t]*[\"']?CustomResourceDefinition[\"']?[ \t]*$")


def _read_chunk(chunk: str, offset: int, is_json: bool) -> Iterator[Document]:
    if _SKIPPED_KIND.search(chunk):
        return  # schemas, not secrets: not worth composing (CRD bundles are megabytes)
    templated = "{{" in chunk or "{%" in chunk
    source = blank_templates(chunk) if templated else _prepare(chunk, is_json)
    for item in compose(source, offset):
        if isinstance(item, ParseProblem):
            yield Document(chunk, offset + 1, problem=item, templated=templated)
        else:
            yield Document(chunk, offset + 1, root=item, templated=templated)


def parse_inline(text: str, offset: int) -> Node | None:
    """YAML held in a string (Argo CD helm.values); lines shifted by `offset`."""
    if len(text) > MAX_DOC_BYTES:
        return None
    source = blank_templates(text) if "{{" in text else text
    for item in compose(source, offset):
        return None if isinstance(item, ParseProblem) else item
    return None
