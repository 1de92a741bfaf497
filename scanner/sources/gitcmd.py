"""Small, -z safe helpers around the git command line (no GitPython on the hot path)."""

from __future__ import annotations

import functools
import os
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from scanner.errors import GitError

# A repository being scanned is untrusted: its own configuration must not make git run a
# program when sealguard reads it (fsmonitor hooks, external diff drivers, textconv filters,
# pagers). These options come first on every git command sealguard runs.
SAFE_CONFIG = (
    "-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false",
    "-c", "diff.external=", "-c", "core.pager=cat", "-c", "color.ui=false",
    "-c", "core.quotePath=true", "-c", "log.showSignature=false", "-c", "diff.noprefix=false",
    "-c", "diff.mnemonicPrefix=false", "-c", "diff.relative=false", "-c", "log.follow=false",
    "-c", "diff.ignoreSubmodules=none", "-c", "diff.submodule=short",
)
# Variables of the caller that would make git run a program or change its machine output.
DROPPED_ENV = ("GIT_EXTERNAL_DIFF", "GIT_PAGER", "PAGER", "GIT_DIFF_OPTS", "GIT_TRACE",
               "GIT_TRACE2", "GIT_TRACE2_EVENT", "GIT_TRACE2_PERF", "GIT_ASKPASS",
               "GIT_FLUSH", "GIT_OPTIONAL_LOCKS", "GIT_TERMINAL_PROMPT")


# Commands that can show patches: never through a diff driver or a textconv program.
PATCH_COMMANDS = frozenset({"diff", "log", "show"})


def git_argv(args: Sequence[str]) -> list[str]:
    argv = ["git", *SAFE_CONFIG, *args]
    if args and args[0] in PATCH_COMMANDS:
        argv[len(SAFE_CONFIG) + 2:len(SAFE_CONFIG) + 2] = ["--no-ext-diff", "--no-textconv"]
    return argv


def git_environ(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment git runs in: the caller's (GIT_DIR, GIT_INDEX_FILE set by hooks are
    kept) less what could run code or change output; never a terminal prompt. Objects are
    read as they are: replace refs (refs/replace/*, which a mirror clone fetches) and an
    info/grafts file would let a repository show a history without its secret."""
    env = {k: v for k, v in (base if base is not None else os.environ).items()
           if k not in DROPPED_ENV}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", GIT_NO_REPLACE_OBJECTS="1",
               GIT_GRAFT_FILE=os.devnull)
    return env


def popen(args: Sequence[str], cwd: Path | str | None, env: Mapping[str, str] | None = None,
          stdin: int | None = None, stderr: int | None = subprocess.PIPE,
          bufsize: int = -1) -> subprocess.Popen[bytes]:
    """A long-running git process (log, cat-file) with the safe options and environment."""
    try:
        return subprocess.Popen(git_argv(args), cwd=cwd, env=git_environ(env), stdin=stdin,
                                stdout=subprocess.PIPE, stderr=stderr, bufsize=bufsize)
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    except NotADirectoryError:
        raise GitError(f"{cwd}: not a directory") from None


def git(args: Sequence[str], cwd: Path | str | None = None, check: bool = True,
        input_bytes: bytes | None = None, env: Mapping[str, str] | None = None) -> bytes:
    try:
        proc = subprocess.run(
            git_argv(args), cwd=cwd, input=input_bytes, capture_output=True, check=False,
            env=git_environ(env), stdin=None if input_bytes is not None else subprocess.DEVNULL,
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
            git_argv(["rev-parse", "--show-toplevel"]), cwd=folder or ".",
            capture_output=True, check=False, env=git_environ(), stdin=subprocess.DEVNULL,
        )
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return None
    if out.returncode != 0 or not out.stdout.strip():
        return None
    return Path(out.stdout.decode("utf-8", "surrogateescape").strip())


def ls_files(folder: Path) -> list[str]:
    """Tracked plus untracked-but-not-ignored files below `folder`, relative to it."""
    args = ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."]
    out = git(args, cwd=folder)
    return sorted(set(zsplit(out)))


def is_ignored(folder: Path) -> bool:
    """Whether .gitignore excludes `folder` itself (a virtualenv, `node_modules/`, a build
    output): git then lists nothing below it (and git 2.39's `ls-files --directory` fails
    there with an internal error)."""
    where = folder.resolve()
    if where.parent == where:
        return False
    out = subprocess.run(
        git_argv(["check-ignore", "-q", "--", where.name]), cwd=where.parent,
        capture_output=True, check=False, env=git_environ(), stdin=subprocess.DEVNULL)
    return out.returncode == 0


def ignored_files(folder: Path) -> list[str]:
    """What .gitignore excludes below `folder` (an ignored folder counts once), relative."""
    args = ["ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory",
            "--", "."]
    return sorted(set(zsplit(git(args, cwd=folder))))


ZERO_OID = "0" * 40


def verify_commit(rev: str, cwd: Path | str) -> str | None:
    """The full commit id `rev` names, or None when it is not in this repository."""
    out = git(["rev-parse", "-q", "--verify", "--end-of-options", f"{rev}^{{commit}}"],
              cwd=cwd, check=False)
    text = out.decode("ascii", "replace").strip()
    return text or None


def shallow_boundary(cwd: Path | str) -> set[str]:
    """Commits whose parents were not fetched (empty unless the clone is shallow)."""
    path = git(["rev-parse", "--git-path", "shallow"], cwd=cwd).decode("utf-8", "surrogateescape")
    shallow = Path(cwd) / path.strip()
    if not shallow.is_file():
        return set()
    return {line.strip() for line in shallow.read_text("ascii", "replace").splitlines() if line}


def head_blob_oids(cwd: Path | str, rev: str = "HEAD") -> dict[str, str]:
    """path -> blob id of every file at `rev` (empty when `rev` does not exist)."""
    if verify_commit(rev, cwd) is None:
        return {}
    out = git(["ls-tree", "-r", "-z", "--full-tree", rev], cwd=cwd)
    tree: dict[str, str] = {}
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        fields = meta.split()
        if len(fields) == 3 and fields[1] == b"blob":
            tree[path.decode("utf-8", "surrogateescape")] = fields[2].decode("ascii")
    return tree


def unquote_path(raw: bytes) -> str:
    """Undo git's C-style quoting of unusual path names ("a\\tb", octal bytes)."""
    if not (raw.startswith(b'"') and raw.endswith(b'"') and len(raw) >= 2):
        return raw.decode("utf-8", "surrogateescape")
    body, out, i = raw[1:-1], bytearray(), 0
    escapes = {ord("n"): 10, ord("t"): 9, ord("r"): 13, ord("a"): 7, ord("b"): 8,
               ord("f"): 12, ord("v"): 11, ord('"'): 34, ord("\\"): 92}
    while i < len(body):
        ch = body[i]
        if ch == 92 and i + 1 < len(body):
            nxt = body[i + 1]
            if 48 <= nxt <= 55 and i + 3 < len(body) + 1:
                out.append(int(body[i + 1:i + 4], 8))
                i += 4
                continue
            out.append(escapes.get(nxt, nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return bytes(out).decode("utf-8", "surrogateescape")
