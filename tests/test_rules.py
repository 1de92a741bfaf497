"""The built-in rule packs: validation in both back-ends, back-end parity, the wheel, noise."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

from scanner.engine.matcher import hyperscan_available
from scanner.engine.rulecheck import check_rules
from scanner.engine.rules import Rule, builtin_rule_files, load_rules
from scanner.engine.scan import Engine
from scanner.errors import RuleError
from scanner.yamlio import load_yaml_file

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "corpus"
NOISE = REPO / "tests" / "noise" / "reviewed.yaml"
MIN_RULES = 600

BACKENDS = [
    "re",
    pytest.param("hyperscan", marks=pytest.mark.skipif(
        not hyperscan_available(), reason="hyperscan is not installed on this platform")),
]


@cache
def rules() -> tuple[Rule, ...]:
    return tuple(load_rules(builtin_rule_files()))


@cache
def engine(backend: str) -> Engine:
    return Engine(rules(), backend)


def findings(backend: str, data: bytes) -> list[tuple[str, int, int]]:
    return [(m.rule.id, m.start, m.end) for m in engine(backend).matches(data)]


def test_packs_exist_and_load() -> None:
    files = builtin_rule_files()
    assert files, "no rules/*.yaml found"
    assert all(f.suffix == ".yaml" for f in files)
    assert rules()


def test_cached_packs_give_the_same_rules_and_follow_edits(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checked-pack cache: a cached load equals a fresh parse, an edited pack is read
    again, and a broken one is still a clear error (not a stale cached answer)."""
    monkeypatch.setenv("SEALGUARD_CACHE_DIR", str(tmp_path / "cache"))
    source = builtin_rule_files()[0]
    pack = tmp_path / source.name
    pack.write_bytes(source.read_bytes())
    first, again = load_rules([pack]), load_rules([pack])
    assert first == again == [r for r in rules() if r.source.startswith(f"{source.name}[")]
    assert [r.source for r in again] == [r.source for r in first]
    assert any((tmp_path / "cache").glob("rules-*"))
    edited = source.read_text(encoding="utf-8").replace("severity: critical", "severity: low")
    pack.write_text(edited, encoding="utf-8")
    assert {r.severity for r in load_rules([pack])} <= {"low", "medium", "high"}
    pack.write_text(edited.replace("family: ", "family: nowhere-", 1), encoding="utf-8")
    with pytest.raises(RuleError, match="family 'nowhere-"):
        load_rules([pack])


def test_cached_packs_carry_each_regex_facts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rules read back from the cache come with reach and literal_first already known (the
    hook and every bulk worker would otherwise parse each regex they use again), and those
    facts are what the window functions give for the regex."""
    from scanner.engine.window import crosses_lines, literal_first, reach

    monkeypatch.setenv("SEALGUARD_CACHE_DIR", str(tmp_path / "cache"))
    load_rules(builtin_rule_files())
    cached = load_rules(builtin_rule_files())
    assert all("_facts" in rule.__dict__ for rule in cached)
    for rule in cached:
        expect = (reach(rule.regex) if crosses_lines(rule.regex) else 0,
                  literal_first(rule.regex))
        assert (rule.reach, rule.literal_first) == expect, rule.id
    fresh = replace(cached[0])  # a rule made anew (a custom rule) derives them on demand
    assert "_facts" not in fresh.__dict__ and fresh.reach == cached[0].reach


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_pack_passes_rules_check(backend: str) -> None:
    problems = check_rules(rules(), [backend])
    assert problems == [], "\n".join(problems)


def test_rule_count_reaches_the_coverage_target() -> None:
    count = len(rules())
    assert count >= MIN_RULES, (
        f"{count} built-in rules; the coverage target is {MIN_RULES} once every provider "
        "pack has landed (see issue: detection quality)")


def test_every_family_has_its_own_pack_file() -> None:
    for rule in rules():
        assert Path(rule.source.split("[", 1)[0]).stem == rule.family, rule.source


def _examples() -> list[tuple[str, str]]:
    return [(r.id, text) for r in rules() for text in (*r.examples, *r.negative_examples)]


@pytest.mark.skipif(not hyperscan_available(), reason="hyperscan is not installed")
def test_backends_agree_on_every_example() -> None:
    differ = [rule_id for rule_id, text in _examples()
              if findings("re", text.encode()) != findings("hyperscan", text.encode())]
    assert differ == [], f"back-ends disagree on examples of: {sorted(set(differ))}"


def _corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.is_file())


@pytest.mark.skipif(not hyperscan_available(), reason="hyperscan is not installed")
@pytest.mark.skipif(not CORPUS.is_dir(), reason="no tests/corpus in this checkout")
def test_backends_agree_on_the_corpus() -> None:
    differ = [str(p.relative_to(CORPUS)) for p in _corpus_files()
              if findings("re", p.read_bytes()) != findings("hyperscan", p.read_bytes())]
    assert differ == [], f"back-ends disagree on: {differ[:20]}"


def _reviewed() -> list[dict[str, str]]:
    data = load_yaml_file(NOISE)
    assert isinstance(data, list) and data, "tests/noise/reviewed.yaml must be a non-empty list"
    return data


def _noise_id(entry: dict[str, str]) -> str:
    return f"{entry['rule']}:{entry['where']}"


@pytest.mark.parametrize("entry", _reviewed(), ids=_noise_id)
def test_reviewed_noise_stays_quiet(entry: dict[str, str]) -> None:
    """Ordinary code that once fired: the rule named must not fire on it again."""
    known = {r.id for r in rules()}
    assert entry["rule"] in known, f"unknown rule id {entry['rule']} in reviewed.yaml"
    assert entry.get("why"), "every reviewed snippet says why it is not a secret"
    hits = [rule_id for rule_id, _, _ in findings("re", entry["snippet"].encode())]
    assert entry["rule"] not in hits


def test_wheel_contains_the_rule_packs(tmp_path: Path) -> None:
    """pre-commit installs hook repos with a plain `pip install .`: rules must be in the wheel."""
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path), str(REPO)],
        capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    wheels = list(tmp_path.glob("sealguard-*.whl"))
    assert len(wheels) == 1
    with zipfile.ZipFile(wheels[0]) as wheel:
        packed = {n for n in wheel.namelist() if n.startswith("scanner/_rules/")}
    expected = {f"scanner/_rules/{f.name}" for f in builtin_rule_files()}
    assert expected <= packed, f"missing from the wheel: {sorted(expected - packed)}"
