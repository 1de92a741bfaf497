"""Word boundaries in binary content.

Binary formats pack strings against each other: a .pyc stores a constant as a length byte
and its characters, then the next object's type code (`N` for None); a sqlite record puts
its columns side by side (`deploy` + the token). A rule that wants a word boundary around
its token (`\\bghp_[A-Za-z0-9]{36}\\b`) finds none there. `split_view` returns a copy of the
content for each of two readings, offsets and line breaks unchanged, with a NUL put where
that reading says a boundary is missing:

- after a length-prefixed string (a byte L not a line break, then L printable characters)
  when the byte after it would continue the word;
- before each token prefix (a keyword of a provider rule) glued to a word character.

The engine scans the copies as well as the content and keeps the matches of all, so a
split that happens to cut a real token costs nothing (and one reading's wrong guess, such
as a sqlite type byte read as a length, does not spoil the other's).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
# "a" printable ASCII, "x" anything else: runs of 9 printable characters or more.
_SHAPES = bytes(ord("a") if 32 <= b < 127 else ord("x") for b in range(256))
_RUN = re.compile(rb"aaaaaaaaa+")  # literal head: a fast search
_NOT_LENGTH = frozenset(range(8)) | {9, 10, 13}


def _after_prefixed_strings(data: bytes) -> Iterable[int]:
    """The length is the byte before a printable run (a short string) or the run's first
    byte (a length of 32 to 126 is itself printable)."""
    for run in _RUN.finditer(data.translate(_SHAPES)):
        start, end = run.span()
        heads = [(start, data[start - 1])] if start and data[start - 1] not in _NOT_LENGTH \
            else []
        for first, length in [*heads, (start + 1, data[start])]:
            cut = first + length
            if cut < end and data[cut] in _WORD and data[cut - 1] in _WORD:
                yield cut


def _before_glued_prefixes(data: bytes, starts: Iterable[int]) -> Iterable[int]:
    for at in starts:
        if at > 0 and data[at - 1] in _WORD:
            yield at - 1


def _cut(data: bytes, cuts: set[int]) -> bytes:
    view = bytearray(data)
    for at in cuts:
        view[at] = 0
    return bytes(view)


def split_views(data: bytes, prefix_starts: Iterable[int]) -> list[bytes]:
    """`data` with a NUL at each boundary a reading says is missing, one copy per reading
    that finds any. `prefix_starts`: where token prefixes begin in `data`."""
    readings = (set(_after_prefixed_strings(data)),
                set(_before_glued_prefixes(data, prefix_starts)))
    return [_cut(data, cuts) for cuts in readings if cuts]
