"""What each CLI command does, as plain functions returning an exit code."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from scanner.config import Config, find_config, load_config
from scanner.errors import SealguardError
from scanner.pipeline import ScanContext, ScanResult, run

DEFAULT_FAIL_ON = "medium"


def resolve_config(config_path: str | None, start: Path | None = None) -> Config:
    if config_path:
        path = Path(config_path)
        if not path.is_file():
            raise SealguardError(f"{config_path}: configuration file not found")
        return load_config(path)
    from scanner.sources.gitcmd import repo_root

    here = (start or Path.cwd()).resolve()
    root = repo_root(here) or Path.cwd().resolve()
    return load_config(nearest_config(here if here.is_dir() else here.parent, root))


def nearest_config(folder: Path, root: Path) -> Path | None:
    """The configuration closest to `folder`, looking up to the repository root."""
    for candidate in (folder, *folder.parents):
        found = find_config(candidate)
        if found is not None or candidate == root or root not in candidate.parents:
            return found
    return None


def write_output(text: str, output: str | None) -> None:
    """stdout, or a file replaced atomically (an interrupted run leaves no half file)."""
    if not output:
        click.echo(text, nl=False)
        return
    target = Path(output)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render(result: ScanResult, fmt: str, output: str | None) -> str:
    if fmt == "json":
        from scanner.report import jsonfmt

        return jsonfmt.render(result)
    if fmt == "sarif":
        from scanner.report import sarif

        return sarif.render(result)
    if fmt == "github":
        from scanner.report import github

        return github.render(result)
    from scanner.report import text

    color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    return text.render(result, color=color)


def apply_baseline(result: ScanResult, baseline: str | None) -> ScanResult:
    if not baseline:
        return result
    from scanner.baseline import filter_new

    return filter_new(result, Path(baseline))


def finish(result: ScanResult, config: Config, opts: dict[str, Any]) -> int:
    result = apply_baseline(result, opts.get("baseline"))
    write_output(render(result, opts.get("fmt") or "text", opts.get("output")), opts.get("output"))
    fail_on = opts.get("fail_on") or config.fail_on or DEFAULT_FAIL_ON
    return result.exit_code(fail_on)


def scan_command(paths: list[str], staged: bool, config_path: str | None = None,
                 **opts: Any) -> int:
    # One folder named: its nearest configuration applies (a sub-project or the demo may have
    # its own); several paths (the pre-commit hook) always use the repository root's.
    single = Path(paths[0]) if len(paths) == 1 and Path(paths[0]).is_dir() else None
    config = resolve_config(config_path, single)
    ctx = ScanContext.build(config)
    if staged:
        from scanner.sources.staged import staged_blobs

        items: Any = staged_blobs(Path.cwd(), max_bytes=config.max_file_bytes)
    else:
        from scanner.sources.files import collect

        items = collect(paths)
    return finish(run(items, ctx), config, opts)


def rules_check_command(config_path: str | None) -> int:
    from scanner.engine.rulecheck import available_backends, check_rules
    from scanner.pipeline import active_rules

    config = resolve_config(config_path)
    rules = active_rules(config)
    problems = check_rules(rules)
    for problem in problems:
        click.echo(problem, err=True)
    backends = ", ".join(available_backends())
    status = "FAILED" if problems else "ok"
    click.echo(f"{len(rules)} rules, {len(problems)} problem(s), back-ends: {backends}: {status}")
    return 1 if problems else 0


def rules_list_command() -> int:
    from scanner.pipeline import active_rules

    for rule in active_rules(resolve_config(None)):
        click.echo(f"{rule.id:40} {rule.severity:8} {rule.family:15} {rule.name}")
    return 0


def explain_command(rule_id: str) -> int:
    from scanner.explain import explain

    click.echo(explain(rule_id, resolve_config(None)))
    return 0
