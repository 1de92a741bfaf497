"""What each CLI command does, as plain functions returning an exit code."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from scanner.config import Config
from scanner.errors import SealguardError
from scanner.pipeline import ScanContext, ScanResult, run
from scanner.presence import Exists, in_index, in_worktree
from scanner.resolve import (
    keyed,
    locate_baseline,
    note_ignored_configs,
    resolve_config,
    root_of,
)

if TYPE_CHECKING:
    from scanner.policy.generators import Generators

DEFAULT_FAIL_ON = "medium"
STDIN = "-"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's final flush
    does not fail again."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def write_output(text: str, output: str | None) -> None:
    """stdout, or a file replaced atomically (an interrupted run leaves no half file). A new
    file gets the usual mode (0666 less the umask), a replaced one keeps its mode."""
    if not output:
        if sys.stdout is None:  # started with stdout closed: the exit code still counts
            click.echo("sealguard: stdout is closed: the report was not written", err=True)
            return
        try:
            click.echo(text, nl=False)
        except BrokenPipeError:  # the reader went away (`| head`): the exit code still counts
            _silence_stdout()
        return
    target = Path(output)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        mode = target.stat().st_mode & 0o777
    except OSError:
        mode = 0o666 & ~_umask()
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.")
    except OSError as exc:
        raise SealguardError(f"{output}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as handle:
            handle.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise SealguardError(f"{output}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def use_color(output: str | None) -> bool:
    """Colour only on a terminal; NO_COLOR (any non-empty value) or TERM=dumb turn it off."""
    if output is not None or sys.stdout is None or not sys.stdout.isatty():
        return False
    return not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def render(result: ScanResult, fmt: str, output: str | None, config: Config | None = None,
           advice: str = "history", quiet: bool = False) -> str:
    if fmt == "json":
        from scanner.report import jsonfmt

        return jsonfmt.render(result, (config or Config()).fingerprint_key)
    if fmt == "sarif":
        from scanner.report import sarif

        return sarif.render(result, config)
    if fmt == "github":
        from scanner.report import github

        return github.render(result)
    from scanner.report import text

    return text.render(result, color=use_color(output), advice=advice, quiet=quiet)


def apply_baseline(result: ScanResult, baseline: Path | None, exists: Exists) -> ScanResult:
    if baseline is None:
        return result
    from scanner.baseline_formats import load_known

    known = load_known(baseline, exists)
    new = [f for f in result.findings if not known(f)]
    s = result.summary
    s.baseline, s.baselined = str(baseline), len(result.findings) - len(new)
    s.findings = len(new)
    return ScanResult(new, s)


def prepare(root: Path, config_path: str | None, opts: dict[str, Any]) -> tuple[Config,
                                                                                 Path | None]:
    """The configuration (with the repository's fingerprint key) and the baseline."""
    config = resolve_config(config_path, root)
    if opts.get("max_file_size"):
        import dataclasses

        from scanner.config import parse_size

        size = parse_size(opts["max_file_size"], "--max-file-size")
        config = dataclasses.replace(config, max_file_bytes=size)
    baseline = locate_baseline(root, config, opts.get("baseline"), opts.get("no_baseline", False))
    return keyed(config, baseline), baseline


def _summary_to_stderr(result: ScanResult, opts: dict[str, Any]) -> None:
    if opts.get("quiet"):
        return
    from scanner.report.text import summary_line

    if opts.get("output"):
        click.echo(f"sealguard: {summary_line(result)}", err=True)


def _verbose(result: ScanResult, opts: dict[str, Any]) -> None:
    if opts.get("verbose") and result.summary.baseline:
        from scanner.resolve import display

        click.echo(f"sealguard: baseline {display(Path(result.summary.baseline))}: "
                   f"{result.summary.baselined} known finding(s) hidden", err=True)


def finish(result: ScanResult, config: Config, baseline: Path | None, exists: Exists,
           opts: dict[str, Any], advice: str = "history") -> int:
    result = apply_baseline(result, baseline, exists)
    fmt, output = opts.get("fmt") or "text", opts.get("output")
    write_output(render(result, fmt, output, config, advice, bool(opts.get("quiet"))), output)
    _summary_to_stderr(result, opts)
    _verbose(result, opts)
    fail_on = opts.get("fail_on") or config.fail_on or DEFAULT_FAIL_ON
    return result.exit_code(fail_on)


def _stdin_blob(max_bytes: int) -> Any:
    from scanner.blob import Blob
    from scanner.sources import Skipped

    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        return Skipped("stdin", "too_large", f"more than {max_bytes} bytes")
    return Blob(path="stdin", data=data)


def _filtered(items: Iterable[Any], opts: dict[str, Any]) -> Iterator[Any]:
    """--exclude and --include globs (on the repository-relative path): what they leave out
    is counted as skipped (excluded), never dropped silently."""
    exclude, include = opts.get("exclude") or (), opts.get("include") or ()
    if not exclude and not include:
        yield from items
        return
    from scanner.policy.globs import path_matches
    from scanner.sources import Skipped

    for item in items:
        path = item.path
        if path_matches(path, exclude) or (include and not path_matches(path, include)):
            yield Skipped(path, "excluded")
        else:
            yield item


def _items(paths: list[str], staged: bool, config: Config) -> Any:
    if staged:
        from scanner.sources.staged import staged_blobs

        return staged_blobs(Path.cwd(), max_bytes=config.max_file_bytes, paths=paths)
    from scanner.sources.files import collect

    named = [p for p in paths if p != STDIN]
    items = list(collect(named)) if named or not paths else []
    if STDIN in paths:
        items.append(_stdin_blob(config.max_file_bytes))
    return items


def _index_generators() -> Generators:
    """--staged: the kustomizations of the index (what the commit will hold) say which
    files they generate from, not those of the working tree."""
    from scanner.policy import generators
    from scanner.sources.staged import index_kustomizations

    return generators.PathGenerators(generators.index(index_kustomizations(Path.cwd())))


def scan_command(paths: list[str], staged: bool, config_path: str | None = None,
                 **opts: Any) -> int:
    named = [p for p in paths if p != STDIN]
    root = root_of([] if staged else named)
    note_ignored_configs(named, root, config_path)
    config, baseline = prepare(root, config_path, opts)
    ctx = ScanContext.build(config)
    if staged:
        ctx.generators = _index_generators()
    compiling_note(opts)
    items = list(_filtered(_items(paths, staged, config), opts))
    result = run(items, ctx, opts.get("jobs"))
    exists = in_index(root) if staged else in_worktree(root)
    return finish(result, config, baseline, exists, opts)


def compiling_note(opts: dict[str, Any]) -> None:
    """The first bulk scan compiles the rule database (seconds, then cached): say so once."""
    from scanner.engine import cache

    said: list[str] = []

    def note(kind: str) -> None:
        if kind == "hsre" and not said and not opts.get("quiet"):
            said.append(kind)
            click.echo("sealguard: compiling the rule database (once; cached for next time)",
                       err=True)

    cache.BUILD_HOOKS[:] = [note]


def rules_check_command(config_path: str | None) -> int:
    from scanner.engine.rulecheck import available_backends, check_rules
    from scanner.pipeline import active_rules

    config = resolve_config(config_path, root_of())
    rules = active_rules(config)
    problems = check_rules(rules)
    for problem in problems:
        click.echo(problem, err=True)
    backends = ", ".join(available_backends())
    verdict = f"FAILED: {len(problems)} problem(s)" if problems else "ok"
    click.echo(f"{len(rules)} rules checked with every back-end ({backends}): {verdict}")
    return 1 if problems else 0


def rules_list_command() -> int:
    from scanner.pipeline import active_rules

    lines = [f"{rule.id:40} {rule.severity:8} {rule.family:15} {rule.name}"
             for rule in active_rules(resolve_config(None, root_of()))]
    lines += [f"{pid:40} {severity:8} {'gitops-policy':15} {name}"
              for pid, severity, name in _policies()]
    click.echo("\n".join(lines))
    return 0


def _policies() -> list[tuple[str, str, str]]:
    from scanner.report.sarif import policy_entries

    return policy_entries()


def explain_command(rule_id: str) -> int:
    from scanner.explain import explain

    click.echo(explain(rule_id, resolve_config(None, root_of())))
    return 0

