"""Command-line entry: parse options, call the library, set the exit code. Nothing else."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from scanner import __version__
from scanner.errors import EXIT_INTERNAL, SealguardError

F = TypeVar("F", bound=Callable[..., Any])
SEVERITY = click.Choice(["low", "medium", "high", "critical"])
EXIT_CODES = ("Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage, "
              "configuration or git error, or input that could not be read; 3 internal error.")


def _pipe_closed() -> None:
    """The reader of our output went away (`sealguard rules list | head`): stop quietly."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    sys.exit(141)  # 128 + SIGPIPE, as git and other tools exit


def handle_errors(func: F) -> F:
    """One place mapping errors to exit codes: 2 expected, 3 internal, 130 Ctrl-C."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SealguardError as exc:
            click.echo(f"sealguard: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("sealguard: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            _pipe_closed()
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:
            import traceback

            click.echo(f"sealguard {__version__}: internal error: {type(exc).__name__}: {exc}\n"
                       "Please report this with the lines below.", err=True)
            click.echo("".join(traceback.format_exc(limit=8)), err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


CONFIG_HELP = ("Configuration file (default: .sealguard.yaml, else pyproject.toml "
               "[tool.sealguard], at the root of the repository scanned, wherever you run "
               "from).")
BASELINE_HELP = ("Report only findings not in this baseline (default: the configuration's "
                 "`baseline:`, else .sealguard-baseline.json at the repository root when it "
                 "exists). detect-secrets and gitleaks baselines are read too.")


def output_options(func: F) -> F:
    options = [
        click.option("--config", "config_path", type=click.Path(dir_okay=False),
                     help=CONFIG_HELP),
        click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]),
                     default="text", show_default=True, help="Report format."),
        click.option("--output", type=click.Path(dir_okay=False),
                     help="Write the report to this file (written atomically); the one-line "
                          "summary goes to stderr."),
        click.option("--baseline", type=click.Path(dir_okay=False), help=BASELINE_HELP),
        click.option("--no-baseline", is_flag=True,
                     help="Ignore the repository's baseline: report every finding."),
        click.option("--fail-on", type=SEVERITY, default=None,
                     help="Lowest severity that fails the run (default: medium)."),
        click.option("--quiet", "-q", is_flag=True,
                     help="Print findings and errors only (no summary line, no notes)."),
        click.option("--verbose", "-v", is_flag=True,
                     help="Also say how many known findings the baseline hid."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="sealguard")
def main() -> None:
    """Keep plaintext secrets out of Git: scan files, commits and history."""


@main.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--staged", is_flag=True,
              help="Scan the index (what the next commit contains); PATHS limit it.")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Skip paths matching GLOB (repeatable; `**` spans folders; counted as "
                   "skipped).")
@click.option("--include", multiple=True, metavar="GLOB",
              help="Scan only paths matching GLOB (repeatable).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: all cores for large scans).")
@click.option("--max-file-size", metavar="SIZE",
              help="Read files up to SIZE (e.g. 20MB; default: the configuration's "
                   "max_file_size).")
@output_options
@handle_errors
def scan(paths: tuple[str, ...], staged: bool, **opts: Any) -> None:
    """Scan files and folders (folders: git ls-files inside a repository). `-` reads
    standard input; a symlink named is followed; a pipe or device named is an error."""
    from scanner.commands import scan_command

    sys.exit(scan_command(list(paths), staged=staged, **opts))


@main.group()
def rules() -> None:
    """Inspect and validate the rule packs."""


@rules.command("check")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Also validate the custom rules of this configuration (default: the "
                   "repository's).")
@handle_errors
def rules_check(config_path: str | None) -> None:
    """Validate every rule: ids, one capture group, examples found, negatives not found."""
    from scanner.commands import rules_check_command

    sys.exit(rules_check_command(config_path))


@rules.command("list")
@handle_errors
def rules_list() -> None:
    """List the rules and GitOps policies: id, severity, family, name."""
    from scanner.commands import rules_list_command

    sys.exit(rules_list_command())


@main.command()
@click.argument("rule_id")
@handle_errors
def explain(rule_id: str) -> None:
    """Show a rule's documentation, examples (redacted) and remedy."""
    from scanner.commands import explain_command

    sys.exit(explain_command(rule_id))



# --- team commands: baseline, ci, init (implementations in scanner/commands_team.py) ---
@main.group()
def baseline() -> None:
    """Record current findings so only new ones are reported (see --baseline)."""


@baseline.command("create")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help=CONFIG_HELP)
@click.option("--output", type=click.Path(dir_okay=False),
              help="Baseline file to write (default: the repository's baseline, else "
                   ".sealguard-baseline.json at its root).")
