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


def test_prefilter_must_be_a_contiguous_part_of_the_regex() -> None:
    from scanner.engine.regexfilter import is_factor
    from scanner.engine.rules import parse_pack
    from scanner.errors import RuleError

    regex = r"(?i)acme(?:[\w.-]{0,20})[_-]secret\s*[:=]\s*([a-f0-9]{32})\b"
    assert is_factor(r"(?i)[_-]secret\s*[:=]\s*([a-f0-9]{32})\b", regex)
    assert is_factor(r"(?i)acme", regex)
    assert not is_factor(r"[_-]secret\s*[:=]\s*([a-f0-9]{32})\b", regex)  # flags differ
    assert is_factor(r"(?i)secret\s*[:=]", regex)  # literals are items of their own
    assert not is_factor(r"(?i)secret\s*[:=]\s*([a-f0-9]{16})", regex)  # another bound
    assert not is_factor(r"(?i)acme[_-]secret", regex)  # skips an item: not contiguous
    rule = {"id": "acme", "name": "Acme", "family": "saas", "severity": "high",
            "keywords": ["acme"], "regex": regex, "reference": "test",
            "examples": [], "negative_examples": []}
    assert parse_pack([{**rule, "prefilter": r"(?i)[_-]secret"}], "t")[0].prefilter
    with pytest.raises(RuleError, match="contiguous part of the regex"):
        parse_pack([{**rule, "prefilter": r"(?i)acme_secret"}], "t")
    with pytest.raises(RuleError, match="prefilter does not compile"):
        parse_pack([{**rule, "prefilter": r"(?i)acme("}], "t")


def test_every_declared_prefilter_is_a_factor_and_finds_every_example() -> None:
    import re

    declared = [r for r in RULES if r.prefilter]
    assert declared, "at least one rule declares a prefilter"
    for rule in declared:
        pattern = re.compile(rule.prefilter)
        for example in rule.examples:
            assert pattern.search(example), (rule.id, example)


def test_survey_markers_answer_like_substring_search(monkeypatch: pytest.MonkeyPatch) -> None:
    from scanner.policy import detect

    monkeypatch.setattr(regexfilter, "BULK_BYTES", 0)
    engine = Engine(RULES, "hyperscan", detect.MARKERS)
    policies = REPO_ROOT / "rules" / "policies"
    files = [p for p in sorted(policies.rglob("*")) if p.is_file()]
    texts = [(p.name, p.read_bytes()) for p in files] + [("x", t) for t in _texts()]
    texts.append(("notes.txt", b"sops_version=3.8.1\nA=ENC[AES256_GCM,data:x]\n"))
    for name, data in texts:
        survey = engine.survey(data)
        assert survey is not None
        assert survey.markers == {m for m in detect.MARKERS if m in data}, name
        assert detect.wants(name, data, survey.markers) == detect.wants(name, data), name
