"""Read any supported baseline as a predicate "is this finding already known?".

- a sealguard baseline (scanner/baseline.py);
- a detect-secrets `.secrets.baseline`: entries are (filename, sha1 of the secret); we hash
  our finding's secret the same way;
- a gitleaks JSON report used as `--baseline-path`: (File, Secret) when the secret is there,
  else (File, StartLine[, Commit]);
- a `.gitleaksignore`: `commit:file:rule:line` or `file:rule:line` (rule ids differ between
  tools, so file, line and commit are compared).

As for sealguard's own entries, a secret known at a path that is gone (renamed, moved) is
known at its new path too.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scanner.baseline import Exists, Known, from_doc, is_sealguard, matcher, parse_json, read_text
from scanner.errors import ConfigError
from scanner.findings import Finding

_COMMIT_RE = re.compile(r"^[0-9a-f]{40}$")


def norm(path: str) -> str:
    path = path.replace("\\", "/")
    return path[2:] if path.startswith("./") else path


def _hash(name: str, secret: str) -> str:
    return hashlib.new(name, secret.encode("utf-8", "surrogateescape")).hexdigest()


def _places(f: Finding) -> set[tuple[str, int, str | None]]:
    out = {(norm(f.path), f.line, f.commit)}
    return out | {(norm(loc.path), loc.line, loc.commit) for loc in f.locations}


def _by_secret(known: dict[str, set[str]], algo: str, exists: Exists) -> Known:
    """Known when the secret's hash is recorded at this path, or at a path that is gone."""

    def check(f: Finding) -> bool:
        paths = known.get(_hash(algo, f.secret))
        if not paths:
            return False
        return bool(paths & {p for p, _, _ in _places(f)}) or any(not exists(p) for p in paths)

    return check


def place_matcher(spots: set[tuple[str, int, str | None]]) -> Known:
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


def _detect_secrets(doc: dict[str, Any], where: str, exists: Exists) -> Known:
    hashes: dict[str, set[str]] = {}
    results = doc.get("results")
    if not isinstance(results, dict):
        raise ConfigError(f"{where}: detect-secrets baseline without a 'results' mapping")
    for filename, items in results.items():
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("hashed_secret"), str):
                name = norm(str(item.get("filename") or filename))
                hashes.setdefault(item["hashed_secret"], set()).add(name)
    return _by_secret(hashes, "sha1", exists)


def _gitleaks_report(doc: list[Any], where: str, exists: Exists) -> Known:
    secrets: dict[str, set[str]] = {}
    spots: set[tuple[str, int, str | None]] = set()
    for i, item in enumerate(doc):
        if not isinstance(item, dict) or not isinstance(item.get("File"), str):
            raise ConfigError(f"{where}: [{i}]: not a gitleaks finding (no 'File')")
        file = norm(item["File"])
        secret = item.get("Secret")
        if isinstance(secret, str) and secret and secret != "REDACTED":
            secrets.setdefault(_hash("sha256", secret), set()).add(file)
        if isinstance(item.get("StartLine"), int):
            spots.add((file, item["StartLine"], item.get("Commit") or None))
    by_secret, by_place = _by_secret(secrets, "sha256", exists), place_matcher(spots)
    return lambda f: by_secret(f) or by_place(f)


def parse_gitleaksignore(text: str, where: str) -> set[tuple[str, int, str | None]]:
    spots: set[tuple[str, int, str | None]] = set()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        head, _, rest = line.rpartition(":")  # rest = line number
        head, _, _rule = head.rpartition(":")
        if not head or not rest.isdigit():
            raise ConfigError(f"{where}:{number}: expected commit:file:rule:line or "
                              "file:rule:line")
        commit, sep, file = head.partition(":")
        if not (sep and _COMMIT_RE.match(commit)):
            commit, file = "", head
        spots.add((norm(file), int(rest), commit or None))
    return spots


def known_from_text(text: str, where: str, exists: Exists) -> Known:
    if not text.lstrip().startswith(("{", "[")):
        return place_matcher(parse_gitleaksignore(text, where))
    doc = parse_json(text, where)
    if isinstance(doc, list):
        return _gitleaks_report(doc, where, exists)
    if is_sealguard(doc):
        return matcher(from_doc(doc, where), exists)
    if isinstance(doc, dict) and "results" in doc and "plugins_used" in doc:
        return _detect_secrets(doc, where, exists)
    raise ConfigError(f"{where}: unknown baseline format (expected a sealguard baseline, a "
                      "detect-secrets .secrets.baseline, a gitleaks report or a .gitleaksignore)")


def load_known(path: Path, exists: Exists | None = None) -> Known:
    """A predicate telling whether a finding is in the baseline at `path` (any supported
    format). `exists` says whether a path is still there (default: always)."""
    present: Callable[[str], bool] = exists or (lambda _: True)
    return known_from_text(read_text(path), str(path), present)
