"""Special files: only regular files are read; nothing blocks; each skip is counted."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from adv import CONFIG, check, commit_all, git, new_repo, remove_tree, sg, token, write

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "plain"
    write(root / ".sealguard.yaml", CONFIG)
    write(root / "ok.txt", f"t = {token(1)}\n")
    return root


def test_fifo_in_a_folder_is_counted(tmp_path: Path) -> None:
    root = _project(tmp_path)
    os.mkfifo(root / "pipe")
    proc = sg("scan", ".", "--format", "json", cwd=root, timeout=30)
    check(proc, 1, token(1), text=False)
    assert json.loads(proc.stdout)["summary"]["skipped"]["special"] == 1


def test_fifo_named_on_the_command_line_is_exit_2(tmp_path: Path) -> None:
    root = _project(tmp_path)
    os.mkfifo(root / "pipe")
    proc = sg("scan", "pipe", "--format", "json", cwd=root, timeout=30)
    check(proc, 2, text=False)
    skipped = json.loads(proc.stdout)["summary"]["skipped"]
    assert skipped.get("special", 0) + skipped.get("unreadable", 0) == 1


def test_socket_in_a_folder_is_counted(tmp_path: Path) -> None:
    root = _project(tmp_path)
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(root / "s.sock"))
        proc = sg("scan", ".", "--format", "json", cwd=root)
    finally:
        server.close()
    check(proc, 1, text=False)
    assert json.loads(proc.stdout)["summary"]["skipped"]["special"] == 1


def test_device_named_on_the_command_line(tmp_path: Path) -> None:
    proc = sg("scan", "/dev/zero", cwd=_project(tmp_path), timeout=30)
    check(proc, 2)
    assert "not a regular file" in proc.stdout + proc.stderr or "special" in proc.stdout


def test_fifo_replacing_a_tracked_file(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    write(repo / "a.txt", "x\n")
    write(repo / "b.txt", f"t = {token(2)}\n")
    commit_all(repo)
    (repo / "a.txt").unlink()
    os.mkfifo(repo / "a.txt")
    proc = sg("scan", ".", "--format", "json", cwd=repo, timeout=30)
    check(proc, 1, token(2), text=False)
    assert json.loads(proc.stdout)["summary"]["skipped"]["special"] == 1


@pytest.mark.parametrize("option", ["--config", "--baseline"])
def test_fifo_as_config_or_baseline(tmp_path: Path, option: str) -> None:
    root = _project(tmp_path)
    os.mkfifo(root / "pipe")
    proc = sg("scan", "ok.txt", option, "pipe", cwd=root, timeout=30)
    check(proc, 2, token(1))
    assert "not a regular file" in proc.stderr


def test_fifo_as_github_event_path(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    os.mkfifo(tmp_path / "event")
    env = {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(tmp_path / "event")}
    proc = sg("ci", "--sarif-file", str(tmp_path / "o.sarif"), cwd=repo, env=env, timeout=30)
    check(proc, 2)
    assert "not a regular file" in proc.stderr


def test_fifo_as_gitignore_for_init(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    os.mkfifo(repo / ".gitignore")
    proc = sg("init", cwd=repo, timeout=30)
    check(proc, 2)


def test_symlink_loop_named_on_the_command_line(tmp_path: Path) -> None:
    root = _project(tmp_path)
    os.symlink("loop2", root / "loop1")
    os.symlink("loop1", root / "loop2")
    proc = sg("scan", "loop1", "ok.txt", "--format", "json", cwd=root)
    check(proc, 1, token(1), text=False)  # the finding in ok.txt; the loop is reported
    skipped = json.loads(proc.stdout)["summary"]["skipped"]
    assert skipped.get("symlink", 0) + skipped.get("unreadable", 0) == 1


@pytest.fixture
def deep_root(tmp_path: Path) -> Iterator[Path]:
    """A project with a file 1,500 folders down; the tree is deleted (iteratively) after the
    test so nothing that deep is left for pytest's recursive clean-up of old temp dirs."""
    root = _project(tmp_path)
    deep = root / "d"
    try:
        try:
            deep.mkdir()
            for _ in range(1499):
                deep = Path(os.path.join(deep, "d"))
                os.mkdir(deep)
            write(deep / "k.txt", f"t = {token(3)}\n")
        except OSError:
            pytest.skip("the file system refuses paths this long")
        yield root
    finally:
        if (root / "d").exists():
            remove_tree(root / "d")


def test_1500_nested_folders(deep_root: Path) -> None:
    proc = sg("scan", ".", "--format", "json", cwd=deep_root)
    check(proc, 1, token(3), text=False)
    paths = [f["path"] for f in json.loads(proc.stdout)["findings"]]
    assert any(p.endswith("/d/k.txt") for p in paths)


def test_deep_tree_clean_up_leaves_nothing(tmp_path: Path) -> None:
    deep = tmp_path / "t"
    os.mkdir(deep)
    for _ in range(1500):
        deep = Path(os.path.join(deep, "d"))
        os.mkdir(deep)
    write(deep / "f", "x")
    remove_tree(tmp_path / "t")
    assert not (tmp_path / "t").exists()


def test_git_file_pointing_elsewhere(tmp_path: Path) -> None:
    root = _project(tmp_path)
    write(root / ".git", "gitdir: /nonexistent/elsewhere\n")
    for args in (("scan", "."), ("history",), ("scan", "--staged")):
        proc = sg(*args, cwd=root)
        assert "Traceback" not in proc.stderr and proc.returncode in (1, 2), proc.stderr


def test_git_dir_from_the_environment(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    proc = sg("history", cwd=repo, env={"GIT_DIR": str(tmp_path / "nothing")})
    check(proc, 2)


# The caller's git environment pointing elsewhere, or changing how git reads paths and
# objects: an answer or a clear error, never a traceback and never a pass of what was unread.
CALLER_GIT_ENV = ("GIT_OBJECT_DIRECTORY={empty}", "GIT_COMMON_DIR={empty}",
                  "GIT_ALTERNATE_OBJECT_DIRECTORIES={empty}/none", "GIT_LITERAL_PATHSPECS=1",
                  "GIT_ICASE_PATHSPECS=1", "GIT_NAMESPACE=elsewhere",
                  "GIT_CONFIG_GLOBAL={empty}/none", "GIT_CEILING_DIRECTORIES={parent}")


def test_caller_git_environment(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    write(repo / "a.txt", f"t = {token(13)}\n")
    commit_all(repo)
    write(repo / "b.txt", f"t = {token(14)}\n")
    git(repo, "add", "b.txt")
    (tmp_path / "empty").mkdir()
    for spec in CALLER_GIT_ENV:
        name, _, value = spec.format(empty=tmp_path / "empty", parent=tmp_path).partition("=")
        for args in (("scan", "--staged"), ("history",)):
            proc = sg(*args, cwd=repo, env={name: value})
            assert "Traceback" not in proc.stderr, (spec, proc.stderr[-2000:])
            assert proc.returncode in (1, 2), (spec, args, proc.returncode, proc.stderr)
            assert token(13) not in proc.stdout + proc.stderr


def test_gitignored_and_unreadable_are_reported_not_silent(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    write(repo / ".gitignore", "secret.env\n")
    write(repo / "secret.env", f"T={token(4)}\n")
    commit_all(repo)
    proc = sg("scan", ".", "--format", "json", cwd=repo)
    check(proc, 0, token(4), text=False)
    assert json.loads(proc.stdout)["summary"]["skipped"]["gitignored"] == 1
    assert git(repo, "status", "--porcelain") == ""
