"""Shared helpers of the hostile-input suite: run the real CLI as a process with a time
limit, and check the promises every case makes (exit code, no traceback, no full secret,
no raw control character in text output)."""

from __future__ import annotations

import os
import random
import string
import subprocess
import sys
from pathlib import Path

import pytest

# The custom rule of the suite: a well-formed, clearly fake token shape.
CONFIG = """\
rules:
  custom:
    - id: test-token
      name: Test token
      family: saas
      severity: high
      keywords: [sgtest_]
      regex: '\\b(sgtest_[A-Za-z0-9]{32})\\b'
      reference: test fixture
      examples: ["t = sgtest_Ab3dE5gH7jK9mN1pQ3sT5vX7zB9dF1hJ"]
      negative_examples: ["sgtest_short", "nothing here"]
allowlist:
  paths: [".sealguard.yaml"]
"""

SECRET_MANIFEST = """\
apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  password: "Zq8#vR2!mK9pL4xTw"
"""
MANIFEST_SECRET = "Zq8#vR2!mK9pL4xTw"
TIMEOUT = 60
CONTROL = {chr(c) for c in range(32) if chr(c) not in "\n"} | {"\x7f"} | \
    {chr(c) for c in range(0x80, 0xA0)} | {"\u202e", "\u2066", "\u200f"}


def token(seed: int) -> str:
    rng = random.Random(seed)
    return "sgtest_" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(32))


def github_token(seed: int) -> str:
    """A well-formed, clearly fake classic GitHub token (a built-in rule finds it)."""
    rng = random.Random(seed)
    return "ghp_" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(36))


def sg(*args: str, cwd: Path, env: dict[str, str] | None = None,
       timeout: float = TIMEOUT, stdin: int | None = subprocess.DEVNULL,
       stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    """`sealguard ARGS` as a real process; a run past `timeout` is a hang, a failure."""
    full = dict(os.environ, **(env or {}))
    try:
        return subprocess.run([sys.executable, "-m", "scanner", *args], cwd=cwd, env=full,
                              stdin=stdin, stdout=stdout, stderr=subprocess.PIPE,
                              timeout=timeout, check=False, text=True, errors="replace")
    except subprocess.TimeoutExpired:
        pytest.fail(f"sealguard {' '.join(args)} hung (over {timeout}s)")


def check(proc: subprocess.CompletedProcess[str], code: int, *secrets: str,
          text: bool = True) -> None:
    """The promises: the exit code, no traceback, no full secret anywhere, and (text
    output) no raw control character."""
    out, err = proc.stdout or "", proc.stderr or ""
    assert "Traceback" not in out + err and "internal error" not in err, err[-3000:]
    assert proc.returncode == code, \
        f"exit {proc.returncode}, expected {code}\n{out[-2000:]}\n{err[-2000:]}"
    for secret in secrets:
        assert secret not in out and secret not in err, "a full secret was printed"
    if text:
        raw = sorted({ch for ch in out + err if ch in CONTROL})
        assert not raw, f"raw control characters in output: {raw!r}"


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          env=dict(os.environ, **(env or {}))).stdout.decode("utf-8", "replace")


def new_repo(path: Path, config: str = CONFIG) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q")
    (path / ".sealguard.yaml").write_text(config)
    git(path, "add", ".sealguard.yaml")
    git(path, "commit", "-q", "-m", "config")
    return path


def commit_all(repo: Path, message: str = "change") -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


def remove_tree(top: Path) -> None:
    """Delete a tree of any depth without recursion (shutil.rmtree recurses: a tree left
    1,500 folders deep makes pytest's clean-up of old temp dirs die in a later run)."""
    stack, folders = [str(top)], []
    while stack:
        folder = stack.pop()
        folders.append(folder)
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    os.unlink(entry.path)
    for folder in reversed(folders):
        os.rmdir(folder)
