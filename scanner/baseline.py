"""Baselines: adopt sealguard in a repository that already has findings.

`.sealguard-baseline.json` holds, per known finding, only its fingerprint (a hash of rule,
secret and path: no line number, so it survives line moves and unrelated edits) and metadata
(rule, path, line, category). Never the secret, not even redacted.

`--baseline` also reads the baselines of other tools, so a team can migrate:
- a detect-secrets `.secrets.baseline`: entries are (filename, sha1 of the secret); we hash
  our finding's secret the same way;
- a gitleaks JSON report used as `--baseline-path`: (File, Secret) when the secret is there,
  else (File, StartLine[, Commit]);
- a `.gitleaksignore`: `commit:file:rule:line` or `file:rule:line` (rule ids differ between
  tools, so file, line and commit are compared).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from scanner.errors import ConfigError
from scanner.findings import Finding
from scanner.pipeline import ScanResult, Summary

BASELINE_NAME = ".sealguard-baseline.json"
VERSION = 1
_COMMIT_RE = re.compile(r"^[0-9a-f]{40}$")

Known = Callable[[Finding], bool]


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    rule: str
    path: str
    line: int
    category: str


def entries_for(findings: Iterable[Finding]) -> list[Entry]:
    seen: dict[str, Entry] = {}
    for f in findings:
        seen.setdefault(f.fingerprint, Entry(f.fingerprint, f.rule, f.path, f.line, f.category))
    return sorted(seen.values(), key=lambda e: (e.path, e.line, e.rule, e.fingerprint))


def dumps(entries: Iterable[Entry]) -> str:
    doc = {"version": VERSION, "tool": "sealguard",
           "findings": [asdict(e) for e in entries]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class Update:
    entries: list[Entry]
    kept: int
    added: int
    dropped: int


def update(old: Iterable[Entry], findings: Iterable[Finding]) -> Update:
    """Keep entries still present, add new findings, drop entries whose finding is gone."""
    previous = {e.fingerprint for e in old}
    current = entries_for(findings)
    kept = sum(1 for e in current if e.fingerprint in previous)
    dropped = len(previous - {e.fingerprint for e in current})
    return Update(current, kept, len(current) - kept, dropped)


def _read(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: baseline file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read baseline: {exc}") from None


def _norm(path: str) -> str:
    path = path.replace("\\", "/")
    return path[2:] if path.startswith("./") else path


def read_entries(path: Path) -> list[Entry]:
    """Entries of a sealguard baseline (ConfigError for anything else)."""
    doc = _json(_read(path), path)
    if not (isinstance(doc, dict) and doc.get("tool") == "sealguard"):
        raise ConfigError(f"{path}: not a sealguard baseline")
    return _sealguard_entries(doc, path)


def _json(text: str, path: Path) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}:{exc.lineno}: invalid JSON in baseline: {exc.msg}") from None


def _sealguard_entries(doc: dict[str, Any], path: Path) -> list[Entry]:
    if doc.get("version") != VERSION or not isinstance(doc.get("findings"), list):
        raise ConfigError(f"{path}: unsupported sealguard baseline (expected version {VERSION})")
    out: list[Entry] = []
    for i, raw in enumerate(doc["findings"]):
        if not isinstance(raw, dict) or not isinstance(raw.get("fingerprint"), str):
            raise ConfigError(f"{path}: findings[{i}]: each entry needs a 'fingerprint' string")
        line = raw.get("line")
        out.append(Entry(raw["fingerprint"], str(raw.get("rule", "")), str(raw.get("path", "")),
                         line if isinstance(line, int) else 0, str(raw.get("category", ""))))
    return out


def _sha1(secret: str) -> str:
    return hashlib.sha1(secret.encode("utf-8", "surrogateescape")).hexdigest()


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogateescape")).hexdigest()


def _places(f: Finding) -> set[tuple[str, int, str | None]]:
    places = {(_norm(f.path), f.line, f.commit)}
    places |= {(_norm(loc.path), loc.line, loc.commit) for loc in f.locations}
    return places


def _place_matcher(spots: set[tuple[str, int, str | None]]) -> Known:
    """(path, line, commit) from another tool; a spot without commit matches any commit, and a
    working-tree finding (no commit) matches a spot with one."""
    loose = {(p, n) for p, n, _ in spots}

    def known(f: Finding) -> bool:
        for path, line, commit in _places(f):
            if (path, line, commit) in spots or (path, line, None) in spots:
                return True
            if commit is None and (path, line) in loose:
                return True
        return False

    return known


def _detect_secrets(doc: dict[str, Any], path: Path) -> Known:
    hashes: set[tuple[str, str]] = set()
    results = doc.get("results")
    if not isinstance(results, dict):
        raise ConfigError(f"{path}: detect-secrets baseline without a 'results' mapping")
    for filename, items in results.items():
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("hashed_secret"), str):
                hashes.add((_norm(str(item.get("filename") or filename)), item["hashed_secret"]))
    return lambda f: (_norm(f.path), _sha1(f.secret)) in hashes


def _gitleaks_report(doc: list[Any], path: Path) -> Known:
    secrets: set[tuple[str, str]] = set()
    spots: set[tuple[str, int, str | None]] = set()
    for i, item in enumerate(doc):
        if not isinstance(item, dict) or not isinstance(item.get("File"), str):
            raise ConfigError(f"{path}: [{i}]: not a gitleaks finding (no 'File')")
        file = _norm(item["File"])
        secret = item.get("Secret")
        if isinstance(secret, str) and secret and secret != "REDACTED":
            secrets.add((file, _sha256(secret)))
        if isinstance(item.get("StartLine"), int):
            spots.add((file, item["StartLine"], item.get("Commit") or None))
    by_place = _place_matcher(spots)
    return lambda f: (_norm(f.path), _sha256(f.secret)) in secrets or by_place(f)


def parse_gitleaksignore(text: str, path: Path) -> set[tuple[str, int, str | None]]:
    spots: set[tuple[str, int, str | None]] = set()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        head, _, rest = line.rpartition(":")  # rest = line number
        head, _, _rule = head.rpartition(":")
        if not head or not rest.isdigit():
            raise ConfigError(f"{path}:{number}: expected commit:file:rule:line or file:rule:line")
        commit, sep, file = head.partition(":")
        if not (sep and _COMMIT_RE.match(commit)):
            commit, file = "", head
        spots.add((_norm(file), int(rest), commit or None))
    return spots


def load_known(path: Path) -> Known:
    """A predicate telling whether a finding is in the baseline at `path` (any supported format)."""
    text = _read(path)
    if not text.lstrip().startswith(("{", "[")):
        return _place_matcher(parse_gitleaksignore(text, path))
    doc = _json(text, path)
    if isinstance(doc, list):
        return _gitleaks_report(doc, path)
    if isinstance(doc, dict) and doc.get("tool") == "sealguard":
        fingerprints = {e.fingerprint for e in _sealguard_entries(doc, path)}
        return lambda f: f.fingerprint in fingerprints
    if isinstance(doc, dict) and "results" in doc and "plugins_used" in doc:
        return _detect_secrets(doc, path)
    raise ConfigError(f"{path}: unknown baseline format (expected a sealguard baseline, a "
                      "detect-secrets .secrets.baseline, a gitleaks report or a .gitleaksignore)")


def filter_new(result: ScanResult, path: Path) -> ScanResult:
    """Only the findings that are not in the baseline."""
    known = load_known(path)
    new = [f for f in result.findings if not known(f)]
    s = result.summary
    summary = Summary(files=s.files, bytes=s.bytes, skipped=s.skipped, errors=s.errors,
                      findings=len(new), seconds=s.seconds)
    return ScanResult(new, summary)
