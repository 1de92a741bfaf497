"""Documentation of the GitOps policy rules, for `sealguard explain` and SARIF."""

from __future__ import annotations


def describe_policy(rule_id: str) -> str | None:
    return None
