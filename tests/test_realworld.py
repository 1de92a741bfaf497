"""The real-world benchmark's pure parts: catalogue schema, label loading, scoring arithmetic,
and the catalogue itself (well-formed, no secret-looking value). No network, no fetched
repositories: the trees the benchmark scores are never needed here."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO_ROOT
from tests.helpers import run_sealguard

sys.path.insert(0, str(REPO_ROOT / "benchmarks" / "realworld"))
import catalogue as C
import scoring as S

SHA = "0123456789abcdef0123456789abcdef01234567"


def _repo(**extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"repository": "acme/gitops", "commit": SHA, "branch": "main",
                           "files": []}
    doc.update(extra)
    return doc


def _label(path: str, category: str, **extra: Any) -> dict[str, Any]:
    return {"path": path, "verdict": C.CATEGORIES.get(category, "pass"), "category": category,
            "reason": "a reason", **extra}


# ------------------------------------------------------------------ the committed catalogue
def test_catalogue_loads_and_is_well_formed() -> None:
    repos = C.load_catalogue()
    assert len(repos) >= 20
    assert len({r.repository for r in repos}) == len(repos)
    labelled = [lab for r in repos for lab in r.files.values()]
    assert len(labelled) >= 300
    assert {lab.verdict for lab in labelled} == {"block", "pass"}
    history = [r for r in repos if r.history]
    assert len(history) >= 3


def test_catalogue_holds_no_secret_looking_value(tmp_path: Path) -> None:
    """sealguard's own engine, at its most sensitive threshold, finds nothing in the labels
    (scanned outside the repository so no allowlist applies)."""
    shutil.copytree(C.CATALOGUE, tmp_path / "catalogue")
    shutil.copy(C.HERE / "LABELLING.md", tmp_path / "LABELLING.md")
    proc = run_sealguard("scan", "--format", "json", "--fail-on", "low", ".", cwd=tmp_path)
    doc = json.loads(proc.stdout)
    assert doc["summary"]["files"] >= 20
    assert doc["findings"] == [], [(f["path"], f["line"], f["rule"]) for f in doc["findings"]]
    assert proc.returncode == 0


def test_reasons_describe_and_never_quote_long_tokens() -> None:
    for repo in C.load_catalogue():
        labels = [*repo.files.values(), *repo.history_findings.values()]
        for lab in labels:
            longest = max((len(w) for w in lab.reason.replace("/", " ").split()), default=0)
            assert longest < 40, (repo.repository, lab.path, lab.reason)


# ------------------------------------------------------------------ schema
def test_parse_repo_reads_labels() -> None:
    doc = _repo(paths=["charts/a"], history=True,
                files=[_label("charts/a/values.yaml", "dummy"),
                       _label("charts/a/secret.yaml", "policy-violation", via="sample")],
                history_findings=[{"commit": SHA, "path": "x.yaml", "rule": "r", "blob": SHA,
                                   "verdict": "pass", "category": "not-a-secret",
                                   "reason": "a reference"}])
    repo = C.parse_repo(doc, "acme+gitops.yaml")
    assert repo.slug == "acme+gitops"
    assert repo.files["charts/a/secret.yaml"].verdict == "block"
    assert repo.files["charts/a/secret.yaml"].via == "sample"
    assert repo.files["charts/a/values.yaml"].via == "flagged"
    assert repo.history_findings[(SHA, "x.yaml", "r")].category == "not-a-secret"


@pytest.mark.parametrize(("change", "message"), [
    ({"commit": "abc"}, "commit must be 40"),
    ({"repository": "no-slash"}, "owner/name"),
    ({"extra": 1}, "unknown key"),
    ({"files": [{"path": "a", "verdict": "block", "category": "dummy", "reason": "r"}]},
     "verdict of a dummy must be pass"),
    ({"files": [_label("a", "secretish")]}, "category must be one of"),
    ({"files": [_label("../a", "dummy")]}, "must be relative"),
    ({"files": [_label("a", "dummy"), _label("a", "dummy")]}, "labelled twice"),
    ({"files": [{**_label("a", "dummy"), "reason": "two\nlines"}]}, "one line"),
    ({"files": [{**_label("a", "dummy"), "reason": ""}]}, "reason must be"),
    ({"files": [_label("a", "dummy", via="guess")]}, "via must be"),
    ({"paths": ["charts/a"], "files": [_label("charts/b/x", "dummy")]}, "outside"),
    ({"history_findings": [{"commit": SHA, "path": "a", "rule": "r", "blob": SHA,
                            "verdict": "pass", "category": "dummy", "reason": "r"}]},
     "without history: true"),
    ({"history": True, "history_findings": [{"commit": SHA, "path": "a", "rule": "r",
                                             "blob": "short", "verdict": "pass",
                                             "category": "dummy", "reason": "r"}]},
     "blob must be 40"),
])
def test_parse_repo_rejects(change: dict[str, Any], message: str) -> None:
    with pytest.raises(C.CatalogueError, match=message):
        C.parse_repo(_repo(**change), "acme+gitops.yaml")


def test_load_repo_wants_the_slug_as_file_name(tmp_path: Path) -> None:
    path = tmp_path / "other.yaml"
    path.write_text(yaml.safe_dump(_repo()))
    with pytest.raises(C.CatalogueError, match=r"must be acme\+gitops.yaml"):
        C.load_repo(path)
    path.write_text("repository: [unclosed")
    with pytest.raises(C.CatalogueError, match="not valid YAML"):
        C.load_repo(path)


# ------------------------------------------------------------------ scoring
def _labels(**verdicts: str) -> dict[str, C.FileLabel]:
    cat = {"block": "policy-violation", "pass": "not-a-secret"}
    return {p: C.FileLabel(p, v, cat[v], "r") for p, v in verdicts.items()}


def test_score_files_counts_each_outcome_once_per_file() -> None:
    labels = _labels(a="block", b="block", c="pass", d="pass")
    flagged = {"a": {"r1", "r2"}, "c": {"r1"}, "z": {"r3"}}
    c = S.score_files(flagged, labels)
    assert (c.flagged, c.tp, c.fp, c.fn, c.unlabelled) == (3, 1, 1, 1, 1)
    assert c.precision == 0.5
    assert c.recall == 0.5
    assert S.false_alarms(flagged, labels) == [("c", ["r1"])]
    assert S.misses(flagged, labels) == ["b"]
    assert S.unlabelled(flagged, labels) == [("z", ["r3"])]


def test_counts_add_and_undefined_ratios() -> None:
    empty = S.Counts()
    assert empty.precision is None
    assert empty.recall is None
    assert S.pr(empty) == "— / —"
    total = S.Counts(2, 1, 1, 0, 0) + S.Counts(1, 1, 0, 3, 1)
    assert total == S.Counts(3, 2, 1, 3, 1)
    assert S.pr(total) == "0.67 / 0.40"


def test_blocking_follows_fail_on_medium() -> None:
    assert S.blocking("medium", True)
    assert S.blocking("HIGH", True)
    assert not S.blocking("low", True)
    assert not S.blocking(None, True)
    assert S.blocking(None, False)  # peers have no severities: everything blocks


def test_history_units_are_places_of_blocking_findings() -> None:
    doc = {"findings": [
        {"rule": "k8s-plaintext-secret", "severity": "high", "path": "a.yaml", "line": 3,
         "commit": "c1", "locations": [
             {"commit": "c1", "path": "a.yaml", "line": 3},
             {"commit": "c2", "path": "b.yaml", "line": 9},
             {"commit": "c2", "path": "b.yaml", "line": 9}]},
        {"rule": "jwt", "severity": "low", "path": "c.md", "line": 1, "commit": "c3"},
        {"rule": "jwt", "severity": "medium", "path": "d.md", "line": 4, "commit": "c4"},
    ]}
    units = S.history_units(doc)
    assert units == {("c1", "a.yaml", "k8s-plaintext-secret"): [3],
                     ("c2", "b.yaml", "k8s-plaintext-secret"): [9],
                     ("c4", "d.md", "jwt"): [4]}
    labels = {("c1", "a.yaml", "k8s-plaintext-secret"): C.HistoryLabel(
        "c1", "a.yaml", "k8s-plaintext-secret", SHA, "block", "policy-violation", "r"),
        ("c4", "d.md", "jwt"): C.HistoryLabel("c4", "d.md", "jwt", SHA, "pass", "dummy", "r")}
    c = S.score_history(units, labels)
    assert (c.flagged, c.tp, c.fp, c.unlabelled) == (3, 1, 1, 1)
    assert c.precision == 0.5


def test_flip_debatable_turns_only_debatable_verdicts() -> None:
    labels = {"a": C.FileLabel("a", "block", "real-secret", "docs paste; Debatable (docs)"),
              "b": C.FileLabel("b", "pass", "dummy", "chart default"),
              "c": C.FileLabel("c", "pass", "not-a-secret", "key id alone; debatable")}
    flipped = S.flip_debatable(labels)
    assert {k: v.verdict for k, v in flipped.items()} == {"a": "pass", "b": "pass",
                                                          "c": "block"}
    flagged = {"a": {"r"}, "c": {"r"}}
    assert S.score_files(flagged, labels) == S.Counts(2, 1, 1, 0, 0)
    assert S.score_files(flagged, flipped) == S.Counts(2, 1, 1, 0, 0)
    assert S.score_files({"a": {"r"}}, flipped) == S.Counts(1, 0, 1, 1, 0)


def test_history_distinct_groups_places_by_path_and_rule() -> None:
    def lab(c: str, p: str, v: str) -> C.HistoryLabel:
        return C.HistoryLabel(c, p, "jwt", SHA, v, "dummy" if v == "pass" else "real-secret", "r")
    units = [("c1", "a.md", "jwt"), ("c2", "a.md", "jwt"), ("c3", "a.md", "jwt"),
             ("c1", "b.md", "jwt"), ("c2", "b.md", "jwt"), ("c1", "c.md", "jwt"),
             ("c1", "a.md", "k8s-plaintext-secret")]
    labels = {("c1", "a.md", "jwt"): lab("c1", "a.md", "pass"),
              ("c2", "a.md", "jwt"): lab("c2", "a.md", "block"),
              ("c1", "b.md", "jwt"): lab("c1", "b.md", "pass"),
              ("c2", "b.md", "jwt"): lab("c2", "b.md", "pass")}
    c = S.score_history_distinct(units, labels)
    # a.md/jwt: one block place -> tp; b.md/jwt: all pass -> fp; c.md and a.md's other rule:
    # never labelled -> unlabelled
    assert (c.flagged, c.tp, c.fp, c.unlabelled) == (4, 1, 1, 2)
    assert S.score_history(units, labels) == S.Counts(7, 1, 3, 0, 3)
