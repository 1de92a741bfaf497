"""Rules are data: load, type-check and compile the YAML rule packs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from scanner.errors import RuleError
from scanner.findings import SEVERITIES

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FAMILIES = (
    "cloud", "source-hosting", "ci-cd", "chat", "payment", "ai", "observability",
    "database", "registry", "private-key", "saas", "generic",
)
REQUIRED = ("id", "name", "family", "severity", "keywords", "regex", "reference",
            "examples", "negative_examples")
OPTIONAL = ("min_entropy", "remedy", "notes", "secret_group", "prefilter", "validate", "paths")
URL_RE = re.compile(r"^https?://[^\s<>\"']+$")
DEFAULT_REMEDY = (
    "Revoke and rotate this credential, then keep the new one in a SealedSecret or ExternalSecret."
)


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    family: str
    severity: str
    keywords: tuple[str, ...]
    regex: str
    reference: str
    examples: tuple[str, ...] = ()
    negative_examples: tuple[str, ...] = ()
    min_entropy: float | None = None
    remedy: str = DEFAULT_REMEDY
    notes: str = ""
    prefilter: str = ""  # a contiguous part of `regex` for the bulk filter (regexfilter.py)
    validate: str = ""  # the name of a built-in structural check (engine/validators.py)
    # A rule for one file format: the globs (policy/globs.py) of the files it reads; () = all.
    paths: tuple[str, ...] = ()
    source: str = field(default="", compare=False)
    # A user-supplied rule (rules.custom): every match runs under a time limit (redos.py).
    guarded: bool = field(default=False, compare=False)

    @cached_property
    def compiled(self) -> re.Pattern[bytes]:
        return re.compile(self.regex.encode("utf-8"))

    @cached_property
    def reach(self) -> int:
        """How far from a keyword a match can extend: 0 means "only on the keyword's line",
        for the regexes that cannot match a newline (see engine/window.py)."""
        return self._facts[0]

    @cached_property
    def literal_first(self) -> bool:
        return self._facts[1]

    @cached_property
    def _facts(self) -> tuple[int, bool]:
        from scanner.engine.window import facts

        return facts(self.regex)

    def applies_to(self, path: str | None) -> bool:
        """Whether the rule reads a file at `path` (None: a text of no known format, which
        a rule confined to a format does not read)."""
        if not self.paths:
            return True
        if path is None:
            return False
        from scanner.policy.globs import path_matches

        return path_matches(path, self.paths)

    @cached_property
    def keywords_lower(self) -> tuple[bytes, ...]:
        return tuple(k.lower().encode("utf-8") for k in self.keywords)


def rules_dir() -> Path:
    """The built-in packs: inside the wheel when installed, `rules/` in a checkout."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "_rules"
    return packaged if packaged.is_dir() else here.parent / "rules"


def builtin_rule_files() -> list[Path]:
    return sorted(rules_dir().glob("*.yaml"))


def _fail(where: str, message: str) -> RuleError:
    return RuleError(f"{where}: {message}")


