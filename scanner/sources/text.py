"""The read layer's one decision: is this content text, and in which encoding?

Every source (files, the index, commit ranges, history) passes what it read through
`as_text`, so the engine and the policies always see UTF-8 (or the original bytes):

- UTF-32 and UTF-16 with a byte-order mark are decoded and re-encoded as UTF-8; the
  line breaks stay where they were, so line numbers are those of the file.
- UTF-16 without a BOM is recognised when the NULs fall on every other byte of mostly-ASCII
  text and the whole sample decodes (Windows tools write such files).
- Content that goes on in another encoding than its head says (UTF-16 after ASCII, ASCII
  after UTF-16) is read stretch by stretch (mixed.py).
- Anything else with a NUL in its first 8000 bytes is binary (git's own test) unless, NULs
  set aside, it is printable UTF-8: NULs are no way round the guard, however many there are
  or however far they pad the text (its first 8000 bytes that are not NUL are judged).

Binary is no way round the guard either: content that is not text is still scanned, as its
bytes (`decode` says which it is). A key inside a .jar, a .pyc, a sqlite page or a tar is
the same bytes there; runs of UTF-16LE text (Windows resources, .NET string heaps) are
decoded in place. Only the GitOps policy, which needs text, sees nothing to parse in it.
"""

from __future__ import annotations

import codecs
import re

from scanner.sources.mixed import SHAPES, mixed_text, plain_stretch

SNIFF = 8000
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
MIN_BOMLESS = 16  # bytes: shorter samples say too little to call them UTF-16
RARE_CONTROLS = 0.01  # at most this share of other control bytes in printable text
NUL_RUN = 1 << 16  # bytes looked at in one go when setting NULs aside
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13, 0}
# A run of UTF-16LE text in binary content: 8 or more printable units (mixed.SHAPES).
_UTF16LE_RUN = re.compile(rb"a0a0a0a0a0a0a0a0(?:a0)*")  # literal head: a fast search


def bom_encoding(data: bytes) -> str | None:
    for bom, name in BOMS:
        if data.startswith(bom):
            return name
    return None


def _bomless_utf16(sample: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when `sample` is clearly ASCII-range UTF-16."""
    pairs = len(sample) // 2
    if pairs * 2 < MIN_BOMLESS:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    for name, high, low in (("utf-16-le", odd_nul, even_nul), ("utf-16-be", even_nul, odd_nul)):
        if high >= 0.9 * pairs and low == 0 and _decodes(sample[:pairs * 2], name):
            return name
    return None


def _decodes(sample: bytes, name: str) -> bool:
    try:
        text = sample.decode(name)
    except UnicodeDecodeError:
        return False
    return not any(ord(ch) in _CONTROL for ch in text)


def _without_nuls(data: bytes) -> bytes:
    """The first SNIFF bytes of `data` that are not NUL (fewer when it holds fewer)."""
    kept = bytearray()
    for start in range(0, len(data), NUL_RUN):
        kept += data[start:start + NUL_RUN].replace(b"\0", b"")
        if len(kept) >= SNIFF:
            break
    return bytes(kept[:SNIFF])


def _printable_apart_from_nuls(data: bytes) -> bool:
    """Printable UTF-8 text once its NULs are set aside (padded, or sprinkled with NULs)."""
    sample = _without_nuls(data)
    if not sample:
        return False
    if sum(1 for byte in sample if byte in _CONTROL) > RARE_CONTROLS * len(sample):
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(sample) - 4  # a character cut by the end of the sample
    return True


def _bom_text(data: bytes) -> str | None:
    """The BOM's encoding when the content really is in it: a line break or any ASCII
    character in UTF-16/32 holds a NUL byte, and the sample decodes. (Latin-1 text that
    happens to start with ÿþ is not UTF-16.)"""
    found = bom_encoding(data)
    if found is None:
        return None
    unit = 4 if "32" in found else 2
    sample = data[:SNIFF - SNIFF % unit]
    if b"\0" not in sample[unit:]:
        return None
    try:
        sample.decode(found)
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - unit:  # not just a character cut by the sample's end
            return None
    return found


def encoding_of(data: bytes) -> str | None:
    """'utf-8' for plain text, the UTF-16/32 variant, or None for binary."""
    found = _bom_text(data)
    if found:
        return found
    sample = data[:SNIFF]
    if b"\0" not in sample:
        return "utf-8"
    return _bomless_utf16(sample) or ("utf-8" if _printable_apart_from_nuls(data) else None)


_LONE_CR = re.compile(rb"\r(?=[^\n])")


def lone_cr(line: bytes) -> bool:
    """Whether a carriage return ends a line inside `line` (old Mac line endings)."""
    return b"\r" in line and _LONE_CR.search(line) is not None


def _lf(text: bytes) -> bytes:
    """A carriage return alone ends a line (Java properties, Python, YAML and most editors
    read it so): it becomes a line feed, one byte for one, so lines are numbered as there."""
    return _LONE_CR.sub(b"\n", text) if lone_cr(text) else text


def as_text(data: bytes) -> bytes | None:
    """The content as UTF-8 (unchanged when it already is), or None when it is binary."""
    text = _decoded(data)
    return None if text is None else _lf(text)


def _decoded(data: bytes) -> bytes | None:
    name = encoding_of(data)
    if name is None:
        return None
    if name == "utf-8":
        return mixed_text(data)  # UTF-16 further on (unchanged without a NUL)
    body = data[len(codecs.BOM_UTF32_LE if "32" in name else codecs.BOM_UTF16_LE):] \
        if bom_encoding(data) == name else data
    unit = 4 if "32" in name else 2
    if unit == 2 and plain_stretch(body):  # plain text further on: read stretch by stretch
        return mixed_text(body, name)
    body = body[:len(body) - len(body) % unit]
    return body.decode(name, "replace").encode("utf-8", "surrogatepass")


def binary_view(data: bytes) -> bytes:
    """Binary content as the engine reads it: its bytes, with each run of UTF-16LE text
    turned into its ASCII characters followed by as many NULs, so no offset or line moves."""
    if b"\0" not in data:
        return data
    out: bytearray | None = None
    for run in _UTF16LE_RUN.finditer(data.translate(SHAPES)):
        start, end = run.span()
        out = bytearray(data) if out is None else out
        out[start:end] = data[start:end:2] + bytes((end - start) // 2)
    return data if out is None else bytes(out)


def decode(data: bytes) -> tuple[bytes, bool]:
    """(what to scan, whether it is binary): text as UTF-8, anything else as its bytes."""
    text = as_text(data)
    return (text, False) if text is not None else (binary_view(data), True)
