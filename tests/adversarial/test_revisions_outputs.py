"""Revisions and repositories; output channels that fail."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from adv import CONFIG, check, commit_all, git, new_repo, sg, token, write


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = new_repo(tmp_path / "r")
    write(repo / "k.txt", f"t = {token(1)}\n")
    commit_all(repo)
    return repo


def test_history_option_injection_is_refused(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "overwritten"
    proc = sg("history", "--", f"--output={target}", cwd=repo)
    check(proc, 2, token(1))
    assert not target.exists()


@pytest.mark.parametrize("rev", ["--max-count=0", "-n0", "--since=2099-01-01", "--all"])
def test_history_revisions_that_look_like_options(repo: Path, rev: str) -> None:
    check(sg("history", "--", rev, cwd=repo), 2, token(1))


def test_history_that_selects_nothing_is_not_a_pass(repo: Path) -> None:
    proc = sg("history", "HEAD..HEAD", "--format", "json", cwd=repo)
    check(proc, 2, text=False)
    assert "nothing was audited" in " ".join(json.loads(proc.stdout)["summary"]["errors"])


def test_history_since_the_future_is_not_a_pass(repo: Path) -> None:
    check(sg("history", "--since", "2099-01-01", cwd=repo), 2)


def test_history_unknown_revision(repo: Path) -> None:
    proc = sg("history", "no-such-branch", cwd=repo)
    check(proc, 2)
    assert "no-such-branch" in proc.stderr


def test_shallow_history_is_incomplete(repo: Path, tmp_path: Path) -> None:
    write(repo / "clean.txt", "x\n")
    commit_all(repo)
    (repo / "k.txt").unlink()  # the fetched tip is clean: only the cut-off past is not
    commit_all(repo)
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    proc = sg("history", "--format", "json", cwd=clone)
    summary = json.loads(proc.stdout)["summary"]
    check(proc, 2, text=False)
    assert summary["skipped"]["shallow"] == 1
    assert any("shallow clone" in e for e in summary["errors"])


def test_diff_range_that_looks_like_an_option(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "x"
    check(sg("diff", "--", f"--output={target}..HEAD", cwd=repo), 2)
    assert not target.exists()


@pytest.mark.parametrize("where", ["missing-dir/out.json", "a-dir", "/proc/version"])
def test_unwritable_output_is_a_clear_error(repo: Path, where: str) -> None:
    (repo / "a-dir").mkdir()
    proc = sg("scan", "k.txt", "--format", "json", "--output", where, cwd=repo)
    check(proc, 2, token(1))
    assert "cannot write" in proc.stderr or "is a directory" in proc.stderr


def _ci_env(repo: Path, tmp_path: Path) -> dict[str, str]:
    base = git(repo, "rev-parse", "HEAD~1").strip()
    head = git(repo, "rev-parse", "HEAD").strip()
    event = write(tmp_path / "event.json", json.dumps(
        {"pull_request": {"base": {"sha": base}, "head": {"sha": head}}}))
    return {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(event)}


@pytest.mark.parametrize("variable", ["GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT", "sarif"])
def test_unwritable_ci_channels(repo: Path, tmp_path: Path, variable: str) -> None:
    env = _ci_env(repo, tmp_path)
    (tmp_path / "a-dir").mkdir()
    (tmp_path / "a-file").write_text("")
    # ci makes a missing SARIF folder; a regular file where the folder should be is unwritable
    sarif = str(tmp_path / "a-file" / "x.sarif") if variable == "sarif" else \
        str(tmp_path / "o.sarif")
    if variable != "sarif":
        env[variable] = str(tmp_path / "a-dir")
    proc = sg("ci", "--sarif-file", sarif, cwd=repo, env=env)
    check(proc, 2, token(1), text=False)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_github_output_fifo_does_not_block(repo: Path, tmp_path: Path) -> None:
    env = _ci_env(repo, tmp_path)
    os.mkfifo(tmp_path / "out")
    env["GITHUB_OUTPUT"] = str(tmp_path / "out")
    check(sg("ci", "--sarif-file", str(tmp_path / "o.sarif"), cwd=repo, env=env, timeout=30),
          2, token(1), text=False)


def _deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_deep_json_baseline(repo: Path, tmp_path: Path) -> None:
    baseline = write(tmp_path / "b.json", _deep_json(100_000))
    check(sg("scan", "k.txt", "--baseline", str(baseline), cwd=repo), 2, token(1))


def test_deep_json_event_payload(repo: Path, tmp_path: Path) -> None:
    event = write(tmp_path / "e.json", '{"pull_request": ' + _deep_json(100_000) + "}")
    env = {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(event)}
    check(sg("ci", "--sarif-file", str(tmp_path / "o.sarif"), cwd=repo, env=env), 2)


def test_invalid_utf8_name_keeps_json_and_sarif_valid(repo: Path, tmp_path: Path) -> None:
    (repo / os.fsdecode(b"n\xe9e\xff.txt")).write_text(f"t = {token(2)}\n")
    proc = sg("scan", ".", "--format", "json", cwd=repo)
    check(proc, 1, token(2), text=False)
    paths = {f["path"] for f in json.loads(proc.stdout)["findings"]}
    assert "n\\xe9e\\xff.txt" in paths
    out = tmp_path / "r.sarif"
    check(sg("scan", ".", "--format", "sarif", "--output", str(out), cwd=repo), 1, token(2))
    json.loads(out.read_bytes().decode("utf-8"))  # strict UTF-8, valid JSON
    check(sg("scan", ".", "--output", str(tmp_path / "r.txt"), cwd=repo), 1, token(2))
    assert "\\xff" in (tmp_path / "r.txt").read_text("utf-8")


def test_init_on_non_utf8_gitignore_keeps_its_bytes(repo: Path) -> None:
    original = b"# caf\xe9\nbuild/\n"
    (repo / ".gitignore").write_bytes(original)
    check(sg("init", cwd=repo), 0)
    assert (repo / ".gitignore").read_bytes().startswith(original)


def test_init_on_deep_pre_commit_config(repo: Path) -> None:
    write(repo / ".pre-commit-config.yaml", "repos: " + _deep_json(50_000) + "\n")
    check(sg("init", cwd=repo), 0)


@pytest.mark.parametrize("hooks_path", ["file", "missing/../../x\n", "/proc/self"])
def test_install_hook_with_odd_hooks_path(repo: Path, hooks_path: str) -> None:
    write(repo / "file", "not a folder\n")
    git(repo, "config", "core.hooksPath", hooks_path)
    proc = sg("install-hook", cwd=repo)
    assert "Traceback" not in proc.stderr and proc.returncode in (0, 2), proc.stderr


def test_closed_stdout_and_early_reader_exit(repo: Path) -> None:
    import sys

    closed = subprocess.run([sys.executable, "-m", "scanner", "scan", "k.txt"], cwd=repo,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            check=False, timeout=60, pass_fds=(), close_fds=True)
    assert closed.returncode == 1 and "Traceback" not in closed.stderr
    shell = subprocess.run(f"{sys.executable} -m scanner scan k.txt >&-", shell=True, cwd=repo,
                           capture_output=True, text=True, check=False, timeout=60)
    assert "Traceback" not in shell.stderr and shell.returncode in (1, 2), shell.stderr
    many = "".join(f"t{i} = {token(100 + i)}\n" for i in range(300))
    write(repo / "many.txt", many)
    piped = subprocess.run(f"{sys.executable} -m scanner scan many.txt | head -c 10",
                           shell=True, cwd=repo, capture_output=True, text=True, check=False,
                           timeout=60)
    assert "Traceback" not in piped.stderr, piped.stderr


def test_locale_oddities(repo: Path) -> None:
    for lang in ("C", "tr_TR.UTF-8", "xx_XX.NOPE", ""):
        env = {"LANG": lang, "LC_ALL": lang, "PYTHONIOENCODING": ""}
        check(sg("scan", "k.txt", cwd=repo, env=env), 1, token(1))


def test_config_elsewhere_does_not_leak_into_a_scan(tmp_path: Path) -> None:
    root = tmp_path / "p"
    write(root / ".sealguard.yaml", CONFIG)
    write(root / "k.txt", f"t = {token(3)}\n")
    check(sg("scan", "k.txt", "--config", str(root / ".sealguard.yaml"), cwd=root), 1, token(3))
