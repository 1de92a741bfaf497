"""What every policy module receives: the blob, the scan context, and a finding sink."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scanner.blob import Blob
from scanner.engine import filters
from scanner.engine.published import published
from scanner.findings import Finding
from scanner.policy.catalog import PARSE_ERROR, POLICIES
from scanner.policy.yamlnodes import Scalar

if TYPE_CHECKING:
    from scanner.config import GitopsConfig
    from scanner.engine.scan import Engine
    from scanner.pipeline import ScanContext


_KEY_MATERIAL = frozenset({"sealed-secrets-controller-key"})  # usable wherever it sits


@dataclass
class Checker:
    blob: Blob
    ctx: ScanContext
    gitops_path: bool
    findings: list[Finding] = field(default_factory=list)
    _seen: set[tuple[str, int, str]] = field(default_factory=set)
    _lines: list[bytes] | None = None
    # Every decoded value of the Secret being checked: where a key id's secret would sit.
    partners: bytes | None = None

    @property
    def gitops(self) -> GitopsConfig:
        return self.ctx.config.gitops

    @property
    def engine(self) -> Engine:
        return self.ctx.engine

    def _suppressed(self, line: int, rule_id: str) -> bool:
        if self._lines is None:
            self._lines = self.blob.data.split(b"\n")
        if not 0 < line <= len(self._lines):
            return False
        if filters.line_allows(self._lines[line - 1], rule_id):
            return True
        return line > 1 and filters.previous_line_allows(self._lines[line - 2])

    def _line(self, line: int) -> bytes:
        if self._lines is None:
            self._lines = self.blob.data.split(b"\n")
        return self._lines[line - 1] if 0 < line <= len(self._lines) else b""

    def asks_to_replace(self, line: int) -> bool:
        """The value's own comment (or its env entry's `- name:` line's) says to replace it."""
        if filters.comment_asks_to_replace(self._line(line)):
            return True
        above = self._line(line - 1)
        return above.lstrip().startswith(b"- name:") and filters.comment_asks_to_replace(above)

    def _fixture(self) -> bool:
        path = self.blob.path
        return filters.is_fixture_path(path) or filters.is_chart_test_values(path)

    def report(self, rule_id: str, at: Scalar | tuple[int, int], secret: str, message: str,
               severity: str | None = None) -> None:
        """One policy finding at a node (or (line, column)) of the blob. In documentation a
        value is an example, in test fixtures (testdata, golden files, a chart's ci/ values)
        data for a test: reported, not blocking (as generic secrets there are)."""
        line, column = (at.line, at.column) if isinstance(at, Scalar) else at
        key = (rule_id, line, secret)
        if key in self._seen or self._suppressed(line, rule_id):
            return
        if rule_id != PARSE_ERROR and rule_id not in _KEY_MATERIAL and self.asks_to_replace(line):
            return
        self._seen.add(key)
        policy = POLICIES[rule_id]
        public = published(secret)
        if public is not None:
            severity, message = "low", f"{message} ({public}: public, grants nothing)"
        elif rule_id not in _KEY_MATERIAL and filters.is_documentation_path(self.blob.path):
            severity, message = "low", f"{message} (in documentation)"
        elif rule_id not in _KEY_MATERIAL and self._fixture():
            severity, message = "low", f"{message} (in test fixtures)"
        self.findings.append(Finding(
            rule=rule_id, category="parse-error" if rule_id == PARSE_ERROR else "policy",
            severity=severity or policy.severity, path=self.blob.path,
            line=self.blob.file_line(line), column=column, message=message, secret=secret,
            name=policy.name, remedy=policy.remedy,
        ))

    def parse_error(self, line: int, message: str, manifest_like: bool = True) -> None:
        severity = "medium" if (manifest_like and self.gitops_path
                                and not filters.is_invalid_on_purpose(self.blob.path)) else "low"
        self.report(PARSE_ERROR, (line, 1), f"{message}@{line}", message, severity)

    def engine_names(self, text: str) -> list[str]:
        """Names of the secret rules that match inside `text` (placeholders filtered)."""
        data = text.encode("utf-8", "surrogateescape")
        return [m.rule.name for m in self.engine.matches(data)]

    def engine_hits(self, value: Scalar) -> list[tuple[str, str, int]]:
        """(rule name, secret, line) of secret-rule matches inside a scalar's text."""
        data = value.value.encode("utf-8", "surrogateescape")
        first = value.line + 1 if value.style in ("|", ">") and "\n" in value.value else value.line
        hits = []
        for m in self.engine.matches(data):
            line = first + data.count(b"\n", 0, m.start) if value.style == "|" else value.line
            hits.append((m.rule.name, m.secret, line))
        return hits

    def scan_decoded(self, data: bytes, at: Scalar, where: str) -> int:
        """Engine findings in decoded bytes, all placed at the line of `at`."""
        count = 0
        lines = data.count(b"\n") + 1
        where_line = self.blob.file_line(at.line)
        probe = Blob(path=self.blob.path, data=data, line_map=(where_line,) * lines)
        for finding in self.engine.scan(probe, partners=self.partners):
            key = (finding.rule, at.line, finding.secret)
            if key in self._seen or self._suppressed(at.line, finding.rule):
                continue
            self._seen.add(key)
            count += 1
            self.findings.append(finding.with_changes(
                column=at.column, message=f"{finding.message} in base64-decoded {where} "
                "(base64 is not encryption)"))
        return count
