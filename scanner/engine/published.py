"""Credentials that are public by design: the fixed keys of local emulators, printed in the
vendor's own documentation so that every developer's emulator accepts them.

Such a key grants nothing outside a developer's machine, yet it has the exact shape of a real
one (an 88-character Azure account key), so a provider rule matches it. It is reported low
with the reason, never blocking. Only SHA-256 digests are kept here, so this file holds no
key-shaped text for any scanner (ours included) to report.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

# digest -> what it is, with the document that publishes it
PUBLISHED: dict[str, str] = {
    # Azurite and the classic Azure Storage Emulator: account devstoreaccount1, the
    # "well-known storage account and key" of
    # https://learn.microsoft.com/azure/storage/common/storage-use-azurite
    "0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059":
        "the Azurite / Azure Storage Emulator account key published by Microsoft",
}


_TOKEN_RE = re.compile(rb"[A-Za-z0-9+/_-]{20,}={0,2}")


def _known(data: bytes) -> str | None:
    """The value itself, or a token inside it (`...;AccountKey=<key>;...`), is published."""
    found = PUBLISHED.get(hashlib.sha256(data.strip()).hexdigest())
    if found is not None:
        return found
    for token in _TOKEN_RE.findall(data):
        found = PUBLISHED.get(hashlib.sha256(token).hexdigest())
        if found is not None:
            return found
    return None


def published(secret: str) -> str | None:
    """What the value is, when it is (or it holds) a credential published for everyone to
    use: as written, or base64-encoded once more (a Secret's `data:`)."""
    raw = secret.strip().encode("utf-8", "surrogateescape")
    if len(raw) < 20:
        return None
    found = _known(raw)
    if found is not None:
        return found
    try:
        return _known(base64.b64decode(raw, validate=True))
    except (binascii.Error, ValueError):
        return None
