"""Content that changes encoding part-way: no encoding trick hides a secret.

A file's encoding is guessed from its head (text.py). A file that goes on differently is
read stretch by stretch instead: UTF-16 text after 8,000 bytes of ASCII (or after a BOM in
the middle), ASCII lines after a UTF-16 head. `mixed_text` decodes every run of UTF-16 text
in the ASCII range (little-endian first, then big-endian in what is left) and keeps the
rest; in a file read as UTF-16, a stretch that is not UTF-8 text is read as UTF-16 too
(CJK). Line breaks stay where they were, so line numbers are the file's.
"""

from __future__ import annotations

import re

# Each byte's class: "a" printable ASCII with tab and line breaks, "0" NUL, "x" other.
SHAPES = bytes(ord("0") if b == 0 else ord("a") if 32 <= b < 127 or b in (9, 10, 13)
               else ord("x") for b in range(256))
# 4 printable UTF-16 units, then any with a NUL high byte (Latin-1: é is E9 00).
_LE_RUN = re.compile(rb"a0a0a0a0(?:[ax]0)*")
_BE_RUN = re.compile(rb"0a0a0a0a(?:0[ax])*")
_PLAIN = b"a" * 32  # 32 printable bytes in a row: never UTF-16 in the ASCII range or CJK
RARE_CONTROLS = 0.01


def plain_stretch(body: bytes) -> bool:
    """Whether content read as UTF-16 holds a stretch of plain single-byte text."""
    return _PLAIN in body.translate(SHAPES)


def _runs(shape: bytes) -> list[tuple[int, int, str]]:
    """(start, end, codec) of each UTF-16 run, in order."""
    little = [(m.start(), m.end(), "utf-16-le") for m in _LE_RUN.finditer(shape)]
    runs: list[tuple[int, int, str]] = []
    pos = 0
    for start, end, name in [*little, (len(shape), len(shape), "")]:
        runs += [(m.start(), m.end(), "utf-16-be") for m in _BE_RUN.finditer(shape, pos, start)]
        if name:
            runs.append((start, end, name))
        pos = end
    return runs


def _utf8_text(part: bytes) -> bool:
    try:
        text = part.decode("utf-8")
    except UnicodeDecodeError:
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls <= RARE_CONTROLS * len(text)


def _rest(part: bytes, wide: str | None) -> bytes:
    if wide is None or not part or _utf8_text(part):
        return part
    part = part[:len(part) - len(part) % 2]
    return part.decode(wide, "replace").encode("utf-8", "surrogatepass")


def mixed_text(data: bytes, wide: str | None = None) -> bytes:
    """`data` with its UTF-16 runs decoded to UTF-8; `wide`: the UTF-16 codec the file was
    taken to be in, which reads the stretches between runs that are not UTF-8 text."""
    if b"\0" not in data:
        return data
    out = bytearray()
    pos = 0
    for start, end, name in _runs(data.translate(SHAPES)):
        out += _rest(data[pos:start], wide)
        out += data[start:end].decode(name, "replace").encode("utf-8", "surrogatepass")
        pos = end
    out += _rest(data[pos:], wide)
    return bytes(out)
