"""Built-in structural checks that a rule names with `validate:` (see docs/ENGINEERING.md).

A regex says what a token looks like; many formats carry more than a shape: a checksum
(GitHub's and npm's CRC32, GitLab's routable CRC32, Bech32, Base58Check, NATS' CRC16) or an
encoded structure (a PyPI macaroon, a JWT, base64 JSON claims). Checking it drops the
shape-alikes that no issuer would ever produce, such as random strings and hand-typed samples.

The registry below is a literal table of functions in this module: a rule or a config file
only *names* one, it can never make sealguard import or run anything else.

Each check answers OK (keep the finding), FAIL (not this kind of token: drop it) or LOW (a
real token of this kind that grants little, e.g. an expired or unsigned JWT: keep it at low
severity). A check never raises: malformed input is FAIL.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import re
import time
import zlib
from collections.abc import Callable, Mapping
from typing import Any

OK, FAIL, LOW = "ok", "fail", "low"
Check = Callable[[str], str]

B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
B36 = "0123456789abcdefghijklmnopqrstuvwxyz"
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _verdict(ok: bool) -> str:
    return OK if ok else FAIL


def encode_base(n: int, alphabet: str, width: int) -> str:
    """`n` in the base of `alphabet`, left-padded with its zero digit to `width`."""
    out = ""
    base = len(alphabet)
    while n:
        n, r = divmod(n, base)
        out = alphabet[r] + out
    return out.rjust(width, alphabet[0])


def _b64decode(text: str, urlsafe: bool = False) -> bytes | None:
    """Standard or URL-safe base64 with or without padding; None if it is not base64."""
    body = text.rstrip("=")
    if urlsafe:
        body = body.replace("-", "+").replace("_", "/")
    if len(body) % 4 == 1:
        return None
    try:
        return base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def _json_object(data: bytes | None) -> dict[str, Any] | None:
    if data is None:
        return None
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


# ------------------------------------------------------------------ checksummed tokens
def crc32_base62(secret: str) -> str:
    """GitHub (ghp_, gho_, ghu_, ghs_, ghr_) and npm (npm_) tokens: prefix_, 30 random base62
    characters, then the CRC32 of those 30 characters in base62, 6 wide."""
    _, sep, rest = secret.partition("_")
    if not sep or len(rest) != 36:
        return FAIL
    body, check = rest[:30], rest[30:]
    return _verdict(encode_base(zlib.crc32(body.encode()), B62, 6) == check)


_ROUTABLE_RE = re.compile(r"^(?P<head>[a-z]+-(?:t[0-9]_)?(?P<payload>[A-Za-z0-9_-]+)\."
                          r"(?:[0-9a-z]{2}\.)?(?P<length>[0-9a-z]{2}))(?P<crc>[0-9a-z]{7})$")
_ROUTING_LINE_RE = re.compile(r"^[cgoptu]:[0-9a-z]+$")


def gitlab_routable(secret: str) -> str:
    """GitLab tokens: the legacy form is prefix + 20 base64url characters (no structure to
    check); a routable token is prefix (runner tokens add t1_/t2_/t3_, the runner type) +
    base64url(routing payload + 16 random bytes + their count) + "." + version + "." +
    base36 payload length + base36 CRC32 (7 wide) of all that precedes it. The routing
    payload is `key:base36` lines and names an organization."""
    if "." not in secret:
        return _verdict(bool(re.fullmatch(r"[a-z]+-(?:t[0-9]_)?[A-Za-z0-9_-]{20}", secret)))
    m = _ROUTABLE_RE.match(secret)
    if m is None:
        return FAIL
    if encode_base(zlib.crc32(m["head"].encode()), B36, 7) != m["crc"]:
        return FAIL
    payload = m["payload"]
    if int(m["length"], 36) != len(payload):
        return FAIL
    raw = _b64decode(payload, urlsafe=True)
    if raw is None or not raw or raw[-1] >= len(raw):
        return FAIL
    routing = raw[: len(raw) - 1 - raw[-1]].decode("ascii", "replace")
    lines = routing.split("\n")
    return _verdict(all(_ROUTING_LINE_RE.match(line) for line in lines)
                    and any(line.startswith("o:") for line in lines))


def _bech32_polymod(values: list[int]) -> int:
    generators = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for value in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ value
        for i, gen in enumerate(generators):
            chk ^= gen if (top >> i) & 1 else 0
    return chk


def bech32(secret: str) -> str:
    """Bech32 (BIP 173) strings such as age's AGE-SECRET-KEY-1...: the last 6 characters
    are a BCH checksum over the human-readable part and the data."""
    text = secret.lower()
    hrp, sep, data = text.rpartition("1")
    if not sep or not hrp or len(data) < 6 or any(c not in BECH32 for c in data):
        return FAIL
    if secret not in (text, secret.upper()):
        return FAIL  # mixed case is invalid Bech32
    values = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    values += [BECH32.index(c) for c in data]
    return _verdict(_bech32_polymod(values) == 1)


def base58check(secret: str) -> str:
    """Base58Check (Bitcoin WIF private keys, BIP 32 extended private keys): the last 4
    bytes are the first 4 bytes of SHA-256(SHA-256(payload))."""
    import hashlib

    if not secret or any(c not in B58 for c in secret):
        return FAIL
    n = 0
    for c in secret:
        n = n * 58 + B58.index(c)
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    raw = b"\x00" * (len(secret) - len(secret.lstrip("1"))) + raw
    if len(raw) < 5:
        return FAIL
    payload, check = raw[:-4], raw[-4:]
    digest = hashlib.sha256(hashlib.sha256(payload).digest()).digest()
    return _verdict(digest[:4] == check)


_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def _crc16_xmodem(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def nkey_seed(secret: str) -> str:
    """NATS nkey seeds (SU..., SA..., SO...): base32 of two prefix bytes, a 32-byte Ed25519
    seed and a little-endian CRC16 (XModem) of everything before it."""
    if len(secret) != 58 or any(c not in _B32 for c in secret):
        return FAIL
    try:
        raw = base64.b32decode(secret + "=" * (-len(secret) % 8))
    except (binascii.Error, ValueError):
        return FAIL
    body, check = raw[:-2], raw[-2:]
    return _verdict(len(body) == 34 and _crc16_xmodem(body) == int.from_bytes(check, "little"))


# ------------------------------------------------------------------ encoded structures
def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while at < len(data) and shift < 35:
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at += 1
        if not byte & 0x80:
            return value, at
        shift += 7
    raise ValueError("truncated varint")


def _macaroon_fields(data: bytes, at: int) -> tuple[dict[int, bytes], int]:
    """One section of a v2 binary macaroon: fields up to the end-of-section marker."""
    fields: dict[int, bytes] = {}
    while True:
        if at >= len(data):
            raise ValueError("truncated section")
        kind, at = _varint(data, at)
        if kind == 0:
            return fields, at
        size, at = _varint(data, at)
        if at + size > len(data):
            raise ValueError("truncated field")
        fields[kind] = data[at : at + size]
        at += size


_UUID_RE = re.compile(rb"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
PYPI_LOCATIONS = (b"pypi.org", b"test.pypi.org")


def pypi_macaroon(secret: str) -> str:
    """PyPI API tokens: "pypi-" + base64url of a v2 binary macaroon (version byte 2, then a
    location field, pypi.org or test.pypi.org; an identifier field, the token's UUID; its
    caveats; and a 32-byte signature field)."""
    prefix, _, body = secret.partition("-")
    raw = _b64decode(body, urlsafe=True) if prefix == "pypi" else None
    if not raw or raw[0] != 2:
        return FAIL
    try:
        head, at = _macaroon_fields(raw, 1)
        while at < len(raw) and raw[at] != 0:
            _, at = _macaroon_fields(raw, at)  # one caveat
        at += 1  # end of the caveat list
        kind, at = _varint(raw, at)
        size, at = _varint(raw, at)
    except ValueError:
        return FAIL
    return _verdict(head.get(1) in PYPI_LOCATIONS and _UUID_RE.match(head.get(2, b"")) is not None
                    and kind == 6 and size == 32 and at + size == len(raw))


def jwt(secret: str) -> str:
    """JSON Web Tokens (RFC 7519): header and claims must be base64url JSON objects, the
    header naming an "alg". Unsigned (alg none) or expired tokens grant nothing on their
    own: LOW."""
    parts = secret.split(".")
    if len(parts) != 3:
        return FAIL
    header = _json_object(_b64decode(parts[0], urlsafe=True))
    claims = _json_object(_b64decode(parts[1], urlsafe=True))
    if header is None or claims is None or not isinstance(header.get("alg"), str):
        return FAIL
    if header["alg"].lower() == "none" or not parts[2]:
        return LOW
    expires = claims.get("exp")
    if isinstance(expires, int | float) and not isinstance(expires, bool) and expires < time.time():
        return LOW
    return OK


def _claims_check(*keys: str, urlsafe: bool = False) -> Check:
    """A base64 JSON object holding every key in `keys` (the token's documented claims)."""
    def check(encoded: str) -> str:
        claims = _json_object(_b64decode(encoded, urlsafe=urlsafe))
        return _verdict(claims is not None and all(k in claims for k in keys))

    return check


def _after(prefix: str, check: Check) -> Check:
    """Apply `check` to what follows `prefix`."""
    def run(secret: str) -> str:
        return check(secret[len(prefix):]) if secret.startswith(prefix) else FAIL

    return run


def _dotted(index: int, check: Check) -> Check:
    """Apply `check` to one dot-separated segment of the token."""
    def run(secret: str) -> str:
        parts = secret.split(".")
        return check(parts[index]) if len(parts) > index else FAIL

    return run


def sentry_org_token(secret: str) -> str:
    """Sentry organization tokens: sntrys_ + base64 JSON claims (iat, url, org) + _ + secret."""
    if not secret.startswith("sntrys_"):
        return FAIL
    claims, sep, _ = secret[len("sntrys_"):].rpartition("_")
    return _claims_check("iat", "url", "org")(claims) if sep else FAIL


_grafana_cloud = _after("glc_", _claims_check("o", "n", "k"))
_grafana_api_key = _claims_check("k", "n", "id")
_mapbox = _dotted(1, _claims_check("u", urlsafe=True))
_onepassword = _after("ops_", _claims_check("signInAddress", "email", "secretKey", urlsafe=True))
_cloudflare_tunnel = _claims_check("a", "t", "s")
_neptune = _claims_check("api_address", "api_key")


def grafana_cloud_token(secret: str) -> str:
    """Grafana Cloud access policy tokens: glc_ + base64 JSON {"o", "n", "k", ...}."""
    return _grafana_cloud(secret)


def grafana_api_key(secret: str) -> str:
    """Legacy Grafana API keys: base64 JSON {"k": key, "n": name, "id": org}."""
    return _grafana_api_key(secret)


def mapbox_token(secret: str) -> str:
    """Mapbox tokens: sk./pk./tk. + base64url JSON {"u": user, "a": token id} + . + secret."""
    return _mapbox(secret)


def onepassword_service_account(secret: str) -> str:
    """1Password service account tokens: ops_ + base64url JSON of the account's sign-in
    details (signInAddress, email, secretKey, ...)."""
    return _onepassword(secret)


def cloudflare_tunnel_token(secret: str) -> str:
    """Cloudflare Tunnel tokens: base64 JSON {"a": account tag, "t": tunnel id, "s": secret}."""
    return _cloudflare_tunnel(secret)


def neptune_api_token(secret: str) -> str:
    """Neptune.ai API tokens: base64 JSON {"api_address", "api_url", "api_key"}."""
    return _neptune(secret)


_REFTKN_RE = re.compile(rb"^reftkn:01:[0-9]{10}:[A-Za-z0-9]{20,64}$")


def jfrog_reference_token(secret: str) -> str:
    """JFrog reference tokens: base64 of "reftkn:01:<expiry>:<random>"."""
    raw = _b64decode(secret)
    return _verdict(raw is not None and _REFTKN_RE.match(raw) is not None)


_INTERCOM_RE = re.compile(rb"^tok:[0-9a-f]{8}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{12}"
                          rb":[0-9]+:[0-9]+$|^tok:[0-9a-f-]{36}:[0-9]+:[0-9]+$")


def intercom_access_token(secret: str) -> str:
    """Intercom access tokens: base64 of "tok:<uuid>:<version>:<flags>"."""
    raw = _b64decode(secret)
    return _verdict(raw is not None and _INTERCOM_RE.match(raw) is not None)


def discord_bot_token(secret: str) -> str:
    """Discord bot tokens: base64 of the bot's numeric user id (a snowflake), a timestamp
    segment and an HMAC segment, joined by dots."""
    raw = _b64decode(secret.split(".", 1)[0], urlsafe=True)
    return _verdict(raw is not None and raw.isdigit() and 15 <= len(raw) <= 20
                    and raw[0:1] != b"0")


# ------------------------------------------------------------------ segment shapes
def _ascending_run(text: str, length: int = 6) -> bool:
    """A hand-typed sample: `abcdef`, `123456`, `ABCDEF` somewhere in the value."""
    run = 1
    for a, b in itertools.pairwise(text):
        run = run + 1 if ord(b) == ord(a) + 1 and a.isalnum() and b.isalnum() else 1
        if run >= length:
            return True
    return False


def _random_looking(text: str) -> bool:
    """What a generator of random base62/hex characters gives: not one repeated character,
    no typed run, and (for letters) both cases or digits mixed in."""
    if len(set(text)) < max(4, min(len(text) // 4, 10)) or _ascending_run(text):
        return False
    if any(c.isalpha() for c in text) and not any(c.isdigit() for c in text):
        return text != text.lower() and text != text.upper()
    return True


def _slack_id(segment: str) -> bool:
    """Slack's numeric team/user/bot ids: digits, not one repeated digit, no typed run."""
    return segment.isdigit() and len(set(segment)) > 2 and not _ascending_run(segment)


def slack_token(secret: str) -> str:
    """Slack tokens (xoxb, xoxp, xoxa, xoxr, xoxs, xoxc, xoxe, xapp): numeric id segments
    that are Slack ids, and a final random segment (base62 or hex) that looks generated."""
    parts = secret.split("-")
    if len(parts) < 3:
        return FAIL
    kind, rest, last = parts[0], parts[1:-1], parts[-1]
    if kind == "xapp":  # xapp-1-A<app id>-<digits>-<hex>
        ids_ok = (len(rest) == 3 and rest[0].isdigit() and rest[1][:1] == "A"
                  and rest[1].isalnum() and rest[1] == rest[1].upper() and _slack_id(rest[2]))
    elif kind.startswith("xoxe") or kind == "xoxd":  # xoxe.xoxb-1-..., xoxe-1-...
        ids_ok = all(p.isdigit() for p in rest)
    else:
        ids = [p for p in rest if len(p) > 1]
        ids_ok = bool(ids) and all(_slack_id(p) for p in ids)
    return _verdict(ids_ok and _random_looking(last))


_SLACK_WEBHOOK_RE = re.compile(r"/services/(T[A-Z0-9]{8,12})/(B[A-Z0-9]{8,12})/([A-Za-z0-9]{24})$")


def slack_webhook(secret: str) -> str:
    """Slack incoming webhook URLs: /services/T<team id>/B<hook id>/<24 random base62>."""
    m = _SLACK_WEBHOOK_RE.search(secret)
    return _verdict(m is not None and all(_random_looking(g) for g in m.groups()[2:])
                    and not _ascending_run(m[1][1:]) and not _ascending_run(m[2][1:]))


def azure_client_secret(secret: str) -> str:
    """Microsoft Entra ID client secrets (current format): 3 random characters, a version
    digit, the "Q~" marker, then 31-34 random characters of [A-Za-z0-9_.~-]."""
    if not 37 <= len(secret) <= 40 or secret[4:6] != "Q~" or not secret[3].isdigit():
        return FAIL
    if re.fullmatch(r"[A-Za-z0-9_.~-]+", secret) is None:
        return FAIL
    return _verdict(_random_looking(secret[6:]))


_ARMOUR_RE = re.compile(
    rb"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY((?: BLOCK)?)-----(.*?)-----END \1PRIVATE KEY\2-----",
    re.S)
_ARMOUR_HEADER_RE = re.compile(rb"^[ \t]*[A-Za-z][A-Za-z-]*:[^\n]*$", re.M)
_PGP_CRC_RE = re.compile(rb"^[ \t]*=[A-Za-z0-9+/]{4}[ \t]*\r?$", re.M)


def _armour_body(body: bytes, pgp: bool) -> bytes | None:
    """The decoded body of a text armour: header lines (Proc-Type, Version) and PGP's CRC line
    set aside; None unless what is left is base64."""
    body = _ARMOUR_HEADER_RE.sub(b"", body)
    if pgp:
        body = _PGP_CRC_RE.sub(b"", body)
    return _b64decode("".join(body.decode("ascii", "replace").split()))


def base64_private_key(secret: str) -> str:
    """Base64 of a private key's text armour (PEM, OpenSSH, PGP), as a Kubernetes Secret, Helm
    values or a test file may hold it: the decoded text holds the BEGIN and END lines around a
    complete body (DER for PEM, openssh-key-v1 for OpenSSH, base64 for PGP), so base64 of a
    certificate, of a placeholder body or of a truncated key is not one."""
    data = _b64decode("".join(secret.split()))
    match = _ARMOUR_RE.search(data) if data else None
    if match is None:
        return FAIL
    raw = _armour_body(match.group(3), bool(match.group(2)))
    if raw is None or len(raw) < 30:
        return FAIL
    if match.group(2):
        return OK
    if match.group(1) == b"OPENSSH ":
        return _verdict(raw.startswith(b"openssh-key-v1\x00"))
    return _verdict(raw[0] == 0x30)


VALIDATORS: Mapping[str, Check] = {
    "github-crc32": crc32_base62,
    "npm-crc32": crc32_base62,
    "gitlab-routable": gitlab_routable,
    "pypi-macaroon": pypi_macaroon,
    "jwt": jwt,
    "slack-token": slack_token,
    "slack-webhook": slack_webhook,
    "azure-client-secret": azure_client_secret,
    "bech32": bech32,
    "base58check": base58check,
    "nkey-seed": nkey_seed,
    "sentry-org-token": sentry_org_token,
    "grafana-cloud-token": grafana_cloud_token,
    "grafana-api-key": grafana_api_key,
    "mapbox-token": mapbox_token,
    "onepassword-service-account": onepassword_service_account,
    "cloudflare-tunnel-token": cloudflare_tunnel_token,
    "neptune-api-token": neptune_api_token,
    "jfrog-reference-token": jfrog_reference_token,
    "intercom-access-token": intercom_access_token,
    "discord-bot-token": discord_bot_token,
    "base64-private-key": base64_private_key,
}


def check(name: str, secret: str) -> str:
    """The verdict of validator `name` on `secret` (OK, FAIL or LOW)."""
    return VALIDATORS[name](secret)
