"""Small, -z safe helpers around the git command line (no GitPython on the hot path)."""

from __future__ import annotations

import functools
import subprocess
from collections.abc import Sequence
from pathlib import Path

from scanner.errors import GitError


def git(args: Sequence[str], cwd: Path | str | None = None, check: bool = True,
        input_bytes: bytes | None = None) -> bytes:
    try:
        proc = subprocess.run(
            ["git", *args], cwd=cwd, input=input_bytes, capture_output=True, check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if check and proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = message[-1] if message else f"exit code {proc.returncode}"
        raise GitError(f"git {' '.join(args[:2])} failed: {reason}")
    return proc.stdout


def zsplit(data: bytes) -> list[str]:
    return [part.decode("utf-8", "surrogateescape") for part in data.split(b"\0") if part]


def repo_root(path: Path | str = ".") -> Path | None:
    """The work-tree root containing `path`, or None outside a repository."""
    start = Path(path)
    folder = start if start.is_dir() else start.parent
    return _toplevel(str(folder.resolve()))


@functools.lru_cache(maxsize=64)
def _toplevel(folder: str) -> Path | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=folder or ".",
            capture_output=True, check=False,
        )
    except (FileNotFoundError, NotADirectoryError):
        return None
    if out.returncode != 0 or not out.stdout.strip():
        return None
    return Path(out.stdout.decode("utf-8", "surrogateescape").strip())


def ls_files(folder: Path) -> list[str]:
    """Tracked plus untracked-but-not-ignored files below `folder`, relative to it."""
    args = ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."]
    out = git(args, cwd=folder)
    return sorted(set(zsplit(out)))
