"""Terminal and log injection: nothing from the scanned content reaches output raw."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from adv import CONFIG, check, sg, token, write

NASTY = ["title\x1b]0;pwned\x07.txt", "clear\x1b[2J.txt", "csi\x9b31m.txt", "del\x7f.txt",
         "rtl\u202eexe.txt", "nl\n::error file=x::forged.txt", "::warning::start.txt",
         "bell\x07.txt", "cr\rover.txt", "iso\u2066x\u2069.txt"]


def _root(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    write(root / ".sealguard.yaml", CONFIG)
    return root


@pytest.mark.parametrize("name", NASTY)
def test_file_names_are_escaped_in_text(tmp_path: Path, name: str) -> None:
    root = _root(tmp_path)
    write(root / name, f"t = {token(1)}\n")
    proc = sg("scan", ".", cwd=root)
    check(proc, 1, token(1))  # check(): no raw control character in the output
    assert not any(line.startswith("::") for line in proc.stdout.splitlines())


def test_matched_content_and_secret_names_are_escaped(tmp_path: Path) -> None:
    root = _root(tmp_path)
    manifest = ('apiVersion: v1\nkind: Secret\nmetadata:\n  name: "db\\e]0;owned\\a\\e[2J"\n'
                'stringData:\n  "pass\\u202eword": "Zq8#vR2!mK9pL4xTw"\n')
    write(root / "secret.yaml", manifest)
    write(root / "line.txt", f"\x1b[31m t = {token(2)} \x1b[0m\n")
    proc = sg("scan", ".", cwd=root)
    check(proc, 1, token(2), "Zq8#vR2!mK9pL4xTw")


def test_github_format_escapes_annotations(tmp_path: Path) -> None:
    root = _root(tmp_path)
    write(root / "a\x1b[2J\nb,c:d.txt", f"t = {token(3)}\n")
    proc = sg("scan", ".", "--format", "github", cwd=root)
    check(proc, 1, token(3))
    lines = proc.stdout.splitlines()
    assert sum(line.startswith("::") for line in lines) == 1


def test_json_keeps_names_exact_and_escaped_by_json(tmp_path: Path) -> None:
    root = _root(tmp_path)
    write(root / NASTY[0], f"t = {token(4)}\n")
    proc = sg("scan", ".", "--format", "json", cwd=root)
    check(proc, 1, token(4), text=False)
    assert "\x1b" not in proc.stdout  # JSON escapes it as \u001b
    assert json.loads(proc.stdout)["findings"][0]["path"] == NASTY[0]
