"""`--format github`: workflow-command annotations (`::error file=…,line=…::message`).

Escaping follows GitHub's workflow-command rules (the toolkit's `escapeData` and
`escapeProperty`): `%`, CR and LF in the message; additionally `:` and `,` in property values.
No secret, not even redacted, goes into an annotation: they are shown on the pull request.
"""

from __future__ import annotations

from scanner.findings import Finding
from scanner.pipeline import ScanResult

COMMANDS = {"critical": "error", "high": "error", "medium": "warning", "low": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _message(f: Finding) -> str:
    text = f.message or f.name or f.rule
    if f.commit:
        text += f" (introduced in commit {f.commit[:12]})"
    if f.remedy:
        text += f"\nFix: {f.remedy}"
    return text


def annotation(f: Finding) -> str:
    props = {"file": f.path, "line": str(max(f.line, 1))}
    if f.column > 0:
        props["col"] = str(f.column)
    props["title"] = f"sealguard {f.severity}: {f.rule}"
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in props.items())
    return f"::{COMMANDS.get(f.severity, 'warning')} {joined}::{escape_data(_message(f))}"


def render(result: ScanResult) -> str:
    from scanner.report.text import summary_line

    lines = [annotation(f) for f in result.findings]
    lines += [f"::error::{escape_data(e)}" for e in result.summary.errors]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"
