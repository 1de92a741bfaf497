"""Which configuration and which baseline apply: one rule for every command.

The configuration is the one at the *root* of the repository being scanned:
`.sealguard.yaml` (or `.sealguard.yml`), else `[tool.sealguard]` in `pyproject.toml`.
`--config FILE` replaces it. The root is the git work tree that holds the scanned paths (for
`scan --staged`, `diff`, `history`, `ci`: the repository of the current directory); outside
a repository it is the folder named (or the folder of the file named, or the current
directory), and its configuration is the nearest one in that folder or above it. Where you
stand never matters, and inside a repository a `.sealguard.yaml` in a sub-folder is not read
(sealguard says so when a scanned path lies below one).

The baseline is `--baseline FILE`, else the file the configuration's `baseline:` key names
(relative to the root), else `.sealguard-baseline.json` at the root when it exists;
`--no-baseline` turns it off. A sealguard baseline also provides the repository's
fingerprint key (scanner/findings.py).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path

import click

from scanner.config import CONFIG_NAMES, Config, find_config, load_config
from scanner.errors import ConfigError, SealguardError


def root_of(paths: Sequence[str] = ()) -> Path:
    """The root the paths belong to (see the module docstring); the cwd's without paths."""
    from scanner.sources.gitcmd import repo_root

    if not paths:
        cwd = Path.cwd()
        return repo_root(cwd) or cwd.resolve()
    roots = {_root_of_one(Path(p)) for p in paths}
    if len(roots) > 1:
        raise SealguardError("the paths belong to different repositories: scan one at a time")
    return roots.pop()


def _root_of_one(path: Path) -> Path:
    from scanner.sources.gitcmd import repo_root

    found = repo_root(path) if path.exists() else None
    if found is not None:
        return found
    folder = path if path.is_dir() else path.parent
    return (folder if str(folder) else Path(".")).resolve()


def resolve_config(config_path: str | None, root: Path) -> Config:
    if config_path:
        path = Path(config_path)
        if not path.exists():  # a FIFO or a device: the loader says why it is not read
            raise SealguardError(f"{config_path}: configuration file not found")
        return load_config(path)
    from scanner.sources.gitcmd import repo_root

    if repo_root(root) is not None:
        return load_config(find_config(root))
    for folder in (root, *root.parents):
        found = find_config(folder)
        if found is not None:
            return load_config(found)
    return load_config(None)


def ignored_configs(paths: Sequence[str], root: Path) -> list[Path]:
    """Configuration files in folders between the scanned paths and the root: not read."""
    found: set[Path] = set()
    for arg in paths:
        try:
            start = Path(arg).resolve()
        except (OSError, RuntimeError):  # a symlink loop named on the command line
            start = Path(os.path.abspath(arg))
        folder = start if start.is_dir() else start.parent
        while folder != root and root in folder.parents:
            found.update(folder / n for n in CONFIG_NAMES if (folder / n).is_file())
            folder = folder.parent
    return sorted(found)


def note_ignored_configs(paths: Sequence[str], root: Path, config_path: str | None) -> None:
    if config_path:
        return
    for path in ignored_configs(paths, root):
        click.echo(f"sealguard: note: {display(path)} is not read: the repository root's "
                   "configuration applies to every path (use --config to choose another)",
                   err=True)


def locate_baseline(root: Path, config: Config, option: str | None,
                    disabled: bool = False) -> Path | None:
    if disabled:
        return None
    if option:
        return Path(option)
    if config.baseline:
        named = root / config.baseline
        if not named.is_file():
            raise ConfigError(f"{config.source}: 'baseline': {config.baseline} not found at the "
                              "repository root")
        return named
    from scanner.baseline import BASELINE_NAME

    default = root / BASELINE_NAME
    return default if default.is_file() else None


def keyed(config: Config, baseline: Path | None) -> Config:
    """The configuration with the fingerprint key of the repository's baseline."""
    if baseline is None or not baseline.is_file():
        return config
    from scanner.baseline import is_sealguard, parse_json, read_text

    text = read_text(baseline)
    if not text.lstrip().startswith("{"):
        return config  # a .gitleaksignore
    doc = parse_json(text, str(baseline))
    key = doc.get("key") if is_sealguard(doc) else None
    if not isinstance(key, str):
        return config
    try:
        return dataclasses.replace(config, fingerprint_key=bytes.fromhex(key))
    except ValueError:
        raise ConfigError(f"{baseline}: 'key' is not hex") from None


def display(path: Path) -> str:
    try:
        return os.path.relpath(path, Path.cwd())
    except ValueError:  # another drive on Windows
        return str(path)
