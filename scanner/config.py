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
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
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
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    match = _SIZE_RE.match(str(value))
    if not match:
        raise ConfigError(f"{where}: expected a size like 5MB or 1048576, got {value!r}")
    scale = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[match.group(2).lower()]
    return int(match.group(1)) * scale


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
