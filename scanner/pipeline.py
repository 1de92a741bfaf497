"""source -> engine + policy -> filters -> ScanResult."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from scanner import policy
from scanner.blob import Blob
from scanner.config import Config
from scanner.engine.rules import Rule, builtin_rule_files, load_rules, parse_pack
from scanner.engine.scan import Engine
from scanner.findings import Finding, severity_rank
from scanner.safeio import NotRegularFile
from scanner.sources import Skipped, is_unread
from scanner.sources.files import FileRef, LargeFile, read_file

if TYPE_CHECKING:
    from scanner.policy.generators import Generators


@dataclass
class Summary:
    files: int = 0
    bytes: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    findings: int = 0
    binary: int = 0  # files of `files` that are not text, scanned as their bytes
    seconds: float = 0.0
    baseline: str = ""  # the baseline applied, if any
    baselined: int = 0  # findings it hid


@dataclass
class ScanResult:
    findings: list[Finding]
    summary: Summary

    def exit_code(self, fail_on: str) -> int:
        threshold = severity_rank(fail_on)
        if any(severity_rank(f.severity) >= threshold for f in self.findings):
            return 1
        return 2 if self.summary.errors else 0


@dataclass
class ScanContext:
    engine: Engine
    config: Config
    # Where the source's kustomizations say which files they generate ConfigMaps/Secrets
    # from (None: not known, such files are judged as any file).
    generators: Generators | None = None

    @classmethod
    def build(cls, config: Config, backend: str | None = None) -> ScanContext:
        """A context for working-tree files (each source of git content sets its own
        generators)."""
        from scanner.policy.generators import DiskGenerators

        return cls(Engine(active_rules(config), backend, policy.MARKERS), config,
                   DiskGenerators())


def active_rules(config: Config) -> list[Rule]:
    rules = load_rules(builtin_rule_files())
    custom = parse_pack(list(config.custom_rules), f"{config.source or 'config'} rules.custom")
    from scanner.engine.rulecheck import example_counts
    from scanner.errors import ConfigError

    for rule in custom:
        problems = example_counts(rule)
        if problems:
            raise ConfigError(f"{rule.source}: {problems[0]}")
    rules += [replace(rule, guarded=True) for rule in custom]
    from scanner.engine.rules import check_unique

    check_unique(rules)
    return [r for r in rules if r.id not in config.disabled_rules]


def scan_blob(ctx: ScanContext, blob: Blob) -> list[Finding]:
    from scanner.artefacts import drop_hashes

    survey = ctx.engine.survey(blob.data)
    findings = drop_hashes(blob.data, ctx.engine.scan(blob, survey))
    if policy.wants(blob, survey.markers if survey else None):
        findings.extend(policy.check(blob, ctx))
    return findings + generated_findings(blob, ctx, findings)


def generated_findings(blob: Blob, ctx: ScanContext, known: list[Finding]) -> list[Finding]:
    """A kustomize generator's source file: its credentials as ConfigMap/Secret data."""
    from scanner.policy import generated

    return generated.check(blob, ctx, known) if ctx.generators is not None else []


def _allowed(finding: Finding, config: Config) -> bool:
    from scanner.policy.globs import path_matches

    allow = config.allowlist
    if path_matches(finding.path, allow.paths):
        return True
    if allow.fingerprints and _fingerprints(finding, config) & allow.fingerprints:
        return True
    if any(word.lower() in finding.secret.lower() for word in allow.stopwords):
        return True
    if not allow.regexes:
        return False
    from scanner.engine.redos import guarded_search

    # A user's regex that runs too long allows nothing: the finding stays (fail closed).
    return any(guarded_search(pattern, finding.secret) for pattern in allow.regexes)


def _fingerprints(finding: Finding, config: Config) -> set[str]:
    """The forms a report may have shown for this finding: keyed with the repository's key,
    with no key (no baseline yet), and sealguard 0.1's unkeyed hash."""
    from scanner.findings import legacy_fingerprint

    return {finding.fingerprint(config.fingerprint_key), finding.fingerprint(b""),
            legacy_fingerprint(finding.rule, finding.secret, finding.path)}


