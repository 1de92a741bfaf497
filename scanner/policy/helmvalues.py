"""Credentials in Helm values: values files, Flux HelmRelease and Argo CD inline values."""

from __future__ import annotations

from scanner.policy.context import Checker
from scanner.policy.embedded import inner_pair_secret, inner_pairs
from scanner.policy.values import is_weak, literal_secret, url_password
from scanner.policy.yamlnodes import Map, Node, Scalar, Seq

REMEDY_HINT = ("set the chart's existingSecret (or similar) to a Secret created by a SealedSecret "
               "or ExternalSecret, leave this value empty, and rotate it")


def _secret(key: str, value: Node | None) -> str | None:
    if not isinstance(value, Scalar) or not value.is_str:
        return None
    if literal_secret(key, value.value):
        return value.value
    return url_password(value.value)


def walk_values(node: Node, c: Checker, rule_id: str, where: str, depth: int = 0) -> None:
    """Report credential-named keys with literal values anywhere in a values tree."""
    if depth > 60:
        return
    if isinstance(node, Seq):
        for item in node.items:
            walk_values(item, c, rule_id, where, depth + 1)
        return
    if not isinstance(node, Map):
        return
    if node.text("apiVersion") and node.text("kind"):
        from scanner.policy.run import check_resource

        check_resource(node, node.text("kind") or "", c)  # extraObjects: a manifest, rendered
        return
    name, value = node.text("name"), node.get("value")
    if name and isinstance(value, Scalar):  # env-style {name, value} pairs and parameters
        _report(c, rule_id, where, name, value, _secret(name, value))
    for key, child in node.items:
        if isinstance(child, Scalar):
            if key.value not in ("name", "value"):
                _scalar(c, rule_id, where, key.value, child)
        else:
            walk_values(child, c, rule_id, where, depth + 1)


def _scalar(c: Checker, rule_id: str, where: str, key: str, value: Scalar) -> None:
    """One value; an embedded config file (`config: |` holding ini, toml, yaml, properties
    or json) is judged line by line, as the same lines are judged anywhere else."""
    secret = _secret(key, value)
    if secret or "\n" not in value.value.strip():
        _report(c, rule_id, where, key, value, secret)
        return
    for inner_key, inner_value, line in inner_pairs(value):
        found = inner_pair_secret(inner_key, inner_value)
        if found:
            _report(c, rule_id, f"{where} ('{key}')", inner_key,
                    Scalar(found, line, value.column), found)


def _report(c: Checker, rule_id: str, where: str, key: str, at: Scalar, secret: str | None) -> None:
    if not secret:
        return
    weak = is_weak(secret)
    kind = "a weak default credential" if weak else "a literal credential"
    c.report(rule_id, at, secret, f"{where} sets '{key}' to {kind}: {REMEDY_HINT}.",
             severity="low" if weak else None)


def check_values_file(root: Node, c: Checker) -> None:
    if c.gitops_path:
        walk_values(root, c, "helm-values-secret", "Helm values")


def check_helmrelease(res: Map, c: Checker) -> None:
    values = res.path("spec", "values")
    if values is not None and c.gitops_path:
        name = (res.path("metadata", "name") or Scalar("?", 0, 0))
        label = name.value if isinstance(name, Scalar) else "?"
        walk_values(values, c, "helm-values-secret", f"HelmRelease '{label}' values")
