"""Text from a scanned repository is hostile: file names, matched lines, Secret names and
commit authors may hold control characters, terminal escape sequences (`ESC ]0;…BEL` sets a
window title, `ESC [2J` clears the screen), bidi overrides that reorder what a reviewer
sees, newlines that start a fake line, and bytes that are not UTF-8.

- `terminal(text)`: for text output and logs. Every character that is not printable is shown
  as an escape: `\\n`, `\\t`, `\\r`, `\\x1b`, `\\u202e`; an undecodable byte of a file name
  (kept by Python as a lone surrogate) as `\\xff`. A line can therefore never be split, and
  nothing reaches the terminal raw.
- `clean(text)` / `clean_tree(doc)`: for JSON and SARIF. Only undecodable bytes change
  (`\\xff`, the same spelling), so every output is valid UTF-8 JSON; JSON's own escaping
  handles control characters.
"""

from __future__ import annotations

from typing import Any

_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(ch: str) -> str:
    code = ord(ch)
    if ch in _NAMED:
        return _NAMED[ch]
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def terminal(text: str) -> str:
    """`text` with every non-printable character escaped (see the module docstring)."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in text)


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def clean(text: str) -> str:
    """`text` with lone surrogates (undecodable bytes of a name) spelled `\\xNN`."""
    if text.isascii() or not _has_surrogate(text):
        return text
    return "".join(_escape(ch) if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in text)


def clean_tree(value: Any) -> Any:
    """clean() applied to every string of a JSON-like document (iteratively)."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [clean_tree(item) for item in value]
    if isinstance(value, dict):
        return {clean_tree(k): clean_tree(v) for k, v in value.items()}
    return value


def line_safe_path(path: str) -> str:
    """A path for the start of a text line: never `::…`, which GitHub Actions would read as
    a workflow command (`./` names the same file)."""
    shown = terminal(path)
    return f"./{shown}" if shown.startswith(":") else shown
