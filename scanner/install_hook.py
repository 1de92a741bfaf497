"""`sealguard install-hook`: a plain `.git/hooks/pre-commit` that runs `sealguard scan --staged`.

For teams without the pre-commit framework. The hooks folder honours `core.hooksPath`. A hook
we wrote (it carries MARKER) is replaced freely; anyone else's needs `--force`, and is kept
beside ours as `pre-commit.legacy`, which our hook runs first (its failure stops the commit).

The hook runs sealguard with the Python that installed it (an absolute path), so it works in
GUI clients and shells where the virtual environment is not on PATH; if that Python is gone,
it falls back to a `sealguard` on PATH, else it says how to reinstall.
"""

from __future__ import annotations

import os
import shlex
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


LEGACY = "pre-commit.legacy"


def hook_text(python: str | None = None) -> str:
    exe = shlex.quote(Path(python or sys.executable).as_posix())
    return (
        "#!/bin/sh\n"
        f"{MARKER}\n"
        "# Blocks commits whose staged content holds a plaintext secret or a non-sealed\n"
        "# Kubernetes Secret. Skip once with `git commit --no-verify` (and mean it).\n"
        f'legacy="$(dirname "$0")/{LEGACY}"\n'
        'if [ -x "$legacy" ]; then "$legacy" "$@" || exit $?; fi\n'
        f"python={exe}\n"
        'if [ -x "$python" ]; then exec "$python" -m scanner scan --staged; fi\n'
        "if command -v sealguard >/dev/null 2>&1; then exec sealguard scan --staged; fi\n"
        'echo "sealguard: $python is gone: run \\`sealguard install-hook\\` again" >&2\n'
        "exit 1\n"
    )


def install(cwd: Path, force: bool = False) -> HookResult:
    try:
        return _install(cwd, force)
    except OSError as exc:  # an odd core.hooksPath: a file, unwritable, a dangling link
        where = exc.filename or cwd
        raise SealguardError(f"{where}: cannot install the hook: {exc.strerror or exc}") \
            from None


def _install(cwd: Path, force: bool = False) -> HookResult:
    folder = hooks_dir(cwd)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "pre-commit"
    text = hook_text()
    backup = None
    action = "installed"
    if target.exists() or target.is_symlink():
        current = _current(target)
        if MARKER not in current:
            if not force:
                raise SealguardError(f"{target} exists and was not written by sealguard; "
                                     "rerun with --force to install ours in front of it "
                                     "(it is kept as pre-commit.legacy and still runs)")
            backup = folder / LEGACY
            if backup.exists() or backup.is_symlink():
                raise SealguardError(f"{backup} exists already: merge {target} into it by "
                                     "hand, then run install-hook again")
            os.replace(target, backup)
        elif current == text:
            return HookResult(target, "unchanged")
        else:
            action = "updated"
    target.write_text(text, encoding="utf-8")
    target.chmod(target.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return HookResult(target, action, backup)


def _current(target: Path) -> str:
    """The existing hook's text ("" for anything but a regular file: never read a FIFO)."""
    from scanner.safeio import is_regular, read_regular

    if not is_regular(target):
        return ""
    return read_regular(target, "existing hook", 1 << 20).decode("utf-8", "replace")
