"""Parse `git log -p --unified=0 --full-index` output into the lines each commit added.

A patch section is identified by the blob ids of its `index` line (`index OLD..NEW`, or
`index P1,P2..NEW` for a merge), never by the file names in its headers: git quotes unusual
names there and appends a TAB to names with spaces, so a name could shift the answer. The
names come from `git log --raw -z` instead (scanner/sources/rawlog.py), matched on the ids.

Merges give dense combined diffs (`diff --cc`, `@@@ ... @@@`), where a line is new to the
merge only when every parent column is `+` (a line from one parent was already added, and
scanned, in that parent's commit). Malformed input never raises: what cannot be parsed is
ignored (the parser is fuzzed).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

COMMIT_MARK = b"\x01"
PATCH_FORMAT = "--format=%x01%H"


@dataclass
class Hunks:
    """The lines one patch section added (new-file line numbers), keyed by its blob ids."""

    commit: str
    key: tuple[str, ...] = ()  # (old ids..., new id) from the `index` line
    binary: bool = False
    lines: list[bytes] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)

    @property
    def added_bytes(self) -> int:
        return sum(len(line) + 1 for line in self.lines)


def _hunk_start(line: bytes) -> tuple[int, int] | None:
    """(number of parents, first new-file line) of a `@@ -a,b +c,d @@` header."""
    marks = len(line) - len(line.lstrip(b"@"))
    for tok in line[marks:].split():
        if tok.startswith(b"+"):
            start = tok[1:].split(b",")[0]
            return (marks - 1, int(start)) if start.isdigit() and marks >= 2 else None
    return None


def index_key(line: bytes) -> tuple[str, ...]:
    """(old ids..., new id) of `index a..b [mode]` / `index a,b..c`; () when malformed."""
    fields = line.split()
    if len(fields) < 2 or b".." not in fields[1]:
        return ()
    old, _, new = fields[1].partition(b"..")
    ids = [*old.split(b","), new]
    if not all(oid and all(c in b"0123456789abcdef" for c in oid) for oid in ids):
        return ()
    return tuple(oid.decode("ascii") for oid in ids)


class PatchParser:
    """Feed lines of `git log -p -U0 --full-index`; yields a Hunks per patch section."""

    def __init__(self) -> None:
        self.commit: str | None = None
        self.section: Hunks | None = None
        self.parents = 1
        self.next_line = 0
        self.in_hunk = False

    def feed(self, line: bytes) -> Iterator[Hunks]:
        if line.startswith(COMMIT_MARK):
            yield from self._flush()
            self.commit = line[1:].strip().decode("ascii", "replace")
        elif line.startswith(b"diff --"):
            yield from self._flush()
            if self.commit is not None:
                self.section = Hunks(self.commit)
        elif self.section is not None:
            self._line(self.section, line)

    def close(self) -> Iterator[Hunks]:
        yield from self._flush()

    def _flush(self) -> Iterator[Hunks]:
        section, self.section, self.in_hunk = self.section, None, False
        if section is not None and section.key:
            yield section

    def _line(self, section: Hunks, line: bytes) -> None:
        if self.in_hunk and line[:1] in (b"+", b"-", b" "):
            self._content(section, line)
        elif line.startswith(b"@@"):
            start = _hunk_start(line)
            self.in_hunk = start is not None
            if start is not None:
                self.parents, self.next_line = start
        elif not self.in_hunk:
            self._header(section, line.rstrip(b"\n"))

    def _content(self, section: Hunks, line: bytes) -> None:
        prefix = line[:self.parents]
        if b"-" in prefix:
            return
        if prefix == b"+" * self.parents:
            section.lines.append(line[self.parents:].rstrip(b"\n"))
            section.numbers.append(self.next_line)
        self.next_line += 1

    def _header(self, section: Hunks, line: bytes) -> None:
        if line.startswith(b"index "):
            section.key = index_key(line)
        elif line.startswith((b"Binary files ", b"GIT binary patch")):
            section.binary = True


def parse_patches(out: Iterable[bytes]) -> Iterator[Hunks]:
    parser = PatchParser()
    for line in out:
        yield from parser.feed(line)
    yield from parser.close()
