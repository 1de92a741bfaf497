"""False-positive filters: placeholders for every rule, heuristics for generic candidates,
and inline allow markers."""

from __future__ import annotations

import pytest

from scanner.engine import filters

OPENSSH_BODY = (
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"
    "QyNTUxOQAAACApCUL09W35IOgbbuzz4Ej6IbAgZHV0M0E06+VzOS2rvSxpDoVBwoio1z1G"
)


@pytest.mark.parametrize("value", [
    "${DB_PASSWORD}", "$(cat /run/secrets/token)", "{{ .Values.apiKey }}", "{% raw %}",
    "%(password)s", "<path:secret/data/app#password>", "<your-api-key>", "op://vault/item/field",
    "vault:secret/data/app#key", "AKIAIOSFODNN7EXAMPLE", "placeholder-token-value", "REDACTED",
    "changeme", "replace_me_please", "your_api_key_here", "xxxxxxxxxxxxxxxx", "sk-****-abc",
    "abc...xyz", "null", "None", "00000000000000000000", "aaaaaaaaaaaaaaaaaaaaaaaa",
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
])
def test_placeholders(value: str) -> None:
    assert filters.is_placeholder(value)


@pytest.mark.parametrize("value", [
    "Qm7rT2vX9kLp4wZs", "zgeonyLGcTJFiz4soCmZ9cpvnpKnA1hEDCM4PmBx", OPENSSH_BODY,
    "ghp_" + "R2d2C3pO" * 4 + "a1b2",
    "AGE-SECRET-KEY-1MNXAG4U3C9KV6TFFQWXDJCE9XMRVXQ7APRH8UXAK960TFRNKT9CQ4YND74",
])
def test_real_looking_values_are_not_placeholders(value: str) -> None:
    assert not filters.is_placeholder(value)


def test_a_run_only_counts_when_it_dominates() -> None:
    assert filters.is_placeholder("ghp_00000000000000000000000000000000000a")
    assert not filters.is_placeholder(OPENSSH_BODY)  # AAAAAAAAAAAB is format, not padding


@pytest.mark.parametrize("value", [
    "test", "Password123", "hunter2", "user:password", "admin:admin123", "dummy-token-1",
    "fake_secret_42", "my-test-key-0001", "changeit",
])
def test_dummy_values(value: str) -> None:
    assert filters.is_dummy_value(value)


@pytest.mark.parametrize("value", [
    "settings.SECRET_KEY", "self.api_key", "os.environ.DB_PASS", "hashed_password",
    "DEFAULT_SECRET_NAME", "accessToken", "postgres-credentials-v2", "{password}",
    "%s", "@DB_PASSWORD@", "__TOKEN__", "$SECRET",
])
def test_code_references(value: str) -> None:
    assert filters.looks_like_code(value)


@pytest.mark.parametrize("value", ["Qm7rT2vX9kLp4wZs", "Sup3r-S3cr3t-2024", "od&kDINzNlxICAbaG8wy",
                                   "Summer2024", "dUcl1MhOoSfAqFdpRaj71FtQ"])
def test_secrets_are_not_code(value: str) -> None:
    assert not filters.looks_like_code(value)


@pytest.mark.parametrize(("value", "noise"), [
    ("Qm7rT2vX9kLp4wZs", False),
    ("od&kDINzNlxICAbaG8wy", False),          # no digit, but long with three classes
    ("onlylowercaseletters", True),            # no digit, one class
    ("0123456789abcdef", True),                # sequential (detect-secrets heuristic)
    ("ZGVwbG95LWJvdDpRbTdyVDJ2WDlrTHA0d1pz", False),  # base64 of deploy-bot:<random>
    ("dXNlcm5hbWU6cGFzc3dvcmQ=", True),        # base64 of username:password
    ("${TOKEN}", True),
])
def test_generic_heuristics(value: str, noise: bool) -> None:
    data = f'token = "{value}"'.encode()
    assert filters.looks_generic_false_positive(value, data, data.index(b'"') + 1) is noise


@pytest.mark.parametrize(("line", "rule", "allowed"), [
    (b"x = 1  # sealguard:allow", "jwt", True),
    (b"x = 1  # sealguard:allow jwt", "jwt", True),
    (b"x = 1  # sealguard:allow jwt", "age-secret-key", False),
    (b"x = 1  # sealguard:allow jwt, age-secret-key", "age-secret-key", True),
    (b"x = 1  # pragma: allowlist secret", "jwt", True),
    (b"x = 1  // gitleaks:allow", "jwt", True),
    (b"x = 1", "jwt", False),
])
def test_line_allows(line: bytes, rule: str, allowed: bool) -> None:
    assert filters.line_allows(line, rule) is allowed


def test_previous_line_allows() -> None:
    assert filters.previous_line_allows(b"# sealguard:allow-next-line\n")
    assert filters.previous_line_allows(b"# pragma: allowlist nextline secret\n")
    assert not filters.previous_line_allows(b"# sealguard:allow\n")


def test_entropy() -> None:
    assert filters.shannon_entropy("") == 0.0
    assert filters.shannon_entropy("aaaa") == 0.0
    assert filters.shannon_entropy("abcd") == pytest.approx(2.0)
