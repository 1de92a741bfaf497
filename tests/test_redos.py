"""`rules check` catches a regex that backtracks catastrophically (it would hang a hook)."""

from __future__ import annotations

from scanner.engine.redos import redos_problems
from scanner.engine.rules import parse_rule

BAD = {
    "id": "nested-quantifier", "name": "bad", "family": "saas", "severity": "low",
    "keywords": ["key="], "regex": r"key=((?:a+)+)b", "reference": "test",
    "examples": ["key=aab", "key=ab"], "negative_examples": ["key=", "nokey"],
}
GOOD = {**BAD, "id": "linear", "regex": r"key=(a+)b"}


def test_catastrophic_regex_is_reported() -> None:
    bad, good = parse_rule(BAD, "test"), parse_rule(GOOD, "test")
    problems = redos_problems([good, bad], budget=1.5, wall_factor=3)
    assert len(problems) == 1 and problems[0].startswith("nested-quantifier:")


def test_budget_is_cpu_time_not_a_loaded_machines_wall_time() -> None:
    """A rule that finishes within budget CPU seconds passes however long it waited (here: both
    workers first held by rules that never finish), and no rule is blamed for another's hang."""
    bad, good = parse_rule(BAD, "test"), parse_rule(GOOD, "test")
    problems = redos_problems([bad, bad, good], budget=1.0, wall_factor=2)
    assert [p.split(":")[0] for p in problems] == ["nested-quantifier", "nested-quantifier"]
