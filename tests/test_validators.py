"""The `validate:` checks: each accepts what its issuer's algorithm produces (tokens built here
with the documented algorithm, independently of scanner code) and rejects one-character edits."""

from __future__ import annotations

import base64
import hashlib
import json
import random
import zlib
from pathlib import Path

import pytest

from scanner.engine import validators as V
from scanner.engine.rulecheck import check_rules
from scanner.engine.rules import parse_pack
from scanner.errors import RuleError
from tests.helpers import cli

RNG = random.Random(14)
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
ALNUM = B62


def rand(alphabet: str, n: int) -> str:
    return "".join(RNG.choice(alphabet) for _ in range(n))


def in_base(n: int, alphabet: str, width: int) -> str:
    digits = []
    while n:
        n, r = divmod(n, len(alphabet))
        digits.append(alphabet[r])
    return "".join(reversed(digits)).rjust(width, alphabet[0])


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def flip(token: str, at: int = -1) -> str:
    """The same shape with one character changed."""
    c = token[at]
    alphabet = "0123456789" if c.isdigit() else ("ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c.isupper()
                                                  else "abcdefghijklmnopqrstuvwxyz")
    index = len(token) + at if at < 0 else at
    return token[:index] + alphabet[(alphabet.index(c) + 1) % len(alphabet)] + token[index + 1:]


def github_token(prefix: str) -> str:
    body = rand(B62, 30)
    return prefix + body + in_base(zlib.crc32(body.encode()), B62, 6)


@pytest.mark.parametrize("prefix", ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "npm_"])
def test_crc32_base62_tokens(prefix: str) -> None:
    token = github_token(prefix)
    assert V.check("github-crc32", token) == V.OK
    assert V.check("github-crc32", flip(token)) == V.FAIL
    assert V.check("github-crc32", flip(token, 6)) == V.FAIL  # the body, not the checksum


def gitlab_routable(prefix: str, versioned: bool) -> str:
    routing = b"c:1\no:2s\nu:4fk9"
    payload = b64url(routing + RNG.randbytes(16) + bytes([16]))
    head = f"{prefix}{payload}.{'01.' if versioned else ''}{in_base(len(payload), '0123456789abcdefghijklmnopqrstuvwxyz', 2)}"  # noqa: E501
    return head + in_base(zlib.crc32(head.encode()), "0123456789abcdefghijklmnopqrstuvwxyz", 7)


@pytest.mark.parametrize(("prefix", "versioned"),
                         [("glpat-", True), ("glpat-", False), ("glrt-t1_", True)])
def test_gitlab_routable_tokens(prefix: str, versioned: bool) -> None:
    token = gitlab_routable(prefix, versioned)
    assert V.check("gitlab-routable", token) == V.OK
    assert V.check("gitlab-routable", flip(token)) == V.FAIL
    assert V.check("gitlab-routable", "glpat-" + rand(ALNUM, 20)) == V.OK  # legacy form


def test_gitlab_routable_payload_must_name_an_organization() -> None:
    payload = b64url(b"u:4fk9" + RNG.randbytes(16) + bytes([16]))
    head = f"glpat-{payload}.01.{in_base(len(payload), '0123456789abcdefghijklmnopqrstuvwxyz', 2)}"
    token = head + in_base(zlib.crc32(head.encode()), "0123456789abcdefghijklmnopqrstuvwxyz", 7)
    assert V.check("gitlab-routable", token) == V.FAIL


def macaroon(location: bytes, identifier: bytes, signature: int = 32) -> str:
    caveat = b'[1,["acme-sdk"]]'
    raw = (b"\x02" + b"\x01" + bytes([len(location)]) + location
           + b"\x02" + bytes([len(identifier)]) + identifier + b"\x00"
           + b"\x02" + bytes([len(caveat)]) + caveat + b"\x00" + b"\x00"
           + b"\x06" + bytes([signature]) + RNG.randbytes(signature))
    return "pypi-" + b64url(raw)


def test_pypi_macaroons() -> None:
    ident = b"6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c"
    for location in (b"pypi" + b".org", b"test.pypi" + b".org"):
        assert V.check("pypi-macaroon", macaroon(location, ident)) == V.OK
    assert V.check("pypi-macaroon", macaroon(b"pypi" + b".org", b"not-a-uuid")) == V.FAIL
    assert V.check("pypi-macaroon", macaroon(b"pypi.example", ident)) == V.FAIL
    assert V.check("pypi-macaroon", macaroon(b"pypi" + b".org", ident, 16)) == V.FAIL
    assert V.check("pypi-macaroon", "pypi-" + b64url(RNG.randbytes(120))) == V.FAIL


def jwt(header: dict[str, object], claims: dict[str, object], signed: bool = True) -> str:
    def part(obj: dict[str, object]) -> str:
        return b64url(json.dumps(obj).encode())

    return f"{part(header)}.{part(claims)}.{b64url(RNG.randbytes(32)) if signed else ''}"


