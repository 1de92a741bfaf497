"""Path globs with `**` (any number of directories), matched against POSIX blob paths."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache


def _translate(pattern: str) -> str:
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = pattern.find("]", i + 2)
            if end < 0:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1 : end].replace("\\", "\\\\")
                out.append(f"[^{body[1:]}]" if body.startswith("!") else f"[{body}]")
                i = end
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


@lru_cache(maxsize=256)
def compile_glob(pattern: str) -> re.Pattern[str]:
    """A pattern without '/' matches a name at any depth; a matched directory covers its tree."""
    pattern = pattern.strip().removeprefix("./").lstrip("/")
    if pattern.endswith("/"):
        pattern += "**"
    if "/" not in pattern and pattern != "**":
        pattern = "**/" + pattern
    return re.compile(rf"(?:{_translate(pattern)})(?:/.*)?", re.DOTALL)


def path_matches(path: str, patterns: Sequence[str]) -> bool:
    path = path.removeprefix("./")
    return any(compile_glob(p).fullmatch(path) for p in patterns)
