"""The README's Quick start: `sealguard scan --config examples/.sealguard.yaml examples/` from
the repository root prints the demo's findings, redacted, and fails; the sealed and referenced
secrets stay clean."""

from __future__ import annotations

import re

from tests.conftest import REPO_ROOT
from tests.helpers import run_sealguard


def test_readme_quick_start_commands_are_the_ones_tested() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert ".venv/bin/sealguard scan --config examples/.sealguard.yaml examples/" in readme
    ci_command = (REPO_ROOT / ".ci" / "run").read_text().strip().splitlines()[-1]
    assert "pytest" in ci_command and ci_command in readme  # CI runs the README's line verbatim


def test_demo_scan_prints_redacted_findings_and_fails() -> None:
    proc = run_sealguard("scan", "--config", "examples/.sealguard.yaml", "examples/",
                         cwd=REPO_ROOT, env=None)
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    assert "examples/apps/agent/secret.yaml" in out
    assert "aws-access-key-id" in out and "k8s-plaintext-secret" in out
    assert re.search(r"\[AKIA…[A-Z0-9]{4}\]", out)
    assert not re.search(r"AKIA[A-Z0-9]{16}", out), "a full key was printed"
    for clean in ("sealed-secret.yaml", "external-secret.yaml", ".env.example"):
        assert f"agent/{clean}\n" not in out
