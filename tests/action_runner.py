"""Run action.yml's composite steps the way the Actions runner does, without GitHub.

What is emulated, and only that: `${{ }}` expressions of the forms action.yml uses (inputs
with their defaults, step outputs, github.action_path; any other expression fails the test),
the files the runner hands each step (a fresh GITHUB_OUTPUT per step, parsed with GitHub's
`name=value` / `name<<DELIMITER` rules; GITHUB_PATH, GITHUB_ENV, GITHUB_STEP_SUMMARY kept for
the job), `shell: bash` as `bash --noprofile --norc -eo pipefail FILE`, and
`actions/setup-python` with `update-environment: false` (its `python-path` output is this
interpreter). Every `run:` script runs for real.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def parse_output_file(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT as the runner reads it."""
    out: dict[str, str] = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        name, sep, delimiter = line.partition("<<")
        if sep and "=" not in name:
            end = lines.index(delimiter, i + 1)  # ValueError: an unterminated block
            out[name] = "\n".join(lines[i + 1:end])
            i = end + 1
            continue
        name, sep, value = line.partition("=")
        assert sep, f"not an output line: {line!r}"
        out[name] = value
        i += 1
    return out


@dataclass
class Job:
    """One job's runner folder and what its steps left behind."""

    folder: Path
    env: dict[str, str]
    python_path: str = sys.executable  # what setup-python reports (a Windows form in tests)
    steps: dict[str, dict[str, str]] = field(default_factory=dict)
    results: list[subprocess.CompletedProcess[str]] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(proc.returncode != 0 for proc in self.results)

    def file(self, name: str) -> str:
        path = Path(self.env[name])
        return path.read_text() if path.exists() else ""


def new_job(folder: Path, workspace: Path, **env: str) -> Job:
    """A job environment: PATH/HOME of this process, the runner's files, GITHUB_* given."""
    folder.mkdir(parents=True, exist_ok=True)
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    files = {name: str(folder / f"{name.lower()}.txt")
             for name in ("GITHUB_PATH", "GITHUB_ENV", "GITHUB_STEP_SUMMARY")}
    runner = {"RUNNER_TEMP": str(folder / "temp"), "RUNNER_OS": "Linux",
              "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(workspace), "CI": "true"}
    (folder / "temp").mkdir(exist_ok=True)
    return Job(folder, {**base, **files, **runner, **env})


def run_action(action: dict[str, Any], job: Job, inputs: dict[str, str],
               action_path: Path, scripts: dict[str, str] | None = None) -> dict[str, str]:
    """Run the steps until one fails (as the runner does without `if: always()`); return the
    action's outputs. `scripts` replaces the `run:` of the steps it names (by id), for what a
    test cannot run for real (the download by pip)."""
    spec = action["inputs"]
    unknown = set(inputs) - set(spec)
    assert not unknown, f"not inputs of the action: {unknown}"
    values = {name: inputs.get(name, str(spec[name].get("default", ""))) for name in spec}
    context = {"inputs": values, "action_path": str(action_path)}
    for step in action["runs"]["steps"]:
        if job.failed:
            break
        ident = step.get("id", f"step{len(job.results)}")
        if "uses" in step:
            job.steps[ident] = _uses(step, context, job)
            continue
        script = (scripts or {}).get(ident, step["run"])
        job.steps[ident] = _run(step, script, context, job)
    return {name: _evaluate(out["value"], context, job) for name, out in
            action.get("outputs", {}).items()}


def _evaluate(text: str, context: dict[str, Any], job: Job) -> str:
    def one(match: re.Match[str]) -> str:
        parts = match.group(1).split(".")
        if parts[0] == "inputs" and len(parts) == 2:
            return str(context["inputs"][parts[1]])
        if parts == ["github", "action_path"]:
            return str(context["action_path"])
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return job.steps.get(parts[1], {}).get(parts[3], "")
        raise AssertionError(f"an expression this runner does not know: {match.group(0)}")

    return _EXPR.sub(one, text)


def _uses(step: dict[str, Any], context: dict[str, Any], job: Job) -> dict[str, str]:
    name = str(step["uses"])
    assert name.startswith("actions/setup-python@"), f"no emulation of {name}"
    given = {key: _evaluate(str(value), context, job)
             for key, value in (step.get("with") or {}).items()}
    assert given.get("update-environment") in ("False", "false"), \
        "setup-python would change the job's PATH and Python"
    return {"python-path": job.python_path, "python-version": given.get("python-version", "")}


def _run(step: dict[str, Any], script: str, context: dict[str, Any],
         job: Job) -> dict[str, str]:
    assert step.get("shell") == "bash", step.get("name")
    assert "${{" not in step["run"], "inputs reach scripts through env: only"
    index = len(job.results)
    output = job.folder / f"output-{index}.txt"
    body = job.folder / f"step-{index}.sh"
    body.write_text(script)
    env = {**job.env, "GITHUB_OUTPUT": str(output)}
    env.update({key: _evaluate(str(value), context, job)
                for key, value in (step.get("env") or {}).items()})
    proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(body)],
                          cwd=job.env["GITHUB_WORKSPACE"], env=env, capture_output=True,
                          text=True, check=False, timeout=120)
    job.results.append(proc)
    return parse_output_file(output.read_text()) if output.exists() else {}
