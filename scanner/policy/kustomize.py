"""Kustomize secretGenerator with literals or plaintext env/files sources."""

from __future__ import annotations

from scanner.policy.context import Checker
from scanner.policy.values import is_placeholder, looks_random, secret_like_key, url_password
from scanner.policy.yamlnodes import Map, Scalar, Seq

RULE = "kustomize-secret-generator-literal"
_PUBLIC_SUFFIXES = (".crt", ".cert", ".pub", ".enc", ".age", ".gpg", ".asc", ".sops")


def _literal(c: Checker, name: str, item: Scalar) -> None:
    key, sep, value = item.value.partition("=")
    value = value.strip().strip("'\"")
    if not sep or not value or is_placeholder(value):
        return
    if not (secret_like_key(key) or url_password(value) or looks_random(value, min_len=12)):
        return  # LOG_LEVEL=debug, SMTP_HOST=...: configuration riding along, not a secret
    c.report(RULE, item, value,
             f"secretGenerator '{name}' literal '{key.strip()}' is plaintext in Git: replace the "
             "generator with a SealedSecret (kubeseal) or ExternalSecret listed under resources, "
             "and rotate the value.")


def _source_file(c: Checker, name: str, item: Scalar, field: str) -> None:
    path = item.value.partition("=")[2] or item.value
    lowered = path.lower()
    if is_placeholder(path) or lowered.endswith(_PUBLIC_SUFFIXES) or ".enc." in lowered \
            or "sops" in lowered:
        return
    c.report(RULE, item, f"{field}:{path}",
             f"secretGenerator '{name}' builds a Secret from '{path}' ({field}), a plaintext "
             "file that must be committed for GitOps to build it: use a SealedSecret or "
             "ExternalSecret, or encrypt the file with SOPS (ksops).", severity="medium")


def _items(entry: Map, field: str) -> list[Scalar]:
    node = entry.get(field)
    if isinstance(node, Scalar) and node.value:
        return [node]
    if isinstance(node, Seq):
        return [item for item in node.items if isinstance(item, Scalar)]
    return []


def check_kustomization(root: Map, c: Checker) -> None:
    generators = root.seq("secretGenerator")
    if generators is None or not c.gitops_path:
        return
    for entry in generators.maps():
        name = entry.text("name") or "?"
        for item in _items(entry, "literals"):
            _literal(c, name, item)
        for field in ("envs", "env", "files"):
            for item in _items(entry, field):
                _source_file(c, name, item, field)
