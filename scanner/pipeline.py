"""source -> engine + policy -> filters -> ScanResult."""

from __future__ import annotations

import fnmatch
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from scanner import policy
from scanner.blob import Blob
from scanner.config import Config
from scanner.engine.rules import Rule, builtin_rule_files, load_rules, parse_pack
from scanner.engine.scan import Engine
from scanner.findings import Finding, severity_rank
from scanner.sources import Skipped
from scanner.sources.files import FileRef, read_file


@dataclass
class Summary:
    files: int = 0
    bytes: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    findings: int = 0
    seconds: float = 0.0


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

    @classmethod
    def build(cls, config: Config, backend: str | None = None) -> ScanContext:
        return cls(Engine(active_rules(config), backend), config)


def active_rules(config: Config) -> list[Rule]:
    rules = load_rules(builtin_rule_files())
    rules += parse_pack(list(config.custom_rules), f"{config.source or 'config'} rules.custom")
    from scanner.engine.rules import check_unique

    check_unique(rules)
    return [r for r in rules if r.id not in config.disabled_rules]


def scan_blob(ctx: ScanContext, blob: Blob) -> list[Finding]:
    findings = list(ctx.engine.scan(blob))
    if policy.wants(blob):
        findings.extend(policy.check(blob, ctx))
    return findings


def _allowed(finding: Finding, config: Config) -> bool:
    allow = config.allowlist
    if any(fnmatch.fnmatch(finding.path, glob) for glob in allow.paths):
        return True
    if finding.fingerprint in allow.fingerprints:
        return True
    if any(word.lower() in finding.secret.lower() for word in allow.stopwords):
        return True
    return any(re.search(pattern, finding.secret) for pattern in allow.regexes)


def postfilter(findings: Iterable[Finding], config: Config) -> Iterator[Finding]:
    for finding in findings:
        if finding.rule in config.disabled_rules or _allowed(finding, config):
            continue
        level = config.severity.get(finding.rule)
        yield finding.with_changes(severity=level) if level else finding


def _account(item: Blob | Skipped, summary: Summary) -> Blob | None:
    if isinstance(item, Skipped):
        summary.skipped[item.reason] += 1
        if item.is_error:
            summary.errors.append(f"{item.path}: {item.reason}: {item.detail}".rstrip(": "))
        return None
    summary.files += 1
    summary.bytes += len(item.data)
    return item


def run(items: Iterable[Blob | FileRef | Skipped], ctx: ScanContext) -> ScanResult:
    started = time.perf_counter()
    summary = Summary()
    findings: list[Finding] = []
    for item in items:
        loaded = read_file(item, ctx.config.max_file_bytes) if isinstance(item, FileRef) else item
        blob = _account(loaded, summary)
        if blob is not None:
            findings.extend(postfilter(scan_blob(ctx, blob), ctx.config))
    findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule))
    summary.findings = len(findings)
    summary.seconds = time.perf_counter() - started
    return ScanResult(findings, summary)