def test_jwt_verdicts() -> None:
    assert V.check("jwt", jwt({"alg": "RS256"}, {"sub": "svc", "exp": 4102444800})) == V.OK
    assert V.check("jwt", jwt({"alg": "RS256"}, {"sub": "svc"})) == V.OK
    assert V.check("jwt", jwt({"alg": "HS256"}, {"exp": 1500000000})) == V.LOW
    assert V.check("jwt", jwt({"alg": "none"}, {"sub": "svc"}, signed=False)) == V.LOW
    assert V.check("jwt", jwt({"typ": "JWT"}, {"sub": "svc"})) == V.FAIL
    broken = b64url(b'{"alg":"HS256"') + "." + b64url(b'{"sub":"x"}') + ".c2ln"
    assert V.check("jwt", broken) == V.FAIL


def bech32(hrp: str, data: bytes) -> str:
    charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
    acc = bits = 0
    words = []
    for byte in data:
        acc, bits = (acc << 8) | byte, bits + 8
        while bits >= 5:
            bits -= 5
            words.append((acc >> bits) & 31)
    if bits:
        words.append((acc << (5 - bits)) & 31)
    gen = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for value in [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp] + words + [0] * 6:
        top, chk = chk >> 25, (chk & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            chk ^= gen[i] if (top >> i) & 1 else 0
    chk ^= 1
    return hrp + "1" + "".join(charset[w] for w in words + [(chk >> 5 * (5 - i)) & 31
                                                           for i in range(6)])


def test_bech32_age_keys() -> None:
    key = bech32("age-secret-key-", RNG.randbytes(32)).upper()
    assert V.check("bech32", key) == V.OK
    assert V.check("bech32", flip(key, -3)) == V.FAIL


def base58check(payload: bytes) -> str:
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    return in_base(int.from_bytes(raw, "big"), alphabet, 1)


def test_base58check_private_keys() -> None:
    wif = base58check(b"\x80" + RNG.randbytes(32) + b"\x01")
    assert wif[0] in "KL" and V.check("base58check", wif) == V.OK
    assert V.check("base58check", flip(wif, -5)) == V.FAIL


def test_nkey_seed_crc16() -> None:
    body = bytes([(18 << 3) | (160 >> 5), (160 & 31) << 3]) + RNG.randbytes(32)
    crc = 0
    for byte in body:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    seed = base64.b32encode(body + crc.to_bytes(2, "little")).decode().rstrip("=")
    assert seed.startswith("SU") and V.check("nkey-seed", seed) == V.OK
    assert V.check("nkey-seed", flip(seed, 10)) == V.FAIL


def test_slack_shapes() -> None:
    secret = "gFk3TDfEyUtMy8Al6C8ru5gQ"
    assert V.check("slack-token", f"xoxb-70150077415-1236752378160-{secret}") == V.OK
    assert V.check("slack-token", f"xoxb-1111111111-2222222222222-{secret}") == V.FAIL
    lower = "gfktdfeyutmyalcruqgwzbnm"
    assert V.check("slack-token", f"xoxb-70150077415-1236752378160-{lower}") == V.FAIL
    assert V.check("slack-token", f"xoxb-70150077415-1236752378160-abcdefgh{secret[:16]}") == V.FAIL


def test_azure_client_secret_marker() -> None:
    assert V.check("azure-client-secret", "kcB5Q~G8rKtiIJwmcsLrfpHMYHJypl4nqYjOQrzi") == V.OK
    assert V.check("azure-client-secret", "kcBxQ~G8rKtiIJwmcsLrfpHMYHJypl4nqYjOQrzi") == V.FAIL
    assert V.check("azure-client-secret", "abc8Q~defghijklmnopqrstuvwxyz-_.~0123456") == V.FAIL


def test_base64_claims_tokens() -> None:
    def enc(obj: dict[str, object]) -> str:
        return base64.b64encode(json.dumps(obj).encode()).decode()

    assert V.check("grafana-cloud-token", "glc_" + enc({"o": "1", "n": "x", "k": "y"})) == V.OK
    assert V.check("grafana-cloud-token", "glc_" + enc({"o": "1", "n": "x"})) == V.FAIL
    assert V.check("discord-bot-token", b64url(b"118475230571204608") + ".GUcv89.x") == V.OK
    assert V.check("discord-bot-token", b64url(b"18fake0bot0id0xyzw") + ".GUcv89.x") == V.FAIL


def test_every_check_survives_garbage() -> None:
    for name in V.VALIDATORS:
        for junk in ("", "_", ".", "-", "pypi-", "glc_", "x" * 300, "\x00\xff", "eyJ.eyJ.",
                     "1" * 80):
            assert V.check(name, junk) in (V.OK, V.FAIL, V.LOW), name


def _rule(**extra: object) -> dict[str, object]:
    token = github_token("ghp_")
    return {"id": "acme-token", "name": "Acme", "family": "saas", "severity": "high",
            "keywords": ["ghp_"], "regex": r"\b(ghp_[A-Za-z0-9]{36})\b",
            "reference": "https://docs.acme.invalid/tokens",
            "examples": [f"T={token}", f"token: {token}"],
            "negative_examples": ["T=ghp_short", f"T={flip(token)}"], **extra}


def test_a_rule_names_only_a_built_in_check() -> None:
    with pytest.raises(RuleError, match="built-in check"):
        parse_pack([_rule(validate="os.system")], "t")
    with pytest.raises(RuleError, match="built-in check"):
        parse_pack([_rule(validate=["github-crc32"])], "t")


def test_rules_check_wants_a_negative_only_the_validator_rejects() -> None:
    good = parse_pack([_rule(validate="github-crc32")], "t")
    assert check_rules(good, ["re"]) == []
    weak = _rule(validate="github-crc32")
    weak["negative_examples"] = ["T=ghp_short", "T=nothing"]
    problems = check_rules(parse_pack([weak], "t"), ["re"])
    assert any("only its validator" in p for p in problems), problems
    bad_example = _rule(validate="github-crc32")
    bad_example["examples"] = [f"T={flip(github_token('ghp_'))}", "x"]
    problems = check_rules(parse_pack([bad_example], "t"), ["re"])
    assert any("fails its validator" in p for p in problems), problems


def test_an_expired_jwt_is_reported_low(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    live = jwt({"alg": "RS256", "typ": "JWT"}, {"sub": "svc-deployer", "exp": 4102444800})
    expired = jwt({"alg": "RS256", "typ": "JWT"}, {"sub": "svc-deployer", "exp": 1500000000})
    (tmp_path / "tokens.txt").write_text(f"A={live}\nB={expired}\n")
    result = cli("scan", "--format", "json", "--fail-on", "low", "tokens.txt")
    found = {f["line"]: f["severity"] for f in json.loads(result.output)["findings"]
             if f["rule"] == "jwt"}
    assert found == {1: "medium", 2: "low"}


B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def armour(label: str, body: bytes, headers: str = "") -> str:
    """A key's text armour (RFC 7468): base64 body wrapped at 64 columns."""
    text = base64.b64encode(body).decode()
    lines = [text[i:i + 64] for i in range(0, len(text), 64)]
    return "\n".join([f"-----BEGIN {label}-----", *([headers] if headers else []), *lines,
                      f"-----END {label}-----", ""])


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_base64_private_key_armours() -> None:
    der = b"\x30\x82\x04\xa3\x02\x01\x00" + RNG.randbytes(200)
    ssh = b"openssh-key-v1\x00" + RNG.randbytes(200)
    for label, body in (("RSA PRIVATE KEY", der), ("PRIVATE KEY", der), ("EC PRIVATE KEY", der),
                        ("ENCRYPTED PRIVATE KEY", der), ("OPENSSH PRIVATE KEY", ssh),
                        ("PGP PRIVATE KEY BLOCK", RNG.randbytes(200))):
        assert V.check("base64-private-key", b64(armour(label, body))) == V.OK, label
    legacy = armour("RSA PRIVATE KEY", der, "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00AA")
    assert V.check("base64-private-key", b64(legacy)) == V.OK
    for label, body in (("CERTIFICATE", der), ("PUBLIC KEY", der),
                        ("RSA PRIVATE KEY", b"\x61" + der[1:]),    # not DER
                        ("OPENSSH PRIVATE KEY", der),              # not openssh-key-v1
                        ("RSA PRIVATE KEY", der[:12])):            # too short for a key
        assert V.check("base64-private-key", b64(armour(label, body))) == V.FAIL, label
    whole = b64(armour("RSA PRIVATE KEY", der))
    assert V.check("base64-private-key", whole[:len(whole) // 2]) == V.FAIL  # no END line
    dots = "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----\n"
    assert V.check("base64-private-key", b64(dots)) == V.FAIL
    mismatched = armour("RSA PRIVATE KEY", der).replace("END RSA", "END EC")
    assert V.check("base64-private-key", b64(mismatched)) == V.FAIL


def test_a_base64_private_key_outside_a_secret_blocks(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Helm values and a plain YAML fixture hold base64 of a key: key material wherever it is."""
    monkeypatch.chdir(tmp_path)
    der = b"\x30\x82\x04\xa3\x02\x01\x00" + RNG.randbytes(300)
    key = b64(armour("RSA PRIVATE KEY", der))
    cert = b64(armour("CERTIFICATE", der))
    (tmp_path / "values.yaml").write_text(
        f"tlsSecret:\n  data:\n    tls.crt: {cert}\n    tls.key: {key}\n")
    ssh = b64(armour("OPENSSH PRIVATE KEY", b"openssh-key-v1\x00" + der))
    (tmp_path / "deploy-key.yaml").write_text(f"# read-only deploy key\nkey: {ssh}\n")
    result = cli("scan", "--format", "json", ".")
    found = {(f["path"], f["line"], f["severity"]) for f in json.loads(result.output)["findings"]
             if f["rule"] == "private-key-base64"}
    assert found == {("values.yaml", 4, "critical"), ("deploy-key.yaml", 2, "critical")}
    assert result.exit_code == 1
