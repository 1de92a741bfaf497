"""What `sealguard ci` leaves where a reviewer looks, also when it cannot run: an `::error`
annotation, a job summary that says what to fix, the step outputs, and a valid SARIF file
carrying the error as a tool execution notification (so `upload-sarif` with `if: always()`
does not fail a second, confusing time)."""

from __future__ import annotations

from pathlib import Path

import click

from scanner import ci
from scanner.errors import SealguardError
from scanner.pipeline import ScanContext, ScanResult, Summary

MAX_DIFF_LINES = 120


def fatal(env: dict[str, str], sarif_path: str, error: BaseException) -> None:
    from scanner.commands import write_output
    from scanner.report import sarif
    from scanner.report.github import escape_data, escape_property

    expected = isinstance(error, SealguardError)
    text = str(error) if expected else f"internal error: {type(error).__name__}: {error}"
    fix = text if expected else "report this as a bug, with the job log"
    try:
        sarif_folder(sarif_path)
        write_output(sarif.render(ScanResult([], Summary(errors=[text]))), sarif_path)
    except (OSError, SealguardError) as exc:
        if str(exc) != text:
            text += f" (and the SARIF file could not be written: {_reason(exc)})"
    title = escape_property("sealguard could not run")
    click.echo(f"::error title={title}::{escape_data(text)}")
    ci.step_summary(env, f"## sealguard: could not run\n\n**Failed**: nothing was scanned.\n\n"
                         f"**What to fix**: {_cell(fix)}\n")
    ci.github_output(env, {"findings": "0", "sarif-file": sarif_path, "error": text})


def sarif_folder(sarif_path: str) -> None:
    """Make the SARIF file's folder (`sarif-file: results/sealguard.sarif` is common; the
    upload step takes a file or a folder)."""
    folder = Path(sarif_path).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SealguardError(f"{sarif_path}: cannot write: {exc.strerror or exc}") from None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)


def _cell(text: str) -> str:
    from scanner.report.summary import cell

    return cell(text)


def redacted(text: str, ctx: ScanContext) -> str:
    """`text` with every secret the engine finds in it replaced by its redacted form (a PR
    may paste the secret it allowlists into the configuration)."""
    from scanner.findings import redact

    for match in ctx.engine.matches(text.encode("utf-8", "surrogateescape")):
        if match.secret:
            text = text.replace(match.secret, redact(match.secret))
    return text


def changes_markdown(p: ci.Plan, root: Path, names: list[str], ctx: ScanContext,
                     judged_at_base: bool) -> str:
    """The PR's edits to configuration and baseline files, for the job summary."""
    if not names:
        return ""
    who = ("This run judged the pull request with the **base commit's** configuration and "
           "baseline; the PR's edits below take effect once merged.") if judged_at_base else (
           "This run used the pull request's own configuration and baseline (`pr-config`).")
    out = ["", "### Configuration and baseline changes in this pull request", "", who]
    for name in names:
        lines = redacted(ci.watched_diff(p, root, name), ctx).splitlines()
        more = len(lines) - MAX_DIFF_LINES
        body = "\n".join(lines[:MAX_DIFF_LINES]).replace("```", "`\u200b``")
        out += ["", f"`{_cell(name)}`:", "", "```diff", body, "```"]
        if more > 0:
            out.append(f"… {more} more line(s)")
    return "\n".join(out) + "\n"
