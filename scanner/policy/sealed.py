"""SealedSecret checks: values that cannot be kubeseal output, cluster-wide scope."""

from __future__ import annotations

from scanner.policy.context import Checker
from scanner.policy.kubernetes import decode_b64, resource_name
from scanner.policy.values import is_placeholder, is_templated
from scanner.policy.yamlnodes import Map, Scalar

CLUSTER_WIDE = "sealedsecrets.bitnami.com/cluster-wide"
# kubeseal output: 2-byte length, RSA-OAEP wrapped session key (>= 256 bytes), AES-GCM data + tag
MIN_DECODED = 64  # far below real output (>= 2 + 256 + 16); shorter cannot hide a session key


def _readable(data: bytes) -> bool:
    sample = data[:512]
    printable = sum(32 <= b < 127 or b in (9, 10, 13) for b in sample)
    return printable >= 0.95 * len(sample)


def _decode_unpadded(value: str) -> bytes | None:
    """Values trimmed by hand lose their length alignment; the alphabet still tells."""
    text = "".join(value.split()).rstrip("=")
    text = text[: len(text) - 1] if len(text) % 4 == 1 else text
    return decode_b64(text + "=" * (-len(text) % 4))


def why_not_sealed(value: str) -> str | None:
    """The reason a value cannot be kubeseal output, or None when it can."""
    decoded = decode_b64(value) or _decode_unpadded(value)
    if decoded is None:
        return "is not base64"
    if _readable(decoded):
        return "decodes to readable text"
    if len(decoded) < MIN_DECODED:
        return f"is too short for kubeseal output ({len(decoded)} bytes decoded)"
    # Binary and long enough: encrypted, even when its length prefix does not add up (values
    # trimmed in docs or by hand). The risk this policy exists for is readable plaintext.
    return None


def _skippable(value: str) -> bool:
    v = value.strip()
    return not v or is_templated(v) or "..." in v or "…" in v or v.isupper() or _sample(v)


def _sample(value: str) -> bool:
    """Base64 of a placeholder or a self-declared fake (`dGVzdAo=` is `test`): judged as the
    same text in a Secret's `data` is -- nothing was hidden, nothing real was exposed."""
    decoded = decode_b64(value)
    if decoded is None or not _readable(decoded):
        return False
    return is_placeholder(decoded.decode("ascii", "replace").strip())


def check_sealed(res: Map, c: Checker) -> None:
    name = resource_name(res)
    spec = res.map("spec")
    encrypted = spec.map("encryptedData") if spec else None
    items = list(encrypted.items) if encrypted else []
    if spec is not None and isinstance(spec.get("data"), Scalar):  # pre-0.6 single blob
        key = spec.key_node("data")
        if key is not None:
            items.append((key, spec.get("data")))  # type: ignore[arg-type]
    for key, value in items:
        if not isinstance(value, Scalar) or _skippable(value.value):
            continue
        reason = why_not_sealed(value.value)
        if reason:
            c.report("sealedsecret-not-encrypted", key, value.value,
                     f"SealedSecret '{name}' encryptedData.{key.value} {reason}: it is not "
                     "encrypted. Rotate the value and re-seal it: kubectl create secret generic "
                     f"{name} --dry-run=client --from-literal={key.value}=... -o yaml "
                     "| kubeseal -o yaml")
    _cluster_wide(res, c)


def _cluster_wide(res: Map, c: Checker) -> None:
    for path in (("metadata",), ("spec", "template", "metadata")):
        meta = res.path(*path, "annotations")
        if not isinstance(meta, Map):
            continue
        key = meta.key_node(CLUSTER_WIDE)
        if key is not None and (meta.text(CLUSTER_WIDE) or "").lower() == "true":
            c.report("sealedsecret-cluster-wide", key, f"cluster-wide:{resource_name(res)}",
                     f"SealedSecret '{resource_name(res)}' is sealed cluster-wide: it can be "
                     "unsealed in any namespace. Re-seal with kubeseal --scope strict unless "
                     "it must move between namespaces.")
            return
