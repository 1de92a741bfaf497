"""YAML as Kubernetes reads it: what Go's decoder (go-yaml, via sigs.k8s.io/yaml) accepts is
read, not reported as broken; what it refuses is still a parse error. Synthetic documents of
the shapes seen in real GitOps repositories."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import commit_file, git
from helpers import cli

from scanner.blob import Blob
from scanner.config import Config, GitopsConfig
from scanner.findings import Finding
from scanner.pipeline import ScanContext, scan_blob
from scanner.policy import yamlbuild
from scanner.policy.yamlnodes import Map, Node, ParseProblem, Scalar, Seq, read_documents

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Zq8-Kv4m-Passw0rd-x7"  # not a real password


@pytest.fixture(scope="module")
def ctx() -> ScanContext:
    return ScanContext.build(Config(gitops=GitopsConfig(paths=("clusters/**",))), backend="re")


def scan(ctx: ScanContext, text: str, path: str = "clusters/app/app.yaml") -> list[Finding]:
    return scan_blob(ctx, Blob(path, text.encode()))


def rules(found: list[Finding]) -> set[tuple[str, int]]:
    return {(f.rule, f.line) for f in found}


def roots(text: str) -> list[Node]:
    docs = list(read_documents(text))
    assert all(d.problem is None for d in docs), [d.problem for d in docs]
    return [d.root for d in docs if d.root is not None]


# -- the same tree as PyYAML's composer wherever both accept the text ------------------------

def _pyyaml_tree(node: Any) -> Any:
    short = str(node.tag).rsplit(":", 1)[-1]
    tag = short if short in ("str", "int", "float", "bool", "null") else "other"
    where = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.value, *where, tag, node.style or "")
    if isinstance(node, yaml.SequenceNode):
        return ("seq", *where, [_pyyaml_tree(v) for v in node.value])
    return ("map", *where, [((k.value if isinstance(k, yaml.ScalarNode) else "",
                              k.start_mark.line + 1, k.start_mark.column + 1), _pyyaml_tree(v))
                            for k, v in node.value])


def _our_tree(node: Node) -> Any:
    if isinstance(node, Scalar):
        return ("scalar", node.value, node.line, node.column, node.tag, node.style)
    if isinstance(node, Seq):
        return ("seq", node.line, node.column, [_our_tree(v) for v in node.items])
    return ("map", node.line, node.column,
            [((k.value, k.line, k.column), _our_tree(v)) for k, v in node.items])


SHAPES = """\
plain: text
int: 42
octal: 0777
float: 1.5e3
bools: [yes, No, on, OFF, true, False]
nulls: [~, null, ]
empty:
stamp: 2024-01-02
quoted: ["1", '2', "yes"]
literal: |
  line one
  line two
folded: >-
  folded
  text
