"""The unit every source yields: some bytes and where they came from."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Origin:
    """Where a blob was seen in history: the commit that introduced it at a path."""

    commit: str
    author: str
    date: str
    path: str


@dataclass(frozen=True)
class Blob:
    """Content to scan. `path` is relative to the scanned root (POSIX separators)."""

    path: str
    data: bytes
    oid: str | None = None
    origins: tuple[Origin, ...] = field(default=())
    # First line number of `data` within the file (diff hunks start mid-file).
    line_offset: int = 0
    # For diff hunks: the 1-based line numbers (in the new file) of each line of `data`.
    line_map: tuple[int, ...] | None = None
    # Size of the content when `data` has been dropped (results sent back from a worker).
    size_hint: int | None = None
    # Where a working-tree file lies on disk (what sits beside it: a kustomization).
    disk: str | None = None
    # Content that is not text, scanned as its bytes (sources/text.py: decode).
    binary: bool = False

    @property
    def size(self) -> int:
        return len(self.data) if self.size_hint is None else self.size_hint

    def file_line(self, line: int) -> int:
        """Map a 1-based line of `data` to the line in the real file."""
        if self.line_map is not None and 0 < line <= len(self.line_map):
            return self.line_map[line - 1]
        return line + self.line_offset
