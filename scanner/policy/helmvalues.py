"""Credentials in Helm values: values files, Flux HelmRelease and Argo CD inline values."""

from __future__ import annotations

from scanner.policy.context import Checker
from scanner.policy.embedded import inner_pair_secret, inner_pairs
from scanner.policy.values import (
    is_benign,
    is_placeholder,
    is_sops_encrypted,
    is_weak,
    literal_secret,
    looks_reference,
    secret_like_key,
    url_password,
)
from scanner.policy.yamlnodes import Map, Node, Scalar, Seq

REMEDY_HINT = ("set the chart's existingSecret (or similar) to a Secret created by a SealedSecret "
               "or ExternalSecret, leave this value empty, and rotate it")


def _secret(key: str, value: Node | None) -> str | None:
    if not isinstance(value, Scalar) or not value.is_str:
        return None
    if literal_secret(key, value.value):
        return value.value
    return url_password(value.value)


def walk_values(node: Node, c: Checker, rule_id: str, where: str, depth: int = 0,
                defaults: bool = False) -> None:
    """Report credential-named keys with literal values anywhere in a values tree. With
    `defaults` (a values file: maybe a chart's own defaults, meant to be overridden) a weak
    value is low; in a HelmRelease or an Application it is deployed as is."""
    if depth > 60:
        return
    if isinstance(node, Seq):
        for item in node.items:
            walk_values(item, c, rule_id, where, depth + 1, defaults)
        return
    if not isinstance(node, Map):
        return
    if node.text("apiVersion") and node.text("kind"):
        from scanner.policy.run import check_resource

        check_resource(node, node.text("kind") or "", c)  # extraObjects: a manifest, rendered
        return
    name, value = node.text("name"), node.get("value")
    if name and isinstance(value, Scalar):  # env-style {name, value} pairs and parameters
        _report(c, rule_id, where, name, value, _secret(name, value), defaults)
    for key, child in node.items:
        if isinstance(child, Scalar):
            if key.value not in ("name", "value"):
                _scalar(c, rule_id, where, key.value, child, defaults)
        else:
            walk_values(child, c, rule_id, where, depth + 1, defaults)


def _scalar(c: Checker, rule_id: str, where: str, key: str, value: Scalar,
            defaults: bool) -> None:
    """One value; an embedded config file (`config: |` holding ini, toml, yaml, properties
    or json) is judged line by line, as the same lines are judged anywhere else."""
    secret = _secret(key, value)
    if secret or "\n" not in value.value.strip():
        _report(c, rule_id, where, key, value, secret, defaults)
        return
    for inner_key, inner_value, line in inner_pairs(value):
        found = inner_pair_secret(inner_key, inner_value)
        if found:
            _report(c, rule_id, f"{where} ('{key}')", inner_key,
                    Scalar(found, line, value.column), found, defaults)


def _report(c: Checker, rule_id: str, where: str, key: str, at: Scalar, secret: str | None,
            defaults: bool) -> None:
    if not secret:
        return
    weak = is_weak(secret) and defaults
    kind = "a weak default credential" if weak else (
        "a weak literal credential" if is_weak(secret) else "a literal credential")
    c.report(rule_id, at, secret, f"{where} sets '{key}' to {kind}: {REMEDY_HINT}.",
             severity="low" if weak else None)


def check_values_file(root: Node, c: Checker) -> None:
    if not c.gitops_path:
        return
    sops = root.get("sops") if isinstance(root, Map) else None
    if isinstance(sops, Map) and sops.get("mac") is not None:
        _sops_plaintext(root, c)
        return
    walk_values(root, c, "helm-values-secret", "Helm values", defaults=True)


def _sops_plaintext(node: Node, c: Checker, depth: int = 0) -> None:
    """A SOPS-encrypted values file was meant to hide its credentials: one that SOPS left in
    plaintext (its encrypted_regex missed the key) is exposed, whatever its name or strength."""
    if depth > 60:
        return
    children = node.items if isinstance(node, Map) else (
        [(None, item) for item in node.items] if isinstance(node, Seq) else [])
    for key, child in children:
        if depth == 0 and key is not None and key.value == "sops":
            continue
        if not isinstance(child, Scalar):
            _sops_plaintext(child, c, depth + 1)
        elif key is not None and child.is_str and _unencrypted(key.value, child.value):
            c.report("helm-values-secret", child, child.value,
                     f"SOPS values file leaves '{key.value}' unencrypted (encrypted_regex or "
                     "unencrypted_suffix does not cover it): encrypt it (sops updatekeys / "
                     "sops -e) and rotate it.")


def _unencrypted(key: str, value: str) -> bool:
    v = value.strip()
    return (secret_like_key(key) and bool(v) and not is_sops_encrypted(v)
            and not is_placeholder(v) and not is_benign(v) and not looks_reference(v))


def check_helmrelease(res: Map, c: Checker) -> None:
    values = res.path("spec", "values")
    if values is not None and c.gitops_path:
        name = (res.path("metadata", "name") or Scalar("?", 0, 0))
        label = name.value if isinstance(name, Scalar) else "?"
        walk_values(values, c, "helm-values-secret", f"HelmRelease '{label}' values")
