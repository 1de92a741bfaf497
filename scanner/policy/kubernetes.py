"""Core Kubernetes checks: Secret, ConfigMap, container env, metadata, secret-carrying kinds."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator

from scanner.policy.context import Checker
from scanner.policy.embedded import inner_pair_secret, inner_pairs
from scanner.policy.values import (
    TEMPLATE_SENTINEL,
    deployed_severity,
    echoes_key,
    identifier_key,
    is_benign,
    is_placeholder,
    is_sops_encrypted,
    is_templated,
    literal_secret,
    looks_random,
    looks_reference,
    names_by_shape,
    public_key_name,
    secret_like_key,
    url_password,
    words,
)
from scanner.policy.yamlnodes import Map, Node, Scalar, Seq, lists_under

CONTROLLER_LABEL = "sealedsecrets.bitnami.com/sealed-secrets-key"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
REFERENCE_KINDS = frozenset({"SecretStore", "ClusterSecretStore", "SecretProviderClass",
                             "SecretProviderClassPodStatus", "PushSecret", "ClusterPushSecret"})


def decode_b64(value: str) -> bytes | None:
    text = "".join(value.split())
    if not text or len(text) % 4:
        return None
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def resource_name(res: Map) -> str:
    meta = res.map("metadata")
    name = (meta.text("name") if meta else None) or "?"
    return name.replace(TEMPLATE_SENTINEL, "{{...}}")


def _scalars(section: Map | None) -> Iterator[tuple[Scalar, Scalar]]:
    if section is not None:
        for key, value in section.items:
            if isinstance(value, Scalar) and value.value.strip():
                yield key, value


_PUBLIC_KEY_RE = re.compile(
    r"^(?:(?:[\w.,:\[\]*-]+\s+)?(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com)"
    r"\s+AAAA[A-Za-z0-9+/=]+(?:\s+\S*)?\s*)+$"
)


def is_public_certificate(text: str) -> bool:
    """Certificates, PEM public keys, SSH public keys and known_hosts lines: public by design."""
    if "PRIVATE KEY" in text:
        return False
    if "-----BEGIN CERTIFICATE-----" in text or "-----BEGIN PUBLIC KEY-----" in text:
        return True
    return bool(_PUBLIC_KEY_RE.match(text.strip()))


def is_sops_document(data: bytes) -> bool:
    return b"ENC[" in data and (b"sops" in data)


# --- Secret ----------------------------------------------------------------------------------

def is_controller_key(res: Map) -> bool:
    meta = res.map("metadata")
    if meta is None:
        return False
    labels = meta.map("labels")
    if labels is not None and labels.get(CONTROLLER_LABEL) is not None:
        return True
    return (meta.text("name") or "").startswith("sealed-secrets-key")


def _controller_key(res: Map, c: Checker) -> bool:
    if not is_controller_key(res):
        return False
    data = res.map("data") or res.map("stringData")
    for key, value in _scalars(data):
        if key.value == "tls.key" or key.value.endswith(".key"):
            decoded = decode_b64(value.value) if data is res.map("data") else None
            text = decoded.decode("utf-8", "replace") if decoded else value.value
            if not is_placeholder(text):
                c.report("sealed-secrets-controller-key", key, text,
                         f"Secret '{resource_name(res)}' holds the Sealed Secrets controller's "
                         "private key: anyone who can read this repository can decrypt every "
                         "SealedSecret sealed for that cluster, including those in Git history. "
                         "Remove it, rotate the controller key and re-seal every secret.")
    return True


def _secret_value(key: Scalar, value: Scalar, section: str, res: Map, c: Checker) -> str | None:
    """The plaintext of one data/stringData value, or None when it is not plaintext."""
    raw, plain = value.value, value.value
    if section == "data":
        decoded = decode_b64(raw)
        if decoded is not None:
            where = f"data.{key.value} of Secret '{resource_name(res)}'"
            c.scan_decoded(decoded, key, where)
            if is_sops_document(decoded):
                return None
            try:
                plain = decoded.decode("utf-8")
            except UnicodeDecodeError:
                plain = raw  # binary (a keystore, a DER key): report the stored form
    if is_public_certificate(plain) or (public_material_key(str(key.value))
                                        and "PRIVATE KEY" not in plain):
        return None
    if not plain.strip() or echoes_key(str(key.value), plain):
        return None  # empty, or the field's own name (`password: git_password`)
    if c.gitops.allow_placeholders and (is_placeholder(raw) or is_placeholder(plain)):
        return None
    return plain


_PUBLIC_NAME_RE = re.compile(
    r"(?i)(?:\.(?:crt|cert|cer|pub)|(?:^|[-_.])(?:ca[-_.]?bundle|fingerprint|known[-_]hosts))$")
_ENDPOINT_RE = re.compile(r"^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?::\d{1,5})?$")


def public_material_key(key: str) -> bool:
    """A key named as public material (`ca-bundle.crt`, `tls.crt`, `id_rsa.pub`,
    `fingerprint`, `known_hosts`): what it holds is published by design, whatever it looks
    like (a private key armour under such a name is still the engine's finding)."""
    return bool(_PUBLIC_NAME_RE.search(key))


def is_endpoint(value: str) -> bool:
    """`central.stackrox.svc:443`, `db.example.internal`: where a service is, not a secret."""
    v = value.strip()
    return ("." in v or ":" in v) and bool(_ENDPOINT_RE.match(v)) and not v.isdigit()


def descriptive(key: str, plain: str) -> bool:
    """`type: git`, `url: https://…`, `username: bot`: context of a credential, reported only
    when a Secret holds nothing else (then once, for the Secret itself)."""
    if url_password(plain) or secret_like_key(key):
        return False
    if public_key_name(words(key)):
        return True
    # A provider key under an id-like name (AWS_ACCESS_KEY_ID) is still reported, by the engine.
    return (identifier_key(key) or is_benign(plain) or looks_reference(plain)
            or names_by_shape(key, plain))


def check_secret(res: Map, c: Checker) -> None:
    c.partners = _decoded_values(res)  # an AKIA id is a pair with a secret key of this Secret
    try:
        _check_secret(res, c)
    finally:
        c.partners = None


def _check_secret(res: Map, c: Checker) -> None:
    if _controller_key(res, c):
        return
    sops = res.get("sops") is not None
    plaintext_policy = c.gitops_path and "Secret" not in c.gitops.allowed_kinds
    encrypted = templated = 0
    context: list[tuple[Scalar, str]] = []
    reported = False
    rendered = _rendered_by_template(res)
    for section in ("data", "stringData"):
        for key, value in _scalars(res.map(section)):
            if is_sops_encrypted(value.value):
                encrypted += 1
                continue
            plain = _secret_value(key, value, section, res, c)
            if plain is None:
                templated += is_placeholder(value.value) or echoes_key(str(key.value),
                                                                       value.value)
                continue
            if not plaintext_policy:
                continue
            if "\n" in plain.strip() and (rendered or is_templated(plain) or config_file(plain)):
                found = _embedded_file(res, key, value, plain, section, c)
                reported = reported or found
                templated += not found
                continue
            if descriptive(str(key.value), plain):
                context.append((key, plain))
                continue
            reported = True
            c.report("k8s-plaintext-secret", key, plain, _plaintext_message(res, key, sops))
    if context and not reported and not templated \
            and not all(is_endpoint(plain) for _, plain in context):
        # only url/username/type...: still a plaintext Secret -- unless its other values are
        # templated (a Helm or Flux template renders the credential, the rest is context)
        # or it holds only where a service is (an endpoint names no credential)
        key, plain = context[0]
        c.report("k8s-plaintext-secret", key, plain, _plaintext_message(res, key, sops))
    if encrypted and plaintext_policy and not c.gitops.allow_sops:
        kind = res.key_node("kind") or Scalar("", res.line, res.column)
        c.report("k8s-secret-kind-not-allowed", kind, f"sops:{resource_name(res)}",
                 f"Secret '{resource_name(res)}' is SOPS-encrypted but gitops.allow_sops is "
                 "false: use a SealedSecret or ExternalSecret.")


def _decoded_values(res: Map) -> bytes:
    """A Secret's `key: value` lines, values base64 decoded where they decode."""
    found = []
    for section in ("data", "stringData"):
        for key, value in _scalars(res.map(section)):
            decoded = decode_b64(value.value) if section == "data" else None
            text = decoded if decoded is not None else value.value.encode("utf-8", "replace")
            found.append(str(key.value).encode("utf-8", "replace") + b": " + text)
    return b"\n".join(found)


def _rendered_by_template(res: Map) -> bool:
    """A Secret whose name or values are template expressions: a chart's template."""
    if "{{...}}" in resource_name(res):
        return True
    return any(is_templated(value.value) for section in ("data", "stringData")
               for _, value in _scalars(res.map(section)))


def config_file(text: str) -> bool:
    """A configuration file (yaml, ini, toml, properties, json lines), not a key or a blob."""
    if "-----BEGIN" in text:
        return False
    return any(True for _ in inner_pairs(Scalar(text, 1, 1, style="|")))


def _embedded_file(res: Map, key: Scalar, value: Scalar, plain: str, section: str,
                   c: Checker) -> bool:
    """A config file in a Secret (`config.yaml: |`, possibly rendered by a template): only a
    credential among its own lines is reported, at that line (a base64 value's lines all at
    the value), judged as the same line is judged anywhere else. Provider keys inside it are
    the engine's (base64 values are decoded for it)."""
    found = False
    lines = Scalar(plain, value.line, value.column, style=value.style or "|")
    for inner_key, inner_value, line in inner_pairs(lines):
        secret = inner_pair_secret(inner_key, inner_value)
        if secret:
            found = True
            at = value.line if section == "data" else line
            c.report("k8s-plaintext-secret", (at, key.column), secret,
                     f"Secret '{resource_name(res)}' key '{key.value}' sets '{inner_key}' to a "
                     "literal credential in Git; base64 is not encryption. Template it from "
                     "a SealedSecret or ExternalSecret (see `sealguard explain "
                     "k8s-plaintext-secret`).")
    return found


def _plaintext_message(res: Map, key: Scalar, sops: bool) -> str:
    name = resource_name(res)
    extra = " (the rest of this SOPS file is encrypted; check encrypted_regex)" if sops else ""
    return (f"Secret '{name}' key '{key.value}' is plaintext in Git{extra}; base64 is not "
            f"encryption. Seal it: kubectl create secret generic {name} --dry-run=client "
            f"--from-literal={key.value}=... -o yaml | kubeseal -o yaml > {name}-sealed.yaml "
            "-- or reference it from your store with an ExternalSecret "
            "(see `sealguard explain k8s-plaintext-secret`).")


# --- ConfigMap -------------------------------------------------------------------------------

def check_configmap(res: Map, c: Checker) -> None:
    if not c.gitops_path:
        return
    name = resource_name(res)
    for key, value in _scalars(res.map("data")):
        hits = c.engine_hits(value)
        for rule_name, secret, line in hits:
            c.report("k8s-configmap-secret", (line, key.column), secret,
                     f"ConfigMap '{name}' key '{key.value}' holds a secret ({rule_name}): "
                     "move it to a SealedSecret or ExternalSecret and rotate it.")
        if hits:
            continue
        pairs = [(key.value, value.value, key.line)]
        if "\n" in value.value.strip():
            pairs = list(inner_pairs(value))
        for k, v, line in pairs:
            found = inner_pair_secret(k, v)
            if found:
                c.report("k8s-configmap-secret", (line, key.column), found,
                         f"ConfigMap '{name}' key '{k}' looks like a credential: move it to a "
                         "SealedSecret or ExternalSecret and reference it with secretKeyRef.",
                         severity=deployed_severity(found))


# --- container env ---------------------------------------------------------------------------

def check_env(res: Map, c: Checker, rule_id: str = "k8s-env-literal-secret") -> None:
    kind = res.text("kind") or "resource"
    for env in lists_under(res.get("spec") or res, ("env",)):
        for entry in env.maps():
            name, value = entry.text("name"), entry.get("value")
            if not name or not isinstance(value, Scalar):
                continue
            secret = url_password(value.value) or (
                value.value if literal_secret(name, value.value) else None)
            if secret:
                c.report(rule_id, value, secret,
                         f"{kind} '{resource_name(res)}' env {name} has a literal value: use "
                         "valueFrom.secretKeyRef {name: ..., key: ...} with a Secret from a "
                         "SealedSecret or ExternalSecret.")


# --- metadata and kinds ----------------------------------------------------------------------

def _metadata_maps(res: Map) -> Iterator[Map]:
    for path in (("metadata",), ("spec", "template", "metadata")):
        meta = res.path(*path)
        if isinstance(meta, Map):
            for section in ("annotations", "labels"):
                found = meta.map(section)
                if found is not None:
                    yield found


def _last_applied_secret(text: str) -> str | None:
    import json

    try:
        obj = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(obj, dict) or obj.get("kind") != "Secret":
        return None
    for section in ("data", "stringData"):
        values = obj.get(section)
        if isinstance(values, dict):
            for value in values.values():
                if isinstance(value, str) and value.strip() and not is_placeholder(value):
                    return value
    return None


def check_metadata(res: Map, c: Checker) -> None:
    where = f"{res.text('kind') or 'resource'} '{resource_name(res)}'"
    for section in _metadata_maps(res):
        for key, value in _scalars(section):
            if str(key.value).startswith("checksum/"):
                continue  # Helm's checksum/config annotations: a hash that rolls pods
            if key.value == LAST_APPLIED:
                secret = _last_applied_secret(value.value)
                what = "a copy of a plaintext Secret"
            else:
                found = c.engine_names(value.value)
                secret = value.value if found or (
                    literal_secret(key.value, value.value) and looks_random(value.value)) else None
                what = found[0] if found else "a credential"
            if secret:
                c.report("k8s-annotation-secret", key, secret,
                         f"{where} metadata '{key.value}' holds {what}: remove it from metadata, "
                         "rotate it, and keep it in a SealedSecret or ExternalSecret.")


_MATERIAL_KEYS = ("data", "stringData", "encryptedData", "binaryData")


def _material(node: Node) -> bool:
    return isinstance(node, Scalar) and (
        is_sops_encrypted(node.value) or not is_placeholder(node.value))


def carries_material(node: Node, depth: int = 0) -> bool:
    """A data/stringData/encryptedData mapping with a value (SopsSecret templates included)."""
    if depth > 6:
        return False
    if isinstance(node, Seq):
        return any(carries_material(item, depth + 1) for item in node.items)
    if not isinstance(node, Map):
        return False
    for key, value in node.items:
        if key.value in _MATERIAL_KEYS and isinstance(value, Map) and any(
                _material(v) for _, v in value.items):
            return True
        if key.value in ("spec", "secretTemplates", "template") and carries_material(
                value, depth + 1):
            return True
    return False


def check_kind(res: Map, kind: str, c: Checker) -> None:
    if kind == "Secret" or "Secret" not in kind or kind in REFERENCE_KINDS:
        return
    if kind in c.gitops.allowed_kinds or not c.gitops_path or not carries_material(res):
        return
    node = res.key_node("kind") or Scalar(kind, res.line, res.column)
    allowed = ", ".join(c.gitops.allowed_kinds)
    c.report("k8s-secret-kind-not-allowed", node, f"{kind}/{resource_name(res)}",
             f"{kind} '{resource_name(res)}' carries secrets but is not an allowed kind "
             f"({allowed}); use one of those, or add {kind} to gitops.allowed_kinds.")
