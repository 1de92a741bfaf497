"""`sealguard install-hook`: a plain pre-commit hook that runs `sealguard scan --staged`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import commit_file, git
from helpers import cli
from test_staged import CONFIG, fake_token

from scanner.install_hook import MARKER, install


def test_install_is_idempotent_and_executable(git_repo: Path) -> None:
    result = cli("install-hook")
    assert result.exit_code == 0 and "installed" in result.output
    hook = git_repo / ".git" / "hooks" / "pre-commit"
    assert MARKER in hook.read_text() and "scan --staged" in hook.read_text()
    assert os.access(hook, os.X_OK)
    again = cli("install-hook")
    assert again.exit_code == 0 and "unchanged" in again.output


def test_foreign_hook_needs_force_and_is_kept(git_repo: Path) -> None:
    hook = git_repo / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text("#!/bin/sh\necho mine\n")
    refused = subprocess.run([sys.executable, "-m", "scanner", "install-hook"], cwd=git_repo,
                             capture_output=True, text=True, check=False)
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert hook.read_text() == "#!/bin/sh\necho mine\n"
    forced = cli("install-hook", "--force")
    assert forced.exit_code == 0
    assert (hook.parent / "pre-commit.legacy").read_text() == "#!/bin/sh\necho mine\n"
    assert MARKER in hook.read_text()


def test_core_hooks_path_is_honoured(git_repo: Path) -> None:
    git(git_repo, "config", "core.hooksPath", "githooks")
    done = install(git_repo)
    assert done.path == git_repo / "githooks" / "pre-commit"
    assert done.path.is_file()


def test_hook_blocks_a_commit_with_a_staged_secret(git_repo: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    commit_file(git_repo, ".sealguard.yaml", CONFIG, "config")
    install(git_repo)
    # The hook runs this Python by its path: no virtual environment on PATH needed.
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    (git_repo / "app.py").write_text(f"key = '{fake_token(1)}'\n")
    git(git_repo, "add", "app.py")
    blocked = subprocess.run(["git", "commit", "-q", "-m", "leak"], cwd=git_repo,
                             capture_output=True, text=True, check=False)
    assert blocked.returncode != 0
    assert "test-token" in blocked.stdout + blocked.stderr
    assert fake_token(1) not in blocked.stdout + blocked.stderr
    (git_repo / "app.py").write_text("key = os.environ['KEY']\n")
    git(git_repo, "add", "app.py")
    ok = subprocess.run(["git", "commit", "-q", "-m", "clean"], cwd=git_repo,
                        capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stdout + ok.stderr
