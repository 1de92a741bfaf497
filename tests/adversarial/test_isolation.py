"""Test isolation: no fixture of any scope reaches the developer's own home or cache (a
module-scoped ScanContext once read ~/.cache/sealguard before the per-test fixture ran)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REAL_CACHE, REAL_HOME

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
