"""Safe YAML reading with the C loader when available."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scanner.errors import ConfigError


def safe_loader() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml_text(text: str, where: str) -> Any:
    import yaml

    try:
        return yaml.load(text, Loader=safe_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{where}:{line}: invalid YAML: {problem}") from None


def load_yaml_file(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    return load_yaml_text(text, str(path.name))
