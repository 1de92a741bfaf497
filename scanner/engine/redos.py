"""A bounded check that no rule backtracks catastrophically on adversarial input.

Python's `re` cannot be interrupted, so each rule runs in a worker process against inputs
shaped like the places secrets hide (deep YAML indentation, long runs, escaped quotes); a rule
that does not finish within the budget is reported. `rules check` runs it on every pack and on
a team's custom rules, so a bad regex is caught before it can hang a commit hook.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence

from scanner.engine.rules import Rule

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


def _exercise(index: int) -> None:
    rule = _RULES[index]
    for data in adversarial_inputs(rule):
        for _ in rule.compiled.finditer(data):
            pass


def redos_problems(rules: Sequence[Rule], budget: float = 3.0) -> list[str]:
    global _RULES
    _RULES = rules
    methods = multiprocessing.get_all_start_methods()
    if "fork" not in methods:  # the check needs the rules in the workers' memory
        return []
    problems: list[str] = []
    pool = multiprocessing.get_context("fork").Pool(2)
    try:
        pending = [(rule, pool.apply_async(_exercise, (i,))) for i, rule in enumerate(rules)]
        for rule, result in pending:
            try:
                result.get(timeout=budget)
            except multiprocessing.TimeoutError:
                problems.append(f"{rule.id}: regex takes over {budget:.0f}s on adversarial "
                                "input (catastrophic backtracking?)")
    finally:
        pool.terminate()
    return problems
