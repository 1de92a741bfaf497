"""Keyword prefilter back-ends: Hyperscan where available, plain bytes search elsewhere.

Both answer the same question -- where each keyword occurs (case-insensitively) in the data,
overlapping occurrences included, up to DENSE_HITS + 1 of them -- so the rules confirmed
afterwards, and therefore the findings, are identical by construction.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, Protocol

from scanner.errors import ConfigError

BACKENDS = ("re", "hyperscan")


DENSE_HITS = 512  # past this many hits of one keyword, one pass over the blob is cheaper
Positions = dict[int, list[int]]


class Prefilter(Protocol):
    name: str

    def positions(self, data: bytes) -> Positions:
        """Start offsets of each keyword that occurs in `data` (at most DENSE_HITS + 1)."""


def keyword_positions(lowered: bytes, keywords: Sequence[bytes]) -> Positions:
    """Offsets of each (lower-case) keyword in `lowered`, by substring search."""
    found: Positions = {}
    for i, keyword in enumerate(keywords):
        at = lowered.find(keyword)
        if at < 0:
            continue
        hits = found[i] = []
        while at >= 0 and len(hits) <= DENSE_HITS:
            hits.append(at)
            at = lowered.find(keyword, at + 1)
    return found


class BytesPrefilter:
    name = "re"

    def __init__(self, keywords: Sequence[bytes]) -> None:
        self._keywords = [k.lower() for k in keywords]

    def positions(self, data: bytes) -> Positions:
        return keyword_positions(data.lower(), self._keywords)


class HyperscanPrefilter:
    name = "hyperscan"

    def __init__(self, keywords: Sequence[bytes]) -> None:
        import hyperscan

        from scanner.engine.cache import cached_value, key_of

        self._hs = hyperscan
        self._lengths = [len(k) for k in keywords]
        version = str(getattr(hyperscan, "__version__", "")).encode()
        key = key_of(b"all-matches", version, *keywords)
        self._db = cached_value("hs", key, lambda: self._compile(keywords),
                                lambda blob: hyperscan.loadb(blob, hyperscan.HS_MODE_BLOCK))
        self._db.scratch = hyperscan.Scratch(self._db)

    def _compile(self, keywords: Sequence[bytes]) -> bytes:
        hs = self._hs
        db = hs.Database(mode=hs.HS_MODE_BLOCK)
        flags = hs.HS_FLAG_CASELESS
        db.compile(expressions=list(keywords), ids=list(range(len(keywords))),
                   elements=len(keywords), flags=[flags] * len(keywords), literal=True)
        return bytes(hs.dumpb(db))

    def positions(self, data: bytes) -> Positions:
        found: Positions = {}
        lengths = self._lengths

        def on_match(kid: int, start: int, end: int, flags: int, ctx: Any) -> None:
            hits = found.get(kid)
            if hits is None:
                found[kid] = [end - lengths[kid]]
            elif len(hits) <= DENSE_HITS:
                hits.append(end - lengths[kid])

        if data:
            self._db.scan(data, match_event_handler=on_match)
        return found


def hyperscan_available() -> bool:
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        return False
    return True


def choose_backend(requested: str | None = None) -> str:
    name = requested or os.environ.get("SEALGUARD_ENGINE") or "auto"
    if name == "auto":
        return "hyperscan" if hyperscan_available() else "re"
    if name not in BACKENDS:
        choices = ", ".join(BACKENDS)
        raise ConfigError(f"SEALGUARD_ENGINE must be one of auto, {choices}; got '{name}'")
    if name == "hyperscan" and not hyperscan_available():
        raise ConfigError("SEALGUARD_ENGINE=hyperscan but the hyperscan package is not installed")
    return name


def make_prefilter(keywords: Sequence[bytes], backend: str | None = None) -> Prefilter:
    if not keywords:
        return BytesPrefilter(keywords)
    if choose_backend(backend) == "hyperscan":
        return HyperscanPrefilter(keywords)
    return BytesPrefilter(keywords)
