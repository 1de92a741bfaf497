"""`--format json`: the stable, documented contract (version 1)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from scanner.findings import Finding
from scanner.pipeline import ScanResult


def finding_dict(f: Finding, key: bytes = b"") -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": f.rule, "category": f.category, "severity": f.severity, "path": f.path,
        "line": f.line, "column": f.column, "commit": f.commit, "author": f.author,
        "date": f.date, "redacted": f.redacted, "fingerprint": f.fingerprint(key),
        "message": f.message,
    }
    if f.locations:
        out["locations"] = [asdict(loc) for loc in f.locations]
    if f.at_head is not None:
        out["at_head"] = f.at_head
    return out


def summary_dict(result: ScanResult) -> dict[str, Any]:
    s = result.summary
    skipped = {"binary": 0, "too_large": 0, **dict(sorted(s.skipped.items()))}
    out: dict[str, Any] = {"files": s.files, "binary": s.binary, "bytes": s.bytes,
                           "skipped": skipped,
                           "findings": len(result.findings), "seconds": round(s.seconds, 3)}
    if s.baseline:
        out["baseline"] = {"file": s.baseline, "hidden": s.baselined}
    if s.errors:
        out["errors"] = list(s.errors)
    return out


def render(result: ScanResult, key: bytes = b"") -> str:
    from scanner.report.escape import clean_tree

    doc = clean_tree({"version": 1, "findings": [finding_dict(f, key) for f in result.findings],
                      "summary": summary_dict(result)})
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