def _str_list(value: Any, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(where, f"'{key}' must be a list of strings")
    return tuple(value)


def _check_keys(raw: Mapping[str, Any], where: str) -> None:
    unknown = sorted(set(raw) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise _fail(where, f"unknown key '{unknown[0]}'")
    missing = [k for k in REQUIRED if k not in raw]
    if missing:
        raise _fail(where, f"missing key '{missing[0]}'")


def _check_values(raw: Mapping[str, Any], where: str) -> None:
    for key in ("id", "name", "family", "severity", "regex", "reference"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise _fail(where, f"'{key}' must be a non-empty string")
    if "prefilter" in raw and (not isinstance(raw["prefilter"], str) or not raw["prefilter"]):
        raise _fail(where, "'prefilter' must be a non-empty string")
    _check_validator(raw, where)
    _check_paths(raw, where)
    if not ID_RE.match(raw["id"]):
        raise _fail(where, f"id '{raw['id']}' must be lowercase words joined by '-'")
    if raw["family"] not in FAMILIES:
        raise _fail(where, f"family '{raw['family']}' is not one of {', '.join(FAMILIES)}")
    if raw["severity"] not in SEVERITIES:
        raise _fail(where, f"severity '{raw['severity']}' is not one of {', '.join(SEVERITIES)}")
    entropy = raw.get("min_entropy")
    if entropy is not None and (isinstance(entropy, bool) or not isinstance(entropy, int | float)):
        raise _fail(where, "'min_entropy' must be a number")
    if raw.get("secret_group", 1) != 1:
        raise _fail(where, "'secret_group' must be 1 (the rule's single capture group)")


def _check_validator(raw: Mapping[str, Any], where: str) -> None:
    if "validate" not in raw:
        return
    from scanner.engine.validators import VALIDATORS

    name = raw["validate"]
    if not isinstance(name, str) or name not in VALIDATORS:
        names = ", ".join(sorted(VALIDATORS))
        raise _fail(where, f"'validate' must name a built-in check: {names}")


def _check_paths(raw: Mapping[str, Any], where: str) -> None:
    if "paths" not in raw:
        return
    from scanner.policy.globs import glob_problem

    globs = _str_list(raw["paths"], where, "paths")
    if not globs:
        raise _fail(where, "'paths' must list at least one glob (omit it for every file)")
    for glob in globs:
        problem = glob_problem(glob)
        if problem:
            raise _fail(where, f"'paths' glob {glob!r}: {problem}")


def compile_check(rule: Rule, where: str) -> None:
    try:
        pattern = rule.compiled
    except re.error as exc:
        raise _fail(where, f"regex does not compile: {exc}") from None
    if pattern.groups != 1:
        raise _fail(where, f"regex must have exactly one capture group, has {pattern.groups}")
    if pattern.groupindex:
        raise _fail(where, "regex must not use named groups")
    if not rule.keywords or any(not k.strip() for k in rule.keywords):
        raise _fail(where, "'keywords' must be a non-empty list of non-empty strings")
    if rule.prefilter:
        from scanner.engine.regexfilter import is_factor

        try:
            ok = is_factor(rule.prefilter, rule.regex)
        except re.error as exc:
            raise _fail(where, f"prefilter does not compile: {exc}") from None
        if not ok:
            raise _fail(where, "prefilter must be a contiguous part of the regex (same flags), "
                               "so that every match of the regex contains a match of it")


def parse_rule(raw: Any, where: str, compile_now: bool = True, builtin: bool = False) -> Rule:
    """Type-check one rule. Built-in rules also cite their format as one URL (SARIF's
    helpUri); a team's own rules may cite anything."""
    if not isinstance(raw, dict):
        raise _fail(where, "each rule must be a mapping")
    where = f"{where} rule '{raw.get('id', '?')}'"
    _check_keys(raw, where)
    _check_values(raw, where)
    if builtin and not URL_RE.match(raw["reference"]):
        raise _fail(where, "'reference' must be one http(s) URL (put prose in 'notes')")
    entropy = raw.get("min_entropy")
    rule = Rule(
        id=raw["id"], name=raw["name"], family=raw["family"], severity=raw["severity"],
        keywords=_str_list(raw["keywords"], where, "keywords"), regex=raw["regex"],
        reference=raw["reference"],
        examples=_str_list(raw["examples"], where, "examples"),
        negative_examples=_str_list(raw["negative_examples"], where, "negative_examples"),
        min_entropy=float(entropy) if entropy is not None else None,
        remedy=str(raw.get("remedy") or DEFAULT_REMEDY), notes=str(raw.get("notes") or ""),
        prefilter=str(raw.get("prefilter") or ""), validate=str(raw.get("validate") or ""),
        paths=tuple(raw.get("paths") or ()), source=where,
    )
    if compile_now:
        compile_check(rule, where)
    return rule


def parse_pack(data: Any, where: str, compile_now: bool = True,
               builtin: bool = False) -> list[Rule]:
    """Type-check a pack. Built-in packs skip the regex compile here (it is lazy, and the
    test-suite and `rules check` compile every one); user-supplied rules compile at once so a
    bad regex is a clear error, not a crash mid-scan."""
    if data is None:
        return []
    if not isinstance(data, list):
        raise _fail(where, "a rule pack must be a YAML list of rules")
    return [parse_rule(raw, f"{where}[{i}]", compile_now, builtin) for i, raw in enumerate(data)]


@cache
def _own_source() -> bytes:
    """This module's code: part of the checked-pack cache key, so a change to the checks
    or the defaults rebuilds every cached pack."""
    return Path(__file__).read_bytes()


def _rules_from(blob: bytes) -> list[Rule]:
    """Rules from a cached entry (marshal: core types only, read back in a few ms; the
    entry is verified by the cache's HMAC before this sees it). The facts the engine derives
    from each regex (reach, literal_first: a parse of the regex each) come with them, so
    neither the hook nor every bulk worker parses again the regexes it uses."""
    import marshal

    rules = []
    for values, derived in marshal.loads(blob):
        rule = Rule(*values)
        if derived is not None:
            rule.__dict__["_facts"] = tuple(derived)  # what the cached_property would hold
        rules.append(rule)
    return rules


def _derived(rule: Rule) -> tuple[int, bool] | None:
    try:
        return rule._facts
    except (re.error, RecursionError, OverflowError):  # a broken regex: `rules check` says so
        return None


def load_pack(path: Path, compile_now: bool = True) -> list[Rule]:
    """A built-in pack's rules, read and type-checked once per content: the checked rules'
    fields are cached, keyed by the pack's bytes and this module's code, so the hook neither
    re-parses YAML nor re-checks 600 rules on every commit."""
    from scanner.engine.cache import cached_value, key_of

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RuleError(f"{path}: cannot read rule pack: {exc}") from None

    def build() -> bytes:
        import marshal

        from scanner.yamlio import load_yaml_text

        data = load_yaml_text(raw.decode("utf-8", "replace"), path.name)
        rules = parse_pack(data, path.name, compile_now=False, builtin=True)
        names = [f.name for f in fields(Rule)]
        return marshal.dumps([(tuple(getattr(rule, n) for n in names), _derived(rule))
                              for rule in rules])

    rules = cached_value("rules", key_of(b"v2", raw, _own_source()), build, _rules_from)
    if compile_now:
        for rule in rules:
            compile_check(rule, rule.source)
    return rules


def load_rules(paths: Iterable[Path], compile_now: bool = False) -> list[Rule]:
    rules: list[Rule] = []
    for path in paths:
        rules.extend(load_pack(path, compile_now))
    check_unique(rules)
    return rules


def check_unique(rules: Sequence[Rule]) -> None:
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            raise RuleError(f"{rule.source}: duplicate id (first defined at {seen[rule.id]})")
        seen[rule.id] = rule.source
