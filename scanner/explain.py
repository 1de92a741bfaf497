"""`sealguard explain RULE`: a rule's documentation, examples and remedy (secrets redacted)."""

from __future__ import annotations

from scanner.config import Config
from scanner.engine.rules import Rule
from scanner.errors import SealguardError
from scanner.findings import redact


def _redact_example(rule: Rule, text: str) -> str:
    out = text
    for m in rule.compiled.finditer(text.encode("utf-8")):
        secret = m.group(1).decode("utf-8", "replace")
        if secret:
            out = out.replace(secret, redact(secret))
    return out


def explain(rule_id: str, config: Config) -> str:
    from scanner.pipeline import active_rules

    rules = {r.id: r for r in active_rules(config)}
    rule = rules.get(rule_id)
    if rule is None:
        from scanner.policy.catalog import describe_policy

        text = describe_policy(rule_id)
        if text:
            return text
        raise SealguardError(f"unknown rule '{rule_id}' (see `sealguard rules list`)")
    lines = [f"{rule.id}: {rule.name}", f"  severity: {rule.severity}   family: {rule.family}",
             f"  keywords: {', '.join(rule.keywords)}", f"  format:   {rule.reference}",
             f"  remedy:   {rule.remedy}"]
    if rule.notes:
        lines.append(f"  notes:    {rule.notes}")
    lines.append("  found in (secrets redacted):")
    lines += [f"    + {_redact_example(rule, e)}" for e in rule.examples]
    lines.append("  not found in:")
    lines += [f"    - {_redact_example(rule, e)}" for e in rule.negative_examples]
    return "\n".join(lines)
