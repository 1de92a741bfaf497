"""Every policy has pass/fail manifests in rules/policies/<id>/, walked automatically.

A fail.* file must yield at least one finding of its policy id, exactly at the lines marked
`# expect: <policy-id>` when it has such markers; a pass.* file must yield none.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scanner.blob import Blob
from scanner.config import Config
from scanner.findings import Finding
from scanner.pipeline import ScanContext, scan_blob
from scanner.policy.catalog import POLICIES, describe_policy

POLICY_DIR = Path(__file__).resolve().parent.parent / "rules" / "policies"
CASES = sorted(p for p in POLICY_DIR.glob("*/*") if p.name.startswith(("pass.", "fail.")))
EXPECT = re.compile(r"#\s*expect:\s*([a-z0-9-]+)")


@pytest.fixture(scope="module")
def ctx() -> ScanContext:
    return ScanContext.build(Config(), backend="re")


def findings_of(ctx: ScanContext, path: Path) -> list[Finding]:
    blob = Blob(path=path.relative_to(POLICY_DIR.parent.parent).as_posix(), data=path.read_bytes())
    return [f for f in scan_blob(ctx, blob) if f.rule == path.parent.name]


def expected_lines(path: Path, policy_id: str) -> set[int]:
    text = path.read_bytes().decode("utf-8", "replace")
    return {n for n, line in enumerate(text.splitlines(), 1)
            if (m := EXPECT.search(line)) and m.group(1) == policy_id}


def test_every_policy_has_pass_and_fail_cases() -> None:
    for policy_id in POLICIES:
        names = [p.name for p in (POLICY_DIR / policy_id).glob("*")]
        assert any(n.startswith("fail.") for n in names), f"{policy_id}: no fail.* manifest"
        assert any(n.startswith("pass.") for n in names), f"{policy_id}: no pass.* manifest"
    assert {p.name for p in POLICY_DIR.iterdir() if p.is_dir()} <= set(POLICIES)


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_policy_case(ctx: ScanContext, path: Path) -> None:
    policy_id = path.parent.name
    found = findings_of(ctx, path)
    lines = sorted(f.line for f in found)
    if path.name.startswith("pass."):
        assert not found, f"{path.name}: unexpected {policy_id} at lines {lines}"
        return
    assert found, f"{path.name}: no {policy_id} finding"
    expected = expected_lines(path, policy_id)
    if expected:
        assert set(lines) == expected, f"{path.name}: lines {lines}, expected {sorted(expected)}"
    for finding in found:
        assert finding.secret and finding.secret not in finding.message
        assert finding.category in ("policy", "parse-error")


@pytest.mark.parametrize("policy_id", sorted(POLICIES))
def test_policy_docs(policy_id: str) -> None:
    text = describe_policy(policy_id)
    policy = POLICIES[policy_id]
    assert text and policy_id in text and policy.remedy in text
    assert policy.severity in ("low", "medium", "high", "critical")


def test_unknown_policy_has_no_docs() -> None:
    assert describe_policy("no-such-policy") is None