def postfilter(findings: Iterable[Finding], config: Config) -> Iterator[Finding]:
    for finding in findings:
        if finding.rule in config.disabled_rules or _allowed(finding, config):
            continue
        level = config.severity.get(finding.rule)
        yield finding.with_changes(severity=level) if level else finding


def _account(item: Blob | Skipped, summary: Summary, config: Config) -> Blob | None:
    if isinstance(item, Skipped):
        summary.skipped[item.reason] += 1
        if item.is_error or is_unread(item.reason, item.path, config):
            summary.errors.append(f"{item.path}: {item.reason}: {item.detail}".rstrip(": "))
        return None
    summary.files += 1
    summary.binary += item.binary
    summary.bytes += item.size
    return item


Item = Blob | FileRef | Skipped
PARALLEL_MIN_ITEMS = 200
_WORKER: ScanContext | None = None


def _work(item: Item) -> tuple[Blob | Skipped, list[Finding]]:
    """Read (if needed) and scan one item; runs in the parent or in a worker process."""
    assert _WORKER is not None
    loaded = read_file(item, _WORKER.config.max_file_bytes) if isinstance(item, FileRef) else item
    if isinstance(loaded, Skipped):
        return loaded, []
    if isinstance(loaded, LargeFile):
        return _work_large(_WORKER, loaded)
    found = list(postfilter(scan_blob(_WORKER, loaded), _WORKER.config))
    # Workers send back only what the parent accounts for, not the content.
    return Blob(loaded.path, b"", size_hint=len(loaded.data), binary=loaded.binary), found


def _work_large(ctx: ScanContext, large: LargeFile) -> tuple[Blob | Skipped, list[Finding]]:
    from scanner.sources.pieces import file_pieces, scan_pieces

    def scan(piece: Blob) -> list[Finding]:
        return list(postfilter(ctx.engine.scan(piece), ctx.config))

    path = large.ref.path
    try:
        _, found = scan_pieces(path, file_pieces(large.ref.disk), scan)
    except NotRegularFile as exc:
        return Skipped(path, "special", exc.kind, explicit=large.ref.explicit), []
    except OSError as exc:
        return Skipped(path, "unreadable", exc.strerror or str(exc)), []
    return Blob(path, b"", size_hint=large.size), found


def _init_worker(config: Config, backend: str, generators: Generators | None = None) -> None:
    global _WORKER
    if _WORKER is None:  # spawn platforms; with fork the parent's context is inherited
        _WORKER = ScanContext.build(config, backend)
        _WORKER.generators = generators


def _results(items: Iterable[Item], ctx: ScanContext,
             jobs: int) -> Iterator[tuple[Blob | Skipped, list[Finding]]]:
    global _WORKER
    _WORKER = ctx
    if jobs <= 1:
        yield from map(_work, items)
        return
    import multiprocessing

    ctx.engine.prepare_bulk()
    methods = multiprocessing.get_all_start_methods()
    mp = multiprocessing.get_context("fork" if "fork" in methods else None)
    with mp.Pool(jobs, _init_worker, (ctx.config, ctx.engine.backend, ctx.generators)) as pool:
        yield from pool.imap(_work, items, chunksize=32)


def default_jobs(items: Sequence[Item]) -> int:
    import os

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(cpus or 1, 8) if len(items) >= PARALLEL_MIN_ITEMS else 1


def run(items: Iterable[Item], ctx: ScanContext, jobs: int | None = None) -> ScanResult:
    """Scan every item; `jobs` None picks processes by the amount of work."""
    started = time.perf_counter()
    summary = Summary()
    findings: list[Finding] = []
    if jobs is None:
        items = list(items)
        jobs = default_jobs(items)
    for done, found in _results(items, ctx, jobs):
        if _account(done, summary, ctx.config) is not None:
            findings.extend(found)
    findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule))
    summary.findings = len(findings)
    summary.seconds = time.perf_counter() - started
    return ScanResult(findings, summary)
