"""Markdown job summary for `$GITHUB_STEP_SUMMARY`: counts by severity and rule, with remedies.

Locations are listed (path, line, rule); secrets are not, not even redacted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from scanner.findings import SEVERITIES, Finding, severity_rank
from scanner.pipeline import ScanResult

MAX_LOCATIONS = 50
ICONS = {"critical": "🔴", "high": "🟠", "medium": "🟡", "low": "🔵"}


@dataclass(frozen=True)
class Context:
    """What was scanned, for the heading: e.g. `pull request abc123..def456`."""

    scope: str = ""
    fail_on: str = "medium"
    baseline: str | None = None
    sarif_file: str | None = None
    removed: str = "no longer at HEAD but still in history: rotate it"


def cell(text: str) -> str:
    """Make text safe inside a Markdown table cell."""
    flat = " ".join(text.split())
    for char in "\\|`*_[]<>":
        flat = flat.replace(char, f"\\{char}")
    return flat


def _verdict(result: ScanResult, ctx: Context) -> str:
    floor = severity_rank(ctx.fail_on)
    failing = [f for f in result.findings if severity_rank(f.severity) >= floor]
    if failing:
        return f"**Failed**: {len(failing)} finding(s) at or above `{ctx.fail_on}`."
    if result.summary.errors:
        return "**Failed**: some input could not be read (see below)."
    if result.findings:
        return f"**Passed**: {len(result.findings)} finding(s), all below `{ctx.fail_on}`."
    return "**Passed**: no findings."


def _by_rule(findings: list[Finding]) -> list[str]:
    rows = ["| Severity | Rule | Findings | Remedy |", "|---|---|---:|---|"]
    counts = Counter((f.severity, f.rule) for f in findings)
    remedies = {f.rule: f.remedy for f in findings}
    order = sorted(counts, key=lambda key: (-severity_rank(key[0]), key[1]))
    for severity, rule in order:
        rows.append(f"| {ICONS.get(severity, '')} {severity} | `{rule}` | {counts[severity, rule]} "
                    f"| {cell(remedies.get(rule) or '')} |")
    return rows


def _locations(findings: list[Finding], removed: str) -> list[str]:
    rows = ["| Severity | Location | Rule | Commit |", "|---|---|---|---|"]
    ranked = sorted(findings, key=lambda f: (-severity_rank(f.severity), f.path, f.line))
    for f in ranked[:MAX_LOCATIONS]:
        commit = f"`{f.commit[:12]}`" if f.commit else ""
        where = f"{cell(f.path)}:{f.line}"
        if f.at_head is False:
            where += f" ({removed})"
        rows.append(f"| {f.severity} | {where} | `{f.rule}` | {commit} |")
    if len(ranked) > MAX_LOCATIONS:
        rows.append(f"\n… and {len(ranked) - MAX_LOCATIONS} more (see the SARIF file or the "
                    "code scanning alerts).")
    return rows


def render(result: ScanResult, ctx: Context | None = None) -> str:
    ctx = ctx or Context()
    title = "## sealguard" + (f": {cell(ctx.scope)}" if ctx.scope else "")
    out = [title, "", _verdict(result, ctx)]
    counts = Counter(f.severity for f in result.findings)
    out += ["", " · ".join(f"{ICONS[lv]} {counts[lv]} {lv}" for lv in reversed(SEVERITIES))]
    s = result.summary
    scanned = f"\nScanned {s.files} file(s)/blob(s), {s.bytes / 1e6:.1f} MB in {s.seconds:.1f}s."
    if ctx.baseline:
        scanned += (f" Baseline: {cell(ctx.baseline)} ({s.baselined} known finding(s) "
                    "hidden).")
    out.append(scanned)
    if result.findings:
        out += ["", "### By rule", "", *_by_rule(result.findings)]
        out += ["", "### Where", "", *_locations(result.findings, ctx.removed)]
    if s.errors:
        out += ["", "### Not scanned", "", *[f"- {cell(e)}" for e in s.errors]]
    if ctx.sarif_file:
        out.append(f"\nSARIF: {cell(ctx.sarif_file)}.")
    return "\n".join(out) + "\n"
