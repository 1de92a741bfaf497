"""The bulk-scan regex prefilter only skips work: findings are the same with and without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.engine import regexfilter
from scanner.engine.matcher import hyperscan_available
from scanner.engine.rules import builtin_rule_files, load_rules
from scanner.engine.scan import Engine
from scanner.policy import detect
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.skipif(not hyperscan_available(), reason="hyperscan is not installed")
RULES = load_rules(builtin_rule_files())
MARKERS = detect.MARKERS  # as scans build it, so the module compiles one database
CORPORA = [REPO_ROOT / "tests" / "corpus", REPO_ROOT / "benchmarks" / "holdout"]


def _texts() -> list[bytes]:
    texts = [e.encode() for rule in RULES for e in (*rule.examples, *rule.negative_examples)]
    for corpus in CORPORA:
        if corpus.is_dir():
            texts += [p.read_bytes() for p in sorted(corpus.rglob("*")) if p.is_file()]
    return texts


def _spans(engine: Engine, data: bytes) -> list[tuple[str, int, int]]:
    return [(m.rule.id, m.start, m.end) for m in engine.matches(data)]


def test_filter_changes_no_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = Engine(RULES, "re")
    monkeypatch.setattr(regexfilter, "BULK_BYTES", 0)  # engage it from the first byte
    filtered = Engine(RULES, "hyperscan", MARKERS)
    differ = [t[:60] for t in _texts() if _spans(plain, t) != _spans(filtered, t)]
    assert filtered._regex_filter is not None
    assert differ == [], differ[:5]


def test_filter_skips_rules_whose_regex_cannot_match(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regexfilter, "BULK_BYTES", 0)
    engine = Engine(RULES, "hyperscan", MARKERS)
    text = b"password = input('enter it')\ntoken: str = ''\n"
    keyword_candidates = {i for i, _ in enumerate(RULES)
                          if RULES[i] in engine.candidate_rules(text)}
    assert keyword_candidates, "the keywords alone make these rules candidates"
    assert engine.matches(text) == []
    survey = engine.survey(text)
    assert survey is not None and not keyword_candidates & survey.rules


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
    monkeypatch.setattr(regexfilter, "BULK_BYTES", 0)
    engine = Engine(RULES, "hyperscan", MARKERS)
    policies = REPO_ROOT / "rules" / "policies"
    files = [p for p in sorted(policies.rglob("*")) if p.is_file()]
    texts = [(p.name, p.read_bytes()) for p in files] + [("x", t) for t in _texts()]
    texts.append(("notes.txt", b"sops_version=3.8.1\nA=ENC[AES256_GCM,data:x]\n"))
    for name, data in texts:
        survey = engine.survey(data)
        assert survey is not None
        assert survey.markers == {m for m in detect.MARKERS if m in data}, name
        assert detect.wants(name, data, survey.markers) == detect.wants(name, data), name


def test_every_rule_compiles_into_the_filter_with_long_bounds_opened() -> None:
    from scanner.engine.regexfilter import relax_bounds

    def relax(regex: str) -> str:
        return relax_bounds(regex, limit=2048)

    assert relax(r"[A-Za-z0-9+/=\s]{64,16000}-----END") == r"[A-Za-z0-9+/=\s]{64,}-----END"
    assert relax(r"(?:[^\n]*\n){0,20}?x{3000}") == r"(?:[^\n]*\n){0,20}?x{3000,}"
    assert relax(r"a{2,3000}?b{1,2048}") == r"a{2,}?b{1,2048}"
    # braces that are not quantifiers stay as they are
    assert relax(r"\{1,5000\}[{]{1,9}") == r"\{1,5000\}[{]{1,9}"
    assert relax(r"[]{][^]}]{1,5000}") == r"[]{][^]}]{1,}"
    # Python's {,n} and {,}, which Hyperscan would read as literal text
    assert relax(r"x{,5000}y{,9}z{,}") == r"x{0,}y{0,9}z{0,}"
    assert relax(r"x{}y{a,b}") == r"x{}y{a,b}"
    # the default opens every bound past 64: [^\n]{0,300} context runs cost most of the build
    assert relax_bounds(r"a[^\n]{0,300}?b{40}c{1,64}") == r"a[^\n]{0,}?b{40}c{1,64}"
    loaded = regexfilter.load(RULES, MARKERS)
    assert loaded is not None and loaded.indices == list(range(len(RULES)))


def test_a_pattern_hyperscan_rejects_stands_in_by_its_keywords(
        monkeypatch: pytest.MonkeyPatch) -> None:
    rules = [r for r in RULES if r.family == "source-hosting"]  # a few, to compile quickly
    broken = next(i for i, rule in enumerate(rules) if rule.id == "github-pat-classic")
    real = regexfilter.database_pattern

    def pattern(rule: object) -> str:  # valid for Python's re, too large for Hyperscan
        return "(?:a{1000}){1000}" if rule is rules[broken] else real(rule)  # type: ignore[arg-type]

    monkeypatch.setattr(regexfilter, "database_pattern", pattern)
    loaded = regexfilter.load(rules)
    assert loaded is not None and broken not in loaded.indices
    assert len(loaded.indices) == len(rules) - 1
    survey = loaded.survey(b"ghp_ is where it starts")
    assert survey is not None and broken in survey.rules and broken not in survey.ends


def test_a_blob_too_dense_to_survey_falls_back_to_keywords(
        monkeypatch: pytest.MonkeyPatch) -> None:
    plain = Engine(RULES, "re")
    monkeypatch.setattr(regexfilter, "BULK_BYTES", 0)
    monkeypatch.setattr(regexfilter, "CALLBACK_LIMIT", 2)
    filtered = Engine(RULES, "hyperscan", MARKERS)
    text = b"".join(f'password = "Qm7rT2vX9kLp{i:04d}"\n'.encode() for i in range(20))
    assert filtered.survey(text) is None
    assert _spans(filtered, text) == _spans(plain, text) and len(_spans(plain, text)) == 20


def test_a_custom_rule_written_with_python_only_bounds_is_found_in_bulk_scans(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from scanner.engine.rules import parse_pack

    [rule] = parse_pack([{
        "id": "acme-key", "name": "Acme key", "family": "saas", "severity": "high",
        "keywords": ["acme_"], "regex": r"\b(acme_[a-z0-9]{,40}Q[0-9]{,})\b",
        "reference": "test", "examples": [], "negative_examples": []}], "t")
    monkeypatch.setattr(regexfilter, "BULK_BYTES", 0)
    engine = Engine([rule], "hyperscan", MARKERS)
    text = b"key = acme_k7x2m9q4Q77\n"
    survey = engine.survey(text)
    assert survey is not None and 0 in survey.ends  # compiled, and it saw the match
    assert [m.secret for m in engine.matches(text, survey)] == ["acme_k7x2m9q4Q77"]
