"""A small on-disk cache for compiled artefacts (never secrets).

Entries live under $XDG_CACHE_HOME/sealguard (or SEALGUARD_CACHE_DIR). A cache is outside
the scan's control -- truncated by a full disk, left by another version, edited by hand --
so every entry is verified before it is used, and anything that does not verify is rebuilt:

    MAGIC (8 bytes) | tag (32 bytes) | content

`tag` is an HMAC-SHA256, under a random key kept in the cache folder (`.key`, mode 0600),
of the entry's kind, its key (the hash of what it was built from: the rule pack's bytes,
the rules and engine version) and its content. A truncated or garbage entry fails, and so
does a well-formed but wrong one written by anything but this cache (an empty rule pack
would otherwise make every scan pass). A cache that cannot be read or written only makes
sealguard slower; it is never an error.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

MAGIC = b"SGCACHE2"
TAG_BYTES = 32
KEY_NAME = ".key"
MAX_ENTRY = 512 << 20
# Called with the artefact's kind before it is built (a caller can say "compiling...").
BUILD_HOOKS: list[Callable[[str], None]] = []


def cache_dir() -> Path | None:
    if os.environ.get("SEALGUARD_NO_CACHE"):
        return None
    explicit = os.environ.get("SEALGUARD_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "sealguard"


def key_of(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()[:32]


def _read(path: Path, limit: int) -> bytes | None:
    """A regular file's bytes (never blocking on a FIFO), or None."""
    from scanner.safeio import open_regular, read_limited

    try:
        fd, size = open_regular(path)
    except Exception:
        return None
    try:
        data = read_limited(fd, limit) if size <= limit else b""
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if 0 < len(data) <= limit else None


def _secret(folder: Path) -> bytes:
    """The folder's HMAC key, created on first use (empty when it cannot be kept: the tags
    are then plain checksums, which still catch truncation and garbage)."""
    target = folder / KEY_NAME
    found = _read(target, 64)
    if found is not None and len(found) == 32:
        return found
    fresh = secrets.token_bytes(32)
    if _write_atomic(target, fresh, 0o600):
        again = _read(target, 64)  # another process may have won the race
        return again if again is not None and len(again) == 32 else fresh
    return b""


def _tag(secret: bytes, kind: str, key: str, data: bytes) -> bytes:
    mac = hmac.new(secret, digestmod=hashlib.sha256)
    for part in (kind.encode(), key.encode(), data):
        mac.update(len(part).to_bytes(8, "little"))
        mac.update(part)
    return mac.digest()


def seal(secret: bytes, kind: str, key: str, data: bytes) -> bytes:
    return MAGIC + _tag(secret, kind, key, data) + data


def unseal(secret: bytes, kind: str, key: str, entry: bytes) -> bytes | None:
    """The content of a verified entry, or None."""
    head = len(MAGIC) + TAG_BYTES
    if len(entry) < head or not entry.startswith(MAGIC):
        return None
    data = entry[head:]
    if not hmac.compare_digest(entry[len(MAGIC):head], _tag(secret, kind, key, data)):
        return None
    return data


def cached_bytes(kind: str, key: str, build: Callable[[], bytes]) -> bytes:
    """Return the cached artefact for `key`, building and storing it when absent or when
    the stored entry does not verify."""
    folder = cache_dir()
    if folder is None:
        for hook in BUILD_HOOKS:
            hook(kind)
        return build()
    target = folder / f"{kind}-{key}.v2.bin"  # a new name: older versions never read it
    secret = _secret(folder)
    entry = _read(target, MAX_ENTRY)
    if entry is not None:
        data = unseal(secret, kind, key, entry)
        if data is not None:
            return data
    for hook in BUILD_HOOKS:
        hook(kind)
    data = build()
    _write_atomic(target, seal(secret, kind, key, data))
    return data


def _write_atomic(target: Path, data: bytes, mode: int = 0o644) -> bool:
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
        os.replace(tmp, target)
        return True
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        return False  # a cache we cannot write is only slower


def cached_value(kind: str, key: str, build: Callable[[], bytes], load: Callable[[bytes], T]) -> T:
    """`load(cached_bytes(...))`; an entry that verifies but does not load (a library
    upgrade, a format change) is rebuilt once, never a crash."""
    try:
        return load(cached_bytes(kind, key, build))
    except Exception:
        data = build()
        folder = cache_dir()
        if folder is not None:
            _write_atomic(folder / f"{kind}-{key}.v2.bin", seal(_secret(folder), kind, key, data))
        return load(data)
