"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning (`codeql-action/upload-sarif`).

Never the secret, not even redacted: results carry the rule, the location, a message and the
finding's fingerprint (`partialFingerprints`), which is a hash.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from scanner import __version__
from scanner.config import Config
from scanner.findings import Finding
from scanner.pipeline import ScanResult

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "sealguard/v1"
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
# GitHub reads `security-severity` (0.0-10.0) to rank security alerts.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "2.0"}
PARSE_ERROR_TEXT = ("A structured file (YAML, JSON, .env) could not be parsed, so its policy "
                    "checks did not run.")


def _descriptor(rule_id: str, name: str, severity: str, text: str, remedy: str,
                tags: Iterable[str], help_uri: str = "", details: str = "") -> dict[str, Any]:
    body = f"{text}\n\n{details}" if details else text
    help_md = f"**{name}**\n\n{body}\n\n**Remedy:** {remedy}" if remedy else f"**{name}**\n\n{body}"
    out: dict[str, Any] = {
        "id": rule_id,
        "name": "".join(part.capitalize() for part in rule_id.split("-")) or rule_id,
        "shortDescription": {"text": name},
        "fullDescription": {"text": text},
        "help": {"text": f"{body}\nRemedy: {remedy}" if remedy else body, "markdown": help_md},
        "defaultConfiguration": {"level": LEVELS.get(severity, "warning")},
        "properties": {"tags": sorted({"security", *tags}),
                       "security-severity": SECURITY_SEVERITY.get(severity, "5.5")},
    }
    if help_uri.startswith(("http://", "https://")):
        out["helpUri"] = help_uri
    return out


def _rule_descriptors(config: Config) -> dict[str, dict[str, Any]]:
    from scanner.pipeline import active_rules

    out: dict[str, dict[str, Any]] = {}
    for rule in active_rules(config):
        text = f"{rule.name} ({rule.family}). Format: {rule.reference}"
        if rule.notes:
            text += f"\nKnown limits: {rule.notes}"
        out[rule.id] = _descriptor(rule.id, rule.name, config.severity.get(rule.id, rule.severity),
                                   text, rule.remedy, ("secret", rule.family), rule.reference)
    return out


def _field(entry: Any, *names: str) -> str:
    for name in names:
        value = entry.get(name) if isinstance(entry, Mapping) else getattr(entry, name, None)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _policy_descriptors(config: Config) -> dict[str, dict[str, Any]]:
    """The GitOps policy catalog, when present (`scanner.policy.catalog.POLICIES`)."""
    try:
        from scanner.policy import catalog
    except ImportError:  # pragma: no cover - the catalog module is optional
        return {}
    policies = getattr(catalog, "POLICIES", None)
    if not isinstance(policies, Mapping):
        return {}
    out: dict[str, dict[str, Any]] = {}
    for rule_id, entry in policies.items():
        name = _field(entry, "name", "title", "summary") or str(rule_id)
        text = _field(entry, "help", "description", "summary") or name
        remedy = _field(entry, "remedy", "fix")
        severity = config.severity.get(str(rule_id), _field(entry, "severity") or "medium")
        out[str(rule_id)] = _descriptor(str(rule_id), name, severity, text, remedy,
                                        ("policy", "gitops"), _field(entry, "reference", "url"),
                                        _field(entry, "docs", "doc"))
    return out


def _fallback(f: Finding) -> dict[str, Any]:
    if f.category == "parse-error":
        remedy = f.remedy or "Fix the syntax so the file can be checked."
        return _descriptor(f.rule, f.name or "Unparseable file", f.severity, PARSE_ERROR_TEXT,
                           remedy, ("parse-error",))
    return _descriptor(f.rule, f.name or f.rule, f.severity, f.name or f.message, f.remedy,
                       (f.category,))


def _location(f: Finding) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": max(f.line, 1)}
    if f.column > 0:
        region["startColumn"] = f.column
    return {"physicalLocation": {"artifactLocation": {"uri": f.path, "uriBaseId": "%SRCROOT%"},
                                 "region": region}}


def _message(f: Finding) -> str:
    text = f.message or f.name or f.rule
    if f.commit:
        text += f" (introduced in commit {f.commit[:12]})"
    return text


def _result(f: Finding, index: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.rule, "ruleIndex": index, "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": _message(f)}, "locations": [_location(f)],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {"severity": f.severity, "category": f.category},
    }
    if f.commit:
        out["properties"]["commit"] = f.commit
    return out


def build(result: ScanResult, config: Config | None = None) -> dict[str, Any]:
    config = config or Config()
    known = {**_rule_descriptors(config), **_policy_descriptors(config)}
    for f in result.findings:
        known.setdefault(f.rule, _fallback(f))
    ids = sorted(known)
    index = {rule_id: i for i, rule_id in enumerate(ids)}
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "sealguard", "version": __version__,
                            "semanticVersion": __version__,
                            "rules": [known[i] for i in ids]}},
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The repository root."}}},
        "results": [_result(f, index[f.rule]) for f in result.findings],
        "columnKind": "unicodeCodePoints",
    }
    if result.summary.errors:
        run["invocations"] = [{"executionSuccessful": False, "toolExecutionNotifications": [
            {"level": "error", "message": {"text": e}} for e in result.summary.errors]}]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result: ScanResult, config: Config | None = None) -> str:
    return json.dumps(build(result, config), indent=2, ensure_ascii=False) + "\n"
