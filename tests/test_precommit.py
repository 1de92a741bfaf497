"""The hook through the real pre-commit framework: `try-repo`, and a real `git commit`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import git

# A clearly fake AWS-shaped access key id (AKIA + 16 of [A-Z2-7]); not a real credential.
FAKE_AWS = "AKIA" + "Z7QFAKE3TESTW4XY"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is required")


def _pre_commit(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)


def _env(pc_home: Path) -> dict[str, str]:
    return {**os.environ, "PRE_COMMIT_HOME": str(pc_home), "PRE_COMMIT_COLOR": "never"}


def test_try_repo_blocks_staged_secret_and_passes_clean(
    git_repo: Path, hook_repo: tuple[Path, str, Path]
) -> None:
    snap, _, pc_home = hook_repo
    (git_repo / "deploy.env").write_text(f"AWS_ACCESS_KEY_ID={FAKE_AWS}\n")
    git(git_repo, "add", ".")
    bad = _pre_commit("try-repo", str(snap), "sealguard", cwd=git_repo, env=_env(pc_home))
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "deploy.env" in bad.stdout and "AKIA…W4XY" in bad.stdout
    assert FAKE_AWS not in bad.stdout + bad.stderr

    (git_repo / "deploy.env").write_text("AWS_REGION=eu-west-1\n")
    git(git_repo, "add", ".")
    good = _pre_commit("try-repo", str(snap), "sealguard", cwd=git_repo, env=_env(pc_home))
    assert good.returncode == 0, good.stdout + good.stderr


def test_installed_hook_blocks_real_commit(
    git_repo: Path, hook_repo: tuple[Path, str, Path]
) -> None:
    snap, sha, pc_home = hook_repo
    env = _env(pc_home)
    (git_repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {snap}\n    rev: {sha}\n    hooks:\n      - id: sealguard\n"
    )
    assert _pre_commit("install", cwd=git_repo, env=env).returncode == 0
    git(git_repo, "add", ".")
    subprocess.run(["git", "commit", "-qm", "config"], cwd=git_repo, env=env, check=True,
                   capture_output=True)

    (git_repo / "app.py").write_text(f"KEY = '{FAKE_AWS}'\n")
    git(git_repo, "add", "app.py")
    blocked = subprocess.run(["git", "commit", "-m", "add key"], cwd=git_repo, env=env,
                             capture_output=True, text=True, check=False)
    assert blocked.returncode != 0
    assert "aws-access-key-id" in blocked.stdout + blocked.stderr
    assert FAKE_AWS not in blocked.stdout + blocked.stderr

    (git_repo / "app.py").write_text("KEY = os.environ['AWS_ACCESS_KEY_ID']\n")
    git(git_repo, "add", "app.py")
    clean = subprocess.run(["git", "commit", "-m", "use env"], cwd=git_repo, env=env,
                           capture_output=True, text=True, check=False)
    assert clean.returncode == 0, clean.stdout + clean.stderr
