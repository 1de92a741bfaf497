"""Engine behaviour seen through the real CLI: suppression, overlaps, positions, odd bytes,
and that no output format ever carries a full secret."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scanner.engine.rules import builtin_rule_files, load_rules
from scanner.engine.scan import Engine
from tests.helpers import cli

AGE = "AGE-SECRET-KEY-1MNXAG4U3C9KV6TFFQWXDJCE9XMRVXQ7APRH8UXAK960TFRNKT9CQ4YND74"
PASSWORD = "Qm7rT2vX9kLp4wZs"
JWT = ("eyJhbGciOiJSUzI1NiIsImtpZCI6IkZha2VLaWQxIn0.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2Nv"
       "dW50Iiwic3ViIjoic3lzdGVtOnNlcnZpY2VhY2NvdW50OmRlZmF1bHQ6ZmFrZSJ9."
       "Qm9ndXNTaWduYXR1cmVGb3JUZXN0aW5nT25seTEyMzQ1Njc4OTBhYmNkZWY")


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A plain folder (not a git repository): the scanner walks it."""
    root = tmp_path / "work"
    root.mkdir()
    monkeypatch.chdir(root)
    return root


def scan(*paths: str) -> list[dict[str, Any]]:
    result = cli("scan", "--format", "json", "--fail-on", "low", *paths)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)["findings"]  # type: ignore[no-any-return]


def rules_by_line(findings: list[dict[str, Any]]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for f in findings:
        out.setdefault(f["line"], set()).add(f["rule"])
    return out


def test_inline_markers_suppress(workdir: Path) -> None:
    lines = [
        f"a = '{AGE}'  # sealguard:allow",
        f"b = '{AGE}'  # pragma: allowlist secret",
        f"c = '{AGE}'  # gitleaks:allow",
        f"d = '{AGE}'  # sealguard:allow age-secret-key",
        f"e = '{AGE}'  # sealguard:allow jwt",
        f"f = '{AGE}'  # sealguard:allow jwt, age-secret-key",
        f"g = '{AGE}'",
    ]
    (workdir / "keys.py").write_text("\n".join(lines) + "\n")
    found = rules_by_line(scan("keys.py"))
    assert found == {5: {"age-secret-key"}, 7: {"age-secret-key"}}


def test_next_line_markers_suppress_only_the_next_line(workdir: Path) -> None:
    text = (
        "# sealguard:allow-next-line\n"
        f"key_one: {AGE}\n"
        "# pragma: allowlist nextline secret\n"
        f"key_two: {AGE}\n"
        f"key_three: {AGE}\n"
    )
    (workdir / "keys.yaml").write_text(text)
    assert rules_by_line(scan("keys.yaml")) == {5: {"age-secret-key"}}


def test_provider_rule_beats_generic_on_the_same_span(workdir: Path) -> None:
    (workdir / "app.py").write_text(f'service_token = "{JWT}"\npassword = "{PASSWORD}"\n')
    found = rules_by_line(scan("app.py"))
    assert found == {1: {"jwt"}, 2: {"generic-secret-assignment"}}


def test_higher_severity_wins_between_provider_rules(workdir: Path) -> None:
    kubeconfig = (
        "apiVersion: v1\nkind: Config\nusers:\n- name: sa\n  user:\n"
        f"    token: {JWT}\n"
    )
    (workdir / "kubeconfig").write_text(kubeconfig)
    findings = scan("kubeconfig")
    assert [(f["rule"], f["line"]) for f in findings] == [("kubeconfig-user-token", 6)]


def test_line_and_column_are_one_based(workdir: Path) -> None:
    (workdir / "env").write_text(f"# keys\n\nexport   SOPS_AGE_KEY={AGE}\n")
    [finding] = scan("env")
    assert (finding["line"], finding["column"]) == (3, len("export   SOPS_AGE_KEY=") + 1)


def test_crlf_positions_match_lf(workdir: Path) -> None:
    text = f"one: 1\ntwo: 2\npassword: {PASSWORD}\nkey: {AGE}\n"
    (workdir / "lf.yaml").write_bytes(text.encode())
    (workdir / "crlf.yaml").write_bytes(text.replace("\n", "\r\n").encode())
    lf = [(f["rule"], f["line"], f["column"], f["redacted"]) for f in scan("lf.yaml")]
    crlf = [(f["rule"], f["line"], f["column"], f["redacted"]) for f in scan("crlf.yaml")]
    assert lf == crlf
    assert [x[:2] for x in lf] == [("generic-secret-assignment-unquoted", 3), ("age-secret-key", 4)]
    engine = Engine(load_rules(builtin_rule_files()))
    secrets = [m.secret for m in engine.matches(text.replace("\n", "\r\n").encode())]
    assert secrets == [PASSWORD, AGE]


def test_invalid_utf8_does_not_hide_a_secret(workdir: Path) -> None:
    data = b"\xff\xfe\x80 junk\n\xc3\x28 more\n" + f"AGE={AGE}\n".encode() + b"\xed\xa0\x80\n"
    (workdir / "mixed.txt").write_bytes(data)
    findings = scan("mixed.txt")
    assert [(f["rule"], f["line"], f["column"]) for f in findings] == [("age-secret-key", 3, 5)]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_no_output_carries_a_full_secret(workdir: Path, fmt: str) -> None:
    pem = (
        "-----BEGIN OPENSSH PRIVATE KEY-----\n"
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
        "QyNTUxOQAAACApCUL09W35IOgbbuzz4Ej6IbAgZHV0M0E06+VzOS2rvSxpDoVBwoio1z1G\n"
        "-----END OPENSSH PRIVATE KEY-----\n"
    )
    (workdir / "leaks.env").write_text(
        f"SOPS_AGE_KEY={AGE}\nDB_PASSWORD={PASSWORD}\nTOKEN={JWT}\n")
    (workdir / "id_ed25519").write_text(pem)
    result = cli("scan", "--format", fmt, "--fail-on", "low", ".")
    assert result.exit_code == 1, result.output
    body_line = pem.splitlines()[1]
    for secret in (AGE, PASSWORD, JWT, body_line, AGE[16:40], PASSWORD[3:12], JWT[20:60]):
        assert secret not in result.output
    if fmt == "json":
        rules = {f["rule"] for f in json.loads(result.output)["findings"]}
        assert {"age-secret-key", "jwt", "private-key-openssh"} <= rules
