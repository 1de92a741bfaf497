"""Team commands (`baseline create|update`, `ci`, `init`) as plain functions returning an
exit code. The click layer in cli.py only parses options and calls these."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from scanner.commands import DEFAULT_FAIL_ON, apply_baseline, compiling_note, write_output
from scanner.config import Config
from scanner.errors import GitError, SealguardError
from scanner.pipeline import ScanContext, ScanResult, run
from scanner.resolve import keyed, locate_baseline, resolve_config, root_of

DEFAULT_SARIF = "sealguard.sarif"


def _scan_paths(paths: list[str], config: Config) -> ScanResult:
    from scanner.sources.files import collect

    compiling_note({})
    return run(collect(paths), ScanContext.build(config))


def _report_errors(result: ScanResult) -> int:
    for error in result.summary.errors:
        click.echo(f"sealguard: not scanned: {error}", err=True)
    return 2 if result.summary.errors else 0


def _target(root: Path, config: Config, option: str | None) -> Path:
    from scanner.baseline import BASELINE_NAME

    if option:
        return Path(option)
    return root / (config.baseline or BASELINE_NAME)


def _existing_key(target: Path) -> bytes:
    """Keep the key of the baseline being replaced, so fingerprints stay stable."""
    from scanner.baseline import VERSION, new_key, read_baseline

    if target.is_file():
        try:
            old = read_baseline(target)
        except SealguardError:
            return new_key()
        if old.version == VERSION and old.key:
            return old.key
    return new_key()


def baseline_create_command(paths: list[str], output: str | None, import_from: str | None,
                            config_path: str | None = None) -> int:
    import dataclasses

    from scanner.baseline import Baseline, dumps, entries_for
    from scanner.baseline_formats import load_known
    from scanner.presence import in_worktree

    root = root_of(paths)
    config = resolve_config(config_path, root)
    target = _target(root, config, output)
    key = _existing_key(target)
    result = _scan_paths(paths, dataclasses.replace(config, fingerprint_key=key))
    findings = result.findings
    if import_from:
        known = load_known(Path(import_from), in_worktree(root))
        findings = [f for f in findings if known(f)]
    entries = entries_for(findings, key)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_output(dumps(Baseline(key, tuple(entries))), str(target))
    note = f" (imported from {import_from}: {len(result.findings) - len(findings)} finding(s) " \
           "not in it stay reported)" if import_from else ""
    click.echo(f"wrote {target}: {len(entries)} finding(s){note}", err=True)
    return _report_errors(result)


def _scopes(paths: list[str], root: Path) -> list[str]:
    out = []
    for arg in paths or ["."]:
        rel = Path(os.path.relpath(Path(arg).resolve(), root.resolve())).as_posix()
        out.append("" if rel == "." else rel)
    return out


def baseline_update_command(paths: list[str], baseline: str | None,
                            config_path: str | None = None) -> int:
    import dataclasses

    from scanner.baseline import dumps, read_baseline, update

    root = root_of(paths)
    config = resolve_config(config_path, root)
    target = locate_baseline(root, config, baseline) or _target(root, config, None)
    old = read_baseline(target)
    key = old.key if old.version == 2 else b""
    result = _scan_paths(paths, dataclasses.replace(config, fingerprint_key=key))
    errors = bool(result.summary.errors)
    change = update(old, result.findings, _scopes(paths, root), can_drop=not errors)
    write_output(dumps(change.baseline), str(target))
    click.echo(f"updated {target}: {change.kept} kept, {change.added} added, "
               f"{change.dropped} dropped (fixed), {change.untouched} outside the paths "
               "rescanned left as they were", err=True)
    if old.version != 2:
        click.echo(f"sealguard: note: rewrote a version {old.version} baseline as version 2 "
                   "(keyed fingerprints)", err=True)
    if errors:
        click.echo("sealguard: note: some input could not be read, so no entry was dropped",
                   err=True)
    return _report_errors(result)


def init_command(directory: str | None) -> int:
    from scanner.init import init

    root = Path(directory) if directory else root_of()
    if not root.is_dir():
        raise SealguardError(f"{root}: not a directory")
    for step in init(root):
        detail = f": {step.detail}" if step.detail else ""
        click.echo(f"{step.action:9} {step.path}{detail}")
    return 0


def _scan_history(head: str | None, ctx: ScanContext, root: Path) -> ScanResult:
    from scanner.sources.history import scan_history

    outcome = scan_history(ctx, root, [head] if head else [])
    for note in outcome.notes:
        click.echo(f"sealguard: note: {note}", err=True)
    return outcome.result


def _run_plan(p: object, ctx: ScanContext, root: Path) -> ScanResult:
    from scanner.ci import Plan
    from scanner.pipeline import Summary

    assert isinstance(p, Plan)
    if p.kind == "history":
        return _scan_history(p.head, ctx, root)
    if p.base == p.head or not p.base or not p.head:
        return ScanResult([], Summary())
    from scanner.sources.diff import scan_range

    return scan_range(f"{p.base}..{p.head}", ctx, root)


def _watch_annotation(changed: list[str]) -> str:
    if not changed:
        return ""
    from scanner.report.github import escape_data, escape_property

    text = (f"This change edits {', '.join(changed)}: allowlists and baselines can hide "
            "findings; review these edits with the code.")
    return (f"::warning title={escape_property('sealguard configuration changed')}::"
            f"{escape_data(text)}\n")


def ci_command(mode: str, sarif_file: str | None, config_path: str | None = None,
               baseline: str | None = None, fail_on: str | None = None,
               pr_config: bool = False) -> int:
    from scanner import ci, ci_report

    env = ci.environ()
    sarif_path = sarif_file or DEFAULT_SARIF
    try:
        with tempfile.TemporaryDirectory(prefix="sealguard-ci-") as tmp:
            return _ci(env, mode, sarif_path, config_path, baseline, fail_on, pr_config,
                       Path(tmp))
    except Exception as exc:
        ci_report.fatal(env, sarif_path, exc)
        raise


def _judging(p: object, root: Path, config_path: str | None, baseline: str | None,
             pr_config: bool, tmp: Path) -> tuple[Config, Path | None, bool]:
    """Configuration and baseline: the base commit's on a pull request (unless the user
    opts into the PR's own, or names a configuration), else the checkout's."""
    from scanner.atcommit import baseline_at, config_at
    from scanner.ci import Plan

    assert isinstance(p, Plan)
    at_base = p.pull_request and not pr_config and not config_path and p.base is not None
    if at_base:
        assert p.base is not None
        config = config_at(root, p.base)
        found = Path(baseline) if baseline else baseline_at(root, p.base, config, tmp)
    else:
        config = resolve_config(config_path, root)
        found = locate_baseline(root, config, baseline)
    return keyed(config, found), found, at_base


def _ci(env: dict[str, str], mode: str, sarif_path: str, config_path: str | None,
        baseline: str | None, fail_on: str | None, pr_config: bool, tmp: Path) -> int:
    from scanner import ci, ci_report
    from scanner.presence import in_commit
    from scanner.report import github, sarif, summary
    from scanner.sources.gitcmd import repo_root

    root = repo_root(Path.cwd())
    if root is None:
        raise GitError("sealguard ci must run inside a git checkout (actions/checkout)")
    p = ci.plan(mode, env, root)
    config, found, at_base = _judging(p, root, config_path, baseline, pr_config, tmp)
    ctx = ScanContext.build(config)
    compiling_note({})
    exists = in_commit(root, p.head or "HEAD")
    result = apply_baseline(_run_plan(p, ctx, root), found, exists)
    level = fail_on or config.fail_on or DEFAULT_FAIL_ON
    wording = github.REMOVED_IN_PR if p.pull_request else github.REMOVED
    ci_report.sarif_folder(sarif_path)
    write_output(sarif.render(result, config, wording=wording), sarif_path)
    changed = ci.changed_watched(p, root)
    write_output(github.render(result, exists, wording) + _watch_annotation(changed), None)
    shown = "the base commit's baseline" if at_base and found else str(found) if found else None
    context = summary.Context(p.scope, level, shown, sarif_path, wording)
    ci.step_summary(env, summary.render(result, context)
                    + ci_report.changes_markdown(p, root, changed, ctx, at_base))
    ci.github_output(env, {"findings": str(len(result.findings)), "sarif-file": sarif_path})
    return result.exit_code(level)
