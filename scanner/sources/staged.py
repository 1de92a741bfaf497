"""`scan --staged`: the index entries the next commit adds or changes, read from the index.

The working tree is never read: with partial staging (`git add -p`) only the staged version
is scanned, and line numbers refer to it. GIT_INDEX_FILE is honoured (pre-commit and
`git commit -a` point it at a temporary index).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from scanner.blob import Blob
from scanner.config import DEFAULT_MAX_BYTES
from scanner.errors import GitError
from scanner.sources import Skipped
from scanner.sources.catfile import CatFile
from scanner.sources.gitcmd import git, repo_root
from scanner.sources.text import decode

MODE_SYMLINK = "120000"
MODE_GITLINK = "160000"


@dataclass(frozen=True)
class IndexEntry:
    path: str
    mode: str
    oid: str


def git_env(cwd: Path) -> dict[str, str]:
    """The environment for git, with a relative GIT_INDEX_FILE made absolute."""
    env = dict(os.environ)
    index = env.get("GIT_INDEX_FILE")
    if index and not os.path.isabs(index):
        env["GIT_INDEX_FILE"] = str((cwd / index).resolve())
    return env


def parse_raw(out: bytes) -> Iterator[IndexEntry]:
    """Entries of `git diff --raw -z --no-renames` (one path per entry)."""
    parts = out.split(b"\0")
    for meta, path in zip(parts[0::2], parts[1::2], strict=False):
        fields = meta.lstrip(b":").split()
        if len(fields) < 5:
            continue
        yield IndexEntry(path.decode("utf-8", "surrogateescape"),
                         fields[1].decode("ascii", "replace"), fields[3].decode("ascii", "replace"))


def staged_entries(root: Path, env: dict[str, str], paths: Sequence[str] = (),
                   cwd: Path | None = None) -> list[IndexEntry]:
    """Added/changed index entries; `paths` (relative to `cwd`) limit them like a pathspec.
    Reported paths are always relative to the root."""
    spec = ["--", *[f":(literal){p}" for p in paths]] if paths else []
    out = git(["diff", "--cached", "--raw", "-z", "--no-abbrev", "--no-renames",
               "--no-ext-diff", "--diff-filter=ACMRT", *spec], cwd=cwd or root, env=env)
    return list(parse_raw(out))


def read_entry(cat: CatFile, entry: IndexEntry, max_bytes: int) -> Blob | Skipped:
    if entry.mode == MODE_GITLINK:
        return Skipped(entry.path, "submodule", "not followed")
    if entry.mode == MODE_SYMLINK:
        return Skipped(entry.path, "symlink")
    obj = cat.read(entry.oid, max_bytes)
    if obj.kind == "missing":
        return Skipped(entry.path, "missing", f"index object {entry.oid[:12]} not found")
    if obj.data is None:
        return Skipped(entry.path, "too_large", f"{obj.size} bytes")
    data, binary = decode(obj.data)
    return Blob(path=entry.path, data=data, oid=entry.oid, binary=binary)


def staged_blobs(cwd: Path, max_bytes: int = DEFAULT_MAX_BYTES,
                 paths: Sequence[str] = ()) -> Iterator[Blob | Skipped]:
    """Blobs of every added/changed index entry, paths relative to the repository root."""
    root = repo_root(cwd)
    if root is None:
        raise GitError(f"{cwd}: not inside a git work tree (--staged reads the git index)")
    env = git_env(cwd)
    entries = staged_entries(root, env, paths, cwd)
    if not entries:
        return
    with CatFile(root, env) as cat:
        for entry in entries:
            yield read_entry(cat, entry, max_bytes)


_KUSTOMIZATION_SPECS = [f":(glob)**/{name}" for name in ("kustomization.yaml",
                                                         "kustomization.yml", "Kustomization")]


def index_kustomizations(cwd: Path, max_bytes: int = 1 << 20) -> list[tuple[str, bytes]]:
    """(path, content) of every kustomization in the index: what the commit will hold, so
    a staged file fed to a generator is known as such whether or not its kustomization
    changes in this commit. Outside a repository: none."""
    root = repo_root(cwd)
    if root is None:
        return []
    env = git_env(cwd)
    out = git(["ls-files", "-s", "-z", "--", *_KUSTOMIZATION_SPECS], cwd=root, env=env)
    entries: list[tuple[str, str]] = []
    for record in out.split(b"\0"):
        meta, _, path = record.partition(b"\t")
        fields = meta.split()
        if len(fields) == 3 and fields[0] != b"120000" and fields[2] == b"0":
            entries.append((path.decode("utf-8", "surrogateescape"), fields[1].decode()))
    found: list[tuple[str, bytes]] = []
    with CatFile(root, env) as cat:
        for name, oid in entries:
            obj = cat.read(oid, max_bytes)
            if obj.data is not None:
                found.append((name, obj.data))
    return found
