"""`sealguard history`: each unique blob scanned once, findings attributed and grouped."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import commit_file, git
from helpers import cli, run_sealguard
from test_staged import CONFIG, fake_token

from scanner import commands
from scanner.config import load_config
from scanner.pipeline import ScanContext
from scanner.sources.history import scan_history


def history_json(*args: str) -> dict[str, Any]:
    result = cli("history", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def commit_as(repo: Path, author: str, path: str, content: str, when: int) -> str:
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(content)
    env = {**os.environ, "GIT_AUTHOR_NAME": author,
           "GIT_AUTHOR_DATE": f"@{1700000000 + when * 3600} +0000",
           "GIT_COMMITTER_DATE": f"@{1700000000 + when * 3600} +0000"}
    subprocess.run(["git", "add", path], cwd=repo, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", f"c{when}"], cwd=repo, check=True, env=env)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(git_repo: Path) -> Path:
    commit_file(git_repo, ".sealguard.yaml", CONFIG, "config")
    return git_repo


def test_planted_secrets_are_attributed_to_the_introducing_commit(repo: Path) -> None:
    planted: dict[str, tuple[str, str, str]] = {}  # token -> (commit, author, path)
    for i in range(40):
        author = f"Dev{i % 4}"
        path = f"svc{i % 5}/conf{i % 3}.txt"
        line = f"value {i}\n"
        if i in (3, 17, 29):
            token = fake_token(100 + i)
            line = f"token = {token}\n"
        sha = commit_as(repo, author, path, f"header\n{line}", i)
        if i in (3, 17, 29):
            planted[token] = (sha, author, path)
    report = history_json()
    assert len(report["findings"]) == 3
    found = {(f["commit"], f["author"].split(" <")[0], f["path"], f["line"])
             for f in report["findings"]}
    assert found == {(c, a, p, 2) for c, a, p in planted.values()}
    at_head = {f["commit"]: f["at_head"] for f in report["findings"]}
    # the files of commits 3 and 17 were overwritten later (at 18 and 32); 29's was not
    assert at_head == {planted[fake_token(103)][0]: False, planted[fake_token(117)][0]: False,
                       planted[fake_token(129)][0]: True}
    text = json.dumps(report)
    assert not any(token in text for token in planted)


def test_a_blob_copied_into_100_commits_is_scanned_once(repo: Path) -> None:
    content = f"shared = {fake_token(7)}\n"
    git(repo, "config", "gc.auto", "0")
    for i in range(100):
        commit_as(repo, "Copier", f"copies/c{i:03}.txt", content, i)
    report = history_json()
    assert report["summary"]["files"] == 2  # .sealguard.yaml and the one shared blob
    findings = report["findings"]  # read once, reported at every place it sits
    assert [f["path"] for f in findings] == [f"copies/c{i:03}.txt" for i in range(100)]
    assert all(len(f["locations"]) == 1 and f["at_head"] is True for f in findings)
    assert len({f["commit"] for f in findings}) == 100


def test_same_secret_in_two_files_is_a_finding_at_each(repo: Path) -> None:
    token = fake_token(8)
    first = commit_as(repo, "A", "a.txt", f"{token}\n", 1)
    second = commit_as(repo, "B", "b.txt", f"other\n{token}\n", 2)
    findings = history_json()["findings"]
    assert [(f["path"], f["line"], f["commit"]) for f in findings] == [
        ("a.txt", 1, first), ("b.txt", 2, second)]
    for f in findings:
        assert [(loc["path"], loc["line"]) for loc in f["locations"]] == [(f["path"], f["line"])]
    assert findings[0]["fingerprint"] != findings[1]["fingerprint"]


def test_same_secret_edited_in_one_file_is_one_finding(repo: Path) -> None:
    token = fake_token(14)
    first = commit_as(repo, "A", "a.txt", f"{token}\n", 1)
    second = commit_as(repo, "B", "a.txt", f"moved down\n{token}\n", 2)
    [finding] = history_json()["findings"]
    assert (finding["commit"], finding["line"]) == (first, 1)
    assert [(loc["commit"], loc["line"]) for loc in finding["locations"]] == [(first, 1),
                                                                             (second, 2)]


def test_text_report_counts_later_commits_not_lines(repo: Path) -> None:
    token = fake_token(15)
    commit_as(repo, "A", "a.txt", f"{token}\nagain {token}\n", 1)
    commit_as(repo, "B", "a.txt", f"moved down\n{token}\n", 2)
    commit_as(repo, "C", "a.txt", f"moved\ndown\n{token}\n", 3)
    commit_as(repo, "D", "b.txt", f"{fake_token(16)}\n", 4)
    result = cli("history")
    assert result.exit_code == 1, result.output
    a_txt, b_txt = result.stdout.split("b.txt", 1)
    assert "introduced again in 2 later commit(s)" in a_txt
    assert "introduced again" not in b_txt


def test_since_and_revs_limit_the_audit(repo: Path) -> None:
    commit_as(repo, "Old", "old.txt", f"{fake_token(9)}\n", 1)
    git(repo, "branch", "before")
    commit_as(repo, "New", "new.txt", f"{fake_token(10)}\n", 100)
    since = history_json("--since", "@1700100000")["findings"]
    assert [f["path"] for f in since] == ["new.txt"]
    assert [f["path"] for f in history_json("before")["findings"]] == ["old.txt"]


def test_lfs_pointer_symlink_and_submodule_are_skipped_and_noted(repo: Path) -> None:
    pointer = ("version https://git-lfs.github.com/spec/v1\n"
               "oid sha256:" + "ab" * 32 + "\nsize 12345\n")
    commit_file(repo, "model.bin", pointer)
    os.symlink("model.bin", repo / "link")
    git(repo, "add", "link")
    sha = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{sha},vendor/lib")
    git(repo, "commit", "-q", "-m", "link and submodule")
    proc = run_sealguard("history", "--format", "json", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    skipped = json.loads(proc.stdout)["summary"]["skipped"]
    assert (skipped["lfs"], skipped["symlink"], skipped["submodule"]) == (1, 1, 1)
    assert "submodule" in proc.stderr and "not followed" in proc.stderr


def test_missing_object_is_counted_and_exits_2(repo: Path) -> None:
    commit_file(repo, "gone.txt", "some content that will vanish\n")
    oid = git(repo, "rev-parse", "HEAD:gone.txt").strip()
    os.remove(repo / ".git" / "objects" / oid[:2] / oid[2:])
    proc = run_sealguard("history", "--format", "json", cwd=repo)
    assert proc.returncode == 2
    summary = json.loads(proc.stdout)["summary"]
    assert summary["skipped"]["missing"] == 1 and "gone.txt" in summary["errors"][0]


def test_bare_clone_and_shallow_clone(repo: Path, tmp_path: Path) -> None:
    commit_as(repo, "A", "k.txt", f"{fake_token(11)}\n", 1)
    commit_as(repo, "B", "k.txt", "clean\n", 2)
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(bare))
    config = tmp_path / "config.yaml"  # a bare repository has no work tree to hold one
    config.write_text(CONFIG)
    proc = run_sealguard("history", "--format", "json", "--config", str(config), cwd=bare)
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["findings"][0]["path"] == "k.txt"
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow))
    proc = run_sealguard("history", cwd=shallow)
    assert proc.returncode == 2 and "shallow clone" in proc.stdout  # the audit is incomplete


def test_worktree(repo: Path, tmp_path: Path) -> None:
    commit_as(repo, "A", "w.txt", f"{fake_token(12)}\n", 1)
    git(repo, "worktree", "add", "-q", str(tmp_path / "wt"), "-b", "wt")
    proc = run_sealguard("history", cwd=tmp_path / "wt")
    assert proc.returncode == 1 and "w.txt" in proc.stdout


def test_worker_processes_give_the_same_findings(repo: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("scanner.sources.history.CHUNK_BLOBS", 2)  # many chunks, shared out
    for i in range(12):
        body = "".join(f"row {i} {j}\n" for j in range(50))
        if i % 4 == 0:
            body += f"t = {fake_token(200 + i)}\n"
        commit_as(repo, "P", f"p{i}.txt", body, i)
    ctx = ScanContext.build(load_config(repo / ".sealguard.yaml"))
    one = scan_history(ctx, repo, jobs=1).result.findings
    two = scan_history(ctx, repo, jobs=2).result.findings
    assert [(f.rule, f.path, f.line, f.commit) for f in one] == \
           [(f.rule, f.path, f.line, f.commit) for f in two]
    assert len(one) == 3


def test_interrupt_leaves_no_output_file(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    commit_as(repo, "A", "a.txt", f"{fake_token(13)}\n", 1)

    def boom(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("scanner.sources.history.HistoryScan.collect", boom)
    result = cli("history", "--format", "json", "--output", "report.json")
    assert result.exit_code == 130
    assert not (repo / "report.json").exists()
    assert not [p for p in repo.iterdir() if p.name.startswith(".report.json")]


def test_atomic_writer_removes_its_temp_file_on_interrupt(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.json"
    target.write_text("previous report\n")

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(commands.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        commands.write_output("new report\n", str(target))
    assert target.read_text() == "previous report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_progress_on_a_tty_and_nothing_extra_otherwise(repo: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    for i in range(3):
        commit_as(repo, "P", f"p{i}.txt", f"row {i}\n", i)
    ctx = ScanContext.build(load_config(repo / ".sealguard.yaml"))
    scan_history(ctx, repo, jobs=1, progress=True)
    err = capsys.readouterr().err
    assert "history: 4/4 blobs" in err and "MB/s, ETA" in err and err.endswith("\r\033[K")
    proc = run_sealguard("history", cwd=repo)  # stderr is a pipe, not a TTY
    assert proc.returncode == 0 and "history:" not in proc.stderr and "\r" not in proc.stderr
