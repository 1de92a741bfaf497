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
    problems = redos_problems([good, bad], budget=1.5)
    assert len(problems) == 1 and problems[0].startswith("nested-quantifier:")
