"""`sealguard ci` on real temp repositories with simulated GitHub Actions events."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import commit_file, git
from tests.helpers import cli, run_sealguard
from tests.team_helpers import (
    TOKEN_A,
    TOKEN_B,
    TOKEN_C,
    GitHubEnv,
    head,
    init_repo,
    make_github_env,
    validate_sarif,
)


@pytest.fixture
def gh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitHubEnv:
    return make_github_env(tmp_path, monkeypatch)


def _pr_repo(repo: Path) -> tuple[str, str]:
    """main has an old secret; the feature branch adds TOKEN_B on line 2 of app/settings.txt."""
    init_repo(repo)
    commit_file(repo, "legacy.txt", f"ref OLD {TOKEN_A}\n", "legacy")
    base = head(repo)
    git(repo, "checkout", "-q", "-b", "feature")
    commit_file(repo, "README.md", "docs\n", "docs")
    commit_file(repo, "app/settings.txt", f"NAME=demo\napi ref {TOKEN_B}\n", "settings")
    return base, head(repo)


def _pr_event(base: str, head_sha: str) -> dict[str, object]:
    return {"number": 7, "pull_request": {"number": 7, "base": {"sha": base, "ref": "main"},
                                          "head": {"sha": head_sha, "ref": "feature"}}}


def test_pull_request_scans_base_to_head(git_repo: Path, gh: GitHubEnv) -> None:
    base, head_sha = _pr_repo(git_repo)
    gh.event("pull_request", _pr_event(base, head_sha))
    result = cli("ci", "--sarif-file", "out.sarif")
    assert result.exit_code == 1, result.output
    assert "::error file=app/settings.txt,line=2,col=" in result.output
    assert "title=sealguard high%3A test-token::" in result.output
    assert "legacy.txt" not in result.output  # the base's finding is not the PR's
    assert gh.outputs == {"findings": "1", "sarif-file": "out.sarif"}
    summary = gh.summary
    assert "## sealguard: pull request #7" in summary
    assert "| Severity | Rule | Findings | Remedy |" in summary
    assert "`test-token` | 1 | Revoke the test token in the test console. |" in summary
    assert "app/settings.txt:2" in summary
    doc = json.loads((git_repo / "out.sarif").read_text())
    validate_sarif(doc)
    (res,) = doc["runs"][0]["results"]
    assert res["ruleId"] == "test-token" and res["level"] == "error"
    assert res["locations"][0]["physicalLocation"]["region"]["startLine"] == 2
    for text in (result.output, summary, (git_repo / "out.sarif").read_text()):
        assert TOKEN_B not in text and TOKEN_A not in text


def test_fail_on_decides_the_exit_code(git_repo: Path, gh: GitHubEnv) -> None:
    base, head_sha = _pr_repo(git_repo)
    gh.event("pull_request", _pr_event(base, head_sha))
    result = cli("ci", "--fail-on", "critical")
    assert result.exit_code == 0, result.output
    assert gh.outputs["findings"] == "1"  # still reported
    assert "**Passed**: 1 finding(s), all below `critical`." in gh.summary
    assert (git_repo / "sealguard.sarif").is_file()  # the default SARIF path


def test_clean_pull_request_passes(git_repo: Path, gh: GitHubEnv) -> None:
    init_repo(git_repo)
    commit_file(git_repo, "legacy.txt", f"ref OLD {TOKEN_A}\n", "legacy")
    base = head(git_repo)
    commit_file(git_repo, "legacy.txt", f"ref OLD {TOKEN_A}\nMORE=1\n", "unrelated edit")
    gh.event("pull_request", _pr_event(base, head(git_repo)))
    result = cli("ci")
    assert result.exit_code == 0, result.output
    assert gh.outputs["findings"] == "0"
    assert "**Passed**: no findings." in gh.summary


def test_push_scans_before_to_after(git_repo: Path, gh: GitHubEnv) -> None:
    before = init_repo(git_repo)
    commit_file(git_repo, "a.txt", f"ref K {TOKEN_A}\n", "a")
    commit_file(git_repo, "b.txt", "nothing\n", "b")
    gh.event("push", {"ref": "refs/heads/main", "before": before, "after": head(git_repo),
                      "repository": {"default_branch": "main"}})
    result = cli("ci")
    assert result.exit_code == 1
    assert "::error file=a.txt,line=1" in result.output
    assert gh.outputs["findings"] == "1"


def test_push_of_a_new_branch_scans_what_is_new_relative_to_default(git_repo: Path,
                                                                    gh: GitHubEnv) -> None:
    init_repo(git_repo)
    commit_file(git_repo, "old.txt", f"ref K {TOKEN_A}\n", "on main already")
    git(git_repo, "checkout", "-q", "-b", "topic")
    commit_file(git_repo, "new.txt", f"ref K {TOKEN_B}\n", "new on topic")
    gh.event("push", {"ref": "refs/heads/topic", "before": "0" * 40, "after": head(git_repo),
                      "created": True, "repository": {"default_branch": "main"}})
    result = cli("ci")
    assert result.exit_code == 1, result.output
    assert "file=new.txt" in result.output
    assert "old.txt" not in result.output
    assert "new branch" in gh.summary


def test_first_push_of_the_default_branch_audits_its_history(git_repo: Path,
                                                             gh: GitHubEnv) -> None:
    init_repo(git_repo)
    commit_file(git_repo, "old.txt", f"ref K {TOKEN_A}\n", "secret")
    commit_file(git_repo, "old.txt", "K=\n", "removed again")
    gh.event("push", {"ref": "refs/heads/main", "before": "0" * 40, "after": head(git_repo),
                      "repository": {"default_branch": "main"}})
    result = cli("ci")
    assert result.exit_code == 1, result.output
    assert "file=old.txt" in result.output


def test_force_push_scans_the_rewritten_commits(git_repo: Path, gh: GitHubEnv) -> None:
    init_repo(git_repo)
    commit_file(git_repo, "main.txt", f"ref K {TOKEN_A}\n", "main secret")
    git(git_repo, "checkout", "-q", "-b", "topic")
    commit_file(git_repo, "x.txt", "v1\n", "first version")
    before = head(git_repo)
    git(git_repo, "reset", "-q", "--hard", "HEAD~1")
    commit_file(git_repo, "x.txt", f"v2 {TOKEN_C}\n", "rewritten")
    after = head(git_repo)
    gh.event("push", {"ref": "refs/heads/topic", "before": before, "after": after,
                      "forced": True, "repository": {"default_branch": "main"}})
    result = cli("ci")
    assert result.exit_code == 1, result.output
    assert "file=x.txt,line=1" in result.output
    assert "main.txt" not in result.output
    assert "force push" in gh.summary


def test_force_push_with_unknown_before_uses_the_default_branch(git_repo: Path,
                                                                gh: GitHubEnv) -> None:
    init_repo(git_repo)
    git(git_repo, "checkout", "-q", "-b", "topic")
    commit_file(git_repo, "x.txt", f"v2 {TOKEN_C}\n", "rewritten")
    gh.event("push", {"ref": "refs/heads/topic", "before": "1" * 40, "after": head(git_repo),
                      "forced": True, "repository": {"default_branch": "main"}})
    result = cli("ci")
    assert result.exit_code == 1, result.output
    assert "file=x.txt" in result.output


def test_deleted_branch_scans_nothing(git_repo: Path, gh: GitHubEnv) -> None:
    before = init_repo(git_repo)
    gh.event("push", {"ref": "refs/heads/gone", "before": before, "after": "0" * 40,
                      "deleted": True})
    result = cli("ci")
    assert result.exit_code == 0, result.output
    assert gh.outputs["findings"] == "0"


def test_workflow_dispatch_runs_a_history_audit(git_repo: Path, gh: GitHubEnv) -> None:
    init_repo(git_repo)
    commit_file(git_repo, "old.txt", f"ref K {TOKEN_A}\n", "secret")
    commit_file(git_repo, "old.txt", "K=\n", "removed again")
    gh.event("workflow_dispatch", {"inputs": {}})
    result = cli("ci")
    assert result.exit_code == 1, result.output
    # Gone from HEAD: on the file, without a stale line, saying where it was.
    assert "::error file=old.txt,title=" in result.output
    assert "no longer at HEAD but still in history: rotate it (added at old.txt:1" in result.output
    assert "history audit" in gh.summary


def test_mode_full_without_any_event(git_repo: Path) -> None:
    init_repo(git_repo)
    commit_file(git_repo, "old.txt", f"ref K {TOKEN_A}\n", "secret")
    result = cli("ci", "--mode", "full", "--sarif-file", "s.sarif")
    assert result.exit_code == 1
    validate_sarif(json.loads((git_repo / "s.sarif").read_text()))


def test_baseline_hides_known_findings_in_ci(git_repo: Path, gh: GitHubEnv) -> None:
    init_repo(git_repo)
    commit_file(git_repo, "legacy.txt", f"ref OLD {TOKEN_A}\n", "legacy")
    assert cli("baseline", "create").exit_code == 0
    git(git_repo, "add", ".sealguard-baseline.json")
    git(git_repo, "commit", "-q", "-m", "adopt sealguard with a baseline")
    base = head(git_repo)
    commit_file(git_repo, "legacy.txt", f"# moved down\n\nOLD={TOKEN_A}\n", "move the old secret")
    gh.event("pull_request", _pr_event(base, head(git_repo)))
    assert cli("ci").exit_code == 0  # the old secret moved lines: still known
    commit_file(git_repo, "new.txt", f"ref NEW {TOKEN_B}\n", "a new secret")
    gh.event("pull_request", _pr_event(base, head(git_repo)))
    result = cli("ci")
    assert result.exit_code == 1
    assert "file=new.txt" in result.output and "legacy.txt" not in result.output
    assert "Baseline:" in gh.summary


def test_pull_request_editing_the_baseline_is_flagged(git_repo: Path, gh: GitHubEnv) -> None:
    base = init_repo(git_repo)
    commit_file(git_repo, ".sealguard-baseline.json",
                '{"version": 1, "tool": "sealguard", "findings": []}\n', "baseline")
    gh.event("pull_request", _pr_event(base, head(git_repo)))
    result = cli("ci")
    assert result.exit_code == 0
    assert "::warning title=sealguard configuration changed::" in result.output
    assert ".sealguard-baseline.json" in gh.summary


def test_wrong_mode_for_the_event_is_a_usage_error(git_repo: Path, gh: GitHubEnv) -> None:
    before = init_repo(git_repo)
    gh.event("push", {"before": before, "after": head(git_repo)})
    result = run_sealguard("ci", "--mode", "pr", cwd=git_repo, env=dict(os.environ))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "pull_request" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_pr_head_commit_asks_for_full_history(git_repo: Path, gh: GitHubEnv) -> None:
    base = init_repo(git_repo)
    gh.event("pull_request", _pr_event(base, "2" * 40))
    result = run_sealguard("ci", cwd=git_repo, env=dict(os.environ))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_ci_as_a_real_process(git_repo: Path, gh: GitHubEnv) -> None:
    base, head_sha = _pr_repo(git_repo)
    gh.event("pull_request", _pr_event(base, head_sha))
    proc = run_sealguard("ci", "--sarif-file", "r.sarif", cwd=git_repo, env=dict(os.environ))
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("::error file=app/settings.txt,line=2")
    assert TOKEN_B not in proc.stdout + proc.stderr
    assert gh.outputs["sarif-file"] == "r.sarif"


def test_a_fatal_error_leaves_annotation_summary_outputs_and_sarif(git_repo: Path,
                                                                   gh: GitHubEnv) -> None:
    base = init_repo(git_repo)
    (git_repo / ".sealguard.yaml").write_text("colour: red\n")  # a config typo
    gh.event("pull_request", _pr_event(base, head(git_repo)))
    proc = run_sealguard("ci", "--pr-config", "--sarif-file", "out.sarif", cwd=git_repo,
                         env=dict(os.environ))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stdout.startswith("::error title=sealguard could not run::")
    assert "'colour': unknown key" in proc.stdout
    assert "## sealguard: could not run" in gh.summary and "What to fix" in gh.summary
    assert gh.outputs["findings"] == "0" and gh.outputs["sarif-file"] == "out.sarif"
    assert "unknown key" in gh.outputs["error"]
    doc = json.loads((git_repo / "out.sarif").read_text())
    validate_sarif(doc)
    (invocation,) = doc["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert "unknown key" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_a_shallow_clone_fails_with_the_fix_in_the_summary(git_repo: Path, gh: GitHubEnv,
                                                           tmp_path: Path) -> None:
    base, head_sha = _pr_repo(git_repo)
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature",
        f"file://{git_repo}", str(shallow))
    gh.event("pull_request", _pr_event(base, head_sha))
    proc = run_sealguard("ci", cwd=shallow, env=dict(os.environ))
    assert proc.returncode == 2
    assert "fetch-depth: 0" in gh.summary
    validate_sarif(json.loads((shallow / "sealguard.sarif").read_text()))


def test_a_pull_request_cannot_allowlist_its_own_secret(git_repo: Path, gh: GitHubEnv) -> None:
    base = init_repo(git_repo)
    git(git_repo, "checkout", "-q", "-b", "feature")
    (git_repo / ".sealguard.yaml").write_text(
        (git_repo / ".sealguard.yaml").read_text().replace(
            "paths: [.sealguard.yaml]", f"paths: [.sealguard.yaml]\n  regexes: ['^{TOKEN_B}$']"))
    commit_file(git_repo, "app.txt", f"ref {TOKEN_B}\n", "secret and its allowlist")
    git(git_repo, "add", ".sealguard.yaml")
    git(git_repo, "commit", "-qm", "allowlist it")
    gh.event("pull_request", _pr_event(base, head(git_repo)))
    result = cli("ci")
    assert result.exit_code == 1, result.output  # the base commit's configuration decides
    assert "file=app.txt,line=1" in result.output
    summary = gh.summary
    assert "Configuration and baseline changes in this pull request" in summary
    assert "base commit's" in summary and "+  regexes:" in summary
    assert TOKEN_B not in summary  # the allowlisted secret is shown redacted
    assert cli("ci", "--pr-config").exit_code == 0  # explicit opt-in to the PR's own


def test_a_secret_added_and_removed_in_the_pr_is_placed_truthfully(git_repo: Path,
                                                                   gh: GitHubEnv) -> None:
    base = init_repo(git_repo)
    git(git_repo, "checkout", "-q", "-b", "feature")
    commit_file(git_repo, "app.txt", f"one\ntwo\nref {TOKEN_B}\n", "add")
    added_in = head(git_repo)
    commit_file(git_repo, "app.txt", "one\n", "remove it again")
    gh.event("pull_request", _pr_event(base, head(git_repo)))
    result = cli("ci", "--sarif-file", "s.sarif")
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if x.startswith("::error"))
    assert line.startswith("::error file=app.txt,title=")  # no stale line 3
    assert f"removed in this PR but still in history: rotate it (added at app.txt:3 in commit " \
           f"{added_in[:12]})" in line
    doc = json.loads((git_repo / "s.sarif").read_text())
    validate_sarif(doc)
    (res,) = doc["runs"][0]["results"]
    assert "region" not in res["locations"][0]["physicalLocation"]
    assert "removed in this PR but still in history" in gh.summary


def test_an_unwritable_sarif_path_still_leaves_annotation_summary_and_outputs(
        git_repo: Path, gh: GitHubEnv) -> None:
    base, head_sha = _pr_repo(git_repo)
    gh.event("pull_request", _pr_event(base, head_sha))
    proc = run_sealguard("ci", "--sarif-file", "legacy.txt/r.sarif", cwd=git_repo,
                         env=dict(os.environ))  # a file where the folder should be
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stdout.startswith("::error title=sealguard could not run::legacy.txt/r.sarif")
    assert "What to fix" in gh.summary and "legacy.txt/r.sarif" in gh.outputs["error"]
    assert gh.outputs["findings"] == "0"


def test_the_sarif_file_folder_is_made(git_repo: Path, gh: GitHubEnv) -> None:
    base, head_sha = _pr_repo(git_repo)
    gh.event("pull_request", _pr_event(base, head_sha))
    assert cli("ci", "--sarif-file", "results/sealguard.sarif").exit_code == 1
    validate_sarif(json.loads((git_repo / "results" / "sealguard.sarif").read_text()))
