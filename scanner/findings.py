"""The Finding record, redaction and fingerprints.

A finding keeps the matched secret in memory only (for filters and fingerprints); every
report renders `redacted`, and baselines store only keyed hashes.

Two hashes, both HMAC-SHA256 under a per-repository key (the random `key` stored in the
repository's baseline; an empty key when there is no baseline):
- `secret_id(key, rule, secret)`: which secret it is, without its place. Baseline entries are
  keyed by it (plus the path, kept beside it), so an entry survives `git mv`.
- `fingerprint(key, rule, secret, path)`: one finding, for reports, SARIF
  `partialFingerprints` and `allowlist.fingerprints`.
A key makes precomputed dictionaries useless and the same secret look different in two
repositories; it does not stop someone who holds both baseline and key from trying guesses,
which is why short values are redacted to nothing and secrets must still be rotated.
`legacy_fingerprint` is the unkeyed form of sealguard 0.1 (sha256 of rule, secret, path), read
so that old baselines and allowlists keep working until they are rewritten.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field, replace

SEVERITIES = ("low", "medium", "high", "critical")
_PEM_ARMOUR_RE = re.compile(r"-----(?:BEGIN|END) [A-Z0-9 ]+-----")
CATEGORIES = ("secret", "policy", "parse-error")


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


def redact(secret: str) -> str:
    """A short form that identifies a secret to its owner without revealing it."""
    flat = " ".join(secret.split())
    if flat.startswith("-----BEGIN"):  # a PEM block: show its body, not the armour
        flat = "".join(_PEM_ARMOUR_RE.sub(" ", flat).split()) or flat
    n = len(flat)
    if n >= 20:  # provider keys: the prefix is public structure, the tail identifies it
        return f"{flat[:4]}…{flat[-4:]}"
    if n >= 12:
        return f"{flat[:2]}…"
    return "…"  # a short value (a password) is guessable: show none of it


FINGERPRINT_PREFIX = "hmac-sha256:"


def _hmac(key: bytes, *parts: str) -> str:
    message = "\0".join(parts).encode("utf-8", "surrogateescape")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def secret_id(key: bytes, rule: str, secret: str) -> str:
    """Which secret (under this rule) a finding is, whatever file it is in."""
    return f"{FINGERPRINT_PREFIX}{_hmac(key, 'secret', rule, secret)}"


def fingerprint(key: bytes, rule: str, secret: str, path: str) -> str:
    """One finding: survives line moves and unrelated edits (no line number)."""
    return f"{FINGERPRINT_PREFIX}{_hmac(key, 'finding', rule, secret, path)}"


def legacy_fingerprint(rule: str, secret: str, path: str) -> str:
    """sealguard 0.1's unkeyed fingerprint, only to read old baselines and allowlists."""
    digest = hashlib.sha256(f"{rule}\0{secret}\0{path}".encode("utf-8", "surrogateescape"))
    return f"sha256:{digest.hexdigest()}"


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogateescape")).hexdigest()


@dataclass(frozen=True)
class Location:
    """One place a finding was seen in history."""

    commit: str
    author: str
    date: str
    path: str
    line: int


@dataclass(frozen=True)
class Finding:
    rule: str
    category: str
    severity: str
    path: str
    line: int
    column: int
    message: str
    secret: str = field(repr=False)
    name: str = ""
    remedy: str = ""
    commit: str | None = None
    author: str | None = None
    date: str | None = None
    locations: tuple[Location, ...] = ()
    at_head: bool | None = None

    @property
    def redacted(self) -> str:
        return redact(self.secret) if self.secret else ""

    def fingerprint(self, key: bytes) -> str:
        return fingerprint(key, self.rule, self.secret, self.path)

    def secret_id(self, key: bytes) -> str:
        return secret_id(key, self.rule, self.secret)

    def with_changes(self, **changes: object) -> Finding:
        return replace(self, **changes)  # type: ignore[arg-type]

    def __str__(self) -> str:  # never the secret
        return f"{self.path}:{self.line}: {self.rule} {self.redacted}"
