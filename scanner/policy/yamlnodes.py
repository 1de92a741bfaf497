"""Line-aware YAML reading: documents split on `---`, built from libyaml's events into small
nodes that carry 1-based lines, composed as Go's YAML decoder composes them
(scanner.policy.yamlbuild). Nodes are never changed once built (plain slotted classes: a
history audit makes millions, and frozen dataclasses cost five times as much to make).
Bounded in size, nodes, alias expansion and depth.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from scanner.policy.values import TEMPLATE_SENTINEL

if TYPE_CHECKING:
    from scanner.policy.yamlbuild import Built

# A bound on time (libyaml reads some 20 MB/s here), far above real documents: CRD bundles
# exceed 2 MB. Memory is bounded by the node count (yamlbuild.MAX_NODES).
MAX_DOC_BYTES = 32 * 1024 * 1024


@dataclass(unsafe_hash=True, slots=True)
class Scalar:
    value: str
    line: int
    column: int
    tag: str = "str"
    style: str = ""

    @property
    def is_str(self) -> bool:
        return self.tag == "str"


@dataclass(unsafe_hash=True, slots=True)
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


@dataclass(unsafe_hash=True, slots=True)
class Seq:
    items: tuple[Node, ...]
    line: int
    column: int

    def maps(self) -> Iterator[Map]:
        return (item for item in self.items if isinstance(item, Map))


Node = Union[Scalar, Map, Seq]  # noqa: UP007 (runtime alias on 3.10)


def lists_under(node: Node, keys: tuple[str, ...], depth: int = 0) -> Iterator[Seq]:
    """Every list held under one of `keys` anywhere below `node` (`env:` of every container,
    `params:` of every task), including inside such lists; 40 levels at most."""
    if depth > 40:
        return
    if isinstance(node, Map):
        for key, value in node.items:
            if key.value in keys and isinstance(value, Seq):
                yield value
            if isinstance(value, Map | Seq):
                yield from lists_under(value, keys, depth + 1)
    elif isinstance(node, Seq):
        for item in node.items:
            yield from lists_under(item, keys, depth + 1)


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
class Duplicate:
    """A key written more than once in one mapping: its name and the line of each."""

    key: str
    lines: tuple[int, ...]


@dataclass(frozen=True)
class Document:
    """One YAML document: its text, first line (1-based) and the composed root (or a problem).
    `duplicates`: keys written twice in one mapping (then `readings()` has more than one)."""

    text: str
    first_line: int
    root: Node | None = None
    problem: ParseProblem | None = None
    templated: bool = False
    duplicates: tuple[Duplicate, ...] = ()

    def readings(self) -> list[Node]:
        """The root as each consumer may read it (one unless keys repeat)."""
        from scanner.policy.yamlbuild import readings

        return [] if self.root is None else readings(self.root, self.duplicates)


_DOTS_END = re.compile(r"(?m)[ \t]*(?:\r?\n|$)")


def _line_starts(text: str, mark: str) -> Iterator[int]:
    """Offsets of the lines that start with `mark` (str.find: an anchored `(?m)^` pattern
    tries every offset of the text)."""
    if text.startswith(mark):
        yield 0
    at = text.find("\n" + mark)
    while at >= 0:
        yield at + 1
        at = text.find("\n" + mark, at + 1)


def separators(text: str) -> list[tuple[int, int]]:
    """(start, end) of each document separator, in text order: a line opening with `---`
    then a blank or its end (zero width: the marker stays in the next chunk), and a `...`
    line (blanks after it allowed) with its line break; the same as the anchored regex
    tests/test_textgates.py holds it to."""
    found = [(at, at) for at in _line_starts(text, "---")
             if text[at + 3 : at + 4] in ("", " ", "\t", "\n")]
    for at in _line_starts(text, "..."):
        tail = _DOTS_END.match(text, at + 3)
        if tail is not None:
            found.append((at, tail.end()))
    return sorted(found)


def split_documents(text: str) -> Iterator[tuple[int, str]]:
    """(first line 0-based, text) of each `---`-separated chunk, lines preserved."""
    start, line = 0, 0
    for begin, end in separators(text):
        if begin > start or end > begin:
            chunk = text[start:begin]
            yield line, chunk
            line += chunk.count("\n") + text.count("\n", begin, end)
            start = end
    yield line, text[start:]


_ACTION_RE = re.compile(r"\{\{(?:[^}]|\}(?!\})){0,4000}\}\}|\{%(?:[^%]|%(?!\})){0,4000}%\}")
_ONLY_SENTINEL = re.compile(rf"[ \t]*(?:{TEMPLATE_SENTINEL}[ \t]*)+\r?")


def blank_templates(text: str) -> str:
    """Helm/Jinja actions -> a sentinel scalar; lines holding only actions -> empty lines."""

    def sub(match: re.Match[str]) -> str:
        return TEMPLATE_SENTINEL + "\n" * match.group(0).count("\n")

    return _empty_sentinel_lines(_ACTION_RE.sub(sub, text))


def _empty_sentinel_lines(text: str) -> str:
    """Lines holding only sentinels (and blanks) emptied; only the lines with a sentinel are
    looked at (a pass over every line of a large values file cost more than the parse)."""
    out, done = [], 0
    at = text.find(TEMPLATE_SENTINEL)
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        if _ONLY_SENTINEL.fullmatch(text, start, end):
            out.append(text[done:start])
            done = end
        at = text.find(TEMPLATE_SENTINEL, end)
    out.append(text[done:])
    return "".join(out)


def _prepare(text: str, is_json: bool) -> str:
    if is_json:  # JSON allows tabs as whitespace; YAML does not (raw tabs cannot be in strings)
        return text.replace("\t", " ")
    return text


def compose(text: str, offset: int) -> Iterator[Built | ParseProblem]:
    """The documents of `text` (one chunk); a ParseProblem ends the chunk."""
    import yaml

    from scanner.policy.yamlbuild import build

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        yield from build(iter(loader.get_event, None), offset)
    except MemoryError:
        yield ParseProblem("too complex: not enough memory to read", offset + 1)
    finally:
        loader.dispose()


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


_CRD = re.compile(r"(?m)^kind:[ \t]*[\"']?CustomResourceDefinition[\"']?[ \t]*(?:#.*)?$")
_TOP_KIND = re.compile(r"(?m)^[\"']?kind[\"']?[ \t]*:")
# Flux post-build substitution: replaced in the text before anything parses it.
_SUBSTITUTION = re.compile(r"\$\{[^}\r\n]{1,400}\}")


def schema_only(chunk: str) -> bool:
    """A CustomResourceDefinition (a schema, megabytes in CRD bundles): nothing to check in it,
    unless the document also names another kind (a repeated `kind:` key)."""
    return "CustomResourceDefinition" in chunk and _CRD.search(chunk) is not None \
        and len(_TOP_KIND.findall(chunk)) == 1


# A line that is only a generator's token (`    <CERT_MANAGER_ISSUER_ANNOTATION_1>`): the text
# is a template another tool fills in before anything reads it as YAML.
_TOKEN_LINE = re.compile(r"(?m)^[ \t]*(?:-[ \t]+)?<[A-Z][A-Z0-9_]*>[ \t]*$")


def _read_chunk(chunk: str, offset: int, is_json: bool) -> Iterator[Document]:
    if schema_only(chunk):
        return
    templated = "{{" in chunk or "{%" in chunk
    source = blank_templates(chunk) if templated else _prepare(chunk, is_json)
    templated = templated or (_TOKEN_LINE.search(chunk) is not None and "<" in chunk)
    items = list(compose(source, offset))
    if "${" in source and any(isinstance(i, ParseProblem) for i in items):
        retry = list(compose(_SUBSTITUTION.sub(TEMPLATE_SENTINEL, source), offset))
        if not any(isinstance(i, ParseProblem) for i in retry):
            items = retry  # `${VAR}` in a flow collection: valid once Flux has substituted
    for item in items:
        if isinstance(item, ParseProblem):
            yield Document(chunk, offset + 1, problem=item, templated=templated)
        else:
            yield Document(chunk, offset + 1, root=item.root, templated=templated,
                           duplicates=item.duplicates)


def parse_inline(text: str, offset: int) -> Node | None:
    """YAML held in a string (Argo CD helm.values); lines shifted by `offset`. Repeated keys
    are all kept in Map.items (walkers see each); Map.get() finds the first."""
    if len(text) > MAX_DOC_BYTES:
        return None
    source = blank_templates(text) if "{{" in text else text
    for item in compose(source, offset):
        return None if isinstance(item, ParseProblem) else item.root
    return None
