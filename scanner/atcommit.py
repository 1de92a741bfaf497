"""The configuration and baseline as a commit has them (a pull request is judged with its
base commit's, so the PR cannot allowlist its own secret)."""

from __future__ import annotations

from pathlib import Path

from scanner.config import CONFIG_NAMES, Config
from scanner.errors import GitError
from scanner.sources.gitcmd import git

MAX_BYTES = 16 * 1024 * 1024


def show(root: Path, commit: str, path: str) -> str | None:
    """The text of `path` at `commit`, or None when it is not there."""
    try:  # git with the safe options and environment: the repository is untrusted
        data = git(["cat-file", "blob", f"{commit}:{path}"], cwd=root)
    except GitError:
        return None
    if len(data) > MAX_BYTES:
        return None
    return data.decode("utf-8", "replace")


def config_at(root: Path, commit: str) -> Config:
    from scanner.config_schema import parse_config_text

    for name in CONFIG_NAMES:
        text = show(root, commit, name)
        if text is not None:
            return parse_config_text(text, Path(name), f"{commit[:12]}:{name}")
    text = show(root, commit, "pyproject.toml")
    if text is not None and "[tool.sealguard" in text:
        return parse_config_text(text, Path("pyproject.toml"), f"{commit[:12]}:pyproject.toml")
    return Config()


def baseline_at(root: Path, commit: str, config: Config, folder: Path) -> Path | None:
    """The commit's baseline copied into `folder` (None when the commit has none)."""
    from scanner.baseline import BASELINE_NAME

    name = config.baseline or BASELINE_NAME
    text = show(root, commit, name)
    if text is None:
        return None
    target = folder / f"base-{Path(name).name}"
    target.write_text(text, encoding="utf-8")
    return target
