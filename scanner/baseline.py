"""Baselines: adopt sealguard in a repository that already has findings.

`.sealguard-baseline.json` (version 2) holds a random per-repository `key` and, per known
finding, the keyed hash of its rule and secret (`id`, see scanner/findings.py) with metadata
(rule, path, line, category). Never the secret, not even redacted.

An entry is keyed by *which secret* it is, not where: a finding is known when its id is in
the baseline and either its path is one the entry names, or the entry's file is gone from
what is being judged (the file was renamed or moved: `git mv` does not block). The same
secret copied to a second file while the first still holds it is a new finding.

Version 1 baselines (sealguard 0.1: unkeyed sha256 of rule, secret and path) are still
read; `sealguard baseline update` rewrites them as version 2. The baselines of other tools
(detect-secrets, gitleaks) are read by scanner/baseline_formats.py.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scanner.errors import ConfigError
from scanner.findings import Finding, legacy_fingerprint

BASELINE_NAME = ".sealguard-baseline.json"
VERSION = 2
READABLE = (1, 2)
MAX_BYTES = 64 * 1024 * 1024

Exists = Callable[[str], bool]
Known = Callable[[Finding], bool]


@dataclass(frozen=True)
class Entry:
    id: str  # keyed hash of rule + secret ("hmac-sha256:…"); "" for a legacy entry
    rule: str
    path: str
    line: int
    category: str
    legacy: str = ""  # sealguard 0.1 fingerprint ("sha256:…") of an entry not rewritten yet


@dataclass(frozen=True)
class Baseline:
    key: bytes
    entries: tuple[Entry, ...] = ()
    version: int = VERSION

    @property
    def legacy_count(self) -> int:
        return sum(1 for e in self.entries if e.legacy)


def new_key() -> bytes:
    return os.urandom(32)


def entry_for(f: Finding, key: bytes) -> Entry:
    return Entry(f.secret_id(key), f.rule, f.path, f.line, f.category)


def entries_for(findings: Iterable[Finding], key: bytes) -> list[Entry]:
    seen: dict[tuple[str, str], Entry] = {}
    for f in findings:
        entry = entry_for(f, key)
        seen.setdefault((entry.id, entry.path), entry)
    return sort_entries(seen.values())


def sort_entries(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.path, e.line, e.rule, e.id, e.legacy))


def _entry_dict(e: Entry) -> dict[str, Any]:
    head: dict[str, Any] = {"fingerprint": e.legacy} if e.legacy else {"id": e.id}
    return {**head, "rule": e.rule, "path": e.path, "line": e.line, "category": e.category}


def dumps(baseline: Baseline) -> str:
    doc = {"version": VERSION, "tool": "sealguard", "key": baseline.key.hex(),
           "findings": [_entry_dict(e) for e in sort_entries(baseline.entries)]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def read_text(path: Path) -> str:
    from scanner.errors import SealguardError
    from scanner.safeio import read_text as read_regular_text

    if not path.exists() and not path.is_symlink():
        raise ConfigError(f"{path}: baseline file not found")
    try:  # only a regular file, never blocking on a FIFO
        return read_regular_text(path, "baseline", MAX_BYTES)
    except SealguardError as exc:
        raise ConfigError(str(exc)) from None


def parse_json(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{where}:{exc.lineno}: invalid JSON in baseline: {exc.msg}") from None
    except RecursionError:
        raise ConfigError(f"{where}: baseline nested too deeply") from None


def is_sealguard(doc: Any) -> bool:
    return isinstance(doc, dict) and doc.get("tool") == "sealguard"


def _key(doc: dict[str, Any], where: str) -> bytes:
    raw = doc.get("key", "")
    try:
        key = bytes.fromhex(raw) if isinstance(raw, str) else b""
    except ValueError:
        key = b""
    if doc.get("version") == VERSION and len(key) < 16:
        raise ConfigError(f"{where}: 'key' must be at least 32 hex digits")
    return key


def _entry(raw: Any, i: int, where: str) -> Entry:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: findings[{i}]: each entry must be a mapping")
    ident, legacy = raw.get("id"), raw.get("fingerprint")
    if not isinstance(ident, str) and not isinstance(legacy, str):
        raise ConfigError(f"{where}: findings[{i}]: each entry needs an 'id' string")
    line = raw.get("line")
    return Entry(ident if isinstance(ident, str) else "", str(raw.get("rule", "")),
                 str(raw.get("path", "")), line if isinstance(line, int) else 0,
                 str(raw.get("category", "")), legacy if isinstance(legacy, str) else "")


def from_doc(doc: dict[str, Any], where: str) -> Baseline:
    version = doc.get("version")
    if version not in READABLE or not isinstance(doc.get("findings"), list):
        raise ConfigError(f"{where}: unsupported sealguard baseline (expected version "
                          f"{VERSION})")
    entries = tuple(_entry(raw, i, where) for i, raw in enumerate(doc["findings"]))
    return Baseline(_key(doc, where), entries, int(version))


def read_baseline(path: Path) -> Baseline:
    """A sealguard baseline (ConfigError for anything else)."""
    doc = parse_json(read_text(path), str(path))
    if not is_sealguard(doc):
        raise ConfigError(f"{path}: not a sealguard baseline")
    return from_doc(doc, str(path))


def places(f: Finding) -> set[str]:
    return {f.path, *(loc.path for loc in f.locations)}


@dataclass
class Index:
    """Which secrets a baseline knows, and at which paths."""

    key: bytes
    by_id: dict[str, set[str]] = field(default_factory=dict)
    legacy: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, baseline: Baseline) -> Index:
        index = cls(baseline.key)
        for e in baseline.entries:
            if e.legacy:
                index.legacy.add(e.legacy)
            else:
                index.by_id.setdefault(e.id, set()).add(e.path)
        return index

    def known(self, f: Finding, exists: Exists) -> bool:
        if any(legacy_fingerprint(f.rule, f.secret, p) in self.legacy for p in places(f)):
            return True
        paths = self.by_id.get(f.secret_id(self.key))
        if not paths:
            return False
        return bool(paths & places(f)) or any(not exists(p) for p in paths)


def matcher(baseline: Baseline, exists: Exists) -> Known:
    index = Index.of(baseline)
    return lambda f: index.known(f, exists)


@dataclass(frozen=True)
class Update:
    baseline: Baseline
    kept: int
    added: int
    dropped: int
    untouched: int


def under(path: str, scopes: Sequence[str]) -> bool:
    """Whether a repository-relative path lies in one of the rescanned scopes ("" = all)."""
    return any(not s or path == s or path.startswith(s.rstrip("/") + "/") for s in scopes)


def update(old: Baseline, findings: Sequence[Finding], scopes: Sequence[str],
           can_drop: bool = True) -> Update:
    """Reconcile only what was rescanned: entries outside `scopes` stay as they are; inside,
    entries found again are kept, new findings added, the others dropped (fixed) unless
    `can_drop` is false (some input could not be read)."""
    key = old.key if old.version == VERSION and old.key else new_key()
    index = Index.of(old)
    current = entries_for(findings, key)
    seen = {f.secret_id(key) for f in findings}
    kept = sum(1 for f in findings if index.known(f, lambda _: False))
    outside = [e for e in old.entries if not under(e.path, scopes)]
    inside_gone = [e for e in old.entries if under(e.path, scopes) and not _found(e, old, seen,
                                                                                  findings)]
    keep_gone = inside_gone if not can_drop else []
    entries = [*outside, *keep_gone, *current]
    return Update(Baseline(key, tuple(sort_entries(entries))), kept, len(current) - kept,
                  len(inside_gone) - len(keep_gone), len(outside))


def _found(e: Entry, old: Baseline, seen_ids: set[str], findings: Sequence[Finding]) -> bool:
    if e.legacy:
        return any(legacy_fingerprint(f.rule, f.secret, f.path) == e.legacy for f in findings)
    return old.version == VERSION and e.id in seen_ids
