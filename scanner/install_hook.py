"""`sealguard install-hook`: a plain `.git/hooks/pre-commit` that runs `sealguard scan --staged`.

For teams without the pre-commit framework. The hooks folder honours `core.hooksPath`. A hook
we wrote (it carries MARKER) is replaced freely; anyone else's needs `--force`, and is kept
beside ours as `pre-commit.legacy`.
"""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from scanner.errors import GitError, SealguardError
from scanner.sources.gitcmd import git

MARKER = "# installed by sealguard install-hook"


@dataclass(frozen=True)
class HookResult:
    path: Path
    action: str  # installed | updated | unchanged
    backup: Path | None = None


def hooks_dir(cwd: Path) -> Path:
    out = git(["rev-parse", "--git-path", "hooks"], cwd=cwd, check=False)
    if not out.strip():
        raise GitError(f"{cwd}: not inside a git repository")
    path = Path(out.decode("utf-8", "surrogateescape").strip())
    return path if path.is_absolute() else (cwd / path)


def _command() -> str:
    if shutil.which("sealguard"):
        return "sealguard"
    return f"{shlex.quote(sys.executable)} -m scanner"


def hook_text(command: str | None = None) -> str:
    run = command or _command()
    return (
        "#!/bin/sh\n"
        f"{MARKER}\n"
        "# Blocks commits whose staged content holds a plaintext secret or a non-sealed\n"
        "# Kubernetes Secret. Skip once with `git commit --no-verify` (and mean it).\n"
        f"exec {run} scan --staged\n"
    )


def install(cwd: Path, force: bool = False) -> HookResult:
    folder = hooks_dir(cwd)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "pre-commit"
    text = hook_text()
    backup = None
    action = "installed"
    if target.exists() or target.is_symlink():
        current = target.read_text("utf-8", "replace") if target.is_file() else ""
        if MARKER not in current:
            if not force:
                raise SealguardError(f"{target} exists and was not written by sealguard; "
                                     "rerun with --force to replace it (it is kept as "
                                     "pre-commit.legacy)")
            backup = folder / "pre-commit.legacy"
            os.replace(target, backup)
        elif current == text:
            return HookResult(target, "unchanged")
        else:
            action = "updated"
    target.write_text(text, encoding="utf-8")
    target.chmod(target.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return HookResult(target, action, backup)
