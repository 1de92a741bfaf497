"""Dogfood: the project scans itself clean with its own configuration."""

from __future__ import annotations

import json

from tests.conftest import REPO_ROOT
from tests.helpers import run_sealguard


def test_repository_scans_clean_with_its_own_config() -> None:
    proc = run_sealguard("scan", "--format", "json", ".", cwd=REPO_ROOT)
    doc = json.loads(proc.stdout)
    assert proc.returncode == 0, [(f["path"], f["line"], f["rule"]) for f in doc["findings"]]
    assert doc["summary"]["files"] > 50
