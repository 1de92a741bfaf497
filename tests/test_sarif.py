"""SARIF 2.1.0 (validated against the official schema), GitHub annotations, step summary,
and no secret in any output format."""

from __future__ import annotations

import json
from pathlib import Path

from scanner.findings import Finding
from scanner.pipeline import ScanResult, Summary
from scanner.report import github, sarif, summary
from tests.conftest import commit_file
from tests.helpers import cli
from tests.team_helpers import TOKEN_A, TOKEN_B, init_repo, validate_sarif


def _finding(**changes: object) -> Finding:
    base = Finding(rule="test-token", category="secret", severity="high", path="dir/a,b:c.txt",
                   line=3, column=7, message="Test token found", secret=TOKEN_A,
                   name="Test token", remedy="Rotate it.\nThen 100% check.")
    return base.with_changes(**changes)


def test_sarif_validates_and_maps_fields() -> None:
    findings = [_finding(), _finding(severity="medium", line=4), _finding(severity="low", line=5),
                _finding(rule="plaintext-secret", category="policy", severity="critical"),
                _finding(rule="parse-error", category="parse-error", severity="low", secret="")]
    doc = sarif.build(ScanResult(findings, Summary()))
    validate_sarif(doc)
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
    levels = [r["level"] for r in run["results"]]
    assert levels == ["error", "warning", "note", "error", "note"]
    first = run["results"][0]
    assert first["partialFingerprints"] == {"sealguard/v2": findings[0].fingerprint(b"")}
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "dir/a,b:c.txt"
    assert loc["region"] == {"startLine": 3, "startColumn": 7}
    for rule in rules:
        assert rule["help"]["text"] and rule["shortDescription"]["text"]


def test_sarif_lists_builtin_rules_with_help() -> None:
    doc = sarif.build(ScanResult([], Summary()))
    validate_sarif(doc)
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert rules, "the built-in rule packs should be described"
    assert all("Remedy:" in r["help"]["text"] for r in rules if "secret" in r["properties"]["tags"])
    # GitHub code scanning: security-severity on every rule, at most 20 tags, URIs only.
    for rule in rules:
        assert 0.0 < float(rule["properties"]["security-severity"]) <= 10.0
        assert len(rule["properties"]["tags"]) <= 20
        assert " " not in rule.get("helpUri", "")
    assert any("helpUri" in r for r in rules)


def test_an_invalid_uri_really_fails_validation() -> None:
    """The check this file relies on can fail: prose in helpUri is rejected."""
    import jsonschema
    import pytest

    doc = sarif.build(ScanResult([_finding()], Summary()))
    doc["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = (
        "https://support.example.invalid/keys (legacy keys key + 14 characters)")
    with pytest.raises(jsonschema.ValidationError, match="uri"):
        validate_sarif(doc)
    doc = sarif.build(ScanResult([_finding(path="dir/has space.txt")], Summary()))
    validate_sarif(doc)  # encoded: dir/has%20space.txt
    loc = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "dir/has%20space.txt"


def test_help_uri_is_the_url_a_reference_starts_with() -> None:
    assert sarif.help_uri("https://x.example/doc#a (prose after it)") == "https://x.example/doc#a"
    assert sarif.help_uri("CWE-798; see docs") == ""
    assert sarif.help_uri("https://x.example/a and https://y.example/b") == "https://x.example/a"


def test_results_beyond_githubs_limit_keep_the_most_severe() -> None:
    from unittest import mock

    findings = [_finding(severity="low", line=i + 1) for i in range(5)]
    findings.append(_finding(severity="high", line=99))
    with mock.patch.object(sarif, "MAX_RESULTS", 3):
        doc = sarif.build(ScanResult(findings, Summary()))
    run = doc["runs"][0]
    assert len(run["results"]) == 3
    assert any(r["level"] == "error" for r in run["results"])
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert "3 less severe result(s) left out" in notes[0]["message"]["text"]


def test_sarif_reports_unread_input_as_failed_execution() -> None:
    doc = sarif.build(ScanResult([], Summary(errors=["x.txt: unreadable: denied"])))
    validate_sarif(doc)
    assert doc["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_annotation_escaping_follows_workflow_command_rules() -> None:
    line = github.annotation(_finding(path="we,ird:50%\nname.txt"))
    assert line.startswith("::error file=we%2Cird%3A50%25%0Aname.txt,line=3,col=7,"
                           "title=sealguard high%3A test-token::")
    assert line.endswith("Test token found%0AFix: Rotate it.%0AThen 100%25 check.")
    assert "\n" not in line
    assert github.annotation(_finding(severity="medium")).startswith("::warning ")
    assert github.annotation(_finding(severity="low")).startswith("::notice ")


def test_summary_escapes_table_cells() -> None:
    text = summary.render(ScanResult([_finding(path="a|b.txt", remedy="use `x` | y")], Summary()))
    assert "a\\|b.txt:3" in text
    assert "use \\`x\\` \\| y" in text


def _planted() -> list[tuple[str, str]]:
    """(line of text, secret) for the first example of each built-in rule (all fake)."""
    from scanner.engine.rules import builtin_rule_files, load_rules

    planted = []
    for rule in load_rules(builtin_rule_files()):
        example = rule.examples[0]
        match = rule.compiled.search(example.encode())
        if match and "\n" not in example and len(match.group(1)) >= 12:
            planted.append((example, match.group(1).decode()))
    return planted


def test_no_secret_in_any_output_format(git_repo: Path) -> None:
    init_repo(git_repo)
    planted = _planted()
    body = "\n".join(line for line, _ in planted)
    commit_file(git_repo, "leaks.txt", f"ref {TOKEN_A}\nref {TOKEN_B}\n{body}\n")
    secrets = [TOKEN_A, TOKEN_B, *(secret for _, secret in planted)]
    outputs = {}
    for fmt in ("text", "json", "sarif", "github"):
        result = cli("scan", "--format", fmt, "leaks.txt")
        assert result.exit_code == 1, result.output
        outputs[fmt] = result.output
    validate_sarif(json.loads(outputs["sarif"]))
    found = json.loads(outputs["json"])["findings"]
    for command in (["diff", "HEAD~1..HEAD"], ["history"], ["scan", "--staged"]):
        result = cli(*command, "--format", "sarif", "--no-baseline")
        assert result.exit_code in (0, 1), result.output
        validate_sarif(json.loads(result.stdout))
        outputs[" ".join(command)] = result.stdout
    assert len(found) >= 2
    assert cli("baseline", "create").exit_code == 0
    outputs["baseline"] = (git_repo / ".sealguard-baseline.json").read_text()
    for fmt, text in outputs.items():
        for secret in secrets:
            assert secret not in text, f"a planted secret leaked into the {fmt} output"
