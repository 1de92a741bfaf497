"""Human output: findings grouped by file, redacted, with a remedy and a summary line.

Everything that came from the scanned content (paths, messages naming Secrets, redacted
values, authors) goes through `escape.terminal`: no control character reaches the terminal
or a CI log raw, and no line can start with `::` (a GitHub workflow command)."""

from __future__ import annotations

from collections import Counter
from itertools import groupby

from scanner.findings import SEVERITIES, Finding
from scanner.pipeline import ScanResult
from scanner.report.escape import line_safe_path, terminal

_COLORS = {"critical": "\033[1;35m", "high": "\033[1;31m", "medium": "\033[33m",
           "low": "\033[36m"}
_RESET, _BOLD, _DIM = "\033[0m", "\033[1m", "\033[2m"
HISTORY_REMEDY = ("it is in history, so every clone has it: rotate it first, then rewrite "
                  "history (git filter-repo) if the repository is shared more widely")
# `diff --pre-push`: the commits have not left this machine yet.
UNPUSHED_REMEDY = ("this commit is not pushed yet: remove the secret and amend the commit "
                   "(`git commit --amend`, or `git rebase -i` for an older one) before pushing")
ADVICE = {"history": HISTORY_REMEDY, "unpushed": UNPUSHED_REMEDY}


class _Paint:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if self.color else text


def _finding_lines(f: Finding, paint: _Paint, advice: str) -> list[str]:
    where = f"  {f.line}:{f.column}"
    level = paint(f.severity.upper(), _COLORS.get(f.severity, ""))
    head = f"{where}  {level}  {terminal(f.rule)}  {terminal(f.message)}"
    if f.redacted:
        head += f"  [{terminal(f.redacted)}]"
    lines = [head]
    if f.commit:
        lines.append(paint(f"      introduced in {terminal(f.commit[:12])} by "
                           f"{terminal(f.author or '')} on {terminal(f.date or '')}", _DIM))
        again = len({loc.commit for loc in f.locations} - {f.commit})
        if again:
            lines.append(paint(f"      introduced again in {again} later commit(s)", _DIM))
        if f.at_head is False:
            lines.append(paint("      no longer at HEAD, but still in history", _DIM))
    if f.remedy:
        lines.append(paint(f"      fix: {terminal(f.remedy)}", _DIM))
    if f.commit and f.category == "secret":
        lines.append(paint(f"      then: {ADVICE.get(advice, HISTORY_REMEDY)}", _DIM))
    return lines


def summary_line(result: ScanResult) -> str:
    s = result.summary
    counts = Counter(f.severity for f in result.findings)
    by_level = ", ".join(f"{counts[lv]} {lv}" for lv in reversed(SEVERITIES) if counts[lv])
    skipped = ", ".join(f"{n} {terminal(why.replace('_', ' '))}"
                        for why, n in sorted(s.skipped.items()))
    text = f"{len(result.findings)} finding(s)" + (f" ({by_level})" if by_level else "")
    text += f" in {s.files} file(s)"
    text += f" ({s.binary} binary, read as bytes)" if s.binary else ""
    text += f", {s.bytes / 1e6:.1f} MB, {s.seconds:.2f}s"
    if s.baseline:
        text += f"; {s.baselined} known finding(s) hidden by the baseline"
    return text + (f"; skipped: {skipped}" if skipped else "")


def render(result: ScanResult, color: bool = False, advice: str = "history",
           quiet: bool = False) -> str:
    paint = _Paint(color)
    out: list[str] = []
    for path, group in groupby(result.findings, key=lambda f: f.path):
        out.append(paint(line_safe_path(path), _BOLD))
        for f in group:
            out.extend(_finding_lines(f, paint, advice))
        out.append("")
    out.extend(f"error: {terminal(e)}" for e in result.summary.errors)
    if not quiet:
        out.append(summary_line(result))
    return "\n".join(out) + "\n" if out else ""
