"""Docs that cannot drift: generated references are current, README names every command."""

from __future__ import annotations

import importlib.util

import yaml

from tests.conftest import REPO_ROOT


def _gen_docs():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_docs", REPO_ROOT / "scripts" / "gen_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _words(text: str) -> list[str]:
    """Compare content, not column alignment (click versions pad help columns differently)."""
    return text.split()


def test_generated_docs_are_current() -> None:
    for path, text in _gen_docs().outputs().items():
        assert _words(path.read_text(encoding="utf-8")) == _words(text), (
            f"{path.name} is out of date: run `python scripts/gen_docs.py`"
        )


def test_readme_names_every_command_and_hook() -> None:
    from scanner.cli import main

    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"sealguard {name}" in readme, name
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())
    for hook in hooks:
        assert hook["id"] in readme, hook["id"]
