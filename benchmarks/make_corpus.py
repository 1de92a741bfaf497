#!/usr/bin/env python3
"""Build the labelled evaluation corpus tests/corpus/ from benchmarks/corpus_src/.

Every file under ``corpus_src/`` is a template of one corpus file (the ``.tmpl``
suffix is dropped).  Inside a template:

* ``@@+kind@@`` is replaced by a freshly generated, well-formed but fake
  credential of ``kind`` and the line where it starts is recorded as a positive
  label in ``tests/corpus/labels.yaml``;
* ``@@-kind@@`` is replaced by a generated value that is *not* a secret (hashes,
  UUIDs, ciphertexts, public keys...) and is not labelled;
* everything else is copied verbatim.

A generated value that spans several lines (PEM blocks) keeps the indentation of
the template line on every following line; its label carries ``end_line``.
A label's ``family`` is the corpus' top-level folder; ``provider`` is the
company or format the credential belongs to; ``kind`` names the generator.

Formats follow the providers' public documentation (see the ``ref`` of each
generator).  All random parts come from one seeded RNG, so the corpus is
byte-for-byte reproducible: ``make_corpus.py --check`` verifies the committed
corpus matches.  None of these values is a real credential.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import random
import re
import shutil
import struct
import sys
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "corpus_src"
DEFAULT_OUT = HERE.parent / "tests" / "corpus"
SEED = 20261129

DIGITS = "0123456789"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LOWER = "abcdefghijklmnopqrstuvwxyz"
B62 = DIGITS + UPPER + LOWER
ALNUM = UPPER + LOWER + DIGITS
HEX = "0123456789abcdef"
UHEX = HEX.upper()
B64 = UPPER + LOWER + DIGITS + "+/"
B64URL = UPPER + LOWER + DIGITS + "-_"
B32 = UPPER + "234567"
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


class Gen:
    """Random helpers bound to the corpus RNG."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def s(self, alphabet: str, n: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def b(self, n: int) -> bytes:
        return bytes(self.rng.getrandbits(8) for _ in range(n))

    def int(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def uuid(self) -> str:
        h = self.s(HEX, 32)
        h = h[:12] + "4" + h[13:16] + self.rng.choice("89ab") + h[17:]
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def pick(self, items: list[str]) -> str:
        return self.rng.choice(items)


# ---------------------------------------------------------------- checksums
def base62(n: int, width: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = B62[r] + out
    return out.rjust(width, "0")


def crc32_token(g: Gen, prefix: str) -> str:
    """GitHub / npm style: prefix + 30 base62 + base62(CRC32(random part)), 6 wide.

    github.blog 2021-04-05 "Behind GitHub's new authentication token formats";
    github.blog changelog 2021-09-23 (npm uses the same layout)."""
    body = g.s(B62, 30)
    return prefix + body + base62(zlib.crc32(body.encode()), 6)


B36 = DIGITS + LOWER


def base36(n: int, width: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = B36[r] + out
    return out.rjust(width, "0")


def gitlab_routable(g: Gen, prefix: str) -> str:
    """GitLab routable token: prefix + base64url(routing lines + 16 random bytes + 16) + ".01."
    + base36 payload length (2) + base36 CRC32 of everything before (7). GitLab's routable
    tokens design document (handbook, cells/routable_tokens) and lib/authn/token_field."""
    routing = f"c:1\no:{base36(g.int(1, 99999), 1)}\nu:{base36(g.int(1, 10**7), 1)}"
    payload = b64url_nopad(routing.encode() + g.b(16) + bytes([16]))
    head = f"{prefix}{payload}.01.{base36(len(payload), 2)}"
    return head + base36(zlib.crc32(head.encode()), 7)


def bech32(hrp: str, data: bytes) -> str:
    """BIP 173 Bech32: 5-bit groups of `data` and a 6-character BCH checksum."""
    words, acc, bits = [], 0, 0
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
    return (
        hrp
        + "1"
        + "".join(BECH32[w] for w in words + [(chk >> 5 * (5 - i)) & 31 for i in range(6)])
    )


def crc24(data: bytes) -> int:
    """OpenPGP radix-64 checksum, RFC 4880 section 6.1."""
    crc = 0xB704CE
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


def wrap(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def b64nopad(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def b64url_nopad(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


# ---------------------------------------------------------------- key material
def der_rsa_pkcs1(g: Gen) -> bytes:
    # SEQUENCE(len 0x04a4) INTEGER 0, INTEGER modulus (257 bytes) ... rest random
    head = bytes.fromhex("308204a40201000282010100")
    return head + b"\xc1" + g.b(255) + bytes.fromhex("0203010001") + g.b(1190 - 12 - 256 - 5)


def der_ec_sec1(g: Gen) -> bytes:
    # RFC 5915 ECPrivateKey for prime256v1: exact layout, random scalar/point.
    return (
        bytes.fromhex("30770201010420")
        + g.b(32)
        + bytes.fromhex("a00a06082a8648ce3d030107a144034200")
        + b"\x04"
        + g.b(64)
    )


def der_pkcs8_rsa(g: Gen) -> bytes:
    head = bytes.fromhex("308204bd020100300d06092a864886f70d0101010500048204a7")
    return head + bytes.fromhex("308204a30201000282010100") + b"\xb7" + g.b(1217 - 26 - 12 - 1)


def pem(label: str, der: bytes, width: int = 64) -> list[str]:
    return [f"-----BEGIN {label}-----", *wrap(b64(der), width), f"-----END {label}-----"]


def ssh_string(b: bytes) -> bytes:
    return struct.pack(">I", len(b)) + b


def openssh_ed25519(g: Gen) -> list[str]:
    """OpenSSH private key format (PROTOCOL.key in openssh-portable), unencrypted."""
    pub = g.b(32)
    seed = g.b(32)
    pubblob = ssh_string(b"ssh-ed25519") + ssh_string(pub)
    check = g.b(4)
    priv = (
        check
        + check
        + ssh_string(b"ssh-ed25519")
        + ssh_string(pub)
        + ssh_string(seed + pub)
        + ssh_string(b"deploy@ci-runner")
    )
    pad = 1
    while len(priv) % 8:
        priv += bytes([pad])
        pad += 1
    blob = (
        b"openssh-key-v1\x00"
        + ssh_string(b"none")
        + ssh_string(b"none")
        + ssh_string(b"")
        + struct.pack(">I", 1)
        + ssh_string(pubblob)
        + ssh_string(priv)
    )
    return [
        "-----BEGIN OPENSSH PRIVATE KEY-----",
        *wrap(b64(blob), 70),
        "-----END OPENSSH PRIVATE KEY-----",
    ]


def pgp_private(g: Gen) -> list[str]:
    body = b"\x95\x03\xc6\x04" + g.b(900)
    crc = crc24(body)
    return [
        "-----BEGIN PGP PRIVATE KEY BLOCK-----",
        "",
        *wrap(b64(body), 64),
        "=" + b64(crc.to_bytes(3, "big")),
        "-----END PGP PRIVATE KEY BLOCK-----",
    ]


def cert_pem(g: Gen) -> list[str]:
    der = (
        bytes.fromhex("308203")
        + g.b(1)
        + bytes.fromhex("308202")
        + g.b(1)
        + bytes.fromhex("a003020102")
        + g.b(760)
    )
    return pem("CERTIFICATE", der)


def public_pem(g: Gen) -> list[str]:
    der = (
        bytes.fromhex("30820122300d06092a864886f70d01010105000382010f003082010a0282010100")
        + g.b(256)
        + bytes.fromhex("0203010001")
    )
    return pem("PUBLIC KEY", der)


def png_b64(g: Gen, size: int) -> str:
    """A real (tiny, noisy) PNG, base64-encoded: what inline images look like."""
    w = h = size
    raw = b"".join(b"\x00" + g.b(w * 3) for _ in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )
    return b64(png)


def jwt(g: Gen, payload: dict[str, object]) -> str:
    head = b64url_nopad(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    body = b64url_nopad(json.dumps(payload, separators=(",", ":")).encode())
    return f"{head}.{body}.{b64url_nopad(g.b(32))}"


def password(g: Gen) -> str:
    # Machine-generated style password (password managers, `openssl rand`).
    return g.s(ALNUM, 12) + g.pick(["!", "%", "-", "_", "*", "+", "."]) + g.s(ALNUM, 7)


def human_password(g: Gen) -> str:
    words = [
        "Harbor",
        "Falcon",
        "Maple",
        "Quartz",
        "Orbit",
        "Cobalt",
        "Juniper",
        "Saturn",
        "Velvet",
        "Tundra",
    ]
    return (
        g.pick(words)
        + g.pick(["!", "#", "@", "$"])
        + str(g.int(1000, 9999))
        + g.pick(words).lower()
    )


# ---------------------------------------------------------------- generators
@dataclass(frozen=True)
class Kind:
    provider: str
    make: Callable[[Gen], str | list[str]]
    ref: str = ""


def _az_client_secret(g: Gen) -> str:
    return g.s(ALNUM, 3) + g.s(DIGITS, 1) + "Q~" + g.s(ALNUM + "_.~-", 34)


def _discord_bot(g: Gen) -> str:
    uid = str(g.int(10**17, 10**19 - 1))
    return f"{b64nopad(uid.encode())}.{g.s(B64URL, 6)}.{g.s(B64URL, 38)}"


def _sentry_org(g: Gen) -> str:
    claims = {
        "iat": g.int(1700000000, 1760000000),
        "url": "https://sentry.io",
        "region_url": "https://us.sentry.io",
        "org": g.pick(["acme", "northwind", "globex"]),
    }
    return (
        "sntrys_"
        + b64nopad(json.dumps(claims, separators=(",", ":")).encode())
        + "_"
        + g.s(ALNUM + "+/", 43)
    )


def _grafana_cloud(g: Gen) -> str:
    claims = {
        "o": str(g.int(100000, 999999)),
        "n": f"stack-{g.int(100000, 999999)}-logs-write",
        "k": g.s(ALNUM, 24),
        "m": {"r": g.pick(["prod-us-east-0", "prod-eu-west-2"])},
    }
    return "glc_" + b64(json.dumps(claims, separators=(",", ":")).encode())


def _mapbox_secret(g: Gen) -> str:
    claims = {"u": g.pick(["acme-maps", "northwind"]), "a": g.s(LOWER + DIGITS, 25)}
    return (
        "sk."
        + b64url_nopad(json.dumps(claims, separators=(",", ":")).encode())
        + "."
        + g.s(B64URL, 22)
    )


def _mapbox_public(g: Gen) -> str:
    claims = {"u": g.pick(["acme-maps", "northwind"]), "a": g.s(LOWER + DIGITS, 25)}
    return (
        "pk."
        + b64url_nopad(json.dumps(claims, separators=(",", ":")).encode())
        + "."
        + g.s(B64URL, 22)
    )


def _onepassword_sa(g: Gen) -> str:
    claims = {
        "signInAddress": "acme.1password.com",
        "userAuth": {
            "method": "SRPg-4096",
            "alg": "PBES2g-HS256",
            "iterations": 650000,
            "salt": b64url_nopad(g.b(16)),
        },
        "email": f"{g.s(LOWER, 13)}@1passwordserviceaccounts.com",
        "srpX": g.s(HEX, 64),
        "muk": {
            "alg": "A256GCM",
            "ext": False,
            "k": b64url_nopad(g.b(32)),
            "key_ops": ["encrypt", "decrypt"],
            "kty": "oct",
            "kid": "mp",
        },
        "secretKey": "A3-" + g.s(UPPER + DIGITS, 26),
        "throttleSecret": {"seed": g.s(HEX, 64), "deviceUuid": g.s(LOWER + DIGITS, 26)},
        "deviceUuid": g.s(LOWER + DIGITS, 26),
    }
    return "ops_" + b64nopad(json.dumps(claims, separators=(",", ":")).encode())


# Documented token prefixes: base64 of the macaroon header (version, location field).
PYPI_HEAD = "AgEIcHlwaS5vcmc"
TESTPYPI_HEAD = "AgENdGVzdC5weXBpLm9yZw"


def _pypi(g: Gen, head: str = PYPI_HEAD) -> str:
    """Macaroon v2: 0x02, location field, identifier field, caveats, signature (PyPI docs)."""
    header = base64.b64decode(head + "=" * (-len(head) % 4))
    ident = json.dumps({"version": 1, "permissions": "user"}).encode()
    caveat = json.dumps({"version": 1, "permissions": {"projects": ["acme-sdk"]}}).encode()
    mac = (
        header
        + b"\x02\x24"
        + g.uuid().encode()
        + b"\x00\x02"
        + bytes([len(ident)])
        + ident
        + b"\x00\x02"
        + bytes([len(caveat)])
        + caveat
        + b"\x00\x00\x06\x20"
        + g.b(32)
    )
    return "pypi-" + b64url_nopad(mac)


def _docker_auth(g: Gen) -> str:
    return b64(f"{g.pick(['ci-bot', 'deploy', 'release'])}:{password(g)}".encode())


def _artifactory_ref(g: Gen) -> str:
    return b64nopad(f"reftkn:01:{g.int(1700000000, 2000000000)}:{g.s(ALNUM, 35)}".encode())


def _sealed(g: Gen) -> str:
    """kubeseal hybrid ciphertext: uint16 len + RSA-OAEP(session key, 4096-bit) + AES-GCM(value)."""
    rsa = bytes([0x40 | g.int(0, 63)]) + g.b(511)
    return b64(b"\x02\x00" + rsa + g.b(g.int(12, 60) + 16))


def _sops(g: Gen, typ: str = "str") -> str:
    n = g.int(10, 40)
    return f"ENC[AES256_GCM,data:{b64(g.b(n))},iv:{b64(g.b(32))},tag:{b64(g.b(16))},type:{typ}]"


def _bcrypt(g: Gen) -> str:
    alpha = "./" + UPPER + LOWER + DIGITS
    return f"$2{g.pick(['a', 'b', 'y'])}${g.pick(['10', '12'])}$" + g.s(alpha, 53)


def _kube_client_key(g: Gen) -> str:
    text = "\n".join(pem("RSA PRIVATE KEY", der_rsa_pkcs1(g))) + "\n"
    return b64(text.encode())


def _kube_ca(g: Gen) -> str:
    return b64(("\n".join(cert_pem(g)) + "\n").encode())


def _gcp_sa_key(g: Gen) -> str:
    lines = pem("PRIVATE KEY", der_pkcs8_rsa(g))
    return "\\n".join(lines) + "\\n"


def _jwk_d(g: Gen) -> str:
    return b64url_nopad(g.b(32))


def _wg(g: Gen) -> str:
    return b64(g.b(32))


def _age_secret(g: Gen) -> str:
    return bech32("age-secret-key-", g.b(32)).upper()


def _putty(g: Gen) -> list[str]:
    pub = b64(ssh_string(b"ssh-ed25519") + ssh_string(g.b(32)))
    return [
        "PuTTY-User-Key-File-3: ssh-ed25519",
        "Encryption: none",
        "Comment: ops-bastion",
        "Public-Lines: 2",
        *wrap(pub, 64),
        "Private-Lines: 1",
        b64(ssh_string(g.b(32))),
        "Private-MAC: " + g.s(HEX, 64),
    ]


def _k8s_b64_password(g: Gen) -> str:
    return b64(password(g).encode())


def _dockerconfigjson_b64(g: Gen) -> str:
    auth = b64(f"robot$deployer:{g.s(ALNUM, 32)}".encode())
    doc = {"auths": {"harbor.acme.internal": {"auth": auth}}}
    return b64(json.dumps(doc, separators=(",", ":")).encode())


def _ansible_vault(g: Gen) -> list[str]:
    body = binascii.hexlify(g.b(g.int(160, 260))).decode()
    body = binascii.hexlify(body.encode()).decode()
    return ["$ANSIBLE_VAULT;1.1;AES256", *wrap(body, 80)]


def _minified(g: Gen) -> str:
    parts = []
    for _ in range(g.int(20, 35)):
        v = g.s(LOWER, 1) + g.s(ALNUM, g.int(0, 2))
        w = g.s(LOWER, 1) + g.s(ALNUM, g.int(0, 2))
        parts.append(
            g.pick(
                [
                    f"function {v}({w}){{return {w}&&{w}.__esModule?{w}:{{default:{w}}}}}",
                    f'var {v}="{g.s(HEX, 20)}";',
                    f'{v}.exports={{{w}:"{b64(g.b(g.int(12, 30)))}"}};',
                    f"const {v}=new Uint8Array([{','.join(str(g.int(0, 255)) for _ in range(12))}]);",  # noqa: E501
                    f'{v}["{g.s(ALNUM, 8)}"]=function({w}){{{w}.preventDefault()}};',
                    f"if({v}.length>{g.int(2, 64)}){{{w}={v}.slice(0,{g.int(2, 9)})}}",
                    f'{v}.p="/static/js/"+{w}+"."+{{{g.int(10, 999)}:"{g.s(HEX, 8)}",{g.int(10, 999)}:"{g.s(HEX, 8)}"}}[{w}]+".chunk.js";',  # noqa: E501
                ]
            )
        )
    return "".join(parts)


# ---------------------------------------------------------------- issue 14: more documented formats
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58check(payload: bytes) -> str:
    """Bitcoin Base58Check: payload + first 4 bytes of SHA-256(SHA-256(payload))."""
    import hashlib

    raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    n, out = int.from_bytes(raw, "big"), ""
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + out


def _wif(g: Gen) -> str:
    """WIF (en.bitcoin.it/wiki/Wallet_import_format): 0x80 + key + 0x01 (compressed)."""
    return base58check(b"\x80" + g.b(32) + b"\x01")


def _xprv(g: Gen) -> str:
    """BIP 32 extended private key: version, depth, fingerprint, child, chain code, 0 + key."""
    return base58check(bytes.fromhex("0488ade4") + b"\x00" * 9 + g.b(32) + b"\x00" + g.b(32))


def _xpub(g: Gen) -> str:
    return base58check(bytes.fromhex("0488b21e") + b"\x00" * 9 + g.b(32) + b"\x02" + g.b(32))


def _json_b64(obj: object, url: bool = False) -> str:
    raw = json.dumps(obj, separators=(",", ":")).encode()
    return b64url_nopad(raw) if url else b64(raw)


def _cf_tunnel(g: Gen) -> str:
    return _json_b64({"a": g.s(HEX, 32), "t": g.uuid(), "s": b64(g.b(32))})


def _neptune(g: Gen) -> str:
    return _json_b64(
        {
            "api_address": "https://app.neptune.ai",
            "api_url": "https://app.neptune.ai",
            "api_key": g.uuid(),
        }
    )


def _azure_ident(g: Gen, left: int, sig: str, tail: str) -> str:
    """Microsoft identifiable keys: the service signature at a fixed offset."""
    return g.s(ALNUM + "+/", left) + sig + tail


def _slack_xoxc(g: Gen) -> str:
    ids = f"{g.int(10**9, 10**12)}-{g.int(10**9, 10**12)}-{g.int(10**11, 10**13)}"
    return f"xoxc-{ids}-{g.s(HEX, 64)}"


def _gh_badcrc(g: Gen) -> str:
    """A ghp_ shape whose CRC32 suffix is wrong: a shape-alike, not a token."""
    body = g.s(B62, 30)
    good = base62(zlib.crc32(body.encode()), 6)
    return "ghp_" + body + good[:5] + ("A" if good[5] != "A" else "B")


KINDS: dict[str, Kind] = {
    # ------------------------------------------------------------ cloud
    "aws_akid": Kind(
        "aws",
        lambda g: "AKIA" + g.s(B32, 16),
        "docs.aws.amazon.com IAM: access key IDs begin AKIA (long-term), 20 chars",
    ),
    "aws_asia": Kind(
        "aws", lambda g: "ASIA" + g.s(B32, 16), "AWS STS temporary key IDs begin ASIA"
    ),
    "aws_secret": Kind(
        "aws", lambda g: g.s(ALNUM + "+/", 40), "AWS secret access key: 40 chars base64 alphabet"
    ),
    "aws_session": Kind(
        "aws",
        lambda g: "IQoJb3JpZ2luX2Vj" + g.s(ALNUM + "+/", 360) + "==",
        "AWS STS session token (base64)",
    ),
    "gcp_api": Kind(
        "gcp", lambda g: "AIza" + g.s(B64URL, 35), "cloud.google.com API keys: AIza + 35"
    ),
    "gcp_sa_key": Kind(
        "gcp", _gcp_sa_key, "GCP service-account JSON key: PKCS#8 PEM in private_key"
    ),
    "azure_storage_key": Kind(
        "azure",
        lambda g: b64(g.b(64)),
        "learn.microsoft.com storage account access keys: 64 bytes base64 (88 chars)",
    ),
    "azure_client_secret": Kind(
        "azure", _az_client_secret, "Entra ID app client secret: 40 chars, Q~ at 4"
    ),
    "azure_sas_sig": Kind(
        "azure",
        lambda g: b64(g.b(32)).replace("+", "%2B").replace("/", "%2F").replace("=", "%3D"),
        "Azure SAS token sig= HMAC-SHA256 base64",
    ),
    "do_pat": Kind(
        "digitalocean", lambda g: "dop_v1_" + g.s(HEX, 64), "DigitalOcean tokens: dop_v1_ + 64 hex"
    ),
    "alibaba_akid": Kind(
        "alibaba", lambda g: "LTAI" + g.s(ALNUM, 20), "Alibaba Cloud AccessKey IDs begin LTAI"
    ),
    "alibaba_secret": Kind(
        "alibaba", lambda g: g.s(ALNUM, 30), "Alibaba AccessKey secret: 30 alnum"
    ),
    "cloudflare_token": Kind(
        "cloudflare", lambda g: g.s(B64URL, 40), "Cloudflare API token: 40 chars"
    ),
    "heroku_key": Kind("heroku", lambda g: g.uuid(), "Heroku legacy API key (UUID)"),
    "heroku_hrku": Kind(
        "heroku", lambda g: "HRKU-AA" + g.s(B64URL, 58), "Heroku API keys: HRKU- prefix (2024)"
    ),
    # ------------------------------------------------------------ source hosting
    "gh_pat": Kind(
        "github", lambda g: crc32_token(g, "ghp_"), "github.blog 2021-04-05 token formats"
    ),
    "gh_oauth": Kind("github", lambda g: crc32_token(g, "gho_")),
    "gh_u2s": Kind("github", lambda g: crc32_token(g, "ghu_")),
    "gh_s2s": Kind("github", lambda g: crc32_token(g, "ghs_")),
    "gh_refresh": Kind("github", lambda g: crc32_token(g, "ghr_")),
    "gh_fine": Kind(
        "github",
        lambda g: "github_pat_11" + g.s(UPPER + DIGITS, 20) + "_" + g.s(ALNUM, 59),
        "fine-grained PAT: github_pat_ + 22 + _ + 59",
    ),
    "gl_pat": Kind(
        "gitlab", lambda g: "glpat-" + g.s(B64URL, 20), "docs.gitlab.com token prefixes: glpat-"
    ),
    "gl_pat_routable": Kind(
        "gitlab",
        lambda g: gitlab_routable(g, "glpat-"),
        "GitLab routable tokens (payload.01.length+crc)",
    ),
    "gl_deploy": Kind("gitlab", lambda g: "gldt-" + g.s(B64URL, 20), "deploy tokens gldt-"),
    "gl_runner": Kind("gitlab", lambda g: "glrt-" + g.s(B64URL, 20), "runner auth tokens glrt-"),
    "gl_trigger": Kind(
        "gitlab", lambda g: "glptt-" + g.s(HEX, 40), "pipeline trigger tokens glptt-"
    ),
    "bb_app_password": Kind(
        "bitbucket",
        lambda g: "ATBB" + g.s(ALNUM, 28) + g.s(UHEX, 8),
        "Bitbucket app passwords: ATBB prefix",
    ),
    # ------------------------------------------------------------ ci-cd
    "circleci_pat": Kind(
        "circleci",
        lambda g: "CCIPAT_" + g.s(ALNUM, 22) + "_" + g.s(HEX, 40),
        "CircleCI personal API tokens CCIPAT_",
    ),
    "buildkite": Kind(
        "buildkite", lambda g: "bkua_" + g.s(HEX, 40), "Buildkite API access tokens bkua_"
    ),
    "tfc_token": Kind(
        "terraform-cloud",
        lambda g: g.s(ALNUM, 14) + ".atlasv1." + g.s(ALNUM + "-_", 67),
        "HCP Terraform user/team tokens: <id>.atlasv1.<secret>",
    ),
    "pulumi": Kind("pulumi", lambda g: "pul-" + g.s(HEX, 40), "Pulumi access tokens pul-"),
    "jenkins_token": Kind(
        "jenkins", lambda g: "11" + g.s(HEX, 32), "Jenkins API token: 34 hex, legacy 11 prefix"
    ),
    "sonar_user": Kind("sonarqube", lambda g: "squ_" + g.s(HEX, 40), "SonarQube user tokens squ_"),
    "sonar_project": Kind(
        "sonarqube", lambda g: "sqp_" + g.s(HEX, 40), "SonarQube project tokens sqp_"
    ),
    "codecov": Kind("codecov", lambda g: g.uuid(), "Codecov upload token (UUID)"),
    "vault_hvs": Kind(
        "hashicorp-vault",
        lambda g: "hvs." + "CAESI" + g.s(B64URL, 90),
        "Vault 1.10+ service tokens hvs.",
    ),
    "vault_hvb": Kind(
        "hashicorp-vault", lambda g: "hvb." + "AAAAAQ" + g.s(B64URL, 130), "Vault batch tokens hvb."
    ),
    # ------------------------------------------------------------ chat
    "slack_bot": Kind(
        "slack",
        lambda g: f"xoxb-{g.int(10**10, 10**12)}-{g.int(10**11, 10**13)}-{g.s(ALNUM, 24)}",
        "api.slack.com token types: xoxb- bot tokens",
    ),
    "slack_user": Kind(
        "slack",
        lambda g: (
            f"xoxp-{g.int(10**10, 10**12)}-{g.int(10**10, 10**12)}-{g.int(10**11, 10**13)}-{g.s(HEX, 32)}"  # noqa: E501
        ),
        "xoxp- user tokens",
    ),
    "slack_app": Kind(
        "slack",
        lambda g: f"xapp-1-A{g.s(UPPER + DIGITS, 10)}-{g.int(10**12, 10**13)}-{g.s(HEX, 64)}",
        "xapp- app-level tokens",
    ),
    "slack_webhook": Kind(
        "slack",
        lambda g: (
            f"https://hooks.slack.com/services/T{g.s(UPPER + DIGITS, 8)}/B{g.s(UPPER + DIGITS, 10)}/{g.s(ALNUM, 24)}"  # noqa: E501
        ),
        "incoming webhooks hooks.slack.com/services/T../B../secret",
    ),
    "discord_bot": Kind(
        "discord", _discord_bot, "Discord bot token: base64(user id).timestamp.hmac"
    ),
    "discord_webhook": Kind(
        "discord",
        lambda g: f"https://discord.com/api/webhooks/{g.int(10**17, 10**19 - 1)}/{g.s(B64URL, 68)}",
        "discord.com/api/webhooks/<id>/<token>",
    ),
    "telegram_bot": Kind(
        "telegram",
        lambda g: f"{g.int(10**8, 10**10 - 1)}:AA{g.s(B64URL, 33)}",
        "core.telegram.org/bots: <bot id>:<35 chars>",
    ),
    "teams_webhook": Kind(
        "microsoft-teams",
        lambda g: (
            f"https://acme.webhook.office.com/webhookb2/{g.uuid()}@{g.uuid()}/IncomingWebhook/{g.s(HEX, 32)}/{g.uuid()}/V2{g.s(B64URL, 43)}"  # noqa: E501
        ),
        "Teams incoming webhook URL",
    ),
    "twilio_api_key": Kind(
        "twilio", lambda g: "SK" + g.s(HEX, 32), "Twilio API key SIDs SK + 32 hex"
    ),
    "twilio_auth": Kind("twilio", lambda g: g.s(HEX, 32), "Twilio auth token: 32 hex"),
    # ------------------------------------------------------------ payment
    "stripe_sk": Kind(
        "stripe", lambda g: "sk_live_" + g.s(ALNUM, 24), "docs.stripe.com/keys: sk_live_"
    ),
    "stripe_sk_long": Kind(
        "stripe", lambda g: "sk_live_51" + g.s(ALNUM, 97), "current Stripe secret key length"
    ),
    "stripe_rk": Kind(
        "stripe", lambda g: "rk_live_51" + g.s(ALNUM, 97), "restricted keys rk_live_"
    ),
    "stripe_whsec": Kind(
        "stripe", lambda g: "whsec_" + g.s(ALNUM, 32), "webhook signing secret whsec_"
    ),
    "square_token": Kind("square", lambda g: "EAAA" + g.s(B64URL, 60), "Square access tokens EAAA"),
    "square_oauth_secret": Kind(
        "square", lambda g: "sq0csp-" + g.s(B64URL, 43), "Square OAuth secret sq0csp-"
    ),
    "braintree": Kind(
        "braintree",
        lambda g: f"access_token$production${g.s(LOWER + DIGITS, 16)}${g.s(HEX, 32)}",
        "Braintree/PayPal access_token$production$...$...",
    ),
    "paypal_secret": Kind(
        "paypal", lambda g: "E" + g.s(B64URL, 79), "PayPal REST client secret: 80 chars"
    ),
    "gocardless": Kind(
        "gocardless", lambda g: "live_" + g.s(B64URL, 40), "GoCardless live access tokens live_"
    ),
    "flutterwave": Kind(
        "flutterwave",
        lambda g: "FLWSECK-" + g.s(HEX, 32) + "-X",
        "Flutterwave secret keys FLWSECK-",
    ),
    "plaid_secret": Kind("plaid", lambda g: g.s(HEX, 30), "Plaid secret: 30 hex"),
    # ------------------------------------------------------------ ai
    "openai_proj": Kind(
        "openai",
        lambda g: "sk-proj-" + g.s(B64URL, 74) + "T3BlbkFJ" + g.s(B64URL, 74),
        "OpenAI project keys sk-proj-...T3BlbkFJ...",
    ),
    "openai_legacy": Kind(
        "openai", lambda g: "sk-" + g.s(ALNUM, 20) + "T3BlbkFJ" + g.s(ALNUM, 20), "legacy user keys"
    ),
    "openai_svcacct": Kind(
        "openai",
        lambda g: "sk-svcacct-" + g.s(B64URL, 74) + "T3BlbkFJ" + g.s(B64URL, 74),
        "service account keys",
    ),
    "anthropic": Kind(
        "anthropic",
        lambda g: "sk-ant-api03-" + g.s(B64URL, 93) + "AA",
        "Anthropic API keys sk-ant-api03-",
    ),
    "anthropic_admin": Kind(
        "anthropic", lambda g: "sk-ant-admin01-" + g.s(B64URL, 93) + "AA", "Anthropic admin keys"
    ),
    "hf_token": Kind(
        "huggingface",
        lambda g: "hf_" + g.s(UPPER + LOWER, 34),
        "huggingface.co user access tokens hf_",
    ),
    "replicate": Kind("replicate", lambda g: "r8_" + g.s(ALNUM, 37), "Replicate API tokens r8_"),
    "groq": Kind("groq", lambda g: "gsk_" + g.s(ALNUM, 52), "Groq API keys gsk_"),
    "perplexity": Kind(
        "perplexity", lambda g: "pplx-" + g.s(ALNUM, 48), "Perplexity API keys pplx-"
    ),
    "xai": Kind("xai", lambda g: "xai-" + g.s(ALNUM, 80), "xAI API keys xai-"),
    "openrouter": Kind(
        "openrouter", lambda g: "sk-or-v1-" + g.s(HEX, 64), "OpenRouter keys sk-or-v1-"
    ),
    "langsmith": Kind(
        "langchain",
        lambda g: "lsv2_pt_" + g.s(HEX, 32) + "_" + g.s(HEX, 10),
        "LangSmith keys lsv2_pt_",
    ),
    "cohere": Kind("cohere", lambda g: g.s(ALNUM, 40), "Cohere API key: 40 alnum, no prefix"),
    "mistral": Kind("mistral", lambda g: g.s(ALNUM, 32), "Mistral API key: 32 alnum, no prefix"),
    "wandb": Kind("wandb", lambda g: g.s(HEX, 40), "Weights & Biases API key: 40 hex"),
    # ------------------------------------------------------------ observability
    "dd_api": Kind("datadog", lambda g: g.s(HEX, 32), "Datadog API keys: 32 hex"),
    "dd_app": Kind("datadog", lambda g: g.s(HEX, 40), "Datadog application keys: 40 hex"),
    "nr_user": Kind(
        "newrelic", lambda g: "NRAK-" + g.s(UPPER + DIGITS, 27), "New Relic user keys NRAK-"
    ),
    "nr_license": Kind(
        "newrelic", lambda g: g.s(HEX, 36) + "NRAL", "New Relic license keys end NRAL"
    ),
    "nr_insert": Kind(
        "newrelic", lambda g: "NRII-" + g.s(B64URL, 32), "Insights insert keys NRII-"
    ),
    "sentry_user": Kind(
        "sentry", lambda g: "sntryu_" + g.s(HEX, 64), "Sentry user auth tokens sntryu_"
    ),
    "sentry_org": Kind("sentry", _sentry_org, "Sentry org auth tokens sntrys_"),
    "grafana_sa": Kind(
        "grafana",
        lambda g: "glsa_" + g.s(ALNUM, 32) + "_" + g.s(HEX, 8),
        "Grafana service account tokens glsa_",
    ),
    "grafana_cloud": Kind("grafana", _grafana_cloud, "Grafana Cloud access policy tokens glc_"),
    "dynatrace": Kind(
        "dynatrace",
        lambda g: "dt0c01." + g.s(UPPER + DIGITS, 24) + "." + g.s(UPPER + DIGITS, 64),
        "docs.dynatrace.com access token format dt0c01.<public>.<secret>",
    ),
    "pagerduty_routing": Kind(
        "pagerduty", lambda g: g.s(HEX, 32), "PagerDuty Events v2 routing key: 32 hex"
    ),
    "pagerduty_user": Kind(
        "pagerduty", lambda g: "u+" + g.s(B64URL, 18), "PagerDuty user API tokens u+"
    ),
    "splunk_hec": Kind("splunk", lambda g: g.uuid(), "Splunk HEC token (UUID)"),
    "opsgenie": Kind("opsgenie", lambda g: g.uuid(), "Opsgenie API key (UUID, GenieKey header)"),
    "honeycomb": Kind("honeycomb", lambda g: g.s(ALNUM, 22), "Honeycomb classic API key: 22 alnum"),
    # ------------------------------------------------------------ database
    "pw": Kind("password", password, "connection-string password"),
    "human_pw": Kind("password", human_password, "human-chosen password"),
    "pscale_pw": Kind(
        "planetscale", lambda g: "pscale_pw_" + g.s(B64URL, 43), "PlanetScale passwords pscale_pw_"
    ),
    "pscale_tkn": Kind(
        "planetscale", lambda g: "pscale_tkn_" + g.s(B64URL, 43), "PlanetScale service tokens"
    ),
    "supabase_pat": Kind(
        "supabase", lambda g: "sbp_" + g.s(HEX, 40), "Supabase access tokens sbp_"
    ),
    "neon": Kind("neon", lambda g: "napi_" + g.s(LOWER + DIGITS, 64), "Neon API keys napi_"),
    # ------------------------------------------------------------ registry
    "npm_token": Kind(
        "npm", lambda g: crc32_token(g, "npm_"), "npm granular/automation tokens npm_ (CRC32)"
    ),
    "pypi_token": Kind("pypi", _pypi, "PyPI API tokens pypi-AgEIcHlwaS5vcmc..."),
    "testpypi_token": Kind("pypi", lambda g: _pypi(g, TESTPYPI_HEAD), "TestPyPI tokens"),
    "dockerhub_pat": Kind(
        "docker", lambda g: "dckr_pat_" + g.s(B64URL, 27), "Docker Hub PATs dckr_pat_"
    ),
    "docker_auth": Kind(
        "docker", _docker_auth, "~/.docker/config.json auths.<host>.auth = base64(user:pass)"
    ),
    "artifactory_key": Kind(
        "jfrog", lambda g: "AKCp" + g.s(ALNUM, 69), "Artifactory API keys AKCp"
    ),
    "artifactory_ref": Kind(
        "jfrog", _artifactory_ref, "Artifactory reference tokens (base64 reftkn:01:...)"
    ),
    "nuget": Kind("nuget", lambda g: "oy2" + g.s(LOWER + DIGITS, 43), "NuGet API keys oy2"),
    "rubygems": Kind(
        "rubygems", lambda g: "rubygems_" + g.s(HEX, 48), "RubyGems API keys rubygems_"
    ),
    "cratesio": Kind("crates-io", lambda g: "cio" + g.s(ALNUM, 32), "crates.io tokens cio"),
    # ------------------------------------------------------------ private keys (multi-line)
    "rsa_pem": Kind(
        "rsa", lambda g: pem("RSA PRIVATE KEY", der_rsa_pkcs1(g)), "RFC 8017 PKCS#1 PEM"
    ),
    "ec_pem": Kind("ec", lambda g: pem("EC PRIVATE KEY", der_ec_sec1(g)), "RFC 5915 EC PEM"),
    "pkcs8_pem": Kind(
        "pkcs8", lambda g: pem("PRIVATE KEY", der_pkcs8_rsa(g)), "RFC 5208 PKCS#8 PEM"
    ),
    "ed25519_pkcs8": Kind(
        "pkcs8",
        lambda g: pem("PRIVATE KEY", bytes.fromhex("302e020100300506032b657004220420") + g.b(32)),
        "RFC 8410 Ed25519 PKCS#8",
    ),
    "openssh": Kind("openssh", openssh_ed25519, "openssh PROTOCOL.key"),
    "pgp_private": Kind("pgp", pgp_private, "RFC 4880 armored secret key"),
    "putty": Kind("putty", _putty, "PuTTY .ppk v3"),
    "age_secret": Kind("age", _age_secret, "age-encryption.org: AGE-SECRET-KEY-1 + bech32"),
    "kube_client_key": Kind(
        "kubernetes", _kube_client_key, "kubeconfig client-key-data: base64 PEM"
    ),
    "jwk_d": Kind("jwk", _jwk_d, "RFC 7517 private JWK parameter d"),
    "wireguard_private": Kind("wireguard", _wg, "wg genkey: 32 bytes base64"),
    # ------------------------------------------------------------ saas
    "sendgrid": Kind(
        "sendgrid",
        lambda g: "SG." + g.s(B64URL, 22) + "." + g.s(B64URL, 43),
        "SendGrid API keys SG.x.y",
    ),
    "mailgun": Kind("mailgun", lambda g: "key-" + g.s(HEX, 32), "Mailgun API keys key-"),
    "mailgun_new": Kind(
        "mailgun", lambda g: f"{g.s(HEX, 32)}-{g.s(HEX, 8)}-{g.s(HEX, 8)}", "Mailgun keys (2021+)"
    ),
    "mailchimp": Kind(
        "mailchimp",
        lambda g: g.s(HEX, 32) + "-us" + str(g.int(1, 21)),
        "Mailchimp keys <32hex>-usN",
    ),
    "shopify_at": Kind(
        "shopify", lambda g: "shpat_" + g.s(HEX, 32), "Shopify admin API access token shpat_"
    ),
    "shopify_ss": Kind(
        "shopify", lambda g: "shpss_" + g.s(HEX, 32), "Shopify shared secret shpss_"
    ),
    "atlassian": Kind(
        "atlassian",
        lambda g: "ATATT3xFfGF0" + g.s(B64URL, 170) + "=" + g.s(UHEX, 8),
        "Atlassian API tokens ATATT",
    ),
    "notion": Kind(
        "notion", lambda g: "secret_" + g.s(ALNUM, 43), "Notion internal integration secret_"
    ),
    "notion_ntn": Kind(
        "notion", lambda g: "ntn_" + g.s(DIGITS, 11) + g.s(ALNUM, 35), "Notion tokens ntn_ (2024)"
    ),
    "linear": Kind(
        "linear", lambda g: "lin_api_" + g.s(ALNUM, 40), "Linear personal API keys lin_api_"
    ),
    "asana": Kind(
        "asana",
        lambda g: f"2/{g.int(10**15, 10**16 - 1)}/{g.int(10**15, 10**16 - 1)}:{g.s(HEX, 32)}",
        "Asana PATs 2/<user>/<app>:<secret>",
    ),
    "postman": Kind(
        "postman", lambda g: f"PMAK-{g.s(HEX, 24)}-{g.s(HEX, 34)}", "Postman API keys PMAK-"
    ),
    "figma": Kind("figma", lambda g: "figd_" + g.s(B64URL, 40), "Figma PATs figd_"),
    "airtable": Kind(
        "airtable",
        lambda g: f"pat{g.s(ALNUM, 14)}.{g.s(HEX, 64)}",
        "Airtable PATs pat<id>.<secret>",
    ),
    "hubspot": Kind(
        "hubspot", lambda g: f"pat-na1-{g.uuid()}", "HubSpot private app tokens pat-na1-"
    ),
    "mapbox_sk": Kind("mapbox", _mapbox_secret, "Mapbox secret tokens sk.eyJ"),
    "doppler": Kind(
        "doppler", lambda g: "dp.pt." + g.s(ALNUM, 43), "Doppler personal tokens dp.pt."
    ),
    "doppler_st": Kind(
        "doppler", lambda g: "dp.st.prd." + g.s(ALNUM, 43), "Doppler service tokens dp.st."
    ),
    "onepassword_sa": Kind("1password", _onepassword_sa, "1Password service account tokens ops_"),
    "okta": Kind(
        "okta", lambda g: "00" + g.s(B64URL, 40), "Okta API tokens (SSWS): 42 chars starting 00"
    ),
    "algolia_admin": Kind("algolia", lambda g: g.s(HEX, 32), "Algolia admin API key: 32 hex"),
    "contentful": Kind(
        "contentful", lambda g: "CFPAT-" + g.s(B64URL, 43), "Contentful PATs CFPAT-"
    ),
    "netlify": Kind("netlify", lambda g: "nfp_" + g.s(ALNUM, 36), "Netlify PATs nfp_"),
    "launchdarkly": Kind(
        "launchdarkly", lambda g: "sdk-" + g.uuid(), "LaunchDarkly server SDK keys sdk-"
    ),
    "intercom": Kind(
        "intercom",
        lambda g: b64(f"tok:{g.int(1, 9)}{g.uuid()[1:]}:1:0".encode()),
        "Intercom access tokens base64('tok:...')",
    ),
    # ------------------------------------------------------------ generic
    "jwt": Kind(
        "jwt",
        lambda g: jwt(
            g,
            {
                "sub": g.uuid(),
                "iss": "https://auth.acme.io",
                "role": "service",
                "iat": g.int(1700000000, 1760000000),
            },
        ),
        "RFC 7519",
    ),
    "hex32": Kind("generic", lambda g: g.s(HEX, 32), "32 hex secret"),
    "hex64": Kind("generic", lambda g: g.s(HEX, 64), "64 hex secret (openssl rand -hex 32)"),
    "hex128": Kind("generic", lambda g: g.s(HEX, 128), "Rails secret_key_base"),
    "b64_32": Kind("generic", lambda g: b64(g.b(32)), "openssl rand -base64 32"),
    "alnum40": Kind("generic", lambda g: g.s(ALNUM, 40), "40 alnum API key"),
    "alnum24": Kind("generic", lambda g: g.s(ALNUM, 24), "24 alnum API key"),
    "alnum32": Kind("generic", lambda g: g.s(ALNUM, 32), "32 alnum secret (Twilio API key secret)"),
    "django_key": Kind(
        "django",
        lambda g: g.s(LOWER + DIGITS + "!@#%^&*(-_=+)", 50),
        "Django SECRET_KEY (50 chars)",
    ),
    "laravel_key": Kind("laravel", lambda g: "base64:" + b64(g.b(32)), "Laravel APP_KEY base64:"),
    "basic_auth_b64": Kind(
        "generic",
        lambda g: b64(f"svc-{g.s(LOWER, 5)}:{password(g)}".encode()),
        "HTTP Basic base64(user:pass)",
    ),
    "url_pw": Kind(
        "password",
        lambda g: g.s(ALNUM, 10) + g.pick(["-", "_", "."]) + g.s(ALNUM, 9),
        "password in URL userinfo",
    ),
    # ------------------------------------------------------------ gitops-specific shapes
    "k8s_b64_pw": Kind("kubernetes", _k8s_b64_password, "Secret.data: base64 of a password"),
    "k8s_b64_token": Kind(
        "kubernetes",
        lambda g: b64(crc32_token(g, "ghp_").encode()),
        "Secret.data: base64 of a token",
    ),
    "dockerconfigjson": Kind("kubernetes", _dockerconfigjson_b64, "kubernetes.io/dockerconfigjson"),
    # ------------------------------------------------------------ issue 14 additions
    "cf_origin_ca": Kind(
        "cloudflare",
        lambda g: "v1.0-" + g.s(HEX, 24) + "-" + g.s(HEX, 146),
        "developers.cloudflare.com: Origin CA keys start with v1.0-",
    ),
    "cf_tunnel": Kind("cloudflare", _cf_tunnel, "Cloudflare Tunnel token: base64 JSON a/t/s"),
    "tailscale": Kind(
        "tailscale",
        lambda g: f"tskey-auth-k{g.s(ALNUM, 9)}CNTRL-{g.s(ALNUM, 33)}",
        "tailscale.com/kb/1277/key-prefixes",
    ),
    "render": Kind("render", lambda g: "rnd_" + g.s(ALNUM, 32), "Render API keys rnd_"),
    "google_access": Kind("google", lambda g: "ya29." + g.s(B64URL, 150), "Google OAuth ya29."),
    "google_refresh": Kind("google", lambda g: "1//0" + g.s(B64URL, 99), "Google refresh 1//0"),
    "azure_storage_ident": Kind(
        "azure",
        lambda g: _azure_ident(g, 76, "+ASt", g.s(ALNUM, 5) + "A=="),
        "Azure identifiable storage key (+ASt)",
    ),
    "azure_search_ident": Kind(
        "azure",
        lambda g: g.s(ALNUM, 42) + "AzSe" + g.s(ALNUM, 6),
        "Azure AI Search identifiable key (AzSe)",
    ),
    "azure_acr_ident": Kind(
        "azure",
        lambda g: _azure_ident(g, 42, "+ACR", g.s(ALNUM, 6)),
        "Azure Container Registry identifiable password (+ACR)",
    ),
    "k3s_token": Kind(
        "k3s",
        lambda g: f"K10{g.s(HEX, 64)}::server:{g.s(ALNUM, 32)}",
        "docs.k3s.io/cli/token secure token format",
    ),
    "kubeadm_token": Kind(
        "kubernetes",
        lambda g: f"{g.s(LOWER + DIGITS, 6)}.{g.s(LOWER + DIGITS, 16)}",
        "kubernetes.io bootstrap tokens [a-z0-9]{6}.[a-z0-9]{16}",
    ),
    "openshift_token": Kind(
        "openshift", lambda g: "sha256~" + g.s(B64URL, 43), "OpenShift sha256~"
    ),
    "rancher_token": Kind(
        "rancher",
        lambda g: f"token-{g.s(LOWER + DIGITS, 5)}:{g.s(LOWER + DIGITS, 54)}",
        "Rancher API keys token-xxxxx:secret",
    ),
    "dtrack": Kind("dependency-track", lambda g: "odt_" + g.s(ALNUM, 32), "Dependency-Track odt_"),
    "vault_unseal": Kind("hashicorp-vault", lambda g: b64(g.b(33)), "vault operator init shares"),
    "slack_xoxc": Kind("slack", _slack_xoxc, "Slack web client token xoxc-"),
    "fb_token": Kind("facebook", lambda g: "EAAG" + g.s(ALNUM, 180), "Graph API tokens EAA..."),
    "twitter_bearer": Kind(
        "twitter",
        lambda g: "AAAAAAAAAAAAAAAAAAAAA" + g.s(ALNUM, 25) + "%3D" + g.s(ALNUM, 50),
        "X app-only bearer token",
    ),
    "pubnub_sec": Kind("pubnub", lambda g: "sec-c-" + b64nopad(g.uuid().encode()), "PubNub sec-c-"),
    "twitch_oauth": Kind(
        "twitch",
        lambda g: "oauth:" + g.s(LOWER, 10) + g.s(DIGITS, 2) + g.s(LOWER + DIGITS, 18),
        "Twitch IRC oauth: tokens",
    ),
    "gchat_webhook": Kind(
        "google-chat",
        lambda g: (
            f"https://chat.googleapis.com/v1/spaces/{g.s(B64URL, 11)}/messages"
            f"?key=AIza{g.s(B64URL, 35)}&token={g.s(B64URL, 43)}%3D"
        ),
        "Google Chat webhook URL",
    ),
    "mercadopago": Kind(
        "mercadopago",
        lambda g: f"APP_USR-{g.s(DIGITS, 16)}-{g.s(DIGITS, 6)}-{g.s(HEX, 32)}-{g.s(DIGITS, 9)}",
        "Mercado Pago access token APP_USR-",
    ),
    "xendit": Kind(
        "xendit", lambda g: "xnd_production_" + g.s(ALNUM, 60), "Xendit xnd_production_"
    ),
    "midtrans": Kind("midtrans", lambda g: "Mid-server-" + g.s(B64URL, 24), "Midtrans Mid-server-"),
    "wif": Kind("bitcoin", _wif, "Bitcoin WIF (Base58Check)"),
    "xprv": Kind("bitcoin", _xprv, "BIP 32 xprv (Base58Check)"),
    "tavily": Kind("tavily", lambda g: "tvly-dev-" + g.s(ALNUM, 32), "Tavily tvly-"),
    "elevenlabs": Kind("elevenlabs", lambda g: "sk_" + g.s(HEX, 48), "ElevenLabs sk_ + 48 hex"),
    "cerebras": Kind("cerebras", lambda g: "csk-" + g.s(LOWER + DIGITS, 48), "Cerebras csk-"),
    "langfuse": Kind("langfuse", lambda g: "sk-lf-" + g.uuid(), "Langfuse sk-lf-"),
    "together": Kind("together", lambda g: "tgp_v1_" + g.s(B64URL, 43), "Together tgp_v1_"),
    "llamacloud": Kind("llamaindex", lambda g: "llx-" + g.s(ALNUM, 48), "LlamaCloud llx-"),
    "firecrawl": Kind("firecrawl", lambda g: "fc-" + g.s(HEX, 32), "Firecrawl fc-"),
    "neptune": Kind("neptune", _neptune, "Neptune API token (base64 JSON)"),
    "posthog": Kind("posthog", lambda g: "phx_" + g.s(ALNUM, 43), "PostHog phx_"),
    "sumo_url": Kind(
        "sumologic",
        lambda g: (
            "https://endpoint1.collection.sumologic.com/receiver/v1/http/" + g.s(B64URL, 96) + "=="
        ),
        "Sumo Logic HTTP source URL",
    ),
    "xata": Kind("xata", lambda g: "xau_" + g.s(ALNUM, 36), "Xata xau_"),
    "truenas": Kind("truenas", lambda g: f"{g.int(1, 40)}-{g.s(ALNUM, 64)}", "TrueNAS <id>-<64>"),
    "sidekiq": Kind(
        "sidekiq", lambda g: f"{g.s(HEX, 8)}:{g.s(HEX, 8)}", "Sidekiq Pro creds 8hex:8hex"
    ),
    "sf_session": Kind(
        "salesforce",
        lambda g: f"00D{g.s(ALNUM, 15)}!{g.s(ALNUM, 110)}",
        "Salesforce session 00D...!...",
    ),
    "zoho": Kind("zoho", lambda g: f"1000.{g.s(HEX, 32)}.{g.s(HEX, 32)}", "Zoho 1000.x.y"),
    "woo_cs": Kind("woocommerce", lambda g: "cs_" + g.s(HEX, 40), "WooCommerce cs_"),
    "resend": Kind("resend", lambda g: f"re_{g.s(ALNUM, 8)}_{g.s(ALNUM, 24)}", "Resend re_"),
    "adafruit": Kind("adafruit", lambda g: "aio_" + g.s(ALNUM, 28), "Adafruit IO aio_"),
    "ubidots": Kind("ubidots", lambda g: "BBFF-" + g.s(ALNUM, 30), "Ubidots BBFF-"),
    "rapidapi": Kind(
        "rapidapi",
        lambda g: f"{g.s(HEX, 10)}msh{g.s(HEX, 15)}p{g.s(HEX, 6)}jsn{g.s(HEX, 12)}",
        "RapidAPI key",
    ),
    "riot": Kind("riot-games", lambda g: "RGAPI-" + g.uuid(), "Riot RGAPI-"),
    "op_secret_key": Kind(
        "1password",
        lambda g: "A3-" + "-".join(g.s(UPPER + DIGITS, n) for n in (6, 6, 5, 5, 5, 5)),
        "1Password Secret Key A3-",
    ),
    "ghost_admin": Kind(
        "ghost", lambda g: f"{g.s(HEX, 24)}:{g.s(HEX, 64)}", "Ghost Admin API id:secret"
    ),
    "jwk_ec": Kind(
        "jwk",
        lambda g: json.dumps(
            {
                "kty": "EC",
                "crv": "P-256",
                "x": b64url_nopad(g.b(32)),
                "y": b64url_nopad(g.b(32)),
                "d": b64url_nopad(g.b(32)),
            }
        ),
        "RFC 7517 private EC JWK",
    ),
    "openvpn_static": Kind(
        "openvpn",
        lambda g: [
            "-----BEGIN OpenVPN Static key V1-----",
            *[g.s(HEX, 32) for _ in range(16)],
            "-----END OpenVPN Static key V1-----",
        ],
        "OpenVPN static key V1",
    ),
    "hex48": Kind("generic", lambda g: g.s(HEX, 48), "48 hex key"),
    "hex40": Kind("generic", lambda g: g.s(HEX, 40), "40 hex key"),
    "uuid_token": Kind("generic", lambda g: g.uuid(), "UUID-shaped key"),
}

# Generators for values that are NOT secrets.
NEG: dict[str, Callable[[Gen], str | list[str]]] = {
    "uuid": lambda g: g.uuid(),
    "UUID": lambda g: g.uuid().upper(),
    "sha1": lambda g: g.s(HEX, 40),
    "sha256": lambda g: g.s(HEX, 64),
    "sha512": lambda g: g.s(HEX, 128),
    "md5": lambda g: g.s(HEX, 32),
    "gitsha": lambda g: g.s(HEX, 40),
    "shortsha": lambda g: g.s(HEX, 7),
    "hex16": lambda g: g.s(HEX, 16),
    "hex24": lambda g: g.s(HEX, 24),
    "integrity512": lambda g: "sha512-" + b64(g.b(64)),
    "integrity384": lambda g: "sha384-" + b64(g.b(48)),
    "integrity1": lambda g: "sha1-" + b64(g.b(20)),
    "h1": lambda g: "h1:" + b64(g.b(32)),
    "digest": lambda g: "sha256:" + g.s(HEX, 64),
    "b64_64": lambda g: b64(g.b(64)),
    "b64_48": lambda g: b64(g.b(48)),
    "b64_16": lambda g: b64(g.b(16)),
    "sealed": _sealed,
    "sops": _sops,
    "sops_int": lambda g: _sops(g, "int"),
    "sops_mac": lambda g: (
        f"ENC[AES256_GCM,data:{b64(g.b(32))},iv:{b64(g.b(32))},tag:{b64(g.b(16))},type:str]"
    ),
    "age_recipient": lambda g: "age1" + g.s(BECH32, 58),
    "age_armored": lambda g: [
        "-----BEGIN AGE ENCRYPTED FILE-----",
        *wrap(b64(b"age-encryption.org/v1\n-> X25519 " + g.b(160)), 64),
        "-----END AGE ENCRYPTED FILE-----",
    ],
    "bcrypt": _bcrypt,
    "png": lambda g: png_b64(g, 12),
    "png_small": lambda g: png_b64(g, 4),
    "cert": cert_pem,
    "pubkey": public_pem,
    "kube_ca": _kube_ca,
    "ssh_rsa_pub": lambda g: (
        "ssh-rsa "
        + b64(ssh_string(b"ssh-rsa") + ssh_string(b"\x01\x00\x01") + ssh_string(b"\x00" + g.b(256)))
    ),
    "ssh_ed_pub": lambda g: "ssh-ed25519 " + b64(ssh_string(b"ssh-ed25519") + ssh_string(g.b(32))),
    "wg_pub": _wg,
    "ansible_vault": _ansible_vault,
    "minified": _minified,
    "stripe_pk": lambda g: "pk_live_51" + g.s(ALNUM, 97),
    "mapbox_pk": _mapbox_public,
    "sentry_dsn": lambda g: (
        f"https://{g.s(HEX, 32)}@o{g.int(100000, 999999)}.ingest.sentry.io/{g.int(1000000, 9999999)}"  # noqa: E501
    ),
    "twilio_sid": lambda g: "AC" + g.s(HEX, 32),
    "aws_account": lambda g: str(g.int(10**11, 10**12 - 1)),
    "ulid": lambda g: g.s("0123456789ABCDEFGHJKMNPQRSTVWXYZ", 26),
    "nonce": lambda g: b64url_nopad(g.b(16)),
    "int": lambda g: str(g.int(1000, 999999)),
    "gh_badcrc": _gh_badcrc,
    "xpub": _xpub,
    "posthog_phc": lambda g: "phc_" + g.s(ALNUM, 43),
    "pubnub_pub": lambda g: "pub-c-" + g.uuid(),
    "radar_pk": lambda g: "prj_live_pk_" + g.s(HEX, 40),
    "xendit_public": lambda g: "xnd_public_production_" + g.s(ALNUM, 60),
    "mp_public": lambda g: "APP_USR-" + g.uuid(),
}

MARK = re.compile(r"@@([+-])([A-Za-z0-9_]+)(?::([a-z0-9.-]+))?@@")


@dataclass(frozen=True)
class Label:
    path: str
    line: int
    family: str
    provider: str
    kind: str
    end_line: int


def _lines(v: str | list[str]) -> list[str]:
    return v if isinstance(v, list) else [v]


def expand(rel: str, text: str, g: Gen) -> tuple[str, list[Label]]:
    family = rel.split("/", 1)[0]
    out: list[str] = []
    labels: list[Label] = []
    for tline in text.split("\n"):
        pos = [m for m in MARK.finditer(tline) if m.group(1) == "+"]
        if len(pos) > 1:
            raise SystemExit(f"{rel}: more than one positive marker on one line: {tline!r}")
        indent = tline[: len(tline) - len(tline.lstrip())]
        label_kind = ""
        label_provider = ""

        def sub(m: re.Match[str]) -> str:
            nonlocal label_kind, label_provider
            sign, name = m.group(1), m.group(2)
            if sign == "+":
                if name not in KINDS:
                    raise SystemExit(f"{rel}: unknown positive kind {name}")
                label_kind = name
                label_provider = m.group(3) or KINDS[name].provider
                val = KINDS[name].make(g)
            else:
                if name not in NEG:
                    raise SystemExit(f"{rel}: unknown negative kind {name}")
                val = NEG[name](g)
            return ("\n" + indent).join(_lines(val))  # noqa: B023 (called at once)

        expanded = MARK.sub(sub, tline)
        start = len(out) + 1
        new = expanded.split("\n")
        out.extend(new)
        if label_kind:
            labels.append(
                Label(rel, start, family, label_provider, label_kind, start + len(new) - 1)
            )
    return "\n".join(out), labels


def build(out_dir: Path) -> list[Label]:
    g = Gen(SEED)
    labels: list[Label] = []
    templates = sorted(p for p in SRC.rglob("*") if p.is_file())
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    for t in templates:
        rel_t = t.relative_to(SRC).as_posix()
        rel = rel_t[: -len(".tmpl")] if rel_t.endswith(".tmpl") else rel_t
        text, file_labels = expand(rel, t.read_text(encoding="utf-8"), g)
        dest = out_dir / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")
        labels.extend(file_labels)
    write_labels(out_dir / "labels.yaml", labels)
    return labels


def write_labels(path: Path, labels: list[Label]) -> None:
    lines = [
        "# Generated by benchmarks/make_corpus.py -- do not edit by hand.",
        "# One entry per labelled secret: path (relative to this folder), 1-based line where the",
        "# secret starts, end_line for multi-line secrets, family (top folder), provider, kind.",
        "# Every other line of every file in this folder (this file excepted) is a negative.",
        "# All values are generated from a seeded RNG: well-formed, fake, never real credentials.",
        "labels:",
    ]
    for lb in labels:
        extra = f", end_line: {lb.end_line}" if lb.end_line != lb.line else ""
        lines.append(
            f"  - {{path: {lb.path}, line: {lb.line}{extra}, family: {lb.family}, "
            f"provider: {lb.provider}, kind: {lb.kind}}}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def stats(out_dir: Path, labels: list[Label]) -> str:
    files = [p for p in out_dir.rglob("*") if p.is_file() and p.name != "labels.yaml"]
    total_lines = sum(len(p.read_text(encoding="utf-8").split("\n")) for p in files)
    covered = sum(lb.end_line - lb.line + 1 for lb in labels)
    neg_files = [p for p in files if p.relative_to(out_dir).parts[0] == "negatives"]
    neg_nonblank = sum(
        1 for p in neg_files for ln in p.read_text(encoding="utf-8").split("\n") if ln.strip()
    )
    fams = sorted({lb.family for lb in labels})
    provs = sorted({lb.provider for lb in labels})
    return (
        f"{len(files)} files, {len(labels)} positives, {len(provs)} providers, "
        f"{len(fams)} families, "
        f"{total_lines - covered} negative lines ({neg_nonblank} non-blank lines in negatives/)"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output folder (default: tests/corpus)"
    )
    ap.add_argument(
        "--check", action="store_true", help="regenerate in a temp dir and compare with --out"
    )
    args = ap.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / "corpus"
            build(fresh)
            a = {
                p.relative_to(fresh).as_posix(): p.read_bytes()
                for p in fresh.rglob("*")
                if p.is_file()
            }
            b = {
                p.relative_to(args.out).as_posix(): p.read_bytes()
                for p in args.out.rglob("*")
                if p.is_file()
            }
            diff = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
            if diff:
                print("corpus differs from its generator:", *diff[:20], sep="\n  ")
                return 1
            print("corpus matches its generator")
            return 0
    labels = build(args.out)
    print(stats(args.out, labels))
    return 0


if __name__ == "__main__":
    sys.exit(main())
