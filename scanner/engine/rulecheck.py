"""`sealguard rules check`: the one validation the CLI and the test-suite share."""

from __future__ import annotations

from collections.abc import Sequence

from scanner.engine.matcher import BACKENDS, hyperscan_available
from scanner.engine.rules import Rule, compile_check
from scanner.engine.scan import Engine, confirm
from scanner.errors import RuleError

MIN_EXAMPLES = 2  # built-in packs: the project's bar for every rule it ships
MIN_CUSTOM_EXAMPLES = 1  # a configuration's rules.custom: what `scan` demands too


def example_counts(rule: Rule) -> list[str]:
    """Too few examples: the same demand at load time (`scan`) and in `rules check`."""
    need = MIN_CUSTOM_EXAMPLES if "rules.custom" in rule.source else MIN_EXAMPLES
    problems: list[str] = []
    for key, items in (("examples", rule.examples), ("negative_examples",
                                                     rule.negative_examples)):
        if len(items) < need:
            problems.append(f"{rule.id}: needs at least {need} {key} (has {len(items)})")
    return problems


def rule_finds(engine: Engine, rule: Rule, text: str, validated: bool = True) -> bool:
    data = text.encode("utf-8")
    return (rule in engine.candidate_rules(data)
            and any(True for _ in confirm(rule, data, validated=validated)))


def _validator_problems(rule: Rule) -> list[str]:
    """A rule with `validate:` shows its check at work: every candidate in its examples
    passes it, and at least one negative example is dropped by it alone."""
    from scanner.engine import validators

    problems: list[str] = []
    for i, text in enumerate(rule.examples):
        for match in confirm(rule, text.encode("utf-8"), validated=False):
            if validators.check(rule.validate, match.secret) == validators.FAIL:
                problems.append(f"{rule.id}: example #{i + 1} fails its validator "
                                f"'{rule.validate}'")
    caught = [text for text in rule.negative_examples
              if any(True for _ in confirm(rule, text.encode("utf-8"), validated=False))]
    if not caught:
        problems.append(f"{rule.id}: needs a negative example that only its validator "
                        f"'{rule.validate}' rejects")
    return problems


def _check_one(engine: Engine, rule: Rule) -> list[str]:
    problems: list[str] = []
    problems.extend(example_counts(rule))
    for i, text in enumerate(rule.examples):
        if not rule_finds(engine, rule, text):
            problems.append(f"{rule.id}: example #{i + 1} is not found [{engine.backend}]")
    for i, text in enumerate(rule.negative_examples):
        if rule_finds(engine, rule, text):
            problems.append(f"{rule.id}: negative example #{i + 1} is found [{engine.backend}]")
    if rule.validate:
        problems.extend(_validator_problems(rule))
    return problems


def available_backends() -> list[str]:
    return [b for b in BACKENDS if b != "hyperscan" or hyperscan_available()]


def compile_problems(rules: Sequence[Rule]) -> list[str]:
    problems: list[str] = []
    for rule in rules:
        try:
            compile_check(rule, rule.source)
        except RuleError as exc:
            problems.append(str(exc))
    return problems


def check_rules(rules: Sequence[Rule], backends: Sequence[str] | None = None) -> list[str]:
    """Every problem in the pack, in every available back-end (empty list = all good)."""
    problems = compile_problems(rules)
    if problems:
        return problems
    from scanner.engine.crossline import crossline_problems
    from scanner.engine.redos import redos_problems

    problems.extend(redos_problems(rules))
    problems.extend(crossline_problems(rules))
    for backend in backends or available_backends():
        engine = Engine(rules, backend)  # the whole pack compiles together
        for rule in rules:
            problems.extend(p for p in _check_one(engine, rule) if p not in problems)
    return problems
