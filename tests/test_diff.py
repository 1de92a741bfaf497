"""`sealguard diff BASE..HEAD`: added lines of every commit in the range, attributed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import commit_file, git
from helpers import cli, run_sealguard
from test_staged import CONFIG, fake_token


def diff_json(*args: str) -> dict[str, Any]:
    result = cli("diff", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.fixture
def repo(git_repo: Path) -> Path:
    commit_file(git_repo, ".sealguard.yaml", CONFIG, "config")
    commit_file(git_repo, "README.md", "hello\n", "readme")
    return git_repo


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def test_added_then_removed_is_reported_not_at_head(repo: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    base = head(repo)
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Alice Adder")
    added = commit_file(repo, "app/settings.py", f"A = 1\nB = 2\nTOKEN = '{fake_token(1)}'\n")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Rita Remover")
    commit_file(repo, "app/settings.py", "A = 1\nB = 2\n", "remove it")
    report = diff_json(f"{base}..HEAD")
    [finding] = report["findings"]
    assert finding["commit"] == added
    assert finding["author"].startswith("Alice Adder")
    assert finding["date"]
    assert (finding["path"], finding["line"]) == ("app/settings.py", 3)
    assert finding["at_head"] is False
    assert finding["locations"][0]["commit"] == added
    assert fake_token(1) not in json.dumps(report)


def test_still_present_is_at_head_and_lines_are_real(repo: Path) -> None:
    base = head(repo)
    commit_file(repo, "a.txt", "\n".join(f"line {i}" for i in range(1, 40)) + "\n")
    body = [f"line {i}" for i in range(1, 40)]
    body.insert(20, f"secret {fake_token(2)}")
    commit_file(repo, "a.txt", "\n".join(body) + "\n", "insert in the middle")
    [finding] = diff_json(base)["findings"]  # BASE alone means BASE..HEAD
    assert finding["line"] == 21 and finding["at_head"] is True


def test_pre_existing_secret_is_not_reported_on_rename(repo: Path) -> None:
    commit_file(repo, "old.py", f"x = 1\nk = '{fake_token(3)}'\n" + "pad\n" * 20)
    base = head(repo)
    git(repo, "mv", "old.py", "new.py")
    git(repo, "commit", "-q", "-m", "rename")
    assert diff_json(f"{base}..HEAD")["findings"] == []
    (repo / "new.py").write_text((repo / "new.py").read_text() + f"k2 = '{fake_token(4)}'\n")
    renamed = commit_file(repo, "new.py", (repo / "new.py").read_text(), "edit")
    [finding] = diff_json(f"{base}..HEAD")["findings"]
    assert (finding["path"], finding["commit"], finding["line"]) == ("new.py", renamed, 23)


def test_merge_reports_branch_commit_once_and_evil_merge_lines(repo: Path) -> None:
    base = head(repo)
    git(repo, "checkout", "-q", "-b", "feature")
    on_branch = commit_file(repo, "feature.py", f"t = '{fake_token(5)}'\n", "feature")
    git(repo, "checkout", "-q", "main")
    commit_file(repo, "main.txt", "main work\n", "main work")
    git(repo, "merge", "-q", "--no-ff", "--no-commit", "feature")
    (repo / "merged.txt").write_text(f"resolution {fake_token(6)}\n")
    git(repo, "add", "merged.txt")
    git(repo, "commit", "-q", "-m", "merge feature")
    merge = head(repo)
    findings = diff_json(f"{base}..HEAD")["findings"]
    by_path = {f["path"]: f["commit"] for f in findings}
    assert by_path == {"feature.py": on_branch, "merged.txt": merge}


def test_root_commit_deletion_and_binary(git_repo: Path) -> None:
    (git_repo / ".sealguard.yaml").write_text(CONFIG)
    (git_repo / "k.txt").write_text(f"{fake_token(7)}\n")
    (git_repo / "img.bin").write_bytes(b"\0\1\2\3")
    git(git_repo, "add", ".")
    git(git_repo, "commit", "-q", "-m", "root")
    root = head(git_repo)
    git(git_repo, "rm", "-q", "k.txt")
    git(git_repo, "commit", "-q", "-m", "delete")
    report = diff_json(f"{'0' * 40}..HEAD")  # new branch, no remotes: all of history
    [finding] = report["findings"]
    assert finding["commit"] == root and finding["at_head"] is False
    assert report["summary"]["binary"] == 1 and report["summary"]["skipped"]["binary"] == 0


def test_new_branch_scans_only_commits_not_on_a_remote(repo: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(repo, "init", "-q", "--bare", str(remote))
    commit_file(repo, "old.txt", f"{fake_token(8)}\n", "already pushed")
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "origin", "main")
    git(repo, "checkout", "-q", "-b", "topic")
    new = commit_file(repo, "new.txt", f"{fake_token(9)}\n", "new work")
    [finding] = diff_json(f"{'0' * 40}..HEAD")["findings"]
    assert finding["commit"] == new


def test_pre_push_reads_pre_commit_refs(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = head(repo)
    commit_file(repo, "p.txt", f"{fake_token(10)}\n")
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", base)
    monkeypatch.setenv("PRE_COMMIT_TO_REF", head(repo))
    result = cli("diff", "--pre-push")
    assert result.exit_code == 1
    assert "p.txt" in result.output and fake_token(10) not in result.output


def test_shallow_clone_missing_base_says_how_to_fetch(repo: Path, tmp_path: Path) -> None:
    base = head(repo)
    for i in range(3):
        commit_file(repo, f"f{i}.txt", f"{i}\n")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    proc = run_sealguard("diff", f"{base}..HEAD", cwd=clone)
    assert proc.returncode == 2
    assert "fetch-depth: 0" in proc.stderr and "git fetch --deepen" in proc.stderr


def test_range_past_shallow_edge_is_an_error(repo: Path, tmp_path: Path) -> None:
    base = head(repo)
    for i in range(3):
        commit_file(repo, f"f{i}.txt", f"{i}\n")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{repo}", str(clone))
    git(clone, "fetch", "-q", "--depth", "1", "origin", base)  # base present, history cut
    proc = run_sealguard("diff", f"{base}..HEAD", cwd=clone)
    assert proc.returncode == 2 and "fetch-depth: 0" in proc.stderr


def test_unknown_head_is_a_clear_error(repo: Path) -> None:
    proc = run_sealguard("diff", "HEAD..no-such-branch", cwd=repo)
    assert proc.returncode == 2 and "no-such-branch" in proc.stderr
