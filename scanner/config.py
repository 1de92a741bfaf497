"""Configuration: `.sealguard.yaml` or `[tool.sealguard]` in pyproject.toml.

A configuration file is data only: it can add rules (regexes) and allowlists, never name code
to import or run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scanner.errors import ConfigError
from scanner.findings import SEVERITIES

CONFIG_NAMES = (".sealguard.yaml", ".sealguard.yml")
# Real repositories hold multi-MB manifests and CRD bundles: files up to this size are read
# (beyond 16 MB in pieces); a larger file is unread input (exit 2) unless allowlisted.
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
MAX_MAX_BYTES = 1024**3  # git objects are held whole in memory: a larger cap is refused
DEFAULT_KINDS = ("SealedSecret", "ExternalSecret", "ClusterExternalSecret")


@dataclass(frozen=True)
class GitopsConfig:
    paths: tuple[str, ...] = ("**",)
    allowed_kinds: tuple[str, ...] = DEFAULT_KINDS
    allow_sops: bool = True
    allow_placeholders: bool = True


@dataclass(frozen=True)
class Allowlist:
    paths: tuple[str, ...] = ()
    regexes: tuple[str, ...] = ()
    stopwords: tuple[str, ...] = ()
    fingerprints: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Config:
    max_file_bytes: int = DEFAULT_MAX_BYTES
    fail_on: str | None = None
    disabled_rules: frozenset[str] = frozenset()
    severity: Mapping[str, str] = field(default_factory=dict)
    custom_rules: tuple[Any, ...] = ()  # raw rule mappings, validated by the rule loader
    allowlist: Allowlist = Allowlist()
    gitops: GitopsConfig = GitopsConfig()
    source: str = ""
    baseline: str | None = None  # `baseline:` key: the baseline file, relative to the root
    fingerprint_key: bytes = b""  # the repository baseline's key (set when it is found)


_SIZE_RE = re.compile(r"^\s*(\d+)\s*([kKmMgG]?)[bB]?\s*$")


def parse_size(value: Any, where: str) -> int:
    """A size of at least one byte and at most MAX_MAX_BYTES (1GB); anything else is an
    error, never a silent skip of every file."""
    if isinstance(value, int) and not isinstance(value, bool):
        size = value
    else:
        match = _SIZE_RE.match(str(value)[:64])
        if not match or len(match.group(1)) > 12:
            raise ConfigError(f"{where}: expected a size like 5MB or 1048576, got {value!r}"[:200])
        scale = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[match.group(2).lower()]
        size = int(match.group(1)) * scale
    if size < 1 or size > MAX_MAX_BYTES:
        raise ConfigError(f"{where}: must be between 1 byte and 1GB, got {value!r}"[:200])
    return size


def find_config(start: Path) -> Path | None:
    for name in CONFIG_NAMES:
        if (start / name).is_file():
            return start / name
    pyproject = start / "pyproject.toml"
    if pyproject.is_file() and "[tool.sealguard" in pyproject.read_text("utf-8", "replace"):
        return pyproject
    return None


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    from scanner.config_schema import parse_config_file

    return parse_config_file(path)


def severity_ok(value: str) -> bool:
    return value in SEVERITIES
