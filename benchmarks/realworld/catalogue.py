"""The real-world catalogue: one YAML file per public repository in catalogue/.

Each file names a repository, the commit it is pinned at, and labels: per file of the tree
at that commit (`files`), and per finding of a full-history audit (`history_findings`).
Labels carry metadata only (path, verdict, category, a one-line reason), never a value.
This module loads and validates them; it runs nothing and touches no network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
CATALOGUE = HERE / "catalogue"

# category -> the verdict it implies (a label's verdict must agree with its category)
CATEGORIES = {
    "real-secret": "block",
    "policy-violation": "block",
    "dummy": "pass",
    "not-a-secret": "pass",
}
VIA = ("flagged", "sample")  # how a file came to be labelled
REPO_KEYS = {"repository", "commit", "branch", "why", "paths", "history", "files",
             "history_findings"}
FILE_KEYS = {"path", "verdict", "category", "reason", "via"}
HISTORY_KEYS = {"commit", "path", "rule", "blob", "verdict", "category", "reason"}
MAX_REASON = 240
_REPO_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")
_SHA_RE = re.compile(r"^[0-9a-f]{40}$")


class CatalogueError(ValueError):
    """A catalogue file that does not follow the schema (the message names file and entry)."""


@dataclass(frozen=True)
class FileLabel:
    path: str
    verdict: str
    category: str
    reason: str
    via: str = "flagged"


@dataclass(frozen=True)
class HistoryLabel:
    commit: str
    path: str
    rule: str
    blob: str
    verdict: str
    category: str
    reason: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.commit, self.path, self.rule)


@dataclass(frozen=True)
class Repo:
    repository: str
    commit: str
    branch: str
    why: str
    paths: tuple[str, ...]
    history: bool
    files: dict[str, FileLabel]
    history_findings: dict[tuple[str, str, str], HistoryLabel]

    @property
    def slug(self) -> str:
        """owner+name: the folder name of its tree and bare clone."""
        return self.repository.replace("/", "+")


def _need(cond: bool, where: str, message: str) -> None:
    if not cond:
        raise CatalogueError(f"{where}: {message}")


def _rel_path(value: Any, where: str) -> str:
    _need(isinstance(value, str) and value != "", where, "path must be a non-empty string")
    parts = value.split("/")
    _need(not value.startswith("/") and ".." not in parts and "" not in parts, where,
          f"path {value!r} must be relative, without '..' or empty parts")
    return str(value)


def _verdict(entry: dict[str, Any], where: str) -> tuple[str, str, str]:
    category, verdict, reason = (str(entry.get(k, "")) for k in ("category", "verdict", "reason"))
    _need(category in CATEGORIES, where, f"category must be one of {sorted(CATEGORIES)}")
    _need(verdict == CATEGORIES[category], where,
          f"verdict of a {category} must be {CATEGORIES[category]}")
    _need(isinstance(entry.get("reason"), str) and 0 < len(reason.strip()) <= MAX_REASON,
          where, f"reason must be a one-line string of 1..{MAX_REASON} characters")
    _need("\n" not in reason, where, "reason must be one line")
    return verdict, category, reason


def _keys(entry: Any, allowed: set[str], required: set[str], where: str) -> dict[str, Any]:
    _need(isinstance(entry, dict), where, "must be a mapping")
    unknown = set(entry) - allowed
    _need(not unknown, where, f"unknown key(s) {sorted(unknown)}")
    missing = required - set(entry)
    _need(not missing, where, f"missing key(s) {sorted(missing)}")
    return dict(entry)


def _under(path: str, roots: tuple[str, ...]) -> bool:
    return not roots or any(path == r or path.startswith(r + "/") for r in roots)


def parse_file_label(entry: Any, where: str, roots: tuple[str, ...] = ()) -> FileLabel:
    e = _keys(entry, FILE_KEYS, FILE_KEYS - {"via"}, where)
    path = _rel_path(e["path"], where)
    _need(_under(path, roots), where, f"{path} is outside the repository's paths")
    verdict, category, reason = _verdict(e, where)
    via = e.get("via", "flagged")
    _need(via in VIA, where, f"via must be one of {list(VIA)}")
    return FileLabel(path, verdict, category, reason, str(via))


def parse_history_label(entry: Any, where: str) -> HistoryLabel:
    e = _keys(entry, HISTORY_KEYS, HISTORY_KEYS, where)
    _need(isinstance(e["commit"], str) and bool(_SHA_RE.match(e["commit"])), where,
          "commit must be 40 lower-case hex digits")
    _need(isinstance(e["blob"], str) and bool(_SHA_RE.match(e["blob"])), where,
          "blob must be 40 lower-case hex digits")
    _need(isinstance(e["rule"], str) and e["rule"] != "", where, "rule must be a string")
    verdict, category, reason = _verdict(e, where)
    return HistoryLabel(e["commit"], _rel_path(e["path"], where), e["rule"], e["blob"],
                        verdict, category, reason)


def _header(doc: dict[str, Any], where: str) -> tuple[str, str, str, str, tuple[str, ...]]:
    repo, commit, branch = doc.get("repository"), doc.get("commit"), doc.get("branch")
    _need(isinstance(repo, str) and bool(_REPO_RE.match(repo)), where,
          "repository must be owner/name")
    _need(isinstance(commit, str) and bool(_SHA_RE.match(commit)), where,
          "commit must be 40 lower-case hex digits")
    _need(isinstance(branch, str) and branch != "", where, "branch must be a string")
    why = doc.get("why", "")
    _need(isinstance(why, str), where, "why must be a string")
    paths = doc.get("paths") or []
    _need(isinstance(paths, list), where, "paths must be a list")
    roots = tuple(_rel_path(p, f"{where}: paths") for p in paths)
    return str(repo), str(commit), str(branch), str(why), roots


def parse_repo(doc: Any, where: str) -> Repo:
    """One catalogue file's content, validated (CatalogueError names what is wrong)."""
    d = _keys(doc, REPO_KEYS, {"repository", "commit", "branch", "files"}, where)
    repo, commit, branch, why, roots = _header(d, where)
    history = d.get("history", False)
    _need(isinstance(history, bool), where, "history must be true or false")
    files: dict[str, FileLabel] = {}
    for i, entry in enumerate(d.get("files") or []):
        label = parse_file_label(entry, f"{where}: files[{i}]", roots)
        _need(label.path not in files, f"{where}: files[{i}]", f"{label.path} labelled twice")
        files[label.path] = label
    found: dict[tuple[str, str, str], HistoryLabel] = {}
    for i, entry in enumerate(d.get("history_findings") or []):
        h = parse_history_label(entry, f"{where}: history_findings[{i}]")
        _need(h.key not in found, f"{where}: history_findings[{i}]", f"{h.key} labelled twice")
        found[h.key] = h
    _need(history or not found, where, "history_findings without history: true")
    return Repo(repo, commit, branch, why, roots, history, files, found)


def load_repo(path: Path) -> Repo:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise CatalogueError(f"{path.name}: not valid YAML: {e}") from e
    repo = parse_repo(doc, path.name)
    _need(path.stem == repo.slug, path.name, f"file name must be {repo.slug}.yaml")
    return repo


def load_catalogue(folder: Path = CATALOGUE) -> list[Repo]:
    """Every catalogue file in `folder`, sorted by repository name."""
    repos = [load_repo(p) for p in sorted(folder.glob("*.yaml"))]
    return sorted(repos, key=lambda r: r.repository.lower())
