"""Is a path still there, in what is being judged? A baseline entry whose file is gone was
renamed or moved, so its secret is known at the new path (scanner/baseline.py).

Each predicate is asked only when a finding's secret is known at another path, so git is
run rarely, once per path.
"""

from __future__ import annotations

import functools
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

Exists = Callable[[str], bool]


def in_worktree(root: Path) -> Exists:
    return lambda path: os.path.lexists(root / path)


def _object_exists(root: Path, spec: str) -> bool:
    from scanner.sources.gitcmd import git_argv, git_environ
    from scanner.sources.staged import git_env

    # git with the safe options: reading the index runs core.fsmonitor otherwise
    proc = subprocess.run(git_argv(["cat-file", "-e", spec]), cwd=root, capture_output=True,
                          check=False, env=git_environ(git_env(Path.cwd())),
                          stdin=subprocess.DEVNULL)
    return proc.returncode == 0


def in_index(root: Path) -> Exists:
    """In the index the next commit is made from (GIT_INDEX_FILE is honoured)."""
    return functools.lru_cache(maxsize=None)(lambda path: _object_exists(root, f":{path}"))


def in_commit(root: Path, commit: str) -> Exists:
    return functools.lru_cache(maxsize=None)(
        lambda path: _object_exists(root, f"{commit}:{path}"))
