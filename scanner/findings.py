"""The Finding record, redaction and fingerprints.

A finding keeps the matched secret in memory only (for filters and fingerprints); every
report renders `redacted`, and baselines store only `fingerprint`.
"""

from __future__ import annotations

import hashlib
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
    if n >= 20:
        return f"{flat[:4]}…{flat[-4:]}"
    if n >= 12:
        return f"{flat[:3]}…{flat[-2:]}"
    if n >= 6:
        return f"{flat[:1]}…{flat[-1:]}"
    return "…"


def fingerprint(rule: str, secret: str, path: str) -> str:
    """Stable identity: survives line moves and unrelated edits (no line number)."""
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

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.rule, self.secret, self.path)

    def with_changes(self, **changes: object) -> Finding:
        return replace(self, **changes)  # type: ignore[arg-type]

    def __str__(self) -> str:  # never the secret
        return f"{self.path}:{self.line}: {self.rule} {self.redacted}"
