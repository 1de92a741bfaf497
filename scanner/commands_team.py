"""Team commands (`baseline create|update`, `ci`, `init`) as plain functions returning an
exit code. The click layer in cli.py only parses options and calls these."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from scanner.commands import DEFAULT_FAIL_ON, apply_baseline, resolve_config, write_output
from scanner.config import Config
from scanner.errors import GitError, SealguardError
from scanner.pipeline import ScanContext, ScanResult, run

DEFAULT_SARIF = "sealguard.sarif"


def _root(start: Path | None = None) -> Path:
    from scanner.sources.gitcmd import repo_root

    return repo_root(start or Path.cwd()) or Path.cwd()


def _scan_paths(paths: list[str], config: Config) -> ScanResult:
    from scanner.sources.files import collect

    return run(collect(paths), ScanContext.build(config))


def _report_errors(result: ScanResult) -> int:
    for error in result.summary.errors:
        click.echo(f"sealguard: not scanned: {error}", err=True)
    return 2 if result.summary.errors else 0


def baseline_create_command(paths: list[str], output: str | None, import_from: str | None,
                            config_path: str | None = None) -> int:
    from scanner.baseline import BASELINE_NAME, dumps, entries_for, load_known

    config = resolve_config(config_path, Path(paths[0]) if paths else None)
    result = _scan_paths(paths, config)
    findings = result.findings
    if import_from:
        known = load_known(Path(import_from))
        findings = [f for f in findings if known(f)]
    entries = entries_for(findings)
    target = output or str(_root() / BASELINE_NAME)
    write_output(dumps(entries), target)
    note = f" (imported from {import_from}: {len(result.findings) - len(findings)} finding(s) " \
           "not in it stay reported)" if import_from else ""
    click.echo(f"wrote {target}: {len(entries)} finding(s){note}", err=True)
    return _report_errors(result)


def baseline_update_command(paths: list[str], baseline: str | None,
                            config_path: str | None = None) -> int:
    from scanner.baseline import BASELINE_NAME, dumps, read_entries, update

    target = baseline or str(_root() / BASELINE_NAME)
    old = read_entries(Path(target))
    result = _scan_paths(paths, resolve_config(config_path, Path(paths[0]) if paths else None))
    change = update(old, result.findings)
    write_output(dumps(change.entries), target)
    click.echo(f"updated {target}: {change.kept} kept, {change.added} added, "
               f"{change.dropped} dropped (fixed)", err=True)
    return _report_errors(result)


def init_command(directory: str | None) -> int:
    from scanner.init import init

    root = Path(directory) if directory else _root()
    if not root.is_dir():
        raise SealguardError(f"{root}: not a directory")
    for step in init(root):
        detail = f": {step.detail}" if step.detail else ""
        click.echo(f"{step.action:9} {step.path}{detail}")
    return 0


def _scan_range(base: str, head: str, ctx: ScanContext, root: Path) -> ScanResult:
    from scanner.sources.diff import scan_range

    return scan_range(f"{base}..{head}", ctx, root)


def _scan_history(head: str | None, ctx: ScanContext, root: Path) -> ScanResult:
    from scanner.sources.history import scan_history

    outcome = scan_history(ctx, root, [head] if head else [])
    for note in outcome.notes:
        click.echo(f"sealguard: note: {note}", err=True)
    return outcome.result


def _run_plan(p: Any, ctx: ScanContext, root: Path) -> ScanResult:
    if p.kind == "history":
        return _scan_history(p.head, ctx, root)
    if p.base == p.head:
        from scanner.pipeline import Summary

        return ScanResult([], Summary())
    return _scan_range(p.base, p.head, ctx, root)


def _default_baseline(root: Path, baseline: str | None) -> str | None:
    from scanner.baseline import BASELINE_NAME

    if baseline:
        return baseline
    found = root / BASELINE_NAME
    return str(found) if found.is_file() else None


def _watch_notes(changed: list[str]) -> tuple[str, str]:
    """An annotation and a summary paragraph when the range edits config or baseline files."""
    if not changed:
        return "", ""
    from scanner.report.github import escape_data, escape_property

    names = ", ".join(changed)
    text = (f"This change edits {names}: allowlists and baselines can hide findings; "
            "review these edits with the code.")
    return (f"::warning title={escape_property('sealguard configuration changed')}::"
            f"{escape_data(text)}\n", f"\n> [!WARNING]\n> {text}\n")


def ci_command(mode: str, sarif_file: str | None, config_path: str | None = None,
               baseline: str | None = None, fail_on: str | None = None) -> int:
    from scanner import ci
    from scanner.report import github, sarif, summary
    from scanner.sources.gitcmd import repo_root

    root = repo_root(Path.cwd())
    if root is None:
        raise GitError("sealguard ci must run inside a git checkout (actions/checkout)")
    env = ci.environ()
    config = resolve_config(config_path, root)
    p = ci.plan(mode, env, root)
    result = _run_plan(p, ScanContext.build(config), root)
    baseline = _default_baseline(root, baseline)
    result = apply_baseline(result, baseline)
    level = fail_on or config.fail_on or DEFAULT_FAIL_ON
    sarif_path = sarif_file or DEFAULT_SARIF
    write_output(sarif.render(result, config), sarif_path)
    annotation, paragraph = _watch_notes(ci.changed_watched(p, root))
    write_output(github.render(result) + annotation, None)
    context = summary.Context(p.scope, level, baseline, sarif_path)
    ci.step_summary(env, summary.render(result, context) + paragraph)
    ci.github_output(env, {"findings": str(len(result.findings)), "sarif-file": sarif_path})
    return result.exit_code(level)
