"""The small things a user trips on, each through the real CLI."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import commit_file, git
from tests.helpers import cli, run_sealguard
from tests.team_helpers import CONFIG, RULES, TOKEN_A, TOKEN_B, init_repo


def test_rules_list_through_a_closed_pipe_exits_quietly() -> None:
    proc = subprocess.run(f"{sys.executable} -m scanner rules list | head -1", shell=True,
                          capture_output=True, text=True, check=False)
    assert proc.stdout.count("\n") == 1
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr


def test_rules_list_includes_the_gitops_policies() -> None:
    from scanner.policy.catalog import POLICIES

    listed = {line.split()[0] for line in cli("rules", "list").stdout.splitlines() if line}
    assert len(POLICIES) >= 14 and set(POLICIES) <= listed


def test_rules_check_says_what_failed_and_demands_what_scan_demands(git_repo: Path) -> None:
    import re

    lone = re.sub(r'(?m)^(\s+)examples: \[.*\]$', f'\\1examples: ["token = {TOKEN_A}"]', RULES)
    assert lone != RULES
    (git_repo / "one.yaml").write_text(lone)
    checked = run_sealguard("rules", "check", "--config", "one.yaml", cwd=git_repo)
    assert checked.returncode == 0, checked.stdout + checked.stderr  # one of each is enough
    assert "back-end" in checked.stdout and ": ok" in checked.stdout
    none = lone.replace(f'examples: ["token = {TOKEN_A}"]', "examples: []")
    (git_repo / "none.yaml").write_text(none)
    for command in (["rules", "check"], ["scan", "."]):
        proc = run_sealguard(*command, "--config", "none.yaml", cwd=git_repo)
        assert proc.returncode == 2, (command, proc.stdout, proc.stderr)
        assert "needs at least 1 examples (has 0)" in proc.stderr
    bad = lone.replace('"tstk_short"', f'"{TOKEN_A}"')
    (git_repo / "bad.yaml").write_text(bad)
    failed = run_sealguard("rules", "check", "--config", "bad.yaml", cwd=git_repo)
    assert failed.returncode == 1 and "FAILED: " in failed.stdout
    assert "hyperscan: FAILED" not in failed.stdout


def test_output_and_baseline_files_honour_the_umask(git_repo: Path) -> None:
    init_repo(git_repo)
    commit_file(git_repo, "a.txt", f"ref {TOKEN_A}\n")
    old = os.umask(0o022)
    try:
        assert cli("scan", "--output", "report.txt", "a.txt").exit_code == 1
        assert cli("baseline", "create").exit_code == 0
    finally:
        os.umask(old)
    for name in ("report.txt", ".sealguard-baseline.json"):
        assert stat.S_IMODE((git_repo / name).stat().st_mode) == 0o644, name


def test_output_file_prints_the_summary_on_stderr(git_repo: Path) -> None:
    init_repo(git_repo)
    commit_file(git_repo, "a.txt", f"ref {TOKEN_A}\n")
    proc = run_sealguard("scan", "--format", "json", "--output", "r.json", "a.txt", cwd=git_repo)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.startswith("sealguard: 1 finding(s) (1 high) in 1 file(s)")
    quiet = run_sealguard("scan", "-q", "--output", "r.txt", "a.txt", cwd=git_repo)
    assert quiet.stderr == ""


@pytest.mark.parametrize(("env", "color"), [({}, True), ({"NO_COLOR": ""}, True),
                                            ({"NO_COLOR": "1"}, False), ({"TERM": "dumb"}, False)])
def test_colour_follows_no_color_and_term(env: dict[str, str], color: bool,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from scanner.commands import use_color

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert use_color(None) is color


def test_compiling_the_rule_database_is_said_once(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """On a cache miss of the bulk database the CLI says so once; a cached one is silent.
    (The real compile takes seconds: the cache path is driven with a stand-in artefact.)"""
    from scanner.commands import compiling_note
    from scanner.engine import cache

    monkeypatch.setenv("SEALGUARD_CACHE_DIR", str(tmp_path / "cold"))
    monkeypatch.setattr(cache, "BUILD_HOOKS", [])
    compiling_note({})
    for _ in range(2):
        assert cache.cached_bytes("hsre", "k1", lambda: b"db") == b"db"
    cache.cached_bytes("hsre", "k2", lambda: b"db2")  # a second miss in the same run
    assert capsys.readouterr().err.count("compiling the rule database (once") == 1
    compiling_note({})
    assert cache.cached_bytes("hsre", "k1", lambda: b"x") == b"db"
    assert "compiling" not in capsys.readouterr().err


def test_help_lists_exit_codes() -> None:
    for command in ([], ["scan"], ["diff"], ["history"], ["ci"]):
        out = cli(*command, "--help").output
        assert "Exit codes: 0" in " ".join(out.split()), command


def test_staged_paths_limit_the_scan(git_repo: Path) -> None:
    init_repo(git_repo)
    (git_repo / "a").mkdir()
    (git_repo / "a" / "x.txt").write_text(f"ref {TOKEN_A}\n")
    (git_repo / "b.txt").write_text(f"ref {TOKEN_B}\n")
    git(git_repo, "add", ".")
    assert cli("scan", "--staged", "b.txt").exit_code == 1
    result = cli("scan", "--staged", "--format", "json", "a")
    assert '"path": "a/x.txt"' in result.output and "b.txt" not in result.output


def test_one_configuration_rule_from_every_directory(git_repo: Path) -> None:
    (git_repo / ".sealguard.yaml").write_text(CONFIG)
    (git_repo / "clusters" / "prod").mkdir(parents=True)
    (git_repo / "clusters" / ".sealguard.yaml").write_text("allowlist:\n  paths: ['**']\n")
    (git_repo / "clusters" / "prod" / "secret.txt").write_text(f"ref {TOKEN_A}\n")
    git(git_repo, "add", ".")
    verdicts = {
        "scan clusters/": run_sealguard("scan", "clusters/", cwd=git_repo),
        "scan .": run_sealguard("scan", ".", cwd=git_repo),
        "cd clusters; scan prod/secret.txt": run_sealguard("scan", "prod/secret.txt",
                                                           cwd=git_repo / "clusters"),
        "scan --staged": run_sealguard("scan", "--staged", cwd=git_repo / "clusters"),
    }
    for name, proc in verdicts.items():
        assert proc.returncode == 1, (name, proc.stdout, proc.stderr)
    assert "clusters/.sealguard.yaml is not read" in verdicts["scan clusters/"].stderr
    git(git_repo, "commit", "-qm", "secret under a folder that allowlists everything")
    for command in (["history"], ["diff", "--pre-push"]):  # no remote: every commit is new
        proc = run_sealguard(*command, cwd=git_repo / "clusters")
        assert proc.returncode == 1 and "prod/secret.txt" in proc.stdout, (command, proc)


def test_install_hook_chains_the_previous_hook(git_repo: Path) -> None:
    commit_file(git_repo, ".sealguard.yaml", CONFIG, "config")
    hook = git_repo / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text("#!/bin/sh\necho legacy-ran >> legacy.log\nexit 0\n")
    hook.chmod(0o755)
    assert cli("install-hook", "--force").exit_code == 0
    (git_repo / "ok.txt").write_text("fine\n")
    git(git_repo, "add", "ok.txt")
    env = {**os.environ, "PATH": "/usr/bin:/bin"}  # no virtual environment on PATH
    ok = subprocess.run(["git", "commit", "-qm", "ok"], cwd=git_repo, env=env,
                        capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    assert (git_repo / "legacy.log").read_text() == "legacy-ran\n"
    (git_repo / ".git" / "hooks" / "pre-commit.legacy").write_text("#!/bin/sh\nexit 7\n")
    failed = subprocess.run(["git", "commit", "-qm", "x", "--allow-empty"], cwd=git_repo,
                            env=env, capture_output=True, text=True, check=False)
    assert failed.returncode != 0  # the previous hook's verdict still counts


def test_jobs_runs_workers_and_changes_no_verdict(git_repo: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from scanner import pipeline

    init_repo(git_repo)
    for i in range(6):
        (git_repo / f"f{i}.txt").write_text(f"ref {TOKEN_A if i % 2 else TOKEN_B}\n")
    asked: list[int] = []
    real = pipeline._results

    def spy(items: object, ctx: object, jobs: int) -> object:
        asked.append(jobs)
        return real(items, ctx, jobs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "_results", spy)
    one = cli("scan", "-j", "1", "--format", "json", ".")
    two = cli("scan", "--jobs", "2", "--format", "json", ".")
    assert asked == [1, 2] and one.exit_code == two.exit_code == 1
    import json

    assert json.loads(one.stdout)["findings"] == json.loads(two.stdout)["findings"]
    assert len(json.loads(two.stdout)["findings"]) == 6
    assert run_sealguard("scan", "-j", "0", ".", cwd=git_repo).returncode == 2


def test_verbose_says_what_the_baseline_hid_in_every_format(git_repo: Path) -> None:
    init_repo(git_repo)
    commit_file(git_repo, "a.txt", f"ref {TOKEN_A}\n")
    assert cli("baseline", "create").exit_code == 0
    quiet = run_sealguard("scan", "--format", "json", "a.txt", cwd=git_repo)
    loud = run_sealguard("scan", "--format", "json", "-v", "a.txt", cwd=git_repo)
    import json

    assert quiet.returncode == loud.returncode == 0
    assert json.loads(quiet.stdout)["findings"] == json.loads(loud.stdout)["findings"] == []
    assert "hidden" not in quiet.stderr
    assert "baseline .sealguard-baseline.json: 1 known finding(s) hidden" in loud.stderr


def test_short_secrets_show_nothing_when_redacted(git_repo: Path) -> None:
    """A short value (a password) is guessable from a few characters: none are shown."""
    from scanner.findings import redact

    assert redact("hunter2pass") == "…"  # under 12: nothing
    assert redact("Tr0ub4dor&3xyz") == "Tr…"  # under 20: two characters
    assert redact(TOKEN_A) == f"{TOKEN_A[:4]}…{TOKEN_A[-4:]}"
    (git_repo / "app.py").write_text('conn = connect(host="db", password="Kq7-pw-x9Z")\n')
    git(git_repo, "add", "app.py")
    proc = run_sealguard("scan", "--format", "json", "app.py", cwd=git_repo)
    import json

    findings = json.loads(proc.stdout)["findings"]
    assert findings and all(f["redacted"] == "…" for f in findings), findings
    text = run_sealguard("scan", "app.py", cwd=git_repo).stdout
    assert "Kq7" not in text and "x9Z" not in text


def test_the_external_secret_recipe_is_current_and_passes_our_own_policies(
        git_repo: Path) -> None:
    """The recipe `rules explain` and the docs print uses external-secrets.io/v1 (v1beta1 is
    deprecated) and is a manifest sealguard itself accepts."""
    import textwrap

    from scanner.policy.catalog import EXTERNAL_SECRET
    from tests.conftest import REPO_ROOT

    recipe = textwrap.dedent(EXTERNAL_SECRET).replace("NAME", "db-creds").replace("KEY", "pw")
    assert recipe.startswith("apiVersion: external-secrets.io/v1\n")
    for doc in ("README.md", "docs/usage.md"):
        assert "external-secrets.io/v1beta1" not in (REPO_ROOT / doc).read_text(), doc
    (git_repo / "clusters").mkdir()
    (git_repo / "clusters" / "db.yaml").write_text(recipe + "\n")
    git(git_repo, "add", ".")
    proc = run_sealguard("scan", "--format", "json", "clusters", cwd=git_repo)
    assert proc.returncode == 0, proc.stdout + proc.stderr
