"""Helpers shared by tests: run the real CLI in-process or as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from scanner.cli import main


def cli(*args: str) -> Result:
    """Invoke the click app in-process (fast), in the current directory."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def run_sealguard(*args: str, cwd: Path | None = None,
                  env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m scanner` as a real process."""
    return subprocess.run([sys.executable, "-m", "scanner", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)


def scan_json(*args: str, cwd: Path | None = None) -> dict[str, Any]:
    proc = run_sealguard("scan", "--format", "json", *args, cwd=cwd)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)  # type: ignore[no-any-return]
