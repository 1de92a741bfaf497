"""Baselines: adopt sealguard with existing findings; only new secrets fail afterwards."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import commit_file, git
from tests.helpers import cli
from tests.team_helpers import CONFIG, TOKEN_A, TOKEN_B, TOKEN_C, head, init_repo

BASELINE = ".sealguard-baseline.json"


def _scan(*args: str) -> tuple[int, list[dict[str, object]]]:
    result = cli("scan", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)["findings"]


def test_baseline_then_only_new_secrets_fail(git_repo: Path) -> None:
    init_repo(git_repo)
    commit_file(git_repo, "app/old.txt", f"first line\nref {TOKEN_A}\n", "legacy secret")
    created = cli("baseline", "create")
    assert created.exit_code == 0, created.output
    # The repository's baseline is found without --baseline, by every command.
    assert _scan() == (0, [])
    assert _scan("--baseline", BASELINE) == (0, [])
    # Line moves and unrelated edits keep the entry.
    commit_file(git_repo, "app/old.txt", f"# header\n\n\nother text\nref {TOKEN_A}\nmore\n", "edit")
    commit_file(git_repo, "app/unrelated.txt", "hello\n", "unrelated")
    assert _scan() == (0, [])
    # A new secret fails, and only it is reported.
    commit_file(git_repo, "app/new.txt", f"ref {TOKEN_B}\n", "new secret")
    code, findings = _scan()
    assert code == 1
    assert [f["path"] for f in findings] == ["app/new.txt"]
    # The same secret in another file, while the first still has it, is a new finding too.
    commit_file(git_repo, "app/copy.txt", f"ref {TOKEN_A}\n", "copied")
    assert {f["path"] for f in _scan()[1]} == {"app/new.txt", "app/copy.txt"}
    # --no-baseline shows everything.
    assert len(_scan("--no-baseline")[1]) == 3


def test_baseline_says_how_many_findings_it_hid(git_repo: Path) -> None:
    init_repo(git_repo)
    commit_file(git_repo, "a.txt", f"ref {TOKEN_A}\nref {TOKEN_B}\n")
    assert cli("baseline", "create").exit_code == 0
    doc = json.loads(cli("scan", "--format", "json", "a.txt").output)
    assert doc["summary"]["baseline"]["hidden"] == 2
    text = cli("scan", "a.txt").output
    assert "2 known finding(s) hidden by the baseline" in text


def test_baseline_file_holds_keyed_ids_and_metadata_only(git_repo: Path) -> None:
    init_repo(git_repo)
    commit_file(git_repo, "a.txt", f"ref {TOKEN_A}\n")
    assert cli("baseline", "create").exit_code == 0
    text = (git_repo / BASELINE).read_text()
    doc = json.loads(text)
    assert doc["version"] == 2 and doc["tool"] == "sealguard"
    assert len(bytes.fromhex(doc["key"])) == 32
    (entry,) = doc["findings"]
    assert set(entry) == {"id", "rule", "path", "line", "category"}
    assert entry["id"].startswith("hmac-sha256:")
    assert (entry["rule"], entry["path"], entry["line"]) == ("test-token", "a.txt", 1)
    assert TOKEN_A not in text and TOKEN_A[:9] not in text and TOKEN_A[-4:] not in text
    # Keyed: the same secret gets another id in another repository (another key).
    unkeyed = hashlib.sha256(f"test-token\0{TOKEN_A}\0a.txt".encode()).hexdigest()
    assert unkeyed not in text
    # The baseline itself (hex key, hashes) is not reported as a secret.
    assert _scan("--no-baseline", BASELINE) == (0, [])
    # Re-creating keeps the key, so fingerprints in reports stay stable.
    assert cli("baseline", "create").exit_code == 0
    assert json.loads((git_repo / BASELINE).read_text())["key"] == doc["key"]


def test_renamed_file_keeps_its_baselined_finding(git_repo: Path) -> None:
    init_repo(git_repo)
    commit_file(git_repo, "app/old.txt", f"ref {TOKEN_A}\n", "legacy")
    assert cli("baseline", "create").exit_code == 0
    git(git_repo, "add", BASELINE)
    git(git_repo, "commit", "-qm", "baseline")
    base = head(git_repo)
    git(git_repo, "mv", "app/old.txt", "app/renamed.txt")
    assert cli("scan", "--staged").exit_code == 0
    assert _scan() == (0, [])
    git(git_repo, "commit", "-qm", "rename")
    assert cli("diff", f"{base}..HEAD").exit_code == 0
    # ...but a copy beside the original is new.
    git(git_repo, "checkout", "-q", base, "--", "app/old.txt")
    code, findings = _scan()
    assert code == 1 and [f["path"] for f in findings] == ["app/renamed.txt"]


def test_config_key_names_the_baseline(git_repo: Path) -> None:
    (git_repo / ".sealguard.yaml").write_text(CONFIG + "baseline: ci/known.json\n")
    commit_file(git_repo, "a.txt", f"ref {TOKEN_A}\n")
    assert cli("baseline", "create").exit_code == 0
    assert (git_repo / "ci" / "known.json").is_file()
    assert _scan("a.txt") == (0, [])
    (git_repo / "ci" / "known.json").unlink()
    result = cli("scan", "a.txt")
    assert result.exit_code == 2 and "ci/known.json not found" in result.output


def test_baseline_update_keeps_adds_and_drops(git_repo: Path) -> None:
    init_repo(git_repo)
    commit_file(git_repo, "a.txt", f"ref {TOKEN_A}\n")
    commit_file(git_repo, "b.txt", f"ref {TOKEN_B}\n")
    assert cli("baseline", "create").exit_code == 0
    commit_file(git_repo, "b.txt", "fixed\n", "fix b")
    commit_file(git_repo, "c.txt", f"ref {TOKEN_C}\n", "add c")
    result = cli("baseline", "update")
    assert result.exit_code == 0
    assert "1 kept, 1 added, 1 dropped" in result.output
    paths = [e["path"] for e in json.loads((git_repo / BASELINE).read_text())["findings"]]
    assert paths == ["a.txt", "c.txt"]
    again = cli("baseline", "update")
    assert "2 kept, 0 added, 0 dropped" in again.output


def test_baseline_update_paths_reconciles_only_what_was_rescanned(git_repo: Path) -> None:
    init_repo(git_repo)
    commit_file(git_repo, "app/a.txt", f"ref {TOKEN_A}\n")
    commit_file(git_repo, "lib/b.txt", f"ref {TOKEN_B}\n")
    assert cli("baseline", "create").exit_code == 0
    commit_file(git_repo, "app/c.txt", f"ref {TOKEN_C}\n", "add c")
    result = cli("baseline", "update", "app")
    assert result.exit_code == 0, result.output
    assert "1 kept, 1 added, 0 dropped" in result.output and "1 outside" in result.output
    paths = [e["path"] for e in json.loads((git_repo / BASELINE).read_text())["findings"]]
    assert paths == ["app/a.txt", "app/c.txt", "lib/b.txt"]


def test_version_1_baseline_is_read_and_rewritten(git_repo: Path) -> None:
    init_repo(git_repo)
    commit_file(git_repo, "a.txt", f"ref {TOKEN_A}\nref {TOKEN_B}\n")
    legacy = hashlib.sha256(f"test-token\0{TOKEN_A}\0a.txt".encode()).hexdigest()
    (git_repo / BASELINE).write_text(json.dumps({"version": 1, "tool": "sealguard", "findings": [
        {"fingerprint": f"sha256:{legacy}", "rule": "test-token", "path": "a.txt", "line": 1,
         "category": "secret"}]}))
    code, findings = _scan("a.txt")
    assert code == 1 and [f["line"] for f in findings] == [2]
    result = cli("baseline", "update")
    assert "rewrote a version 1 baseline" in result.output
    doc = json.loads((git_repo / BASELINE).read_text())
    assert doc["version"] == 2 and all("id" in e for e in doc["findings"])
    assert _scan("a.txt") == (0, [])


def test_baseline_update_without_baseline_is_an_error(git_repo: Path) -> None:
    init_repo(git_repo)
    result = cli("baseline", "update")
    assert result.exit_code == 2


def test_missing_or_unknown_baseline_is_a_usage_error(git_repo: Path) -> None:
    init_repo(git_repo)
    assert cli("scan", "--baseline", "nope.json").exit_code == 2
    (git_repo / "weird.json").write_text('{"something": 1}')
    result = cli("scan", "--baseline", "weird.json")
    assert result.exit_code == 2 and "unknown baseline format" in result.output


def _detect_secrets_baseline(entries: dict[str, list[tuple[str, int]]]) -> str:
    results = {
        name: [{"type": "Secret Keyword", "filename": name, "is_verified": False,
                "line_number": line, "hashed_secret": hashlib.sha1(secret.encode()).hexdigest()}
               for secret, line in items]
        for name, items in entries.items()
    }
    return json.dumps({"version": "1.5.0", "plugins_used": [], "filters_used": [],
                       "results": results, "generated_at": "2026-01-01T00:00:00Z"})


def test_detect_secrets_baseline_is_honoured(git_repo: Path) -> None:
    init_repo(git_repo)
    commit_file(git_repo, "a.txt", f"ref {TOKEN_A}\nref {TOKEN_B}\n")
    (git_repo / ".secrets.baseline").write_text(
        _detect_secrets_baseline({"a.txt": [(TOKEN_A, 1)]}))
    code, findings = _scan("--baseline", ".secrets.baseline", "a.txt")
    assert code == 1 and [f["line"] for f in findings] == [2]


def test_hash_only_artefacts_are_recognised_by_content(git_repo: Path) -> None:
    """A detect-secrets baseline's sha1 hashes are not secrets; a secret pasted into the
    same file still is."""
    init_repo(git_repo)
    doc = json.loads(_detect_secrets_baseline({"a.txt": [(TOKEN_A, 1), (TOKEN_B, 2)]}))
    (git_repo / "renamed.baseline").write_text(json.dumps(doc, indent=2))
    assert _scan("--no-baseline", "renamed.baseline") == (0, [])
    doc["results"]["a.txt"][0]["note"] = f"was {TOKEN_C}"
    (git_repo / "renamed.baseline").write_text(json.dumps(doc, indent=2))
    code, findings = _scan("--no-baseline", "renamed.baseline")
    assert code == 1 and len(findings) == 1


def test_real_detect_secrets_baseline_migrates(git_repo: Path) -> None:
    """detect-secrets' own `scan` output, hashed its way, hides the same Slack token."""
    from scanner.engine.rules import builtin_rule_files, load_rules

    rules = {r.id: r for r in load_rules(builtin_rule_files())}
    if "slack-bot-token" not in rules:
        pytest.skip("no slack-bot-token rule in the packs")
    rule = rules["slack-bot-token"]
    example = rule.examples[0]
    commit_file(git_repo, "settings.txt", f"{example}\n")
    proc = subprocess.run([sys.executable, "-m", "detect_secrets", "scan", "settings.txt"],
                          cwd=git_repo, capture_output=True, text=True, check=False)
    if proc.returncode != 0 or '"settings.txt"' not in proc.stdout:
        pytest.skip("detect-secrets did not report the example")
    (git_repo / ".secrets.baseline").write_text(proc.stdout)
    _, findings = _scan("settings.txt")
    assert any(f["rule"] == "slack-bot-token" for f in findings)
    _, findings = _scan("--baseline", ".secrets.baseline", "settings.txt")
    assert not any(f["rule"] == "slack-bot-token" for f in findings)


