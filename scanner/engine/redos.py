"""A bounded check that no rule backtracks catastrophically on adversarial input.

Python's `re` cannot be interrupted, so each rule runs in a worker process against inputs
shaped like the places secrets hide (deep YAML indentation, long runs, escaped quotes); a rule
that does not finish within the budget is reported. `rules check` runs it on every pack and on
a team's custom rules, so a bad regex is caught before it can hang a commit hook.
"""

from __future__ import annotations

import contextlib
import functools
import re
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

from scanner.engine.rules import Rule

if sys.version_info >= (3, 11):
    from re import _constants as _c
    from re import _parser as _p
else:  # pragma: no cover - Python 3.10
    import sre_constants as _c
    import sre_parse as _p

_RULES: Sequence[Rule] = ()


def adversarial_inputs(rule: Rule) -> Iterator[bytes]:
    indent = " " * 60
    lines = (indent + "a\n") * 25
    for keyword in rule.keywords[:3]:
        yield f"{keyword}:\n{(indent + 'x' + chr(10)) * 30}{indent}y".encode()
        yield f"users:\n{(indent + keyword + chr(10)) * 25}  user:\n{lines}".encode()
        yield (keyword + " " * 3000 + "=").encode()
        yield (keyword + "=" + "a" * 5000 + "!").encode()
        yield (keyword + "a" * 5000 + "!").encode()
        yield (keyword + ":" + ("\n" + indent) * 40).encode()
        yield (keyword + '"' + '\\"' * 2000).encode()
        yield (keyword + "://" + "a:" * 2000 + "@").encode()


def _exercise(index: int) -> float:
    """The CPU seconds rule `index` spends on its adversarial inputs."""
    rule = _RULES[index]
    started = time.process_time()
    for data in adversarial_inputs(rule):
        for _ in rule.compiled.finditer(data):
            pass
    return time.process_time() - started


# The budget is CPU time, measured in the worker, so a loaded machine does not fail a sound
# rule; wall time only bounds a rule that never finishes (WALL_FACTOR times the budget).
WALL_FACTOR = 20


def redos_problems(rules: Sequence[Rule], budget: float = 3.0,
                   wall_factor: float = WALL_FACTOR) -> list[str]:
    import multiprocessing  # here, not at the top: scans import this module (a hook too)

    global _RULES
    _RULES = rules
    methods = multiprocessing.get_all_start_methods()
    if "fork" not in methods:  # the check needs the rules in the workers' memory
        return []
    slow: set[int] = set()
    remaining = list(range(len(rules)))
    while remaining:
        # A rule that never finishes holds its worker: the pool is replaced, and the rules
        # still waiting run again in a fresh one, so none is blamed for another's hang.
        pool = multiprocessing.get_context("fork").Pool(2)
        try:
            pending = [(i, pool.apply_async(_exercise, (i,))) for i in remaining]
            remaining = []
            for n, (index, result) in enumerate(pending):
                try:
                    spent = result.get(timeout=budget * wall_factor)
                except multiprocessing.TimeoutError:
                    slow.add(index)
                    for later, other in pending[n + 1 :]:
                        if other.ready() and other.successful():
                            if other.get() > budget:
                                slow.add(later)
                        else:
                            remaining.append(later)
                    break
                if spent > budget:
                    slow.add(index)
        finally:
            pool.terminate()
    return [f"{rules[i].id}: regex takes over {budget:.0f}s on adversarial input "
            "(catastrophic backtracking?)" for i in sorted(slow)]


# -- limits on user-supplied patterns (custom rules, allowlist regexes) -----------------------
#
# A configuration is data a pull request can edit, so its regexes are bounded twice:
# 1. at load time, `pattern_problem` refuses what can backtrack without end (a repeat of
#    something that itself repeats without bound, `(a+)+`, `(?:a*)*`, `(a|ab)*c`-style nested
#    unbounded repeats) and oversized patterns;
# 2. at scan time every match of a user pattern runs under a timer (`time_limit`): CPython's
#    `re` checks for signals while it backtracks, so SIGALRM stops it. A custom rule that
#    runs out of time becomes a finding (`rule-timeout`, high: the file was not fully
#    scanned by it); an allowlist regex that does allows nothing.

MAX_PATTERN = 4096
USER_PATTERN_SECONDS = 1.0


class PatternTimeout(Exception):
    """A user-supplied pattern ran out of its time."""


def _unbounded(op: Any, arg: Any) -> bool:

    repeats = (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None))
    return op in repeats and arg[1] == _c.MAXREPEAT


def _repeat_ops() -> tuple[Any, ...]:

    return (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None))


def _min_width(items: Any) -> int:

    return int(_p.SubPattern(_p.State(), items).getwidth()[0])


def _ambiguous(items: Any) -> bool:
    """Whether a repeated body can split the same text in many ways: it holds an unbounded
    repeat and everything beside it may match nothing (`(a+)+`, `(\\w+\\s?)*`)."""

    for j, (op, arg) in enumerate(items):
        rest = items[:j] + items[j + 1:]
        if rest and _min_width(rest) > 0:
            continue
        if op in _repeat_ops() and (_unbounded(op, arg) or _ambiguous(list(arg[2]))):
            return True
        if op is _c.SUBPATTERN and _ambiguous(list(arg[-1])):
            return True
        if op is _c.BRANCH and any(_ambiguous(list(b)) for b in arg[1]):
            return True
    return False


def _nested(items: Any, inside: bool = False) -> bool:
    """Whether some unbounded repeat has an ambiguous body."""
    for op, arg in _walk_ops(items):
        if op in _repeat_ops() and _unbounded(op, arg) and _ambiguous(list(arg[2])):
            return True
    return False


def pattern_problem(pattern: str) -> str | None:
    """Why a user-supplied regex is refused, or None."""

    if len(pattern) > MAX_PATTERN:
        return f"longer than {MAX_PATTERN} characters"
    try:
        parsed = _p.parse(pattern)
    except Exception as exc:  # re.error, RecursionError, OverflowError on hostile input
        return f"does not compile: {exc}"
    if any(op is _c.GROUPREF or op is _c.GROUPREF_EXISTS for op, _ in _walk_ops(parsed)):
        return "uses a backreference (matching time cannot be bounded)"
    if _nested(parsed):
        return ("nests an unbounded repeat inside another (like `(a+)+`): it can backtrack "
                "catastrophically; bound the inner or outer repeat, e.g. {1,64}")
    return None


def _walk_ops(items: Any) -> Iterator[tuple[Any, Any]]:

    stack = [items]
    while stack:
        for op, arg in stack.pop():
            yield op, arg
            if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
                stack.append(arg[2])
            elif op is _c.SUBPATTERN:
                stack.append(arg[-1])
            elif op is _c.BRANCH:
                stack.extend(arg[1])
            elif op in (_c.ASSERT, _c.ASSERT_NOT):
                stack.append(arg[1])
            elif op is getattr(_c, "ATOMIC_GROUP", None):
                stack.append(arg)


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise PatternTimeout in the block after `seconds` (main thread only: elsewhere the
    load-time check is the only bound)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal,
                                                                               "setitimer"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise PatternTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return None


def guarded_search(pattern: str, text: str) -> bool:
    """re.search with a time limit; False when it runs out (or the pattern is invalid)."""
    compiled = _compiled(pattern)
    if compiled is None:
        return False
    try:
        with time_limit(USER_PATTERN_SECONDS):
            return compiled.search(text) is not None
    except PatternTimeout:
        return False