binary: !!binary QUFBQQ==
custom: !thing {a: 1}
forced: !!str 12
nonspecific: ! 12
anchored: &a {k: v}
again: *a
? [complex, key]
: value
"quoted key": 1
"""


def corpus_texts() -> list[str]:
    paths = [p for base in ("rules/policies", "examples", "tests/corpus")
             for p in sorted((ROOT / base).rglob("*")) if p.suffix in (".yaml", ".yml")]
    return [SHAPES, *(p.read_text(encoding="utf-8", errors="replace") for p in paths)]


def test_same_tree_as_pyyaml_where_both_read() -> None:
    compared = 0
    for text in corpus_texts():
        if "<<" in text:
            continue  # merge keys: PyYAML's composer leaves them to the constructor
        ours = list(yamlbuild.build(iter(yaml.CSafeLoader(text).get_event, None), 0))
        try:
            theirs = [n for n in yaml.compose_all(text, Loader=yaml.CSafeLoader) if n is not None]
        except yaml.YAMLError as exc:  # what PyYAML refuses, we refuse too, but for anchors
            assert "duplicate anchor" in str(exc) or any(isinstance(d, ParseProblem)
                                                         for d in ours)
            continue
        if any(isinstance(d, ParseProblem) for d in ours):
            assert all(d.message.startswith("too ") for d in ours if isinstance(d, ParseProblem))
            continue  # a bound (the alias bomb): PyYAML composes it unexpanded
        assert [_our_tree(d.root) for d in ours if isinstance(d, yamlbuild.Built)] \
            == [_pyyaml_tree(n) for n in theirs]
        compared += 1
    assert compared > 50


# -- anchors, aliases, merges as go-yaml composes them ----------------------------------------

def test_anchor_redefined_later_definition_wins() -> None:
    (root,) = roots("a: &port 8080\nb: *port\nc: &port 32400\nd: *port\n")
    assert isinstance(root, Map)
    assert [root.text(k) for k in "abcd"] == ["8080", "8080", "32400", "32400"]


def test_secret_under_a_redefined_anchor_is_checked(ctx: ScanContext) -> None:
    text = ("apiVersion: v1\nkind: Secret\nmetadata: {name: app}\nstringData:\n"
            "  port: &v \"32400\"\n  mirror: *v\n"
            f"  password: &v {PASSWORD}\n  copy: *v\n")
    found = scan(ctx, text)
    assert not [f for f in found if f.rule == "manifest-parse-error"]
    assert {("k8s-plaintext-secret", 7), ("k8s-plaintext-secret", 8)} <= rules(found)


def test_alias_as_a_key(ctx: ScanContext) -> None:
    text = ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: &app web}\n"
            "names: &key DB_PASSWORD\ndata:\n"
            f"  *app : plain-value\n  *key : {PASSWORD}\n")
    (root,) = roots(text)
    assert isinstance(root, Map)
    data = root.map("data")
    assert data is not None and data.text("web") == "plain-value"
    found = scan(ctx, text)
    assert ("k8s-configmap-secret", 7) in rules(found)
    assert not [f for f in found if f.rule == "manifest-parse-error"]


@pytest.mark.parametrize(("text", "message"), [
    ("apiVersion: v1\nkind: ConfigMap\na: *later\nb: &later x\n", "unknown anchor 'later'"),
    ("apiVersion: v1\nkind: ConfigMap\na: &self {b: *self}\n", "contains itself"),
])
def test_what_go_refuses_stays_a_parse_error(ctx: ScanContext, text: str, message: str) -> None:
    errors = [f for f in scan(ctx, text) if f.rule == "manifest-parse-error"]
    assert errors and message in errors[0].message and errors[0].severity == "medium"


def test_merge_keys_written_keys_win_then_earlier_sources() -> None:
    text = ("base: &base {kind: Secret, name: base, port: 1}\nother: &other {name: other, x: 2}\n"
            "first:\n  <<: *base\n  kind: ConfigMap\n"
            "second:\n  kind: ConfigMap\n  <<: [*other, *base]\n")
    (root,) = roots(text)
    assert isinstance(root, Map)
    first, second = root.map("first"), root.map("second")
    assert first is not None and second is not None
    assert first.text("kind") == "ConfigMap" and first.text("port") == "1"
    assert [k.value for k, _ in first.items].count("kind") == 1
    assert second.text("kind") == "ConfigMap" and second.text("name") == "other"
    assert second.text("x") == "2" and second.text("port") == "1"


# -- duplicate keys: the reading that exposes the most, and a note ---------------------------

def test_duplicate_kind_is_checked_as_a_secret(ctx: ScanContext) -> None:
    text = ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\nkind: Secret\n"
            f"stringData:\n  password: {PASSWORD}\n")
    found = [f for f in scan(ctx, text) if f.rule == "k8s-plaintext-secret"]
    assert found and found[0].line == 6
    assert "repeats a key: 'kind' at lines 2, 4" in found[0].message
    assert not [f for f in scan(ctx, text) if f.rule == "manifest-parse-error"]


def test_every_occurrence_of_a_repeated_section_is_checked(ctx: ScanContext) -> None:
    text = ("apiVersion: v1\nkind: Secret\nmetadata: {name: app}\n"
            f"stringData:\n  first: {PASSWORD}1\nstringData:\n  second: {PASSWORD}2\n")
    assert {("k8s-plaintext-secret", 5), ("k8s-plaintext-secret", 7)} <= rules(scan(ctx, text))


def test_many_repeated_keys_are_bounded(ctx: ScanContext) -> None:
    body = "".join(f"  k{i}: a\n  k{i}: b\n" for i in range(200))
    text = f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: app}}\ndata:\n{body}"
    started = time.perf_counter()
    (doc,) = list(read_documents(text))
    assert len(doc.readings()) == 2  # the first and the last everywhere: 2**200 otherwise
    scan(ctx, text)
    assert time.perf_counter() - started < 10


def test_unique_keys_give_one_reading() -> None:
    (doc,) = list(read_documents("a: 1\nb: {a: 2}\n"))
    assert doc.duplicates == () and doc.readings() == [doc.root]


# -- size: real CRD bundles are read; bounds protect memory and time -------------------------

def _schema(depth: int, width: int) -> str:
    lines, indent = [], "      "
    for level in range(depth):
        lines.append(f"{indent}properties:")
        indent += "  "
        for i in range(width):
            lines += [f"{indent}field{level}x{i}:", f"{indent}  type: string",
                      f"{indent}  description: a field of level {level}, item {i}, of the bundle"]
        lines.append(f"{indent}nested{level}:")
        indent += "  "
    return "\n".join(lines)


def test_a_crd_bundle_larger_than_2mb_is_read(ctx: ScanContext) -> None:
    crd = ("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
           "  name: things.example.io\nspec:\n  versions:\n  - name: v1\n    schema:\n"
           + _schema(30, 260) + "\n")
    assert len(crd) > 2 * 1024 * 1024
    secret = f"apiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\nstringData:\n  p: {PASSWORD}\n"
    found = scan(ctx, crd + "---\n" + secret)
    assert not [f for f in found if f.rule == "manifest-parse-error"]
    assert any(f.rule == "k8s-plaintext-secret" for f in found)


def test_a_large_configmap_is_checked(ctx: ScanContext) -> None:
    filler = "ordinary configuration text " * 4000
    rows = "".join(f"  key{i}: {filler}{i}\n" for i in range(30))
    text = (f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: big}}\ndata:\n{rows}"
            f"  DB_PASSWORD: {PASSWORD}\n")
    assert len(text) > 3 * 1024 * 1024
    found = scan(ctx, text)
    assert not [f for f in found if f.rule == "manifest-parse-error"]
    assert ("k8s-configmap-secret", 35) in rules(found)


def test_a_crd_that_also_names_another_kind_is_not_skipped(ctx: ScanContext) -> None:
    text = ("apiVersion: v1\nkind: CustomResourceDefinition\nkind: Secret\nmetadata: {name: s}\n"
            f"stringData:\n  p: {PASSWORD}\n")
    assert ("k8s-plaintext-secret", 6) in rules(scan(ctx, text))


def test_node_bound(ctx: ScanContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlbuild, "MAX_NODES", 1000)
    rows = "".join(f"  k{i}: v\n" for i in range(600))
    errors = [f for f in scan(ctx, f"apiVersion: v1\nkind: ConfigMap\ndata:\n{rows}")
              if f.rule == "manifest-parse-error"]
    assert errors and "more than 1000 nodes" in errors[0].message


# -- text other generators substitute before any YAML reader sees it -------------------------

def test_flux_substitution_in_a_flow_sequence(ctx: ScanContext) -> None:
    text = ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata:\n"
            "  targets: [vault.${CLUSTER_DOMAIN}:8200, other]\n"
            f"  DB_PASSWORD: {PASSWORD}\n")
    found = scan(ctx, text)
    assert not [f for f in found if f.rule == "manifest-parse-error"]
    assert ("k8s-configmap-secret", 6) in rules(found)


# -- severity of parse errors -----------------------------------------------------------------

BROKEN_SECRET = (f"apiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\nstringData:\n"
                 f"  password: {PASSWORD}\n  other: [unclosed\n")


@pytest.mark.parametrize(("path", "text", "severity"), [
    ("clusters/app/secret.yaml", BROKEN_SECRET, "medium"),  # a manifest in a GitOps path
    ("docs/secret.yaml", BROKEN_SECRET, "low"),  # not a GitOps path
    ("clusters/app/values.yaml", "image: {tag: [1\n", "low"),  # Helm values: not a manifest
])
def test_parse_error_blocks_only_manifests_in_gitops_paths(
        ctx: ScanContext, path: str, text: str, severity: str) -> None:
    errors = [f for f in scan(ctx, text, path) if f.rule == "manifest-parse-error"]
    assert [f.severity for f in errors] == [severity]


def test_line_wise_fallback_still_reports_the_secret(ctx: ScanContext) -> None:
    found = scan(ctx, BROKEN_SECRET, "clusters/app/secret.yaml")
    plaintext = [f for f in found if f.rule == "k8s-plaintext-secret"]
    assert plaintext and plaintext[0].line == 5 and plaintext[0].severity == "high"


# -- history and ranges: a broken version that is no longer current does not block -----------

BROKEN_MANIFEST = ("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n"
                   "  ports:\n\t- port: 80\n")  # a tab in indentation: go-yaml refuses it too
FIXED_MANIFEST = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: []\n"


def _errors(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["rule"] == "manifest-parse-error"]


def _json(*args: str) -> dict[str, Any]:
    result = cli(*args, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_history_parse_error_blocks_only_while_at_head(git_repo: Path) -> None:
    commit_file(git_repo, "clusters/web/service.yaml", BROKEN_MANIFEST, "broken")
    (error,) = _errors(_json("history"))
    assert error["severity"] == "medium" and error["at_head"] is True
    commit_file(git_repo, "clusters/web/service.yaml", FIXED_MANIFEST, "fixed")
    report = _json("history")
    (error,) = _errors(report)
    assert error["severity"] == "low" and error["at_head"] is False
    assert cli("history").exit_code == 0


def test_history_still_reports_a_secret_in_an_unreadable_old_version(git_repo: Path) -> None:
    commit_file(git_repo, "clusters/app/secret.yaml", BROKEN_SECRET, "broken")
    commit_file(git_repo, "clusters/app/secret.yaml", FIXED_MANIFEST, "replaced")
    findings = _json("history")["findings"]
    plaintext = [f for f in findings if f["rule"] == "k8s-plaintext-secret"]
    assert plaintext and plaintext[0]["severity"] == "high" and plaintext[0]["at_head"] is False
    assert all(f["severity"] == "low" for f in findings if f["rule"] == "manifest-parse-error")


def test_range_parse_error_of_a_replaced_version_does_not_block(git_repo: Path) -> None:
    base = commit_file(git_repo, "README.md", "demo\n", "base")
    commit_file(git_repo, "clusters/web/service.yaml", BROKEN_MANIFEST, "broken")
    (error,) = _errors(_json("diff", f"{base}..HEAD"))
    assert error["severity"] == "medium"
    commit_file(git_repo, "clusters/web/service.yaml", FIXED_MANIFEST, "fixed")
    (error,) = _errors(_json("diff", f"{base}..HEAD"))
    assert error["severity"] == "low"


UTF16_SECRET = ("# written by a Windows editor\napiVersion: v1\nkind: Secret\n"
                f"metadata:\n  name: db\nstringData:\n  password: {PASSWORD}\n")


def _plaintext_lines(report: dict[str, Any]) -> list[tuple[str, int]]:
    return [(f["path"], f["line"]) for f in report["findings"]
            if f["rule"] == "k8s-plaintext-secret"]


def test_utf16le_secret_manifest_in_scan_staged_and_history(git_repo: Path) -> None:
    """A Secret saved as UTF-16LE with a BOM is the same manifest to every command: the read
    layer hands the policy UTF-8 with the file's own line numbers."""
    data = b"\xff\xfe" + UTF16_SECRET.replace("\n", "\r\n").encode("utf-16-le")
    path = git_repo / "clusters/app/secret.yaml"
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    want = [("clusters/app/secret.yaml", 7)]
    assert _plaintext_lines(_json("scan", "clusters/app/secret.yaml")) == want
    commit_file(git_repo, "clusters/app/secret.yaml", data, "utf-16")
    path.write_bytes(b"\xff\xfe" + UTF16_SECRET.replace(PASSWORD, PASSWORD[::-1])
                     .encode("utf-16-le"))
    git(git_repo, "add", "-A")
    assert _plaintext_lines(_json("scan", "--staged")) == want
    assert _plaintext_lines(_json("history")) == want
