"""External Secrets Operator checks: ExternalSecret shape, inline store credentials."""

from __future__ import annotations

import re
from collections.abc import Iterator

from scanner.policy.context import Checker
from scanner.policy.kubernetes import resource_name
from scanner.policy.values import is_placeholder, literal_secret
from scanner.policy.yamlnodes import Map, Node, Scalar, Seq

RULE = "externalsecret-invalid"


# A broken shape exposes nothing: the secret fails to sync, which the cluster reports. Shown,
# not blocking; an inline store credential (check_store) is a leak and blocks.
SHAPE = "low"


def _at(node: Map | Seq, key: str | None = None) -> Scalar | tuple[int, int]:
    found = node.key_node(key) if key and isinstance(node, Map) else None
    return found or (node.line, node.column)


def _has_source_ref(entries: Seq | None) -> bool:
    return entries is not None and bool(entries.items) and all(
        e.get("sourceRef") is not None for e in entries.maps())


_ELISION = re.compile(rb"(?m)(?:^|:)[ \t]*#[ \t]*(?:\.\.\.|\xe2\x80\xa6)[ \t]*\r?$")


def elided(c: Checker) -> bool:
    """A documentation fragment (`spec:  # ...`, a line `# ...`): fields left out on purpose,
    so a missing one is not a broken resource."""
    return bool(_ELISION.search(c.blob.data))


def check_external_spec(spec: Map | None, at: Scalar | tuple[int, int], name: str, label: str,
                        c: Checker) -> None:
    """`at`: the `spec:` (or `externalSecretSpec:`) key, where a missing store is reported."""
    if elided(c):
        return
    if spec is None:
        c.report(RULE, at, f"{label}/{name}/spec",
                 f"{label} '{name}' has no spec: add secretStoreRef and data.", severity=SHAPE)
        return
    data, data_from = spec.seq("data"), spec.seq("dataFrom")
    needs_store = bool(data and data.items) or bool(data_from and data_from.items)
    if needs_store and spec.get("secretStoreRef") is None and not (
            _has_source_ref(data) or _has_source_ref(data_from)):
        c.report(RULE, at, f"{label}/{name}/secretStoreRef",
                 f"{label} '{name}' has no secretStoreRef: add "
                 "secretStoreRef: {name: <store>, kind: SecretStore|ClusterSecretStore}.",
                 severity=SHAPE)
    for entry in data.maps() if data else ():
        remote = entry.map("remoteRef")
        key = remote.text("key") if remote else None
        if entry.get("sourceRef") is not None and remote is None:
            continue
        if not key:
            c.report(RULE, (entry.line, entry.column),
                     f"{label}/{name}/data/{entry.text('secretKey')}",
                     f"{label} '{name}' data entry '{entry.text('secretKey') or '?'}' has no "
                     "remoteRef.key: name the key to read from the store.", severity=SHAPE)


def _provider_scalars(node: Node, key: str = "", depth: int = 0) -> Iterator[tuple[str, Scalar]]:
    if depth > 30:
        return
    if isinstance(node, Map):
        for k, v in node.items:
            if not k.value.endswith(("Ref", "SecretRef", "Refs")):
                yield from _provider_scalars(v, k.value, depth + 1)
    elif isinstance(node, Seq):
        for item in node.items:
            yield from _provider_scalars(item, key, depth + 1)
    elif isinstance(node, Scalar):
        yield key, node


def check_store(res: Map, c: Checker) -> None:
    provider = res.path("spec", "provider")
    if provider is None:
        return
    for key, value in _provider_scalars(provider):
        if not (value.is_str and literal_secret(key, value.value)) and not (
                c.engine_names(value.value) and not is_placeholder(value.value)):
            continue
        c.report(RULE, value, value.value,
                 f"{res.text('kind')} '{resource_name(res)}' has an inline credential in "
                 f"provider '{key}': reference a Secret with a *SecretRef (or use workload "
                 "identity) and rotate the value.", severity="high")


ESO_GROUP = "external-secrets.io/"


def check_external(res: Map, kind: str, c: Checker) -> None:
    if kind in ("SecretStore", "ClusterSecretStore"):
        check_store(res, c)  # an inline credential is one whatever the schema
    elif not (res.text("apiVersion") or "").startswith(ESO_GROUP):
        # Same kind, another schema (kubernetes-client.io/v1 `backendType`, a template
        # snippet without apiVersion): its shape is not ours to judge.
        return
    elif kind == "ExternalSecret":
        at = res.key_node("spec") or _at(res, "kind")
        check_external_spec(res.map("spec"), at, resource_name(res), kind, c)
    elif kind == "ClusterExternalSecret":
        spec = res.map("spec")
        inner = spec.map("externalSecretSpec") if spec else None
        at = (spec.key_node("externalSecretSpec") if spec else None) or _at(res, "kind")
        check_external_spec(inner, at, resource_name(res), kind, c)
