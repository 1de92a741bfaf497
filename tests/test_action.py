"""action.yml: required metadata, inputs reach scripts only through env:, steps run sealguard ci."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from scanner import ci
from tests.action_runner import Job, new_job, parse_output_file, run_action
from tests.conftest import REPO_ROOT, commit_file, git
from tests.team_helpers import TOKEN_B, head, init_repo, validate_sarif

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


PIP_LINE = '"$bin/python" -m pip install --quiet --disable-pip-version-check "$SEALGUARD_SOURCE"'


def _install_script(action: dict[str, Any]) -> str:
    """The real install step, but for pip's download: the venv is made for real by the
    Python setup-python reported, and gets this checkout's `sealguard` where pip puts it."""
    script = str(_steps(action)[1]["run"])
    real = Path(sys.executable).parent / "sealguard"
    assert PIP_LINE in script and '-m venv "$venv"' in script
    script = script.replace('-m venv "$venv"', '-m venv --without-pip "$venv"')  # fast
    return script.replace(PIP_LINE, f'test "$SEALGUARD_SOURCE" = "{REPO_ROOT}"\n'
                                     f'ln -s "{real}" "$bin/sealguard"')


def _pull_request(repo: Path, job_folder: Path) -> dict[str, str]:
    """main holds the config; the PR adds TOKEN_B at app/settings.txt:2."""
    base = init_repo(repo)
    git(repo, "checkout", "-q", "-b", "feature")
    commit_file(repo, "app/settings.txt", f"NAME=demo\napi ref {TOKEN_B}\n", "settings")
    event = job_folder / "event.json"
    job_folder.mkdir(parents=True, exist_ok=True)
    event.write_text(json.dumps({"number": 7, "pull_request": {
        "number": 7, "base": {"sha": base, "ref": "main"},
        "head": {"sha": head(repo), "ref": "feature"}}}))
    return {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(event)}


def _job_untouched(job: Job) -> None:
    """Nothing for later steps: no PATH entry, no environment variable."""
    assert job.file("GITHUB_PATH") == "" and job.file("GITHUB_ENV") == ""


def test_the_action_runs_a_pull_request_end_to_end(action: dict[str, Any], git_repo: Path,
                                                   tmp_path: Path) -> None:
    job = new_job(tmp_path / "runner", git_repo, **_pull_request(git_repo, tmp_path / "runner"))
    outputs = run_action(action, job, {"fail-on": "high"}, REPO_ROOT,
                         {"install": _install_script(action)})
    install, scan = job.results
    assert install.returncode == 0, install.stderr
    venv = Path(job.env["RUNNER_TEMP"]) / "sealguard-venv"
    assert job.steps["install"] == {"sealguard": f"{venv}/bin/sealguard"}
    assert scan.returncode == 1, scan.stderr  # the job fails on the new secret
    assert scan.stdout.startswith("::error file=app/settings.txt,line=2,")
    assert TOKEN_B not in scan.stdout + scan.stderr + job.file("GITHUB_STEP_SUMMARY")
    assert outputs == {"findings": "1", "sarif-file": "sealguard.sarif", "error": ""}
    validate_sarif(json.loads((git_repo / "sealguard.sarif").read_text()))
    assert "sealguard" in job.file("GITHUB_STEP_SUMMARY")
    _job_untouched(job)


def test_the_action_on_a_fatal_error_still_gives_outputs_and_sarif(
        action: dict[str, Any], git_repo: Path, tmp_path: Path) -> None:
    job = new_job(tmp_path / "runner", git_repo, **_pull_request(git_repo, tmp_path / "runner"))
    (git_repo / ".sealguard.yaml").write_text("colour: red\n")  # a typo, judged with pr-config
    outputs = run_action(action, job, {"pr-config": "true", "sarif-file": "out/s.sarif"},
                         REPO_ROOT, {"install": _install_script(action)})
    assert job.results[-1].returncode == 2
    assert job.results[-1].stdout.startswith("::error title=sealguard could not run::")
    assert outputs["findings"] == "0" and outputs["sarif-file"] == "out/s.sarif"
    assert "'colour': unknown key" in outputs["error"]
    doc = json.loads((git_repo / "out" / "s.sarif").read_text())
    validate_sarif(doc)
    assert doc["runs"][0]["invocations"][0]["executionSuccessful"] is False
    _job_untouched(job)


def test_a_failed_install_still_gives_annotation_summary_outputs_and_sarif(
        action: dict[str, Any], git_repo: Path, tmp_path: Path) -> None:
    """pip failing (no network, an index outage) is a fatal error like any other: the scan
    step reports it, so the documented `upload-sarif` step (if: always()) has its file."""
    job = new_job(tmp_path / "runner", git_repo, **_pull_request(git_repo, tmp_path / "runner"))
    script = _install_script(action).replace(f'ln -s "{Path(sys.executable).parent}', 'false "')
    outputs = run_action(action, job, {"sarif-file": "results/s.sarif"}, REPO_ROOT,
                         {"install": script})
    install, scan = job.results
    assert install.returncode == 0 and "pip could not install sealguard" in install.stderr
    assert scan.returncode == 2
    assert scan.stdout.startswith("::error title=sealguard could not run::pip could not")
    assert outputs == {"findings": "0", "sarif-file": "results/s.sarif",
                       "error": "pip could not install sealguard (see the log of the install step)"}
    assert "## sealguard: could not run" in job.file("GITHUB_STEP_SUMMARY")
    assert "What to fix" in job.file("GITHUB_STEP_SUMMARY")
    doc = json.loads((git_repo / "results" / "s.sarif").read_text())
    validate_sarif(doc)
    (invocation,) = doc["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert "pip could not" in invocation["toolExecutionNotifications"][0]["message"]["text"]
    _job_untouched(job)


def test_the_install_step_takes_windows_paths(action: dict[str, Any], git_repo: Path,
                                              tmp_path: Path) -> None:
    """On Windows runners RUNNER_TEMP and setup-python's python-path use backslashes; the
    step turns them into the C:/x/y form that bash on Windows runs, and the scan step runs
    sealguard by the path it recorded. (Here a Linux path written with backslashes stands
    for it: turned back, it is the real interpreter and folder.)"""
    folder = tmp_path / "runner"
    job = new_job(folder, git_repo, **_pull_request(git_repo, folder), RUNNER_OS="Windows",
                  RUNNER_TEMP=str(folder / "temp").replace("/", "\\"))
    job.python_path = sys.executable.replace("/", "\\")
    outputs = run_action(action, job, {}, REPO_ROOT, {"install": _install_script(action)})
    assert job.results[0].returncode == 0, job.results[0].stderr
    assert job.steps["install"]["sealguard"] == f"{folder}/temp/sealguard-venv/bin/sealguard"
    assert job.results[1].returncode == 1 and outputs["findings"] == "1"


def test_a_multi_line_output_cannot_forge_another(git_repo: Path, tmp_path: Path) -> None:
    """GITHUB_OUTPUT blocks end at a random delimiter, whatever the value holds."""
    target = tmp_path / "out.txt"
    hostile = "bad config\nSEALGUARD_EOF\nfindings=0\nerror<<X"
    ci.github_output({"GITHUB_OUTPUT": str(target)}, {"error": hostile, "findings": "3"})
    parsed = parse_output_file(target.read_text())
    assert parsed == {"error": hostile, "findings": "3"}


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
