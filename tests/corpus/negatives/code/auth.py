"""Authentication helpers: reads every secret from the environment or a file."""
from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass, field

PASSWORD_MIN_LENGTH = 12
PASSWORD_FIELD = "password"
TOKEN_HEADER = "X-Auth-Token"
API_KEY_ENV = "ACME_API_KEY"
SECRET_KEY_FILE = "/run/secrets/secret_key"

DB_PASSWORD = os.environ["DB_PASSWORD"]
API_KEY = os.getenv("ACME_API_KEY", "")
STRIPE_KEY = os.environ.get("STRIPE_SECRET_KEY")
password = os.getenv("SMTP_PASSWORD") or None


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str = field(repr=False)
    token: str | None = None


def load_secret_key() -> bytes:
    with open(SECRET_KEY_FILE, "rb") as fh:
        return fh.read().strip()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def check_password(given: str, expected_hash: str) -> bool:
    if not given or len(given) < PASSWORD_MIN_LENGTH:
        return False
    return hmac.compare_digest(hash_password(given), expected_hash)


def hash_password(password: str) -> str:
    raise NotImplementedError("see acme.crypto")


def redact(token: str) -> str:
    return token[:4] + "****" if token else ""
