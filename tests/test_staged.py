"""`scan --staged` reads the git index, never the working tree."""

from __future__ import annotations

import json
import os
import random
import string
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import commit_file, git
from helpers import cli

from scanner.sources.staged import staged_blobs

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


def fake_token(seed: int) -> str:
    """Well-formed for the test rule, clearly fake (a seeded random string)."""
    rng = random.Random(seed)
    return "sgtest_" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(32))


def setup_repo(repo: Path) -> None:
    commit_file(repo, ".sealguard.yaml", CONFIG, "config")


def staged_json() -> dict[str, object]:
    result = cli("scan", "--staged", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_partial_staging_scans_only_the_staged_version(git_repo: Path) -> None:
    setup_repo(git_repo)
    staged, unstaged = fake_token(1), fake_token(2)
    (git_repo / "app.py").write_text(f"a = 1\nkey = '{staged}'\n")
    git(git_repo, "add", "app.py")
    (git_repo / "app.py").write_text(f"# new header\n\na = 1\nkey = '{staged}'\nb = '{unstaged}'\n")
    report = staged_json()
    findings = report["findings"]
    assert isinstance(findings, list) and len(findings) == 1
    assert findings[0]["path"] == "app.py"
    assert findings[0]["line"] == 2  # the line in the staged content, not the working tree
    assert staged not in json.dumps(report)


def test_secret_only_in_working_tree_is_not_reported(git_repo: Path) -> None:
    setup_repo(git_repo)
    (git_repo / "app.py").write_text("a = 1\n")
    git(git_repo, "add", "app.py")
    (git_repo / "app.py").write_text(f"a = '{fake_token(3)}'\n")
    assert staged_json()["findings"] == []


def test_unborn_branch_and_subdirectory(git_repo: Path) -> None:
    (git_repo / ".sealguard.yaml").write_text(CONFIG)
    (git_repo / "deploy").mkdir()
    (git_repo / "deploy" / "x.env").write_text(f"TOKEN={fake_token(4)}\n")
    git(git_repo, "add", ".")
    items = list(staged_blobs(git_repo / "deploy"))
    assert sorted(getattr(i, "path", "") for i in items) == [".sealguard.yaml", "deploy/x.env"]


def test_git_index_file_is_honoured(git_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    setup_repo(git_repo)
    (git_repo / "app.py").write_text(f"key = '{fake_token(5)}'\n")
    env = {**os.environ, "GIT_INDEX_FILE": ".git/other-index"}
    subprocess.run(["git", "read-tree", "HEAD"], cwd=git_repo, env=env, check=True)
    subprocess.run(["git", "add", "app.py"], cwd=git_repo, env=env, check=True)
    assert [getattr(i, "path", "") for i in staged_blobs(git_repo)] == []  # default index
    monkeypatch.setenv("GIT_INDEX_FILE", ".git/other-index")  # relative, as git sets it
    assert [getattr(i, "path", "") for i in staged_blobs(git_repo)] == ["app.py"]


def test_binary_is_scanned_symlink_and_submodule_are_counted(git_repo: Path) -> None:
    setup_repo(git_repo)
    (git_repo / "blob.bin").write_bytes(b"\0\1\2" + fake_token(6).encode())
    os.symlink("blob.bin", git_repo / "link")
    git(git_repo, "add", "blob.bin", "link")
    head = git(git_repo, "rev-parse", "HEAD").strip()
    git(git_repo, "update-index", "--add", "--cacheinfo", f"160000,{head},vendor/sub")
    report = staged_json()
    assert [f["path"] for f in report["findings"]] == ["blob.bin"]  # type: ignore[index]
    assert report["summary"]["binary"] == 1  # type: ignore[index]
    skipped = report["summary"]["skipped"]  # type: ignore[index]
    assert skipped["binary"] == 0 and skipped["symlink"] == 1 and skipped["submodule"] == 1


def test_too_large_is_skipped_and_counted(git_repo: Path) -> None:
    (git_repo / ".sealguard.yaml").write_text(CONFIG + "max_file_size: 1KB\n")
    git(git_repo, "add", ".sealguard.yaml")
    git(git_repo, "commit", "-q", "-m", "config")
    (git_repo / "big.txt").write_text(("x" * 100 + "\n") * 50 + fake_token(7) + "\n")
    git(git_repo, "add", "big.txt")
    items = list(staged_blobs(git_repo, max_bytes=1024))
    assert [getattr(i, "reason", "") for i in items] == ["too_large"]


HOOK_IMPORTS = """\
import atexit, sys
heavy = ("multiprocessing", "pickle", "socket", "concurrent", "asyncio")
atexit.register(lambda: print(sorted(m for m in sys.modules if m.split(".")[0] in heavy)))
from scanner.cli import main
main(["scan", "--staged", "--quiet"])
"""


def test_the_hook_imports_no_process_machinery(git_repo: Path) -> None:
    """`scan --staged` on a small commit runs in-process: multiprocessing (10 ms of the
    hook's CPU, pulled in by the ReDoS guard's module) and friends stay unimported, with
    or without an allowlist regex."""
    setup_repo(git_repo)
    (git_repo / "app.py").write_text(f"key = '{fake_token(3)}'\n")
    git(git_repo, "add", "app.py")
    run = subprocess.run([sys.executable, "-c", HOOK_IMPORTS], capture_output=True, text=True)
    assert run.returncode == 1, run.stderr  # the staged token was found
    assert run.stdout.strip().splitlines()[-1] == "[]"
    with (git_repo / ".sealguard.yaml").open("a", encoding="utf-8") as config:
        config.write("  regexes: ['^nothing-matches-this$']\n")
    git(git_repo, "add", ".sealguard.yaml")
    run = subprocess.run([sys.executable, "-c", HOOK_IMPORTS], capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "[]"
