"""`.env` files: one finding per line holding a real credential (SOPS dotenv is fine)."""

from __future__ import annotations

import re

from scanner.policy import detect
from scanner.policy.context import Checker
from scanner.policy.values import (
    identifier_key,
    is_benign,
    is_hex_digest,
    is_placeholder,
    is_sops_encrypted,
    looks_random,
    looks_reference,
    secret_like_key,
    url_password,
)

RULE = "dotenv-file"
_LINE = re.compile(r"^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.\-]*)[ \t]*=[ \t]*(.*?)\s*$")
_SOPS_STRUCTURED = re.compile(r'(?m)^\s*"?sops"?\s*:')


def parse_value(raw: str) -> str:
    if raw[:1] in ("'", '"'):
        end = raw.find(raw[0], 1)
        return raw[1:end] if end > 0 else raw[1:]
    return re.split(r"\s+#", raw, maxsplit=1)[0].strip()


def _secret(key: str, value: str, by_name: bool) -> str | None:
    if not value or is_placeholder(value) or is_sops_encrypted(value):
        return None
    if len(value.split()) > 2 and url_password(value) is None:
        return None  # prose: "Contraseña incorrecta, inténtelo de nuevo"
    if secret_like_key(key) and not is_benign(value) and not looks_reference(value):
        return value
    password = url_password(value)
    if password:
        return password
    random = (by_name and looks_random(value) and not identifier_key(key)
              and not is_hex_digest(value))
    return value if random else None


def check_dotenv(text: str, c: Checker, by_name: bool) -> None:
    if detect.is_dotenv_example(c.blob.path):
        return  # committed on purpose with placeholders; real keys are still found by the engine
    if "ENC[" in text and _SOPS_STRUCTURED.search(text):
        return  # a SOPS YAML/JSON document stored under a .env name
    name = c.blob.path.rsplit("/", 1)[-1]
    for number, line in enumerate(text.removeprefix("\ufeff").splitlines()[:100_000], 1):
        match = _LINE.match(line)
        if match is None or match.group(1).lower().startswith("sops_"):
            continue
        key, value = match.group(1), parse_value(match.group(2))
        secret = _secret(key, value, by_name)
        if secret:
            c.report(RULE, (number, match.start(2) + 1), secret,
                     f"{name} sets {key} to a real value in Git: remove the file from Git "
                     "(add it to .gitignore), rotate the value, and deliver it with a "
                     "SealedSecret or ExternalSecret.")
