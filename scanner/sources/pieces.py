"""Large text read in bounded pieces, so a secret in a big file is still found.

Each piece ends at a line end (or wherever PIECE_BYTES ends when a line is longer) and
starts with the last whole lines of the previous piece, up to OVERLAP_BYTES, so a match
that straddles two pieces is whole in the second. Findings carry real line numbers (each
piece is a Blob with its `line_offset`); a finding seen twice in an overlap is kept once.
Memory stays at about two pieces whatever the file's size. The GitOps policy reads whole
manifests only: a file this large is scanned for secrets, not parsed as YAML.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

from scanner.blob import Blob
from scanner.findings import Finding
from scanner.safeio import open_regular, read_limited
from scanner.sources.mixed import mixed_text

PIECE_BYTES = 8 << 20
OVERLAP_BYTES = 64 << 10


def _cut(buffer: bytes, final: bool) -> int:
    if final:
        return len(buffer)
    end = buffer.rfind(b"\n")
    return end + 1 if end >= 0 else len(buffer)


def _overlap_start(piece: bytes) -> int:
    """Where the lines carried into the next piece begin."""
    lo = max(0, len(piece) - OVERLAP_BYTES)
    if lo == 0:
        return 0
    nl = piece.find(b"\n", lo)
    return nl + 1 if 0 <= nl < len(piece) - 1 else lo


def pieces(read: Callable[[int], bytes]) -> Iterator[tuple[int, bytes]]:
    """(lines before the piece, piece) for the stream `read(n)` returns bytes of."""
    carry, lines = b"", 0
    while True:
        fresh = read(PIECE_BYTES)
        buffer = carry + fresh
        final = not fresh
        if not buffer:
            return
        cut = _cut(buffer, final)
        piece = buffer[:cut]
        yield lines, piece
        if final:
            return
        keep = _overlap_start(piece)
        lines += piece.count(b"\n", 0, keep)
        carry = piece[keep:] + buffer[cut:]


def file_pieces(disk: str) -> Iterator[tuple[int, bytes]]:
    fd, _ = open_regular(disk)  # again: it may have been swapped since it was sized
    try:
        yield from pieces(lambda n: read_limited(fd, n - 1))
    finally:
        os.close(fd)


def scan_pieces(path: str, source: Iterator[tuple[int, bytes]],
                scan: Callable[[Blob], list[Finding]]) -> tuple[int, list[Finding]]:
    """(bytes scanned, findings) over every piece, duplicates from overlaps dropped."""
    seen: set[tuple[str, int, int, str]] = set()
    found: list[Finding] = []
    total = 0
    for lines, piece in source:
        total += len(piece)
        # UTF-16 further on in a file whose head is plain text (mixed.py)
        for finding in scan(Blob(path, mixed_text(piece), line_offset=lines)):
            key = (finding.rule, finding.line, finding.column, finding.secret)
            if key not in seen:
                seen.add(key)
                found.append(finding)
    return total, found
