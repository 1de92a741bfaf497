"""History audits report every place a secret sits, each with its own path, line, message and
HEAD status, in every format (one finding per place; issue #10)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import commit_file, git
from helpers import cli

PASSWORD = "Zq8TmV2xLr7KpW4nB8sY"  # fake, random-looking


def secret_manifest(name: str, key: str, filler: int = 0) -> str:
    return ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: " + name + "\n"
            + "".join(f"  # note {i}\n" for i in range(filler))
            + f"stringData:\n  {key}: {PASSWORD}\n")


@pytest.fixture
def repo(git_repo: Path) -> Path:
    # prod and dev hold the same Secret blob; kafka has the password under another Secret
    commit_file(git_repo, "clusters/prod/db.yaml", secret_manifest("db", "password"), "prod")
    commit_file(git_repo, "clusters/dev/db.yaml", secret_manifest("db", "password"), "dev")
    commit_file(git_repo, "apps/kafka.yaml", secret_manifest("kafka-secrets", "consumer-password",
                                                             3), "kafka")
    git(git_repo, "rm", "-q", "clusters/dev/db.yaml")
    git(git_repo, "commit", "-q", "-m", "dev removed")
    return git_repo


def _history(fmt: str) -> str:
    result = cli("history", "--format", fmt)
    assert result.exit_code == 1, result.output
    return result.stdout


def _plaintext(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in findings if f["rule"] == "k8s-plaintext-secret"]


def test_json_has_one_finding_per_place_with_its_own_message(repo: Path) -> None:
    found = _plaintext(json.loads(_history("json"))["findings"])
    places = {(f["path"], f["line"]): f for f in found}
    assert sorted(places) == [("apps/kafka.yaml", 9), ("clusters/dev/db.yaml", 6),
                              ("clusters/prod/db.yaml", 6)]
    assert "'kafka-secrets' key 'consumer-password'" in places["apps/kafka.yaml", 9]["message"]
    for path in ("clusters/dev/db.yaml", "clusters/prod/db.yaml"):
        assert "'db' key 'password'" in places[path, 6]["message"]
        assert [loc["path"] for loc in places[path, 6]["locations"]] == [path]
    assert places["clusters/prod/db.yaml", 6]["at_head"] is True
    assert places["clusters/dev/db.yaml", 6]["at_head"] is False  # deleted there, kept in prod
    assert len({f["fingerprint"] for f in found}) == 3


def test_text_and_github_name_every_place(repo: Path) -> None:
    text = _history("text")
    for where in ("apps/kafka.yaml", "clusters/dev/db.yaml", "clusters/prod/db.yaml"):
        assert where in text
    lines = [ln for ln in _history("github").splitlines() if "k8s-plaintext-secret" in ln]
    assert len(lines) == 3
    kafka = [ln for ln in lines if "file=apps/kafka.yaml" in ln]
    assert kafka and "line=9" in kafka[0] and "consumer-password" in kafka[0]
    assert all("kafka-secrets" not in ln for ln in lines if "file=clusters/" in ln)


def test_sarif_results_each_describe_their_own_location(repo: Path) -> None:
    sarif = json.loads(_history("sarif"))
    results = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "k8s-plaintext-secret"]
    seen = {}
    for r in results:
        where = r["locations"][0]["physicalLocation"]
        line = where.get("region", {}).get("startLine")  # none when no longer at HEAD
        seen[where["artifactLocation"]["uri"]] = (line, r["message"]["text"])
    assert sorted(seen) == ["apps/kafka.yaml", "clusters/dev/db.yaml", "clusters/prod/db.yaml"]
    assert seen["apps/kafka.yaml"][0] == 9 and "consumer-password" in seen["apps/kafka.yaml"][1]
    assert seen["clusters/prod/db.yaml"][0] == 6 and seen["clusters/dev/db.yaml"][0] is None
    assert "consumer-password" not in seen["clusters/prod/db.yaml"][1]


def test_a_blob_in_test_code_and_in_app_code_is_judged_at_each(git_repo: Path) -> None:
    line = 'DB_PASSWORD = "Qm7rT2vX9kLp4wZs"\n'
    commit_file(git_repo, "tests/settings.py", line, "test settings")
    commit_file(git_repo, "app/settings.py", line, "same file in the app")
    found = {f["path"]: f for f in json.loads(_history("json"))["findings"]
             if f["rule"] == "generic-secret-assignment"}
    assert found["app/settings.py"]["severity"] == "medium"
    assert "test, example or documentation" not in found["app/settings.py"]["message"]
    assert found["tests/settings.py"]["severity"] == "low"
    assert "test, example or documentation" in found["tests/settings.py"]["message"]
