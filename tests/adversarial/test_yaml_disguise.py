"""A plaintext Secret spelled so that the literal tests miss it but Kubernetes' YAML reader
(go-yaml) still reads `kind: Secret`: other line breaks, escapes, tags, explicit keys,
aliases. And what Kubernetes rejects (a zero-width or homoglyph kind) is not over-blocked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from adv import check, git, new_repo, sg, write

DATA = "metadata:\n  name: db\ndata:\n  db-pass: WnE4I3ZSMiFtSzlwTDR4VHc=\n"
PLAIN = "apiVersion: v1\nkind: Secret\n" + DATA
DISGUISES = {
    "cr-only": PLAIN.replace("\n", "\r"),
    "nel": PLAIN.replace("\n", "\x85"),
    "line-separator": PLAIN.replace("\n", "\u2028"),
    "paragraph-separator": PLAIN.replace("\n", "\u2029"),
    "hex-and-unicode-escapes": '"\\x61piVersion": v1\n"\\u006bind": "\\x53ecret"\n' + DATA,
    "tagged-keys": "!!str apiVersion: v1\n!!str kind: !!str Secret\n" + DATA,
    "explicit-keys": "? apiVersion\n: v1\n? kind\n: Secret\n" + DATA,
    "alias-key": "x: &k kind\napiVersion: v1\n*k : Secret\n" + DATA,
}


def _rules(stdout: str) -> set[str]:
    return {f["rule"] for f in json.loads(stdout)["findings"]}


@pytest.mark.parametrize("shape", sorted(DISGUISES))
def test_a_disguised_plaintext_secret_is_found(tmp_path: Path, shape: str) -> None:
    root = tmp_path / "plain"
    write(root / "deploy" / "secret.yaml", DISGUISES[shape])
    proc = sg("scan", "deploy", "--format", "json", cwd=root)
    check(proc, 1, "WnE4I3ZSMiFtSzlwTDR4VHc=", text=False)
    assert "k8s-plaintext-secret" in _rules(proc.stdout)


def test_escaped_kind_in_json(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    write(root / "secret.json", '{"apiVersion": "v1", "\\u006bind": "Secret", "metadata": '
          '{"name": "db"}, "data": {"db-pass": "WnE4I3ZSMiFtSzlwTDR4VHc="}}')
    proc = sg("scan", "secret.json", "--format", "json", cwd=root)
    check(proc, 1, text=False)
    assert "k8s-plaintext-secret" in _rules(proc.stdout)


@pytest.mark.parametrize("shape", ["cr-only", "hex-and-unicode-escapes"])
def test_disguised_secret_in_staged_diff_and_history(tmp_path: Path, shape: str) -> None:
    repo = new_repo(tmp_path / "r")
    base = git(repo, "rev-parse", "HEAD").strip()
    write(repo / "deploy" / "secret.yaml", DISGUISES[shape])
    git(repo, "add", "-A")
    for args in (["scan", "--staged"], None, ["history"]):
        if args is None:
            git(repo, "commit", "-q", "-m", "disguised")
            args = ["diff", f"{base}..HEAD"]
        proc = sg(*args, "--format", "json", cwd=repo)
        check(proc, 1, text=False)
        assert "k8s-plaintext-secret" in _rules(proc.stdout), args


@pytest.mark.parametrize("kind", ["Sec\u200bret", "S\u0435cret", "Secret\u2060"])
def test_a_kind_kubernetes_rejects_is_not_a_secret(tmp_path: Path, kind: str) -> None:
    """A zero-width or Cyrillic letter makes a kind the API server does not know: no
    plaintext-Secret verdict (the value is still scanned as a secret), no crash."""
    root = tmp_path / "plain"
    write(root / "deploy" / "x.yaml", PLAIN.replace("Secret", kind))
    proc = sg("scan", "deploy", "--format", "json", cwd=root)
    assert "Traceback" not in proc.stderr and proc.returncode in (0, 1)
    assert "k8s-plaintext-secret" not in _rules(proc.stdout)


def test_anchors_and_escapes_in_other_yaml_stay_quiet(tmp_path: Path) -> None:
    """Compose anchors, CI aliases and escapes make a file parsed, not a resource."""
    root = tmp_path / "plain"
    write(root / "deploy" / "compose.yaml",
          "x-common: &common\n  image: nginx\nservices:\n  web:\n    <<: *common\n")
    write(root / "deploy" / "ci.yml", "on: push\njobs:\n  build: &b\n    runs-on: ubuntu\n"
          '    steps: [{run: "echo \\u0041"}]\n  test: *b\n  broken: [\n')
    proc = sg("scan", "deploy", "--format", "json", cwd=root)
    check(proc, 0, text=False)
    assert json.loads(proc.stdout)["findings"] == []


def test_python_tags_in_a_manifest_never_construct(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    marker = tmp_path / "constructed"
    write(root / "deploy" / "secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata: "
          f"!!python/object/apply:os.system ['touch {marker}']\n" + DATA.split("\n", 2)[2])
    proc = sg("scan", "deploy", "--format", "json", cwd=root)
    check(proc, 1, text=False)
    assert not marker.exists()
    assert "k8s-plaintext-secret" in _rules(proc.stdout)


def test_deeply_nested_flow_collections_fail_closed(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    write(root / "deploy" / "secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {x: "
          + "[" * 60_000 + "]" * 60_000 + "}\n" + DATA.split("\n", 2)[2])
    proc = sg("scan", "deploy", "--format", "json", cwd=root)
    check(proc, 1, text=False)
    assert "manifest-parse-error" in _rules(proc.stdout)
