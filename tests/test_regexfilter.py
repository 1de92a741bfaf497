"""The bulk-scan regex prefilter only skips work: findings are the same with and without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.engine import regexfilter
from scanner.engine.matcher import hyperscan_available
from scanner.engine.rules import builtin_rule_files, load_rules
from scanner.engine.scan import Engine
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.skipif(not hyperscan_available(), reason="hyperscan is not installed")
RULES = load_rules(builtin_rule_files())
CORPORA = [REPO_ROOT / "tests" / "corpus", REPO_ROOT / "benchmarks" / "holdout"]


def _texts() -> list[bytes]:
    texts = [e.encode() for rule in RULES for e in (*rule.examples, *rule.negative_examples)]
    for corpus in CORPORA:
        if corpus.is_dir():
            texts += [p.read_bytes() for p in sorted(corpus.rglob("*")) if p.is_file()]
    return texts


def _spans(engine: Engine, data: bytes) -> list[tuple[str, int, int]]:
    return [(m.rule.id, m.start, m.end) for m in engine.matches(data)]


def test_most_rules_are_compiled_into_the_filter() -> None:
    loaded = regexfilter.load(RULES)
    assert loaded is not None and len(loaded.indices) >= 0.9 * len(RULES)


def test_filter_changes_no_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = Engine(RULES, "re")
    monkeypatch.setattr(regexfilter, "BULK_BYTES", 0)  # engage it from the first byte
    filtered = Engine(RULES, "hyperscan")
    differ = [t[:60] for t in _texts() if _spans(plain, t) != _spans(filtered, t)]
    assert filtered._regex_filter is not None
    assert differ == [], differ[:5]


def test_filter_skips_rules_whose_regex_cannot_match(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regexfilter, "BULK_BYTES", 0)
    engine = Engine(RULES, "hyperscan")
    text = b"password = input('enter it')\ntoken: str = ''\n"
    keyword_candidates = {i for i, _ in enumerate(RULES)
                          if RULES[i] in engine.candidate_rules(text)}
    assert keyword_candidates, "the keywords alone make these rules candidates"
    assert engine.matches(text) == []
    assert engine._regex_filter is not None
    assert not keyword_candidates & engine._regex_filter.possible(text)
