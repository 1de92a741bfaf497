"""Parse `git log --raw -z --no-abbrev` output: every file a commit changed, by blob id.

With `-z` every field is NUL-terminated and names are written as they are, so no byte of a
name (newline, tab, quote, invalid UTF-8) can shift an answer. Each commit starts with a
`%x01%H%x00author%x00date` header; each change is `:modes... ids... STATUS`, then the path
(two paths, source then destination, for a rename or copy). Malformed input never raises.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

RAW_FORMAT = "--format=%x01%H%x00%an <%ae>%x00%aI"
ZERO = "0" * 40
HEX = frozenset(b"0123456789abcdef")


@dataclass(frozen=True)
class CommitMeta:
    sha: str
    author: str
    date: str


@dataclass(frozen=True)
class RawEntry:
    """One changed path of one commit (for a merge: new relative to every parent)."""

    path: str
    mode: str  # the new mode: 100644, 100755, 120000 (symlink), 160000 (gitlink)
    old_oids: tuple[str, ...]
    oid: str  # the new blob id; all zeros when deleted
    status: str  # A, M, D, T, R090, C075, or one letter per parent for a merge
    old_path: str | None = None  # the source of a rename or copy

    @property
    def key(self) -> tuple[str, ...]:
        return (*self.old_oids, self.oid)

    @property
    def deleted(self) -> bool:
        return self.oid == ZERO or "D" in self.status[:1]

    @property
    def renamed(self) -> bool:
        return self.status[:1] in ("R", "C")

    @property
    def added(self) -> bool:
        return all(old == ZERO for old in self.old_oids)


def tokens(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """NUL-separated fields of a byte stream that arrives in arbitrary pieces."""
    tail = b""
    for chunk in chunks:
        parts = (tail + chunk).split(b"\0")
        tail = parts.pop()
        yield from parts
    if tail:
        yield tail


def _name(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def _is_oid(raw: bytes) -> bool:
    return len(raw) >= 4 and set(raw) <= HEX


def parse_entry(meta: bytes, names: Iterator[bytes]) -> RawEntry | None:
    """One `:meta` field (the names follow in `names`); None when malformed."""
    parents = len(meta) - len(meta.lstrip(b":"))
    fields = meta[parents:].split()
    if parents < 1 or len(fields) != 2 * parents + 3:
        return None
    modes, oids, status = fields[:parents + 1], fields[parents + 1:-1], fields[-1]
    if not all(_is_oid(oid) for oid in oids) or not all(m.isdigit() for m in modes):
        return None
    text = status.decode("ascii", "replace")
    first = next(names, None)
    if first is None:
        return None
    old_path = None
    if parents == 1 and text[:1] in ("R", "C"):
        second = next(names, None)
        if second is None:
            return None
        old_path, first = _name(first), second
    return RawEntry(_name(first), modes[-1].decode("ascii"),
                    tuple(o.decode("ascii") for o in oids[:-1]), oids[-1].decode("ascii"),
                    text, old_path)


def _meta(token: bytes, fields: Iterator[bytes]) -> CommitMeta:
    author, date = next(fields, b""), next(fields, b"")
    return CommitMeta(token[1:].decode("ascii", "replace"), author.decode("utf-8", "replace"),
                      date.decode("ascii", "replace"))


def parse_raw_log(chunks: Iterable[bytes]) -> Iterator[tuple[CommitMeta, list[RawEntry]]]:
    """(commit, its changes) for every commit of the log, in log order."""
    fields = tokens(chunks)
    current: tuple[CommitMeta, list[RawEntry]] | None = None
    for token in fields:
        token = token.lstrip(b"\n")
        if token.startswith(b"\x01"):
            if current is not None:
                yield current
            current = (_meta(token, fields), [])
        elif token.startswith(b":") and current is not None:
            entry = parse_entry(token, fields)
            if entry is not None:
                current[1].append(entry)
    if current is not None:
        yield current
