"""Shared fixtures: nothing is written to the developer's home, git has an identity,
and temp repositories are real git repositories."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
# The developer's own home and sealguard cache, as they were before any fixture ran.
REAL_HOME = Path.home()
REAL_CACHE = Path(os.environ.get("SEALGUARD_CACHE_DIR")
                  or Path(os.environ.get("XDG_CACHE_HOME") or REAL_HOME / ".cache") / "sealguard")


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """pytest deletes older runs' temp dirs with a recursive rmtree at the end of a run: a
    1,500-folder tree that a checkout without the iterative teardown left there must not
    fail this run (RecursionError)."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))


# The home and cache of the whole run, set when pytest is configured: before test modules
# are imported (some load the rule packs at import, which reads and writes the cache) and
# before any module- or session-scoped fixture builds a ScanContext. No test ever reads or
# writes the developer's ~/.cache/sealguard.
SESSION_HOME = pytest.StashKey[Path]()
_saved_env: dict[str, str | None] = {}


def pytest_configure(config: pytest.Config) -> None:
    home = Path(tempfile.mkdtemp(prefix="sealguard-test-home-"))
    config.stash[SESSION_HOME] = home
    for name, value in {
        "HOME": home, "XDG_CACHE_HOME": home / ".cache", "XDG_CONFIG_HOME": home / ".config",
        "SEALGUARD_CACHE_DIR": home / "sealguard-cache", "GIT_CONFIG_NOSYSTEM": "1",
    }.items():
        _saved_env[name] = os.environ.get(name)
        os.environ[name] = str(value)


def pytest_unconfigure(config: pytest.Config) -> None:
    for name, value in _saved_env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    if SESSION_HOME in config.stash:
        shutil.rmtree(config.stash[SESSION_HOME], ignore_errors=True)


@pytest.fixture(scope="session")
def compiled_cache(pytestconfig: pytest.Config) -> Path:
    """One cache of compiled rule databases for the whole run (the bulk filter takes seconds
    to compile); it holds no secrets and never the developer's own cache."""
    return pytestconfig.stash[SESSION_HOME] / "sealguard-cache"


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
    compiled_cache: Path,
) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("SEALGUARD_CACHE_DIR", str(compiled_cache))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Test Author")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "author@example.invalid")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Test Committer")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "committer@example.invalid")
    monkeypatch.delenv("SEALGUARD_ENGINE", raising=False)
    for var in ("GITHUB_ACTIONS", "GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_STEP_SUMMARY",
                "GITHUB_OUTPUT", "PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)
    gitconfig = "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n"
    (home / ".gitconfig").write_text(gitconfig)


def git(cwd: Path, *args: str) -> str:
    out = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return out.stdout


@pytest.fixture
def git_repo(tmp_path: Path) -> Iterator[Path]:
    """An empty git repository; the test runs inside it."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    cwd = Path.cwd()
    os.chdir(repo)
    try:
        yield repo
    finally:
        os.chdir(cwd)


def commit_file(repo: Path, path: str, content: str | bytes, message: str = "change") -> str:
    """Write, add and commit one file; return the commit id."""
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content)
    git(repo, "add", path)
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, Path]]:
    """A snapshot of this checkout (tracked + untracked files) as a git repo pre-commit can
    install, its commit id, and a PRE_COMMIT_HOME shared by every test of the run (pre-commit
    installs the hook environment once)."""
    snap = tmp_path_factory.mktemp("sealguard-snapshot")
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")
    for rel in filter(None, files):
        src = REPO_ROOT / rel
        if src.is_file() and not src.is_symlink():
            (snap / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, snap / rel)
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "snapshot", "--no-verify"]):
        subprocess.run(["git", *args], cwd=snap, env=env, check=True, capture_output=True)
    sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=snap, env=env, check=True,
                         capture_output=True, text=True).stdout.strip()
    yield snap, sha, tmp_path_factory.mktemp("pre-commit-home")
