"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning (`codeql-action/upload-sarif`).

Never the secret, not even redacted: results carry the rule, the location, a message and the
finding's keyed fingerprint (`partialFingerprints`).

What GitHub's code scanning documents for uploads, and how this file keeps to it:
- every URI is a URI: `helpUri` only when a rule's reference starts with one (the prose goes
  into `help`), artifact locations are relative `uri`s (percent-encoded) with
  `uriBaseId: %SRCROOT%`;
- `security-severity` (a string, 0.1-10.0) on every rule, so alerts rank as critical/high/
  medium/low; `partialFingerprints` keep an alert on its secret across line moves;
- at most 25,000 results per run (GitHub rejects more; it shows the top 5,000): beyond that
  the most severe are kept and a tool notification says how many were left out;
- at most 20 tags per rule; the file itself must be under 10 MB gzipped (far above ours);
- one `invocation` says whether the run succeeded; errors and unread input are
  `toolExecutionNotifications`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

from scanner import __version__
from scanner.config import Config
from scanner.findings import Finding, severity_rank
from scanner.pipeline import ScanResult

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "sealguard/v2"  # keyed fingerprints (v1: unkeyed, sealguard 0.1)
INFORMATION_URI = "https://github.com/sealguard/sealguard"
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
# GitHub reads `security-severity` (0.0-10.0) to rank security alerts.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "2.0"}
MAX_RESULTS = 25_000
MAX_TAGS = 20
# RFC 3986 URI: a scheme, then only unreserved, reserved and percent-encoded characters.
_URI_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
PARSE_ERROR_TEXT = ("A structured file (YAML, JSON, .env) could not be parsed, so its policy "
                    "checks did not run.")


def help_uri(reference: str) -> str:
    """The URL a reference starts with, when it is one (references are often prose)."""
    words = reference.split()
    first = words[0].rstrip(".,;") if words else ""
    if first.startswith(("https://", "http://")) and _URI_RE.fullmatch(first):
        return first
    return ""


def artifact_uri(path: str) -> str:
    """A repository-relative path as a relative URI reference (spaces, `%`, `#` encoded)."""
    # bytes of a name that are not UTF-8 are percent-encoded as themselves (%E9)
    raw = path.replace("\\", "/").encode("utf-8", "surrogateescape")
    return quote(raw, safe="/-._~!$&'()*+,;=:@")


def _descriptor(rule_id: str, name: str, severity: str, text: str, remedy: str,
                tags: Iterable[str], help_uri_text: str = "",
                details: str = "") -> dict[str, Any]:
    body = f"{text}\n\n{details}" if details else text
    help_md = f"**{name}**\n\n{body}\n\n**Remedy:** {remedy}" if remedy else f"**{name}**\n\n{body}"
    out: dict[str, Any] = {
        "id": rule_id,
        "name": "".join(part.capitalize() for part in rule_id.split("-")) or rule_id,
        "shortDescription": {"text": name},
        "fullDescription": {"text": text},
        "help": {"text": f"{body}\nRemedy: {remedy}" if remedy else body, "markdown": help_md},
        "defaultConfiguration": {"level": LEVELS.get(severity, "warning")},
        "properties": {"tags": sorted({"security", *tags})[:MAX_TAGS],
                       "security-severity": SECURITY_SEVERITY.get(severity, "5.5")},
    }
    uri = help_uri(help_uri_text)
    if uri:
        out["helpUri"] = uri
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
    """A finding no longer at HEAD gets the file without a line: its old line number would
    point at unrelated code in the file code scanning shows."""
    artifact = {"uri": artifact_uri(f.path), "uriBaseId": "%SRCROOT%"}
    if f.at_head is False:
        return {"physicalLocation": {"artifactLocation": artifact}}
    region: dict[str, Any] = {"startLine": max(f.line, 1)}
    if f.column > 0:
        region["startColumn"] = f.column
    return {"physicalLocation": {"artifactLocation": artifact, "region": region}}


def _message(f: Finding, wording: str) -> str:
    from scanner.report.github import removed_note

    text = f.message or f.name or f.rule
    if f.at_head is False:
        text += f": {removed_note(f, wording)}"
    elif f.commit:
        text += f" (introduced in commit {f.commit[:12]})"
    return text


def _result(f: Finding, index: int, key: bytes, wording: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.rule, "ruleIndex": index, "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": _message(f, wording)}, "locations": [_location(f)],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint(key)},
        "properties": {"severity": f.severity, "category": f.category},
    }
    if f.commit:
        out["properties"]["commit"] = f.commit
    return out


def _kept(findings: list[Finding]) -> list[Finding]:
    """The most severe MAX_RESULTS findings, in their original order."""
    if len(findings) <= MAX_RESULTS:
        return findings
    ranked = sorted(range(len(findings)), key=lambda i: -severity_rank(findings[i].severity))
    keep = set(ranked[:MAX_RESULTS])
    return [f for i, f in enumerate(findings) if i in keep]


def _notification(level: str, text: str) -> dict[str, Any]:
    return {"level": level, "message": {"text": text}}


def _invocation(result: ScanResult, left_out: int, notes: Iterable[str]) -> dict[str, Any]:
    notes_out = [_notification("error", e) for e in result.summary.errors]
    notes_out += [_notification("note", n) for n in notes]
    if left_out:
        notes_out.append(_notification("warning", (
            f"{left_out} less severe result(s) left out: GitHub code scanning accepts at most "
            f"{MAX_RESULTS} per run; see the JSON report for all of them.")))
    out: dict[str, Any] = {"executionSuccessful": not result.summary.errors}
    if notes_out:
        out["toolExecutionNotifications"] = notes_out
    return out


def build(result: ScanResult, config: Config | None = None, notes: Iterable[str] = (),
          wording: str = "") -> dict[str, Any]:
    from scanner.report.github import REMOVED

    wording = wording or REMOVED
    config = config or Config()
    known = {**_rule_descriptors(config), **_policy_descriptors(config)}
    for f in result.findings:
        known.setdefault(f.rule, _fallback(f))
    ids = sorted(known)
    index = {rule_id: i for i, rule_id in enumerate(ids)}
    kept = _kept(result.findings)
    key = config.fingerprint_key
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "sealguard", "version": __version__,
                            "semanticVersion": __version__,
                            "informationUri": INFORMATION_URI,
                            "rules": [known[i] for i in ids]}},
        "invocations": [_invocation(result, len(result.findings) - len(kept), notes)],
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The repository root."}}},
        "results": [_result(f, index[f.rule], key, wording) for f in kept],
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def policy_entries() -> list[tuple[str, str, str]]:
    """(id, severity, name) of every GitOps policy, for `rules list`."""
    from scanner.policy import catalog

    return [(str(pid), _field(e, "severity") or "medium", _field(e, "name") or str(pid))
            for pid, e in sorted(catalog.POLICIES.items())]


def render(result: ScanResult, config: Config | None = None, notes: Iterable[str] = (),
           wording: str = "") -> str:
    from scanner.report.escape import clean_tree

    # undecodable bytes of a file name are spelled \xNN: the file stays valid UTF-8 JSON
    doc = clean_tree(build(result, config, notes, wording))
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
