"""Structure-aware GitOps checks (Kubernetes manifests, SOPS, .env files).

`wants(blob)` is a cheap gate that imports nothing heavy; `check(blob, ctx)` parses and applies
the policy rules, yielding findings of category `policy` or `parse-error`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from scanner.policy import detect

if TYPE_CHECKING:
    from scanner.blob import Blob
    from scanner.config import Config
    from scanner.findings import Finding
    from scanner.pipeline import ScanContext


MARKERS = detect.MARKERS


def wants(blob: Blob, markers: frozenset[bytes] | None = None) -> bool:
    """`markers`: which of MARKERS occur in the blob, when a bulk engine pass knows."""
    return detect.wants(blob.path, blob.data, markers)


def check(blob: Blob, ctx: ScanContext) -> Iterator[Finding]:
    from scanner.policy.run import check_blob

    return iter(check_blob(blob, ctx))


PARSE_ERROR = "manifest-parse-error"


def no_longer_current(finding: Finding, config: Config) -> Finding:
    """A parse error in content that is no longer current (a blob not at HEAD in a history
    audit, an intermediate version in a range) is reported low: nothing deploys it any more,
    and the audit is about secrets. A severity the configuration sets for the rule stands."""
    if finding.rule != PARSE_ERROR or PARSE_ERROR in config.severity:
        return finding
    return finding.with_changes(severity="low")
