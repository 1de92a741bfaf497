"""Repository discovery and metadata through GitPython: the one module that imports it.

Used by `history` (not the hook path, which talks to `git` directly through
`scanner.sources.gitcmd`). A `git.Repo` is never shared across threads or processes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scanner.errors import GitError


@dataclass(frozen=True)
class RepoInfo:
    git_dir: Path
    work_tree: Path | None  # None for a bare repository
    shallow: bool
    cwd: Path  # where to run git commands: the folder asked about (bare repos, worktrees)

    @property
    def bare(self) -> bool:
        return self.work_tree is None


def discover(path: Path | str = ".") -> RepoInfo:
    import git

    try:
        repo = git.Repo(str(path), search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise GitError(f"{path}: not a git repository (or any of its parents)") from None
    try:
        tree = None if repo.bare else repo.working_tree_dir
        if tree and not (Path(tree) / ".git").exists():
            tree = None  # a bare repository without core.bare (a mirror folder)
        shallow = (Path(repo.common_dir) / "shallow").is_file()
        return RepoInfo(Path(repo.git_dir), Path(tree) if tree else None, shallow,
                        Path(path).resolve())
    finally:
        repo.close()
