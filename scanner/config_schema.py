"""Strict validation of configuration files: every error names the key and its line."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scanner.config import Allowlist, Config, GitopsConfig, parse_size, severity_ok
from scanner.errors import ConfigError

Lines = dict[str, int]


def _yaml_with_lines(text: str, where: str) -> tuple[Any, Lines]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{where}{line}: invalid YAML: {getattr(exc, 'problem', exc)}") from None
    lines: Lines = {}
    _collect_lines(node, "", lines)
    return (yaml.load(text, Loader=loader) if node is not None else None), lines


def _collect_lines(node: Any, prefix: str, lines: Lines) -> None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = f"{prefix}.{key.value}" if prefix else str(key.value)
            lines[name] = key.start_mark.line + 1
            _collect_lines(value, name, lines)


def _toml(path: Path) -> tuple[Any, Lines]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    return data.get("tool", {}).get("sealguard", {}), {}


class _Checker:
    def __init__(self, where: str, lines: Lines) -> None:
        self.where, self.lines = where, lines

    def error(self, key: str, message: str) -> ConfigError:
        line = self.lines.get(key)
        at = f"{self.where}:{line}" if line else self.where
        return ConfigError(f"{at}: '{key}': {message}")

    def mapping(self, value: Any, key: str, allowed: tuple[str, ...]) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.error(key or "(top level)", "must be a mapping")
        for name in value:
            if name not in allowed:
                full = f"{key}.{name}" if key else str(name)
                raise self.error(full, f"unknown key (expected one of: {', '.join(allowed)})")
        return value

    def strings(self, value: Any, key: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(key, "must be a list of strings")
        return tuple(value)

    def boolean(self, value: Any, key: str, default: bool) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(key, "must be true or false")
        return value


TOP = ("max_file_size", "fail_on", "rules", "allowlist", "gitops")


RulesSection = tuple[frozenset[str], dict[str, str], tuple[Any, ...]]


def _rules_section(c: _Checker, raw: Any) -> RulesSection:
    rules = c.mapping(raw, "rules", ("disable", "severity", "custom"))
    levels = rules.get("severity")
    severity = c.mapping(levels, "rules.severity", tuple(levels or ()))
    for rid, level in severity.items():
        if not isinstance(level, str) or not severity_ok(level):
            raise c.error(f"rules.severity.{rid}", "must be one of low, medium, high, critical")
    custom = rules.get("custom") or []
    if not isinstance(custom, list):
        raise c.error("rules.custom", "must be a list of rules")
    disabled = frozenset(c.strings(rules.get("disable"), "rules.disable"))
    return disabled, dict(severity), tuple(custom)


def _allowlist(c: _Checker, raw: Any) -> Allowlist:
    allow = c.mapping(raw, "allowlist", ("paths", "regexes", "stopwords", "fingerprints"))
    regexes = c.strings(allow.get("regexes"), "allowlist.regexes")
    import re

    for pattern in regexes:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise c.error("allowlist.regexes", f"'{pattern}' does not compile: {exc}") from None
    return Allowlist(
        paths=c.strings(allow.get("paths"), "allowlist.paths"), regexes=regexes,
        stopwords=c.strings(allow.get("stopwords"), "allowlist.stopwords"),
        fingerprints=frozenset(c.strings(allow.get("fingerprints"), "allowlist.fingerprints")),
    )


def _gitops(c: _Checker, raw: Any) -> GitopsConfig:
    g = c.mapping(raw, "gitops", ("paths", "allowed_kinds", "allow_sops", "allow_placeholders"))
    default = GitopsConfig()
    return GitopsConfig(
        paths=c.strings(g.get("paths"), "gitops.paths") or default.paths,
        allowed_kinds=c.strings(g.get("allowed_kinds"), "gitops.allowed_kinds")
        or default.allowed_kinds,
        allow_sops=c.boolean(g.get("allow_sops"), "gitops.allow_sops", default.allow_sops),
        allow_placeholders=c.boolean(
            g.get("allow_placeholders"), "gitops.allow_placeholders", default.allow_placeholders
        ),
    )


def build_config(data: Any, where: str, lines: Lines) -> Config:
    c = _Checker(where, lines)
    top = c.mapping(data, "", TOP)
    fail_on = top.get("fail_on")
    if fail_on is not None and (not isinstance(fail_on, str) or not severity_ok(fail_on)):
        raise c.error("fail_on", "must be one of low, medium, high, critical")
    disabled, severity, custom = _rules_section(c, top.get("rules"))
    size: Callable[[Any, str], int] = parse_size
    return Config(
        max_file_bytes=size(top["max_file_size"], f"{where}: 'max_file_size'")
        if "max_file_size" in top else Config().max_file_bytes,
        fail_on=fail_on, disabled_rules=disabled, severity=severity, custom_rules=custom,
        allowlist=_allowlist(c, top.get("allowlist")), gitops=_gitops(c, top.get("gitops")),
        source=where,
    )


def parse_config_file(path: Path) -> Config:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    if path.suffix == ".toml":
        data, lines = _toml(path)
    else:
        data, lines = _yaml_with_lines(text, str(path))
    return build_config(data, str(path), lines)
