"""Git plumbing fed by names: no byte of a file name can shift an answer."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from adv import MANIFEST_SECRET, SECRET_MANIFEST, check, commit_all, git, new_repo, sg, token, write

HOSTILE_NAMES = [
    "new\nline.yaml", "tab\there.txt", "sp ace.txt", '"quoted".txt', "back\\slash.txt",
    "diff --git a b.txt", "trailing\t", "\x01ctrl.txt",
]


def test_pr_bypass_newline_name_beside_plaintext_secret(tmp_path: Path) -> None:
    """Regression: a file whose name holds a newline made `diff` lose the HIGH plaintext
    Secret committed beside it and exit 0."""
    repo = new_repo(tmp_path / "r")
    base = git(repo, "rev-parse", "HEAD").strip()
    write(repo / "deploy" / "a\nb.yaml", "x: 1\n")
    write(repo / "deploy" / "secret.yaml", SECRET_MANIFEST)
    write(repo / "deploy" / "z\n+++ b\tq.yaml", "y: 2\n")
    commit_all(repo)
    proc = sg("diff", f"{base}..HEAD", "--format", "json", cwd=repo)
    check(proc, 1, MANIFEST_SECRET, text=False)
    found = {(f["rule"], f["path"]) for f in json.loads(proc.stdout)["findings"]}
    assert ("k8s-plaintext-secret", "deploy/secret.yaml") in found


def test_pr_bypass_through_ci(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    base = git(repo, "rev-parse", "HEAD").strip()
    write(repo / "a\nb.yaml", "x: 1\n")
    write(repo / "deploy" / "secret.yaml", SECRET_MANIFEST)
    head = commit_all(repo)
    event = write(tmp_path / "event.json", json.dumps(
        {"pull_request": {"base": {"sha": base}, "head": {"sha": head}, "number": 1}}))
    env = {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(event)}
    proc = sg("ci", "--sarif-file", str(tmp_path / "out.sarif"), cwd=repo, env=env)
    check(proc, 1, MANIFEST_SECRET, text=False)
    assert "k8s-plaintext-secret" in proc.stdout


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_diff_reads_every_hostile_name(tmp_path: Path, name: str) -> None:
    repo = new_repo(tmp_path / "r")
    base = git(repo, "rev-parse", "HEAD").strip()
    write(repo / "dir" / name, f"t = {token(1)}\n")
    write(repo / "dir" / "other.txt", f"u = {token(2)}\n")
    commit_all(repo)
    proc = sg("diff", f"{base}..HEAD", "--format", "json", cwd=repo)
    check(proc, 1, token(1), token(2), text=False)
    doc = json.loads(proc.stdout)
    paths = sorted(f["path"] for f in doc["findings"])
    assert paths == sorted([f"dir/{name}", "dir/other.txt"])
    assert all(f["at_head"] for f in doc["findings"])


def test_history_and_staged_with_hostile_names(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    for i, name in enumerate(HOSTILE_NAMES):
        write(repo / name, f"t = {token(10 + i)}\n")
    git(repo, "add", "-A")
    staged = sg("scan", "--staged", "--format", "json", cwd=repo)
    check(staged, 1, text=False)
    assert sorted(f["path"] for f in json.loads(staged.stdout)["findings"]) == \
        sorted(HOSTILE_NAMES)
    git(repo, "commit", "-q", "-m", "names")
    hist = sg("history", "--format", "json", cwd=repo)
    check(hist, 1, *(token(10 + i) for i in range(len(HOSTILE_NAMES))), text=False)
    assert sorted(f["path"] for f in json.loads(hist.stdout)["findings"]) == \
        sorted(HOSTILE_NAMES)


def test_invalid_utf8_name_in_diff_and_json(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    base = git(repo, "rev-parse", "HEAD").strip()
    (repo / os.fsdecode(b"bad\xff\xfe.txt")).write_text(f"t = {token(3)}\n")
    commit_all(repo)
    proc = sg("diff", f"{base}..HEAD", "--format", "json", cwd=repo)
    check(proc, 1, token(3), text=False)
    [finding] = json.loads(proc.stdout)["findings"]
    assert finding["path"] == "bad\\xff\\xfe.txt"


def test_pure_rename_into_gitops_path_is_checked(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r", 'gitops:\n  paths: ["clusters/**"]\n')
    write(repo / "notes" / "secret.yaml", SECRET_MANIFEST)
    base = commit_all(repo)
    (repo / "clusters").mkdir()
    git(repo, "mv", "notes/secret.yaml", "clusters/secret.yaml")
    commit_all(repo, "move")
    proc = sg("diff", f"{base}..HEAD", "--format", "json", cwd=repo)
    check(proc, 1, MANIFEST_SECRET, text=False)
    [finding] = [f for f in json.loads(proc.stdout)["findings"]
                 if f["rule"] == "k8s-plaintext-secret"]
    assert finding["path"] == "clusters/secret.yaml"


def test_rename_within_gitops_paths_adds_nothing(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    write(repo / "a" / "secret.yaml", SECRET_MANIFEST)
    base = commit_all(repo)
    git(repo, "mv", "a/secret.yaml", "a/moved.yaml")
    commit_all(repo, "move")
    check(sg("diff", f"{base}..HEAD", cwd=repo), 0, MANIFEST_SECRET)


def test_same_change_on_two_paths_in_one_commit(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    write(repo / "one.txt", "same\n")
    write(repo / "two.txt", "same\n")
    base = commit_all(repo)
    for name in ("one.txt", "two.txt"):
        write(repo / name, f"same\nt = {token(4)}\n")
    commit_all(repo)
    proc = sg("diff", f"{base}..HEAD", "--format", "json", cwd=repo)
    check(proc, 1, token(4), text=False)
    assert sorted(f["path"] for f in json.loads(proc.stdout)["findings"]) == ["one.txt",
                                                                             "two.txt"]


def test_submodule_gitlink_is_counted_not_unreadable(tmp_path: Path) -> None:
    sub = new_repo(tmp_path / "sub")
    repo = new_repo(tmp_path / "r")
    base = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub), "vendor")
    commit_all(repo, "submodule")
    proc = sg("diff", f"{base}..HEAD", "--format", "json", cwd=repo)
    check(proc, 0, text=False)
    summary = json.loads(proc.stdout)["summary"]
    assert summary["skipped"].get("submodule") == 1 and not summary.get("errors")


HOOKS = ("pre-commit", "post-checkout", "post-index-change", "reference-transaction",
         "pre-auto-gc", "post-rewrite")
# Programs the caller's environment could name (git reads config from GIT_CONFIG_*, too).
CALLER_ENV = {"GIT_CONFIG_COUNT": "2", "GIT_CONFIG_KEY_0": "core.fsmonitor",
              "GIT_CONFIG_KEY_1": "core.pager"}


def _hostile_config(repo: Path, marker: Path) -> None:
    """A repository whose own configuration names a program at every place git could run
    one while it is read: fsmonitor, external diff, diff drivers, textconv, filters (clean,
    smudge, process), pager and hooks."""
    command = f"touch {marker}"
    for key in ("core.fsmonitor", "diff.external", "diff.evil.command", "diff.evil.textconv",
                "filter.evil.clean", "filter.evil.smudge", "filter.evil.process",
                "core.pager", "pager.log", "pager.diff"):
        git(repo, "config", key, command)
    hooks = repo / ".git" / "evil-hooks"
    for hook in HOOKS:
        write(hooks / hook, f"#!/bin/sh\n{command}\n").chmod(0o755)
    git(repo, "config", "core.hooksPath", str(hooks))
    write(repo / ".gitattributes", "* diff=evil filter=evil\n")


def test_hostile_repository_config_never_runs_code(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    base = git(repo, "rev-parse", "HEAD").strip()
    marker = tmp_path / "PWNED"
    write(repo / "a.txt", f"t = {token(5)}\n")
    commit_all(repo)
    write(repo / "b.txt", f"t = {token(6)}\n")
    git(repo, "add", "b.txt")
    _hostile_config(repo, marker)  # set last: the test's own git must not run it either
    for args in (("diff", f"{base}..HEAD"), ("history",), ("scan", "--staged"), ("scan", ".")):
        env = {"GIT_EXTERNAL_DIFF": f"touch {marker}", **CALLER_ENV,
               "GIT_CONFIG_VALUE_0": f"touch {marker}", "GIT_CONFIG_VALUE_1": f"touch {marker}"}
        check(sg(*args, cwd=repo, env=env), 1, token(5), token(6))
    assert not marker.exists(), "git ran a program named by the scanned repository"


def test_hostile_repository_config_on_the_baseline_paths(tmp_path: Path) -> None:
    """A known secret moved by `git mv`: `scan --staged`, `diff` and `ci` ask git whether the
    old path is still there, and `ci` reads the base commit's configuration and baseline and
    shows what the PR changes in the configuration; none of that runs a program the
    repository names."""
    repo = new_repo(tmp_path / "r")
    write(repo / "old.txt", f"t = {token(10)}\n")
    commit_all(repo)
    check(sg("baseline", "create", cwd=repo), 0, token(10))
    base = commit_all(repo, "baseline")
    git(repo, "mv", "old.txt", "new.txt")
    with (repo / ".sealguard.yaml").open("a") as config:
        config.write("# the PR changes the configuration too (ci shows that change)\n")
    head = commit_all(repo, "move")
    git(repo, "reset", "-q", "--soft", base)  # the move is staged again, HEAD is the base
    marker = tmp_path / "PWNED"
    _hostile_config(repo, marker)
    event = write(tmp_path / "event.json", json.dumps(
        {"pull_request": {"base": {"sha": base}, "head": {"sha": head}, "number": 1}}))
    ci_env = {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(event)}
    for args, env in ((("scan", "--staged"), {}), (("diff", f"{base}..{head}"), {}),
                      (("ci",), ci_env)):
        check(sg(*args, cwd=repo, env=env), 0, token(10))
    assert not marker.exists(), "git ran a program named by the scanned repository"


def test_utf16_file_in_a_diff_is_text(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    base = git(repo, "rev-parse", "HEAD").strip()
    write(repo / "win.txt", f"a = 1\nt = {token(7)}\n".encode("utf-16"))
    commit_all(repo)
    proc = sg("diff", f"{base}..HEAD", "--format", "json", cwd=repo)
    check(proc, 1, token(7), text=False)
    [finding] = json.loads(proc.stdout)["findings"]
    assert (finding["path"], finding["line"]) == ("win.txt", 2)


def _hide(repo: Path, how: str, secret_commit: str) -> None:
    """Make git show a history without the secret: a replaced blob, a replace ref that cuts
    the parents (git replace --graft), or an old-style info/grafts file."""
    head = git(repo, "rev-parse", "HEAD").strip()
    if how == "replace-blob":
        blob = git(repo, "rev-parse", f"{secret_commit}:s.txt").strip()
        harmless = write(repo / ".git" / "harmless", "harmless\n")
        harmless_id = git(repo, "hash-object", "-w", str(harmless)).strip()
        git(repo, "replace", blob, harmless_id)
    elif how == "replace-graft":
        git(repo, "replace", "--graft", head)
    else:
        write(repo / ".git" / "info" / "grafts", f"{head}\n")


@pytest.mark.parametrize("how", ["replace-blob", "replace-graft", "graft-file"])
def test_replace_refs_and_grafts_cannot_hide_history(tmp_path: Path, how: str) -> None:
    """refs/replace/* (a mirror clone fetches them) and info/grafts rewrite what git shows:
    an audit reads the objects as they are."""
    repo = new_repo(tmp_path / "r")
    base = git(repo, "rev-parse", "HEAD").strip()
    write(repo / "s.txt", f"t = {token(9)}\n")
    secret_commit = commit_all(repo, "secret")
    (repo / "s.txt").unlink()
    write(repo / "other.txt", "nothing\n")
    commit_all(repo, "remove it")
    _hide(repo, how, secret_commit)
    check(sg("history", cwd=repo), 1, token(9))
    check(sg("diff", f"{base}..{secret_commit}", cwd=repo), 1, token(9))
