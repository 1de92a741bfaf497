"""`sealguard scan` end to end: JSON contract, exit codes, skipped files, no secret leaks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import git
from tests.helpers import run_sealguard, scan_json

# Well-formed, clearly fake: matches the custom rule below, never a real credential.
FAKE = "TSTK" + "Q7FAKE9ZW2" + "NOTREAL4X8"
RULE = """\
rules:
  custom:
    - id: test-token
      name: Test token
      family: saas
      severity: high
      keywords: [tstk]
      regex: '\\b(TSTK[A-Z0-9]{20})\\b'
      reference: test-only rule
      examples: ["t = TSTKQ7FAKE9ZW2NOTREAL4X8", "TSTKQ7FAKE9ZW2NOTREAL4X9"]
      negative_examples: ["TSTK123", "xTSTKQ7FAKE9ZW2NOTREAL4X8"]
"""


@pytest.fixture
def project(git_repo: Path) -> Path:
    (git_repo / ".sealguard.yaml").write_text(RULE)
    (git_repo / "app").mkdir()
    (git_repo / "app" / "settings.py").write_text(f"DEBUG = True\nTOKEN = '{FAKE}'\n")
    (git_repo / "app" / "clean.py").write_text("print('hello')\n")
    return git_repo


def test_json_contract(project: Path) -> None:
    doc = scan_json("app")
    assert doc["version"] == 1
    [f] = [f for f in doc["findings"] if f["rule"] == "test-token"]
    assert f["path"] == "app/settings.py"
    assert (f["line"], f["column"]) == (2, 10)
    assert f["category"] == "secret" and f["severity"] == "high"
    assert f["commit"] is None and f["author"] is None and f["date"] is None
    assert f["fingerprint"].startswith("hmac-sha256:") and len(f["fingerprint"]) == 76
    assert f["redacted"].startswith("TSTK") and FAKE not in f["redacted"]
    summary = doc["summary"]
    assert summary["files"] == 2 and summary["findings"] == 1
    assert summary["skipped"] == {"binary": 0, "too_large": 0}
    assert summary["bytes"] == sum(p.stat().st_size for p in (project / "app").iterdir())


def test_exit_codes_follow_fail_on(project: Path) -> None:
    assert run_sealguard("scan", "app").returncode == 1
    assert run_sealguard("scan", "app", "--fail-on", "critical").returncode == 0
    assert run_sealguard("scan", "app/clean.py").returncode == 0
    missing = run_sealguard("scan", "nope")
    assert missing.returncode == 2
    assert "nope" in missing.stderr and "Traceback" not in missing.stderr


def test_no_full_secret_in_any_format(project: Path, tmp_path: Path) -> None:
    for fmt in ("text", "json"):
        proc = run_sealguard("scan", "--format", fmt, "app")
        assert proc.returncode == 1
        assert FAKE not in proc.stdout + proc.stderr
        out = tmp_path / f"report.{fmt}"
        assert run_sealguard("scan", "--format", fmt, "--output", str(out), "app").returncode == 1
        assert FAKE not in out.read_text() and "test-token" in out.read_text()


def test_binary_is_scanned_and_large_files_are_counted(project: Path) -> None:
    (project / "app" / "blob.bin").write_bytes(b"\0\x01" + FAKE.encode())
    (project / "app" / "big.txt").write_text("x" * 2048 + FAKE)
    (project / ".sealguard.yaml").write_text(RULE + "max_file_size: 1024\n")
    doc = scan_json("app")
    assert doc["summary"]["skipped"] == {"binary": 0, "too_large": 1}
    assert doc["summary"]["binary"] == 1
    assert [f["path"] for f in doc["findings"]] == ["app/blob.bin", "app/settings.py"]


def test_folder_in_repo_uses_git_ls_files(project: Path) -> None:
    (project / ".gitignore").write_text("ignored/\n")
    (project / "ignored").mkdir()
    (project / "ignored" / "x.py").write_text(f"t = '{FAKE}'\n")
    doc = scan_json(".")
    paths = {f["path"] for f in doc["findings"]}
    assert "app/settings.py" in paths and not any(p.startswith("ignored/") for p in paths)
    assert doc["summary"]["skipped"]["gitignored"] == 1  # counted, never silently passed over
    # Named on the command line, an ignored folder is read, as an ignored file named is.
    named = scan_json("ignored")
    assert [f["path"] for f in named["findings"]] == ["ignored/x.py"]
    assert named["summary"]["skipped"] == {"binary": 0, "too_large": 0}


def test_folder_deep_inside_an_ignored_folder(project: Path) -> None:
    """git 2.39 `ls-files --directory` fails with an internal error below an ignored folder
    (`.venv/lib/python3.11`): such a folder is walked, never an error."""
    (project / ".gitignore").write_text("/build\n")
    deep = project / "build" / "lib" / "pkg"
    deep.mkdir(parents=True)
    (deep / "conf.py").write_text(f"t = '{FAKE}'\n")
    proc = run_sealguard("scan", "--format", "json", "build/lib")
    assert proc.returncode == 1, proc.stderr
    assert [f["path"] for f in json.loads(proc.stdout)["findings"]] == ["build/lib/pkg/conf.py"]


def test_walk_outside_repo_skips_dot_git(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "config").write_text(f"t = {FAKE}\n")
    (root / "a.txt").write_text(f"t = {FAKE}\n")
    (root / ".sealguard.yaml").write_text(RULE)
    doc = scan_json(".", cwd=root)
    paths = {f["path"] for f in doc["findings"] if f["rule"] == "test-token"}
    assert paths == {"a.txt", ".sealguard.yaml"}  # the config's own rule examples, not .git/


def test_named_symlink_is_followed_and_reported_under_its_name(project: Path) -> None:
    os.symlink(project / "app" / "settings.py", project / "app" / "link.py")
    doc = scan_json("app/link.py")
    assert [f["path"] for f in doc["findings"]] == ["app/link.py"]


def test_stdin_is_read_with_a_dash_and_pipes_named_are_errors(project: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "scanner", "scan", "--format", "json", "-"],
                          cwd=project, input=f"TOKEN = '{FAKE}'\n", capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 1, proc.stderr
    assert [f["path"] for f in json.loads(proc.stdout)["findings"]] == ["stdin"]
    for named in ("/dev/stdin", "<(...)"):
        arg = named if named == "/dev/stdin" else None
        if arg is None:
            fifo = project / "pipe"
            os.mkfifo(fifo)
            arg = str(fifo)
        proc = subprocess.run([sys.executable, "-m", "scanner", "scan", arg], cwd=project,
                              input="clean\n", capture_output=True, text=True, check=False,
                              timeout=60)
        assert proc.returncode == 2, (named, proc.stdout, proc.stderr)
        assert "sealguard scan -" in proc.stdout + proc.stderr


def test_exclude_include_and_max_file_size_on_the_command_line(project: Path) -> None:
    doc = scan_json("--exclude", "settings.py", ".")
    assert not any(f["path"] == "app/settings.py" for f in doc["findings"])
    assert doc["summary"]["skipped"]["excluded"] == 1
    doc = scan_json("--include", "app/**", ".")
    assert {f["path"] for f in doc["findings"]} == {"app/settings.py"}
    proc = run_sealguard("scan", "--format", "json", "--max-file-size", "10", "app")
    assert proc.returncode == 2  # a file too large to read is unread input (#12)
    doc = json.loads(proc.stdout)
    assert doc["summary"]["skipped"]["too_large"] == 2 and doc["findings"] == []


def test_unreadable_file_makes_exit_code_2(project: Path) -> None:
    secret_dir = project / "locked.py"
    secret_dir.write_text("x = 1\n")
    secret_dir.chmod(0)
    try:
        if os.access(secret_dir, os.R_OK):
            pytest.skip("running as a user who can read mode-000 files")
        proc = run_sealguard("scan", "--format", "json", "locked.py")
        assert proc.returncode == 2
        assert json.loads(proc.stdout)["summary"]["skipped"]["unreadable"] == 1
    finally:
        secret_dir.chmod(0o644)


def test_invalid_utf8_and_crlf(project: Path) -> None:
    (project / "app" / "win.txt").write_bytes(b"\xff\xfe bad\r\nkey: " + FAKE.encode() + b"\r\n")
    [f] = [f for f in scan_json("app/win.txt")["findings"]]
    assert (f["line"], f["column"]) == (2, 6)


def test_inline_allow_comment(project: Path) -> None:
    (project / "app" / "settings.py").write_text(f"TOKEN = '{FAKE}'  # sealguard:allow\n")
    assert scan_json("app")["findings"] == []


def test_untracked_file_in_repo_is_scanned(project: Path) -> None:
    git(project, "add", "app/clean.py")
    git(project, "commit", "-qm", "init")
    paths = {f["path"] for f in scan_json(".")["findings"]}
    assert "app/settings.py" in paths


def test_input_that_vanishes_or_cannot_be_read_makes_exit_code_2(tmp_path: Path) -> None:
    """Works as root too: a file deleted after listing, and a path that cannot be read."""
    from scanner.config import Config
    from scanner.pipeline import ScanContext, run
    from scanner.sources.files import FileRef

    (tmp_path / "folder").mkdir()
    items = [FileRef(str(tmp_path / "gone.txt"), "gone.txt"),
             FileRef(str(tmp_path / "folder"), "folder")]
    result = run(items, ScanContext.build(Config()), jobs=1)
    assert dict(result.summary.skipped) == {"missing": 1, "unreadable": 1}
    assert result.exit_code("medium") == 2 and len(result.summary.errors) == 2


def test_walk_reports_symlinked_folders_and_unreadable_folders(tmp_path: Path) -> None:
    from scanner.sources.files import _walk

    root = tmp_path / "plain"
    (root / "sub" / "deep").mkdir(parents=True)
    (root / "sub" / "deep" / "a.txt").write_text(f"t = {FAKE}\n")
    (root / "b.txt").write_text("b\n")
    os.symlink(root / "sub", root / "alias")
    (root / ".sealguard.yaml").write_text(RULE)
    doc = scan_json(".", cwd=root)
    # the symlinked folder is counted as skipped, not followed and not passed over silently
    assert doc["summary"]["skipped"].get("symlink") == 1
    assert {f["path"] for f in doc["findings"] if f["rule"] == "test-token"} == {
        "sub/deep/a.txt", ".sealguard.yaml"}
    sub = scan_json("sub", cwd=root)  # paths relative to the folder named, outside a repo
    assert [f["path"] for f in sub["findings"]] == ["deep/a.txt"]
    # a folder that cannot be listed (gone between listing and reading) is reported
    assert list(_walk(str(root / "gone"), "gone/")) == [
        ("gone", "unreadable: No such file or directory")]
