"""Test isolation: no fixture of any scope reaches the developer's own home or cache (a
module-scoped ScanContext once read ~/.cache/sealguard before the per-test fixture ran)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REAL_CACHE, REAL_HOME, REPO_ROOT

from scanner.engine import cache


@pytest.fixture(scope="module")
def module_view() -> tuple[Path | None, Path]:
    return cache.cache_dir(), Path.home()


@pytest.fixture(scope="session")
def session_view() -> tuple[Path | None, Path]:
    return cache.cache_dir(), Path.home()


def _outside_the_developer_s_home(view: tuple[Path | None, Path]) -> None:
    cache_dir, home = view
    assert cache_dir is not None
    assert cache_dir.resolve() != REAL_CACHE.resolve()
    assert home.resolve() != REAL_HOME.resolve()
    assert cache_dir.resolve() == cache.cache_dir().resolve()  # the same cache as each test's


def test_module_fixtures_see_the_run_s_cache(module_view: tuple[Path | None, Path]) -> None:
    _outside_the_developer_s_home(module_view)


def test_session_fixtures_see_the_run_s_cache(session_view: tuple[Path | None, Path]) -> None:
    _outside_the_developer_s_home(session_view)


def test_collecting_the_suite_never_touches_the_caller_s_cache(tmp_path: Path) -> None:
    """Some test modules load the rule packs when they are imported, before any fixture: the
    run's home and cache are in place by then (a fresh HOME stays empty)."""
    home = tmp_path / "caller-home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("SEALGUARD_CACHE_DIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME",
                        "SEALGUARD_NO_CACHE")}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         str(REPO_ROOT / "tests")],
        cwd=REPO_ROOT, env={**env, "HOME": str(home)}, capture_output=True, text=True,
        timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "tests collected" in proc.stdout
    assert list(home.iterdir()) == []
