"""action.yml: required metadata, inputs reach scripts only through env:, steps run sealguard ci."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO_ROOT

INPUTS = {"fail-on", "config", "baseline", "pr-config", "sarif-file", "mode", "python-version"}


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    return yaml.safe_load((REPO_ROOT / "action.yml").read_text())  # type: ignore[no-any-return]


def test_metadata(action: dict[str, Any]) -> None:
    assert action["name"] and action["description"]
    assert set(action["inputs"]) == INPUTS
    for spec in action["inputs"].values():
        assert spec["description"] and "default" in spec
    assert set(action["outputs"]) == {"findings", "sarif-file", "error"}
    for name, spec in action["outputs"].items():
        assert spec["value"] == f"${{{{ steps.scan.outputs.{name} }}}}"
    assert action["runs"]["using"] == "composite"


def _steps(action: dict[str, Any]) -> list[dict[str, Any]]:
    return action["runs"]["steps"]  # type: ignore[no-any-return]


def test_no_expression_inside_run(action: dict[str, Any]) -> None:
    for step in _steps(action):
        if "run" in step:
            assert "${{" not in step["run"], step.get("name")
            assert step["shell"] == "bash"


def test_every_input_reaches_the_script_through_env(action: dict[str, Any]) -> None:
    env: dict[str, str] = {}
    for step in _steps(action):
        env.update(step.get("env") or {})
    used = {m for value in env.values() for m in re.findall(r"inputs\.([a-z-]+)", value)}
    with_used = {m for step in _steps(action) for value in (step.get("with") or {}).values()
                 for m in re.findall(r"inputs\.([a-z-]+)", str(value))}
    assert used | with_used == INPUTS
    assert with_used == {"python-version"}


def test_steps_leave_the_job_environment_alone(action: dict[str, Any]) -> None:
    """No PATH/env changes for later steps: its own Python beside the job's, a private venv,
    sealguard run by its path (bin/ on Linux and macOS, Scripts/ on Windows)."""
    steps = _steps(action)
    assert steps[0]["uses"].startswith("actions/setup-python@")
    assert steps[0]["with"]["update-environment"] is False
    for step in steps:
        text = step.get("run", "")
        assert "GITHUB_PATH" not in text and "GITHUB_ENV" not in text
    install = steps[1]
    assert "pip install" in install["run"] and "SEALGUARD_SOURCE" in install["run"]
    assert install["env"]["SEALGUARD_SOURCE"] == "${{ github.action_path }}"
    assert install["env"]["SEALGUARD_PYTHON"] == "${{ steps.python.outputs.python-path }}"
    assert "Scripts" in install["run"] and "/bin" in install["run"]
    scan = steps[-1]
    assert scan["id"] == "scan"
    assert '"$SEALGUARD_BIN" ci ' in scan["run"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_install_script_really_installs_and_records_the_path(action: dict[str, Any],
                                                             tmp_path: Path) -> None:
    """The install step, run for real with a stub pip target: it writes only the step output
    and creates the venv under RUNNER_TEMP."""
    script = _steps(action)[1]["run"].replace('"$bin/python" -m pip install', "echo pip")
    script = script.replace('-m venv "$venv"', '-m venv --without-pip "$venv"')  # fast
    out = tmp_path / "output.txt"
    env = {**os.environ, "RUNNER_TEMP": str(tmp_path), "GITHUB_OUTPUT": str(out),
           "SEALGUARD_SOURCE": str(REPO_ROOT), "SEALGUARD_PYTHON": sys.executable}
    proc = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    (line,) = out.read_text().splitlines()
    assert line == f"sealguard={tmp_path}/sealguard-venv/bin/sealguard"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_scan_script_passes_inputs_literally(action: dict[str, Any], tmp_path: Path) -> None:
    """Run the real scan script with a stub `sealguard`: hostile input stays one argument."""
    stub = tmp_path / "bin" / "sealguard"
    stub.parent.mkdir()
    stub.write_text('#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n')
    stub.chmod(0o755)
    hostile = 'x"; touch pwned; echo "$(touch pwned2)'
    env = {**os.environ, "SEALGUARD_BIN": str(stub),
           "INPUT_FAIL_ON": "high", "INPUT_CONFIG": hostile, "INPUT_BASELINE": "",
           "INPUT_PR_CONFIG": "false", "INPUT_SARIF_FILE": "out.sarif", "INPUT_MODE": "pr"}
    proc = subprocess.run(["bash", "-c", _steps(action)[-1]["run"]], cwd=tmp_path, env=env,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["ci", "--mode", "pr", "--sarif-file", "out.sarif",
                                        "--fail-on", "high", "--config", hostile]
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "pwned2").exists()
