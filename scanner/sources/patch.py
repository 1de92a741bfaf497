"""Parse `git log -p --unified=0` output into the lines each commit added, per file.

Ordinary commits give `diff --git` patches; merges give dense combined diffs (`diff --cc`,
`@@@ ... @@@`), where a line is new to the merge only when every parent column is `+`
(a line from one parent was already added, and scanned, in that parent's commit).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from scanner.sources.gitcmd import unquote_path

COMMIT_MARK = b"\x01"
LOG_FORMAT = "--format=%x01%H%x00%an <%ae>%x00%aI"


@dataclass(frozen=True)
class CommitMeta:
    sha: str
    author: str
    date: str


@dataclass
class FileChange:
    """The lines one commit added to one file (new-file line numbers)."""

    commit: CommitMeta
    path: str = ""
    oid: str = ""
    new_file: bool = False
    deleted: bool = False
    binary: bool = False
    gitlink: bool = False
    lines: list[bytes] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)

    @property
    def added_bytes(self) -> int:
        return sum(len(line) + 1 for line in self.lines)


def parse_commit_header(line: bytes) -> CommitMeta:
    sha, author, date = ([*line[1:].rstrip(b"\n").split(b"\x00"), b"", b""])[:3]
    return CommitMeta(sha.decode("ascii"), author.decode("utf-8", "replace"),
                      date.decode("ascii", "replace"))


def _hunk_start(line: bytes) -> tuple[int, int]:
    """(number of parents, first new-file line) of a `@@ -a,b +c,d @@` header."""
    marks = len(line) - len(line.lstrip(b"@"))
    new = next(tok for tok in line[marks:].split() if tok.startswith(b"+"))
    start = int(new[1:].split(b",")[0])
    return marks - 1, start


class PatchParser:
    """Feed lines of `git log -p -U0` output; yields a FileChange per (commit, file)."""

    def __init__(self) -> None:
        self.commit: CommitMeta | None = None
        self.change: FileChange | None = None
        self.parents = 1
        self.next_line = 0
        self.in_hunk = False

    def feed(self, line: bytes) -> Iterator[FileChange]:
        if line.startswith(COMMIT_MARK):
            yield from self._flush()
            self.commit = parse_commit_header(line)
        elif line.startswith(b"diff --"):
            yield from self._flush()
            if self.commit is not None:
                self.change = FileChange(self.commit)
        elif self.change is not None:
            self._file_line(self.change, line)

    def close(self) -> Iterator[FileChange]:
        yield from self._flush()

    def _flush(self) -> Iterator[FileChange]:
        change, self.change, self.in_hunk = self.change, None, False
        if change is not None and change.path:
            yield change

    def _file_line(self, change: FileChange, line: bytes) -> None:
        if self.in_hunk and line[:1] in (b"+", b"-", b" "):
            self._content(change, line)
        elif line.startswith(b"@@"):
            self.parents, self.next_line = _hunk_start(line)
            self.in_hunk = True
        elif not self.in_hunk:
            self._header(change, line.rstrip(b"\n"))

    def _content(self, change: FileChange, line: bytes) -> None:
        prefix = line[:self.parents]
        if b"-" in prefix:
            return
        if prefix == b"+" * self.parents:
            change.lines.append(line[self.parents:].rstrip(b"\n"))
            change.numbers.append(self.next_line)
        self.next_line += 1

    def _header(self, change: FileChange, line: bytes) -> None:
        if line.startswith(b"+++ "):
            target = line[4:]
            if target == b"/dev/null":
                change.deleted = True
            else:
                change.path = _strip_prefix(unquote_path(target))
        elif line.startswith(b"index "):
            change.oid = line.split()[1].split(b"..")[-1].decode("ascii")
            change.gitlink = line.endswith(b" 160000")
        elif line.startswith((b"new file mode", b"new mode")):
            change.new_file = change.new_file or line.startswith(b"new file")
            change.gitlink = change.gitlink or line.endswith(b"160000")
        elif line.startswith((b"deleted file mode", b"deleted mode")):
            change.deleted = True
        elif line.startswith(b"Binary files ") or line.startswith(b"GIT binary patch"):
            change.binary = True
            change.path = change.path or _binary_path(line)


def _strip_prefix(path: str) -> str:
    return path[2:] if path.startswith(("b/", "a/")) else path


def _binary_path(line: bytes) -> str:
    """Path from `Binary files a/x and b/y differ` (the new side; best effort)."""
    body = line[len(b"Binary files "):].rsplit(b" differ", 1)[0]
    new = body.rsplit(b" and ", 1)[-1]
    return "" if new == b"/dev/null" else _strip_prefix(unquote_path(new))


def parse_patches(out: IO[bytes]) -> Iterator[FileChange]:
    parser = PatchParser()
    for line in out:
        yield from parser.feed(line)
    yield from parser.close()
