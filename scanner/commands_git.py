"""What the git commands do (`diff`, `history`, `install-hook`), as functions returning an
exit code. The CLI in scanner/cli.py only parses options and calls these."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from scanner.commands import compiling_note, finish, prepare
from scanner.errors import GitError
from scanner.pipeline import ScanContext
from scanner.presence import in_commit


def _work_tree_root() -> Path:
    from scanner.sources.gitcmd import git

    out = git(["rev-parse", "--show-toplevel"], cwd=Path.cwd(), check=False).strip()
    if out:
        return Path(out.decode("utf-8", "surrogateescape"))
    inside = git(["rev-parse", "--git-dir"], cwd=Path.cwd(), check=False).strip()
    if not inside:
        raise GitError(f"{Path.cwd()}: not a git repository (or any of its parents)")
    return Path.cwd()


def diff_command(range_spec: str | None, pre_push: bool, config_path: str | None = None,
                 **opts: Any) -> int:
    from scanner.sources.diff import pre_push_range, scan_range

    if pre_push:
        spec = pre_push_range()
    elif range_spec:
        spec = range_spec
    else:
        raise GitError("give a range (BASE..HEAD, or BASE for BASE..HEAD) or --pre-push")
    root = _work_tree_root()
    config, baseline = prepare(root, config_path, opts)
    compiling_note(opts)
    result = scan_range(spec, ScanContext.build(config), root)
    head = spec.split("..")[-1] or "HEAD"
    advice = "unpushed" if pre_push else "history"
    return finish(result, config, baseline, in_commit(root, head), opts, advice)


def history_command(revs: list[str], all_refs: bool, since: str | None, jobs: int | None,
                    config_path: str | None = None, **opts: Any) -> int:
    from scanner.gitmeta import discover
    from scanner.sources.catfile import close_process
    from scanner.sources.history import scan_history, start_log

    if all_refs and revs:
        raise GitError("give either --all or revisions, not both")
    # `git log` runs on another core while GitPython discovers the repository and the
    # configuration and rules load; a failed discovery stops it.
    log = start_log(Path.cwd(), revs, since)
    try:
        info = discover(Path.cwd())
        config, baseline = prepare(info.work_tree or info.cwd, config_path, opts)
        compiling_note(opts)
        progress = sys.stderr.isatty()
        outcome = scan_history(ScanContext.build(config), info.cwd, revs, since, jobs,
                               progress, log)
    except BaseException:
        close_process(log)
        raise
    for note in outcome.notes:
        click.echo(f"sealguard: note: {note}", err=True)
    return finish(outcome.result, config, baseline, in_commit(info.cwd, "HEAD"), opts)


def install_hook_command(force: bool) -> int:
    from scanner.install_hook import install

    done = install(Path.cwd(), force=force)
    if done.backup is not None:
        click.echo(f"kept the previous hook as {done.backup}; it still runs, before sealguard")
    click.echo(f"{done.action}: {done.path} (runs `sealguard scan --staged`)")
    return 0
