"""Configuration: discovery, --config override, pyproject, allowlists, overrides, and strict
validation (one-line error naming key and line, exit 2, no traceback) through the real CLI."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from scanner.config import Config
from scanner.config_schema import parse_config_file
from scanner.findings import fingerprint
from scanner.init import STARTER_CONFIG
from tests.conftest import commit_file
from tests.helpers import cli, run_sealguard
from tests.team_helpers import CONFIG, RULES, TOKEN_A, TOKEN_B, init_repo


def _findings(*args: str) -> list[dict[str, object]]:
    result = cli("scan", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    found: list[dict[str, object]] = json.loads(result.output)["findings"]
    return [f for f in found if f["path"] != ".sealguard.yaml"]  # the rule's own examples


BAD = [
    ("colour: red\n", 1, "'colour': unknown key"),
    ("allowlist:\n  paths: [a]\n  regexs: [b]\n", 3, "'allowlist.regexs': unknown key"),
    ("fail_on: urgent\n", 1, "'fail_on': must be one of"),
    ("allowlist:\n  paths: notalist\n", 2, "'allowlist.paths': must be a list of strings"),
    ("allowlist:\n  stopwords:\n    - ok\n    - 3\n", 4, "'allowlist.stopwords[1]'"),
    ("gitops:\n  allow_sops: maybe\n", 2, "'gitops.allow_sops': must be true or false"),
    ("rules:\n  severity:\n    jwt: severe\n", 3, "'rules.severity.jwt'"),
    ("max_file_size: lots\n", 1, "'max_file_size'"),
    ("allowlist:\n  regexes: ['(unclosed']\n", 2, "does not compile"),
    ("allowlist:\n  fingerprints: [abc]\n", 2, "'allowlist.fingerprints[0]'"),
    ("fail_on: high\nfail_on: low\n", 2, "duplicate key"),
    ("rules:\n  custom:\n    - id: x-rule\n      name: X\n", 3, "missing key 'family'"),
    (CONFIG.replace("keywords: [tstk_]", "keywords: [tstk_]\n      colour: red"), 8,
     "'rules.custom[0].colour': unknown rule key"),
    (CONFIG.replace("(tstk_[A-Za-z0-9]{24})", "(tstk_)([A-Za-z0-9]{24})"), 3,
     "exactly one capture group"),
    ("x: !!python/object/apply:os.system ['echo owned']\n", 1, "invalid YAML"),
    ("a: [1, 2\n", 2, "invalid YAML"),
]


@pytest.mark.parametrize(("text", "line", "needle"), BAD)
def test_bad_config_is_one_line_with_key_and_line(git_repo: Path, text: str, line: int,
                                                  needle: str) -> None:
    (git_repo / ".sealguard.yaml").write_text(text)
    (git_repo / "a.txt").write_text("hello\n")
    result = cli("scan", "a.txt")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f".sealguard.yaml:{line}:" in result.stderr, result.stderr
    assert needle in result.stderr, result.stderr


def test_bad_config_in_a_real_process(git_repo: Path) -> None:
    (git_repo / ".sealguard.yaml").write_text("allowlist:\n  paths: [a]\n  regexs: [b]\n")
    (git_repo / "a.txt").write_text("hello\n")
    proc = run_sealguard("scan", "a.txt", cwd=git_repo)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert ".sealguard.yaml:3: 'allowlist.regexs': unknown key" in proc.stderr


def test_yaml_tags_never_run_code(git_repo: Path) -> None:
    marker = git_repo / "owned"
    tag = "!!python/object/apply:os.system"
    (git_repo / ".sealguard.yaml").write_text(f"x: {tag} ['touch {marker}']\n")
    (git_repo / "a.txt").write_text("hello\n")
    assert run_sealguard("scan", "a.txt", cwd=git_repo).returncode == 2
    assert not marker.exists()


def test_pyproject_errors_name_key_and_line(git_repo: Path) -> None:
    (git_repo / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.sealguard]\nfail_on = "high"\n\n'
        '[tool.sealguard.allowlist]\npaths = ["x"]\nstopword = ["y"]\n')
    (git_repo / "a.txt").write_text("hello\n")
    proc = run_sealguard("scan", "a.txt", cwd=git_repo)
    assert proc.returncode == 2
    assert "pyproject.toml:9: 'allowlist.stopword': unknown key" in proc.stderr


def test_pyproject_config_is_discovered(git_repo: Path) -> None:
    (git_repo / ".sealguard.yaml").write_text(CONFIG)
    commit_file(git_repo, "a.txt", f"ref {TOKEN_A}\n")
    assert len(_findings("a.txt")) == 1
    (git_repo / ".sealguard.yaml").unlink()
    (git_repo / "pyproject.toml").write_text("[tool.sealguard]\nfail_on = \"critical\"\n")
    assert parse_config_file(git_repo / "pyproject.toml").fail_on == "critical"


def test_config_override_and_disable(git_repo: Path, tmp_path: Path) -> None:
    init_repo(git_repo)
    commit_file(git_repo, "a.txt", f"ref {TOKEN_A}\n")
    other = tmp_path / "other.yaml"
    other.write_text(RULES + "  disable: [test-token]\n")
    assert len(_findings("a.txt")) == 1
    assert _findings("--config", str(other), "a.txt") == []
    missing = cli("scan", "--config", str(tmp_path / "nope.yaml"), "a.txt")
    assert missing.exit_code == 2


def test_severity_override_and_fail_on(git_repo: Path) -> None:
    (git_repo / ".sealguard.yaml").write_text(RULES + "  severity:\n    test-token: low\n")
    commit_file(git_repo, "a.txt", f"ref {TOKEN_A}\n")
    result = cli("scan", "--format", "json", "a.txt")
    assert result.exit_code == 0  # low is below the default fail-on (medium)
    assert json.loads(result.output)["findings"][0]["severity"] == "low"
    assert cli("scan", "--fail-on", "low", "a.txt").exit_code == 1


@pytest.mark.parametrize("allow", [
    "  paths: ['secrets/*']\n",
    "  regexes: ['^tstk_Q7']\n",
    "  stopwords: [q7wx2]\n",
])
def test_allowlists(git_repo: Path, allow: str) -> None:
    (git_repo / ".sealguard.yaml").write_text(RULES + "allowlist:\n" + allow)
    commit_file(git_repo, "secrets/a.txt", f"ref {TOKEN_A}\n")
    commit_file(git_repo, "b.txt", f"ref {TOKEN_B}\n")
    assert [f["path"] for f in _findings(".")] == ["b.txt"]


def test_fingerprint_allowlist(git_repo: Path) -> None:
    fp = fingerprint(b"", "test-token", TOKEN_A, "a.txt")  # a report's, with no baseline yet
    (git_repo / ".sealguard.yaml").write_text(RULES + f"allowlist:\n  fingerprints: ['{fp}']\n")
    commit_file(git_repo, "a.txt", f"ref {TOKEN_A}\n")
    commit_file(git_repo, "b.txt", f"ref {TOKEN_A}\n")
    assert [f["path"] for f in _findings(".")] == ["b.txt"]
    # sealguard 0.1's unkeyed fingerprints in existing configurations keep working.
    from scanner.findings import legacy_fingerprint

    old = legacy_fingerprint("test-token", TOKEN_A, "b.txt")
    (git_repo / ".sealguard.yaml").write_text(RULES + f"allowlist:\n  fingerprints: ['{old}']\n")
    assert [f["path"] for f in _findings(".")] == ["a.txt"]


def test_max_file_size(git_repo: Path) -> None:
    (git_repo / ".sealguard.yaml").write_text(RULES + "max_file_size: 1KB\n")
    commit_file(git_repo, "big.txt", f"ref {TOKEN_A}\n" + "x" * 2048 + "\n")
    result = cli("scan", "--format", "json", "big.txt")
    doc = json.loads(result.output)
    assert doc["findings"] == [] and doc["summary"]["skipped"]["too_large"] == 1


def test_custom_rule_examples_in_the_config_are_findings_unless_allowlisted(
        git_repo: Path) -> None:
    (git_repo / ".sealguard.yaml").write_text(RULES)
    result = cli("scan", "--format", "json", ".")
    assert {f["path"] for f in json.loads(result.output)["findings"]} == {".sealguard.yaml"}
    init_repo(git_repo)  # CONFIG allowlists the file
    assert cli("scan", ".").exit_code == 0


def test_starter_config_is_valid(tmp_path: Path) -> None:
    path = tmp_path / ".sealguard.yaml"
    path.write_text(STARTER_CONFIG)
    config = parse_config_file(path)
    assert config.fail_on == "medium" and config.gitops.allow_sops is True
    # The starter file spells out the defaults: writing it changes no verdict.
    assert config == dataclasses.replace(Config(), source=config.source, fail_on="medium")
