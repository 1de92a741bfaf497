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
    head: str | None  # None on an unborn branch
    shallow: bool

    @property
    def bare(self) -> bool:
        return self.work_tree is None

    @property
    def cwd(self) -> Path:
        """Where to run git commands (works for bare repositories and worktrees)."""
        return self.work_tree or self.git_dir


def discover(path: Path | str = ".") -> RepoInfo:
    import git

    try:
        repo = git.Repo(str(path), search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise GitError(f"{path}: not a git repository (or any of its parents)") from None
    try:
        tree = None if repo.bare else repo.working_tree_dir
        head = repo.head.commit.hexsha if repo.head.is_valid() else None
        shallow = (Path(repo.common_dir) / "shallow").is_file()
        return RepoInfo(Path(repo.git_dir), Path(tree) if tree else None, head, shallow)
    finally:
        repo.close()
