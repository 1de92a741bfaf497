"""`sealguard init`: starter files, idempotent merges, .gitignore that never hides sealed files."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from scanner.init import GITIGNORE_HEADER
from tests.helpers import cli


def _files(repo: Path) -> dict[str, str]:
    names = (".sealguard.yaml", ".pre-commit-config.yaml", ".gitignore")
    return {n: (repo / n).read_text() for n in names if (repo / n).exists()}


def test_init_creates_the_three_files(git_repo: Path) -> None:
    result = cli("init")
    assert result.exit_code == 0, result.output
    files = _files(git_repo)
    assert set(files) == {".sealguard.yaml", ".pre-commit-config.yaml", ".gitignore"}
    hooks = yaml.safe_load(files[".pre-commit-config.yaml"])["repos"][0]["hooks"]
    assert hooks == [{"id": "sealguard"}, {"id": "sealguard-pre-push"}]
    assert cli("scan", ".").exit_code == 0  # the starter config is valid and the tree is clean


def test_init_is_idempotent(git_repo: Path) -> None:
    assert cli("init").exit_code == 0
    first = _files(git_repo)
    again = cli("init")
    assert again.exit_code == 0
    assert _files(git_repo) == first
    assert again.output.count("unchanged") == 3


def test_init_merges_into_existing_files(git_repo: Path) -> None:
    (git_repo / ".gitignore").write_text("node_modules/\n.env")  # no trailing newline
    (git_repo / ".sealguard.yaml").write_text("fail_on: high\n")
    pre_commit = ("# team hooks\nrepos:\n- repo: https://example.invalid/hooks\n  rev: v1\n"
                  "  hooks:\n  - id: trailing-whitespace\n\ndefault_stages: [pre-commit]\n")
    (git_repo / ".pre-commit-config.yaml").write_text(pre_commit)
    assert cli("init").exit_code == 0
    assert (git_repo / ".sealguard.yaml").read_text() == "fail_on: high\n"
    gitignore = (git_repo / ".gitignore").read_text()
    assert gitignore.startswith("node_modules/\n.env\n")
    assert gitignore.count("\n.env\n") == 1 and GITIGNORE_HEADER in gitignore
    merged = (git_repo / ".pre-commit-config.yaml").read_text()
    assert merged.startswith("# team hooks\n")
    doc = yaml.safe_load(merged)
    assert doc["default_stages"] == ["pre-commit"]
    assert [h["id"] for r in doc["repos"] for h in r["hooks"]] == [
        "trailing-whitespace", "sealguard", "sealguard-pre-push"]
    before = _files(git_repo)
    assert cli("init").exit_code == 0
    assert _files(git_repo) == before


def test_pyproject_config_is_respected(git_repo: Path) -> None:
    (git_repo / "pyproject.toml").write_text("[tool.sealguard]\nfail_on = \"high\"\n")
    result = cli("init")
    assert "has [tool.sealguard]" in result.output
    assert not (git_repo / ".sealguard.yaml").exists()


def _ignored(repo: Path, names: list[str]) -> set[str]:
    proc = subprocess.run(["git", "check-ignore", "--no-index", *names], cwd=repo,
                          capture_output=True, text=True, check=False)
    return set(proc.stdout.split())


def test_gitignore_hides_plaintext_but_never_sealed_files(git_repo: Path) -> None:
    assert cli("init").exit_code == 0
    plaintext = [".env", ".env.production", "app/.env.local", "deploy/db-secret.plain.yaml",
                 "secret.unsealed.yaml", "values.decrypted.yaml", "secrets.dec.yaml"]
    committed = ["sealed-secret.yaml", "deploy/db-sealedsecret.yaml", "secret.sealed.yaml",
                 "secrets.enc.yaml", "secret.sops.yaml", "external-secret.yaml",
                 ".env.example", ".env.vault", ".env.enc", "app/.env.sample", "secret.yaml",
                 ".env.sops", ".env.age", ".env.gpg", "deploy/.env.production.sops"]
    assert _ignored(git_repo, plaintext) == set(plaintext)
    assert _ignored(git_repo, committed) == set()


def test_unusual_pre_commit_layout_is_left_alone(git_repo: Path) -> None:
    text = "repos: [{repo: local, hooks: []}]\n"
    (git_repo / ".pre-commit-config.yaml").write_text(text)
    result = cli("init")
    assert result.exit_code == 0
    assert "skipped" in result.output and "- id: sealguard" in result.output
    assert (git_repo / ".pre-commit-config.yaml").read_text() == text


def test_versions_are_consistent_and_never_pin_a_missing_tag() -> None:
    """One version (scanner/__init__.py, read by pyproject.toml); a CHANGELOG section for it;
    init and the docs pin the release tag for a release and `main` for a development build."""
    import re

    from scanner import __version__
    from scanner.init import release_ref
    from tests.conftest import REPO_ROOT

    pyproject = (REPO_ROOT / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject and "\nversion =" not in pyproject
    release = __version__.split(".dev")[0]
    assert f"## {release} " in (REPO_ROOT / "CHANGELOG.md").read_text()
    ref = release_ref()
    assert ref == ("main" if ".dev" in __version__ else f"v{__version__}")
    assert release_ref("1.2.3") == "v1.2.3" and release_ref("1.2.4.dev0") == "main"
    for doc in ("README.md", "docs/usage.md"):
        text = (REPO_ROOT / doc).read_text()
        assert set(re.findall(r"rev: (\S+)", text)) <= {ref}, doc
        assert set(re.findall(r"uses: sealguard/sealguard@(\S+)", text)) == {ref}, doc
