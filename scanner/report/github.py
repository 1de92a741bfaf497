"""`--format github`: workflow-command annotations (`::error file=…,line=…::message`).

Escaping follows GitHub's workflow-command rules (the toolkit's `escapeData` and
`escapeProperty`): `%`, CR and LF in the message; additionally `:` and `,` in property values.
No secret, not even redacted, goes into an annotation: they are shown on the pull request.
"""

from __future__ import annotations

from collections.abc import Callable

from scanner.findings import Finding
from scanner.pipeline import ScanResult

COMMANDS = {"critical": "error", "high": "error", "medium": "warning", "low": "notice"}
REMOVED_IN_PR = "removed in this PR but still in history: rotate it"
REMOVED = "no longer at HEAD but still in history: rotate it"


def removed_note(f: Finding, wording: str = REMOVED) -> str:
    """For a finding whose secret is no longer at HEAD: where it was, truthfully."""
    where = f"{f.path}:{f.line}"
    commit = f" in commit {f.commit[:12]}" if f.commit else ""
    return f"{wording} (added at {where}{commit})"


def escape_data(text: str) -> str:
    from scanner.report.escape import terminal

    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return terminal(text)  # other control characters, ESC sequences, bidi: shown escaped


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _message(f: Finding, wording: str) -> str:
    text = f.message or f.name or f.rule
    if f.at_head is False:
        text += f": {removed_note(f, wording)}"
    elif f.commit:
        text += f" (introduced in commit {f.commit[:12]})"
    if f.remedy:
        text += f"\nFix: {f.remedy}"
    return text


def annotation(f: Finding, exists: Callable[[str], bool] | None = None,
               wording: str = REMOVED) -> str:
    """At the finding's line; a finding no longer at HEAD has no line there: it goes on the
    file when HEAD still has it, else on the run (the message says where it was)."""
    props: dict[str, str] = {}
    if f.at_head is not False:
        props = {"file": f.path, "line": str(max(f.line, 1))}
        if f.column > 0:
            props["col"] = str(f.column)
    elif exists is not None and exists(f.path):
        props = {"file": f.path}
    props["title"] = f"sealguard {f.severity}: {f.rule}"
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in props.items())
    return f"::{COMMANDS.get(f.severity, 'warning')} {joined}::{escape_data(_message(f, wording))}"


def render(result: ScanResult, exists: Callable[[str], bool] | None = None,
           wording: str = REMOVED) -> str:
    from scanner.report.text import summary_line

    lines = [annotation(f, exists, wording) for f in result.findings]
    lines += [f"::error::{escape_data(e)}" for e in result.summary.errors]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"
