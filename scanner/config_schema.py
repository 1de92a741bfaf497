"""Strict validation of configuration files: every error names the key and its line.

A configuration is data: YAML is read with the safe loader (a tag such as `!!python/object`
is an error, never code), custom rules are regexes validated like the built-in packs.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from scanner.config import Allowlist, Config, GitopsConfig, parse_size, severity_ok
from scanner.errors import ConfigError, RuleError, SealguardError

Lines = dict[str, int]
LEVELS = "must be one of low, medium, high, critical"


def _yaml_with_lines(text: str, where: str) -> tuple[Any, Lines]:
    import yaml

    from scanner.yamlio import check_shape

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        check_shape(text, where)
        node = yaml.compose(text, Loader=loader)
        lines: Lines = {}
        _collect_lines(node, "", lines, where)
        data = yaml.load(text, Loader=loader) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{where}{line}: invalid YAML: {problem}") from None
    except RecursionError:
        raise ConfigError(f"{where}: nested too deeply to read") from None
    return data, lines


def _collect_lines(node: Any, prefix: str, lines: Lines, where: str) -> None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = f"{prefix}.{key.value}" if prefix else str(key.value)
            if name in lines:
                raise ConfigError(f"{where}:{key.start_mark.line + 1}: '{name}': duplicate key "
                                  f"(first at line {lines[name]})")
            lines[name] = key.start_mark.line + 1
            _collect_lines(value, name, lines, where)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            name = f"{prefix}[{i}]"
            lines.setdefault(name, item.start_mark.line + 1)
            _collect_lines(item, name, lines, where)


def _toml_table(name: str, array: bool, counts: dict[str, int]) -> str | None:
    if name != "tool.sealguard" and not name.startswith("tool.sealguard."):
        return None
    table = name[len("tool.sealguard."):] if name != "tool.sealguard" else ""
    if array:
        counts[table] = counts.get(table, -1) + 1
        table = f"{table}[{counts[table]}]"
    return table


def _toml_lines(text: str) -> Lines:
    """Line numbers of the keys under [tool.sealguard] (a light scan, enough for messages)."""
    lines: Lines = {}
    table: str | None = None
    counts: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith("["):
            name = line.split("#", 1)[0].strip().strip("[]").replace('"', "").replace(" ", "")
            table = _toml_table(name, line.startswith("[["), counts)
            if table:
                lines.setdefault(table, number)
            continue
        key, eq, _ = line.partition("=")
        if table is not None and eq and key.strip() and not line.startswith("#"):
            name = key.strip().replace('"', "").replace(" ", "")
            lines.setdefault(f"{table}.{name}" if table else name, number)
    return lines


def _toml(path: Path, text: str) -> tuple[Any, Lines]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    return data.get("tool", {}).get("sealguard", {}), _toml_lines(text)


class _Checker:
    def __init__(self, where: str, lines: Lines) -> None:
        self.where, self.lines = where, lines

    def error(self, key: str, message: str) -> ConfigError:
        line = self.lines.get(key)
        at = f"{self.where}:{line}" if line else self.where
        return ConfigError(f"{at}: '{key}': {message}")

    def mapping(self, value: Any, key: str, allowed: tuple[str, ...] | None) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.error(key or "(top level)", "must be a mapping")
        for name in value:
            full = f"{key}.{name}" if key else str(name)
            if not isinstance(name, str):
                raise self.error(full, "keys must be strings")
            if allowed is not None and name not in allowed:
                raise self.error(full, f"unknown key (expected one of: {', '.join(allowed)})")
        return value

    def strings(self, value: Any, key: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.error(key, "must be a list of strings")
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise self.error(f"{key}[{i}]" if f"{key}[{i}]" in self.lines else key,
                                 f"must be a list of strings (item {i + 1} is not a string)")
        return tuple(value)

    def boolean(self, value: Any, key: str, default: bool) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(key, "must be true or false")
        return value


TOP = ("max_file_size", "fail_on", "baseline", "rules", "allowlist", "gitops")


def _custom_rules(c: _Checker, raw: Any) -> tuple[Any, ...]:
    """Validate custom rules exactly like the built-in packs (keys, types, regex, groups)."""
    from scanner.engine.rules import OPTIONAL, REQUIRED, parse_rule

    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise c.error("rules.custom", "must be a list of rules")
    for i, rule in enumerate(raw):
        key = f"rules.custom[{i}]"
        for name in rule if isinstance(rule, dict) else ():
            if name not in REQUIRED + OPTIONAL:
                raise c.error(f"{key}.{name}", f"unknown rule key (expected: "
                              f"{', '.join(REQUIRED + OPTIONAL)})")
        try:
            parse_rule(rule, key)
        except RuleError as exc:
            line = c.lines.get(key)
            raise ConfigError(f"{c.where}:{line}: {exc}" if line else f"{c.where}: {exc}") from None
        from scanner.engine.redos import pattern_problem

        problem = pattern_problem(rule["regex"])
        if problem:
            raise c.error(f"{key}.regex" if f"{key}.regex" in c.lines else key,
                          f"regex refused: {problem}")
    return tuple(raw)


def _rules_section(c: _Checker, raw: Any) -> tuple[frozenset[str], dict[str, str], tuple[Any, ...]]:
    rules = c.mapping(raw, "rules", ("disable", "severity", "custom"))
    severity = c.mapping(rules.get("severity"), "rules.severity", None)
    for rid, level in severity.items():
        if not isinstance(level, str) or not severity_ok(level):
            raise c.error(f"rules.severity.{rid}", LEVELS)
    disabled = frozenset(c.strings(rules.get("disable"), "rules.disable"))
    return disabled, dict(severity), _custom_rules(c, rules.get("custom"))


def _allowlist(c: _Checker, raw: Any) -> Allowlist:
    allow = c.mapping(raw, "allowlist", ("paths", "regexes", "stopwords", "fingerprints"))
    regexes = c.strings(allow.get("regexes"), "allowlist.regexes")
    for i, pattern in enumerate(regexes):
        key = f"allowlist.regexes[{i}]"
        try:
            re.compile(pattern)
        except (re.error, RecursionError, OverflowError) as exc:
            raise c.error(key if key in c.lines else "allowlist.regexes",
                          f"'{pattern[:80]}' does not compile: {exc}") from None
        from scanner.engine.redos import pattern_problem

        problem = pattern_problem(pattern)
        if problem:
            raise c.error(key if key in c.lines else "allowlist.regexes",
                          f"'{pattern[:80]}' refused: {problem}")
    fingerprints = c.strings(allow.get("fingerprints"), "allowlist.fingerprints")
    for i, value in enumerate(fingerprints):
        if not re.fullmatch(r"(?:hmac-sha256|sha256):[0-9a-f]{64}", value):
            key = f"allowlist.fingerprints[{i}]"
            raise c.error(key if key in c.lines else "allowlist.fingerprints",
                          "must be a fingerprint like hmac-sha256:<64 hex digits> from a report")
    return Allowlist(
        paths=_globs(c, allow.get("paths"), "allowlist.paths"), regexes=regexes,
        stopwords=c.strings(allow.get("stopwords"), "allowlist.stopwords"),
        fingerprints=frozenset(fingerprints),
    )


def _globs(c: _Checker, raw: Any, key: str) -> tuple[str, ...]:
    from scanner.policy.globs import glob_problem

    patterns = c.strings(raw, key)
    for i, pattern in enumerate(patterns):
        problem = glob_problem(pattern)
        if problem:
            item = f"{key}[{i}]"
            raise c.error(item if item in c.lines else key, f"glob '{pattern[:80]}' {problem}")
    return patterns


def _gitops(c: _Checker, raw: Any) -> GitopsConfig:
    g = c.mapping(raw, "gitops", ("paths", "allowed_kinds", "allow_sops", "allow_placeholders"))
    default = GitopsConfig()
    return GitopsConfig(
        paths=_globs(c, g.get("paths"), "gitops.paths") or default.paths,
        allowed_kinds=c.strings(g.get("allowed_kinds"), "gitops.allowed_kinds")
        or default.allowed_kinds,
        allow_sops=c.boolean(g.get("allow_sops"), "gitops.allow_sops", default.allow_sops),
        allow_placeholders=c.boolean(
            g.get("allow_placeholders"), "gitops.allow_placeholders", default.allow_placeholders
        ),
    )


def _max_size(c: _Checker, top: dict[str, Any]) -> int:
    if "max_file_size" not in top:
        return Config().max_file_bytes
    value = top["max_file_size"]
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise c.error("max_file_size", "must be a size like 5MB or a number of bytes")
    try:
        return parse_size(value, "max_file_size")
    except ConfigError as exc:
        raise c.error("max_file_size", str(exc).partition(": ")[2]) from None


def build_config(data: Any, where: str, lines: Lines) -> Config:
    c = _Checker(where, lines)
    top = c.mapping(data, "", TOP)
    fail_on = top.get("fail_on")
    if fail_on is not None and (not isinstance(fail_on, str) or not severity_ok(fail_on)):
        raise c.error("fail_on", LEVELS)
    disabled, severity, custom = _rules_section(c, top.get("rules"))
    allowlist = _allowlist(c, top.get("allowlist"))
    baseline = top.get("baseline")
    if baseline is not None and (not isinstance(baseline, str) or not baseline.strip()):
        raise c.error("baseline", "must be a file name, relative to the repository root")
    return Config(baseline=baseline,
        max_file_bytes=_max_size(c, top), fail_on=fail_on, disabled_rules=disabled,
        severity=severity, custom_rules=custom, allowlist=allowlist,
        gitops=_gitops(c, top.get("gitops")), source=where,
    )


def parse_config_file(path: Path) -> Config:
    from scanner.safeio import MAX_CONFIG, read_text

    try:
        text = read_text(path, "configuration", MAX_CONFIG)
    except SealguardError as exc:
        raise ConfigError(str(exc)) from None
    return parse_config_text(text, path)


def parse_config_text(text: str, path: Path, where: str | None = None) -> Config:
    """A configuration from its text; `where` names it in errors (default: the path)."""
    name = where or str(path)
    if path.suffix == ".toml":
        data, lines = _toml(Path(name), text)
    else:
        data, lines = _yaml_with_lines(text, name)
    return build_config(data, name, lines)
