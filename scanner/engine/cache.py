"""A small on-disk cache for compiled artefacts (never secrets)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def cache_dir() -> Path | None:
    if os.environ.get("SEALGUARD_NO_CACHE"):
        return None
    explicit = os.environ.get("SEALGUARD_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "sealguard"


# Called with the artefact kind before a cache miss is built (the CLI says "compiling…").
BUILD_HOOKS: list[Callable[[str], None]] = []


def key_of(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()[:32]


def cached_bytes(kind: str, key: str, build: Callable[[], bytes]) -> bytes:
    """Return the cached artefact for `key`, building and storing it when absent."""
    folder = cache_dir()
    target = folder / f"{kind}-{key}.bin" if folder else None
    if target is not None:
        try:
            return target.read_bytes()
        except OSError:
            pass
    for hook in BUILD_HOOKS:
        hook(kind)
    data = build()
    if target is not None:
        _write_atomic(target, data)
    return data


def _write_atomic(target: Path, data: bytes) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except OSError:
        pass  # a cache we cannot write is only slower
