"""Scanner artefacts that hold only hashes, recognised by their content.

A detect-secrets `.secrets.baseline` (`hashed_secret`: sha1 hex), a sealguard baseline (`key`,
keyed ids, old `sha256:` fingerprints) and a gitleaks report made with `--redact` (commit ids,
`Fingerprint`s) are full of hex strings that look like tokens. Their hash fields are not
secrets, so findings whose secret is one of those values are dropped; anything else in such
a file is scanned as usual (a real secret pasted into a baseline is still found), and an
unredacted gitleaks report, which holds the secrets themselves, is reported like any file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from scanner.findings import Finding

_MARKERS = (b'"hashed_secret"', b'"tool": "sealguard"', b'"tool":"sealguard"', b'"RuleID"')
MAX_BYTES = 32 * 1024 * 1024


def _detect_secrets(doc: Any) -> Iterator[str]:
    results = doc.get("results") if isinstance(doc, dict) else None
    if not (isinstance(results, dict) and "plugins_used" in doc):
        return
    for items in results.values():
        for item in items if isinstance(items, list) else []:
            value = item.get("hashed_secret") if isinstance(item, dict) else None
            if isinstance(value, str):
                yield value


def _sealguard(doc: Any) -> Iterator[str]:
    if not (isinstance(doc, dict) and doc.get("tool") == "sealguard"):
        return
    if isinstance(doc.get("key"), str):
        yield doc["key"]
    for item in doc.get("findings") or []:
        for name in ("id", "fingerprint"):
            value = item.get(name) if isinstance(item, dict) else None
            if isinstance(value, str):
                yield value


def _gitleaks_redacted(doc: Any) -> Iterator[str]:
    if not (isinstance(doc, list) and doc and all(isinstance(i, dict) for i in doc)):
        return
    if any(i.get("Secret") not in ("REDACTED", "") or "RuleID" not in i for i in doc):
        return  # not redacted: the report holds the secrets themselves
    for item in doc:
        for name in ("Commit", "Fingerprint"):
            if isinstance(item.get(name), str):
                yield item[name]


def hash_values(data: bytes) -> frozenset[str]:
    """The hash strings an artefact legitimately holds (empty for any other content)."""
    head = data[:4096].lstrip()
    if not head.startswith((b"{", b"[")) or len(data) > MAX_BYTES:
        return frozenset()
    if not any(marker in data for marker in _MARKERS):
        return frozenset()
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return frozenset()
    values: set[str] = set()
    for found in (_detect_secrets(doc), _sealguard(doc), _gitleaks_redacted(doc)):
        values.update(found)
    return frozenset(values)


def _is_hash(secret: str, values: frozenset[str]) -> bool:
    """The matched secret is (part of) one of the artefact's hash values."""
    return len(secret) >= 8 and any(secret in value for value in values)


def drop_hashes(data: bytes, findings: Iterable[Finding]) -> list[Finding]:
    """`findings` without those that are an artefact's own hash fields."""
    found = list(findings)
    if not found:
        return found
    values = hash_values(data)
    if not values:
        return found
    return [f for f in found if not (f.category == "secret" and _is_hash(f.secret, values))]
