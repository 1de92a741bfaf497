"""Path globs with `**` (any number of directories), matched against POSIX blob paths.

`gitops.paths` and `allowlist.paths` come from a configuration a pull request can edit, so
matching must stay cheap whatever the pattern: a glob compiles to a small automaton that
reads the path once, keeping the set of pattern positions still alive (time linear in the
path, times the pattern's length; no backtracking, so `**x**x**x…y` cannot hang). Patterns
are validated when the configuration loads (`glob_problem`).

- `*` any run within one name, `?` one character but `/`, `[abc]` `[a-z]` `[!a-z]` a set;
- `**` any run, `/` included; `**/` zero or more whole folders;
- a pattern without `/` matches a name at any depth; a matched folder covers its tree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

MAX_GLOB = 4096

# Token kinds
LIT, ONE, STAR, DSTAR, DIRS, SET = range(6)


@dataclass(frozen=True)
class Token:
    kind: int
    text: str = ""  # LIT: the character; SET: the set body without brackets
    negate: bool = False

    def accepts(self, ch: str) -> bool:
        if self.kind == LIT:
            return ch == self.text
        if self.kind == ONE:
            return ch != "/"
        if self.kind == SET:
            return ch != "/" and _in_set(self.text, ch) != self.negate
        return False


def _in_set(body: str, ch: str) -> bool:
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            if body[i] <= ch <= body[i + 2]:
                return True
            i += 3
        else:
            if body[i] == ch:
                return True
            i += 1
    return False


def _set_end(pattern: str, i: int) -> int:
    """Index of the `]` closing the set opened at `i`, or -1 (then `[` is a literal)."""
    j = i + 1
    if j < len(pattern) and pattern[j] == "!":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1  # a leading `]` is a member
    return pattern.find("]", j)


def tokenize(pattern: str) -> list[Token]:
    out: list[Token] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append(Token(DIRS))
            i += 3
        elif pattern.startswith("**", i):
            out.append(Token(DSTAR))
            i += 2
        elif pattern[i] in "*?":
            out.append(Token(STAR if pattern[i] == "*" else ONE))
            i += 1
        elif pattern[i] == "[" and _set_end(pattern, i) > 0:
            end = _set_end(pattern, i)
            body = pattern[i + 1:end]
            negate = body.startswith("!")
            out.append(Token(SET, body[1:] if negate else body, negate))
            i = end + 1
        else:
            out.append(Token(LIT, pattern[i]))
            i += 1
    return out


def normalise(pattern: str) -> str:
    pattern = pattern.strip().removeprefix("./").lstrip("/")
    if pattern.endswith("/"):
        pattern += "**"
    if "/" not in pattern and pattern != "**":
        pattern = "**/" + pattern
    return pattern


def glob_problem(pattern: str) -> str | None:
    """Why a configured glob is unusable, or None."""
    if not pattern.strip():
        return "is empty"
    if len(pattern) > MAX_GLOB:
        return f"is longer than {MAX_GLOB} characters"
    for token in tokenize(pattern):
        body = token.text if token.kind == SET else ""
        for i in range(len(body) - 2):
            if body[i + 1] == "-" and body[i] > body[i + 2]:
                return f"has an empty range '{body[i:i + 3]}' in '[{body}]'"
    return None


# NFA states are (token index, inside a `**/` folder name); index len(tokens) is the end.
State = tuple[int, bool]


MAX_FAST_STARS = 2  # with at most this many stars a regex cannot backtrack badly


def _regex(tokens: Sequence[Token]) -> re.Pattern[str]:
    parts = []
    for token in tokens:
        if token.kind == LIT:
            parts.append(re.escape(token.text))
        elif token.kind == SET:
            body = "".join(f"\\{c}" if c in "\\^]-[" and not _is_range(token.text, i) else c
                           for i, c in enumerate(token.text))
            parts.append(f"(?!/)[{'^' if token.negate else ''}{body}]")
        else:
            parts.append({ONE: "[^/]", STAR: "[^/]*", DSTAR: ".*", DIRS: "(?:[^/]*/)*"}[token.kind])
    return re.compile("".join(parts) + "(?:/.*)?", re.DOTALL)


def _is_range(body: str, i: int) -> bool:
    return body[i] == "-" and 0 < i < len(body) - 1


class Glob:
    def __init__(self, pattern: str) -> None:
        self.tokens = tuple(tokenize(normalise(pattern)))
        stars = sum(t.kind in (STAR, DSTAR, DIRS) for t in self.tokens)
        empty = glob_problem(pattern) is not None
        # Few stars: Python's regex engine is faster and cannot blow up; otherwise the
        # automaton below (and a pattern with an empty range matches nothing).
        self.fast = _regex(self.tokens) if stars <= MAX_FAST_STARS and not empty else None

    def _close(self, states: set[State]) -> set[State]:
        """Add what is reachable without reading a character (stars may match nothing)."""
        todo = list(states)
        while todo:
            i, inside = todo.pop()
            if not inside and i < len(self.tokens) and self.tokens[i].kind in (STAR, DSTAR,
                                                                               DIRS):
                nxt = (i + 1, False)
                if nxt not in states:
                    states.add(nxt)
                    todo.append(nxt)
        return states

    def _step(self, states: set[State], ch: str) -> set[State]:
        out: set[State] = set()
        end = len(self.tokens)
        for i, _inside in states:
            if i == end:
                continue
            token = self.tokens[i]
            if token.kind == DIRS:
                if ch == "/":
                    out.add((i, False))
                else:
                    out.add((i, True))
            elif token.kind == DSTAR or (token.kind == STAR and ch != "/"):
                out.add((i, False))
            elif token.accepts(ch):
                out.add((i + 1, False))
        return self._close(out)

    def match(self, path: str) -> bool:
        if self.fast is not None:
            return self.fast.fullmatch(path) is not None
        end = (len(self.tokens), False)
        states = self._close({(0, False)})
        for ch in path:
            if ch == "/" and end in states:
                return True  # a matched folder covers its tree
            states = self._step(states, ch)
            if not states:
                return False
        return end in states


@lru_cache(maxsize=512)
def compile_glob(pattern: str) -> Glob:
    return Glob(pattern)


def path_matches(path: str, patterns: Sequence[str]) -> bool:
    path = path.removeprefix("./")
    return any(compile_glob(p).match(path) for p in patterns)