def test_gitleaks_report_and_ignore_file(git_repo: Path) -> None:
    init_repo(git_repo)
    commit_file(git_repo, "a.txt", f"ref {TOKEN_A}\nref {TOKEN_B}\nref {TOKEN_C}\n")
    commit = head(git_repo)
    report = [{"RuleID": "generic-api-key", "File": "a.txt", "StartLine": 1, "Commit": commit,
               "Secret": TOKEN_A, "Fingerprint": f"{commit}:a.txt:generic-api-key:1"},
              {"RuleID": "generic-api-key", "File": "a.txt", "StartLine": 3, "Commit": "",
               "Secret": "REDACTED"}]
    (git_repo / "gitleaks-report.json").write_text(json.dumps(report))
    _, findings = _scan("--baseline", "gitleaks-report.json", "a.txt")
    assert [f["line"] for f in findings] == [2]
    (git_repo / ".gitleaksignore").write_text(
        f"# reviewed\n{commit}:a.txt:generic-api-key:2\na.txt:some-rule:3\n")
    _, findings = _scan("--baseline", ".gitleaksignore", "a.txt")
    assert [f["line"] for f in findings] == [1]


def test_baseline_create_import_keeps_only_known(git_repo: Path) -> None:
    init_repo(git_repo)
    commit_file(git_repo, "a.txt", f"ref {TOKEN_A}\nref {TOKEN_B}\n")
    (git_repo / ".gitleaksignore").write_text("a.txt:generic-api-key:1\n")
    result = cli("baseline", "create", "--import", ".gitleaksignore")
    assert result.exit_code == 0
    assert "1 finding(s)" in result.output
    _, findings = _scan("--baseline", BASELINE, "a.txt")
    assert [f["line"] for f in findings] == [2]


def test_history_findings_match_a_worktree_baseline(git_repo: Path) -> None:
    init_repo(git_repo)
    commit_file(git_repo, "a.txt", f"x\nref {TOKEN_A}\n")
    assert cli("baseline", "create").exit_code == 0
    git(git_repo, "add", BASELINE)
    git(git_repo, "commit", "-q", "-m", "baseline")
    result = cli("history", "--format", "json", "--baseline", BASELINE)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["findings"] == []