@click.option("--import", "import_from", type=click.Path(dir_okay=False),
              help="Keep only findings known to this baseline: a detect-secrets .secrets.baseline, "
                   "a gitleaks report or .gitleaksignore, or a sealguard baseline.")
@handle_errors
def baseline_create(paths: tuple[str, ...], config_path: str | None, output: str | None,
                    import_from: str | None) -> None:
    """Scan PATHS and write the fingerprints of every finding (never the secrets)."""
    from scanner.commands_team import baseline_create_command

    sys.exit(baseline_create_command(list(paths), output, import_from, config_path))


@baseline.command("update")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help=CONFIG_HELP)
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="Baseline file to update (default: the repository's baseline).")
@handle_errors
def baseline_update(paths: tuple[str, ...], config_path: str | None,
                    baseline_file: str | None) -> None:
    """Rescan PATHS (default: the repository) and reconcile only them: entries found again
    are kept, new findings added, entries under PATHS not found again dropped (fixed);
    entries elsewhere are left as they are. A version 1 baseline is rewritten as version 2."""
    from scanner.commands_team import baseline_update_command

    sys.exit(baseline_update_command(list(paths), baseline_file, config_path))


@main.command(epilog=EXIT_CODES)
@click.option("--mode", type=click.Choice(["auto", "pr", "push", "full"]), default="auto",
              show_default=True,
              help="What to scan: auto follows GITHUB_EVENT_NAME (pull_request -> pr, push -> "
                   "push, workflow_dispatch/schedule -> full history audit).")
@click.option("--sarif-file", type=click.Path(dir_okay=False),
              help="Where to write the SARIF report (default: sealguard.sarif).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help=CONFIG_HELP)
@click.option("--baseline", type=click.Path(dir_okay=False), help=BASELINE_HELP)
@click.option("--fail-on", type=SEVERITY, default=None,
              help="Lowest severity that fails the run (default: medium).")
@click.option("--pr-config", is_flag=True,
              help="On a pull request, judge with the PR's own configuration and baseline "
                   "(default: the base commit's, so a PR cannot allowlist its own secret).")
@handle_errors
def ci(mode: str, sarif_file: str | None, config_path: str | None, baseline: str | None,
       fail_on: str | None, pr_config: bool) -> None:
    """GitHub Actions entry: scan the event's commits; annotations, step summary, SARIF."""
    from scanner.commands_team import ci_command

    sys.exit(ci_command(mode, sarif_file, config_path, baseline, fail_on, pr_config))


@main.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@handle_errors
def init(directory: str | None) -> None:
    """Write a starter .sealguard.yaml, a pre-commit hook entry and .gitignore entries."""
    from scanner.commands_team import init_command

    sys.exit(init_command(directory))


# --- git commands: diff, history, install-hook (implementations in scanner/commands_git.py) ---
@main.command(epilog=EXIT_CODES)
@click.argument("range_spec", required=False, metavar="BASE..HEAD")
@click.option("--pre-push", is_flag=True,
              help="Scan what is being pushed (the pre-commit pre-push hook): "
                   "PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF, or, when pre-commit gives no range "
                   "(a first push, a new branch), every commit of the pushed ref that no "
                   "remote has.")
@output_options
@handle_errors
def diff(range_spec: str | None, pre_push: bool, **opts: Any) -> None:
    """Scan the lines each commit of BASE..HEAD added (PR mode); BASE alone means BASE..HEAD."""
    from scanner.commands_git import diff_command

    sys.exit(diff_command(range_spec, pre_push, **opts))


@main.command(epilog=EXIT_CODES)
@click.argument("revs", nargs=-1)
@click.option("--all", "all_refs", is_flag=True, help="Every ref (the default without REVS).")
@click.option("--since", metavar="DATE", help="Only commits after DATE (any date git accepts).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for matching (default: all cores for large histories).")
@output_options
@handle_errors
def history(revs: tuple[str, ...], all_refs: bool, since: str | None, jobs: int | None,
            **opts: Any) -> None:
    """Audit every blob reachable from REVS (default: all refs), each scanned once."""
    from scanner.commands_git import history_command

    sys.exit(history_command(list(revs), all_refs, since, jobs, **opts))


@main.command("install-hook")
@click.option("--force", is_flag=True,
              help="Install over a pre-commit hook sealguard did not write: it is kept as "
                   "pre-commit.legacy and still runs, before sealguard.")
@handle_errors
def install_hook(force: bool) -> None:
    """Write .git/hooks/pre-commit (honours core.hooksPath) running `sealguard scan --staged`
    with this Python, so it works where the virtual environment is not on PATH."""
    from scanner.commands_git import install_hook_command

    sys.exit(install_hook_command(force))
