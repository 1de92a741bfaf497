"""GitOps policy behaviour beyond the pass/fail manifests: decoding, formats, bounds, config."""

from __future__ import annotations

import base64
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from scanner.blob import Blob
from scanner.config import Config, GitopsConfig
from scanner.findings import Finding
from scanner.pipeline import ScanContext, scan_blob
from scanner.policy import yamlnodes
from scanner.policy.globs import path_matches

AWS = "AKIA" + "QZ7T4KXW2M9RPL3N"  # fake, well-formed
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
AWS_RULE = {
    "id": "test-aws-key", "name": "AWS key (test)", "family": "cloud", "severity": "high",
    "keywords": ["AKIA"], "regex": r"\b(AKIA[A-Z2-7]{16})\b", "reference": "test",
    "examples": [f"k={AWS}", f"x {AWS}"], "negative_examples": ["AKIA", "nothing"],
}


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.fixture(scope="module")
def ctx() -> ScanContext:
    base = ScanContext.build(Config(), backend="re")
    if any(r.id == "aws-access-key-id" for r in base.engine.rules):
        return base
    return ScanContext.build(Config(custom_rules=(AWS_RULE,)), backend="re")


def scan(ctx: ScanContext, path: str, text: str | bytes) -> list[Finding]:
    data = text.encode() if isinstance(text, str) else text
    return scan_blob(ctx, Blob(path=path, data=data))


def rules_at(findings: list[Finding]) -> set[tuple[str, int]]:
    return {(f.rule, f.line) for f in findings}


SECRET_WITH_AWS = f"""apiVersion: v1
kind: Secret
metadata:
  name: creds
data:
  user: {b64("deploy")}
  aws: {b64(AWS)}
"""


def test_decoded_base64_key_reported_with_provider_rule(ctx: ScanContext) -> None:
    found = scan(ctx, "deploy/secret.yaml", SECRET_WITH_AWS)
    provider = [f for f in found if f.category == "secret" and f.secret == AWS]
    assert provider and provider[0].line == 7
    assert provider[0].rule in ("aws-access-key-id", "test-aws-key")
    assert "base64" in provider[0].message and AWS not in provider[0].message
    assert ("k8s-plaintext-secret", 7) in rules_at(found)


def test_kind_list_and_any_file_name(ctx: ScanContext) -> None:
    text = "apiVersion: v1\nkind: List\nitems:\n" + "\n".join(
        "  " + line if i else "- " + line
        for i, line in enumerate(SECRET_WITH_AWS.splitlines()))
    found = scan(ctx, "backup/everything.txt", text)
    assert ("k8s-plaintext-secret", 10) in rules_at(found)


def test_crlf_bom_and_tabs(ctx: ScanContext) -> None:
    crlf = ("\ufeffapiVersion: v1\r\nkind: Secret\r\nmetadata: {name: a}\r\nstringData:\r\n"
            "  k: v4lue-Real-1\r\n")
    assert ("k8s-plaintext-secret", 5) in rules_at(scan(ctx, "a.yaml", crlf))
    tabs = "apiVersion: v1\nkind: Secret\nmetadata:\n\tname: a\nstringData:\n  k: v4lue-Real-1\n"
    found = scan(ctx, "b.yaml", tabs)
    assert ("manifest-parse-error", 4) in rules_at(found)
    assert ("k8s-plaintext-secret", 6) in rules_at(found)  # tolerant line reading


def test_alias_bomb_is_bounded(ctx: ScanContext) -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]"
              for i in range(9)]
    text = "apiVersion: v1\nkind: ConfigMap\n" + "\n".join(lines) + "\n"
    started = time.perf_counter()
    found = scan(ctx, "bomb.yaml", text)
    assert time.perf_counter() - started < 5
    errors = [f for f in found if f.rule == "manifest-parse-error"]
    assert errors and "too complex" in errors[0].message and errors[0].category == "parse-error"


@pytest.mark.parametrize("text", [
    "apiVersion: v1\nkind: ConfigMap\ndata:\n" + "".join(" " * (i + 2) + f"k{i}:\n"
                                                        for i in range(300)),
    '{"apiVersion": "v1", "kind": "ConfigMap", "data": ' + "[" * 5000 + "]" * 5000 + "}",
])
def test_deep_nesting_is_reported(ctx: ScanContext, text: str) -> None:
    found = scan(ctx, "deep.yaml", text)
    assert [f for f in found if f.rule == "manifest-parse-error"]


def test_huge_document_is_reported(ctx: ScanContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlnodes, "MAX_DOC_BYTES", 1000)
    text = "apiVersion: v1\nkind: ConfigMap\ndata:\n" + "".join(f"  k{i}: v\n" for i in range(500))
    found = scan(ctx, "huge.yaml", text)
    assert any("too large" in f.message for f in found if f.rule == "manifest-parse-error")


@pytest.mark.parametrize("data", [
    b"apiVersion: v1\nkind: Secret\n\xff\xfe\x00garbage: [\n",
    b"apiVersion: v1\nkind: Secret\nstringData: !!binary AAAA\n",
    b"apiVersion: v1\nkind: Secret\nstringData:\n  ? [a, b]\n  : c\n",
    b"kind: Secret\napiVersion: v1\n---\n--- |\n  text\n...\n",
    b"apiVersion: v1\nkind: List\nitems: 3\n",
    b'{"apiVersion": "v1", "kind": "Secret", "data": "oops"}',
])
def test_malformed_input_never_crashes(ctx: ScanContext, data: bytes) -> None:
    for finding in scan(ctx, "x.yaml", data):
        assert "please report" not in finding.message


def test_json_manifest_with_tabs(ctx: ScanContext) -> None:
    text = ('{\n\t"apiVersion": "v1",\n\t"kind": "Secret",\n\t"metadata": {"name": "j"},\n'
            '\t"stringData": {\n\t\t"password": "Json-Real-Pw-42"\n\t}\n}\n')
    assert ("k8s-plaintext-secret", 6) in rules_at(scan(ctx, "secret.json", text))


SOPS_VALUE = ("ENC[AES256_GCM,data:Zm9v,iv:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=,"
              "tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]")


def test_sops_yaml_json_dotenv_are_clean(ctx: ScanContext) -> None:
    yaml_doc = (f"apiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\nstringData:\n"
                f"  password: {SOPS_VALUE}\nsops:\n  version: 3.8.1\n  mac: {SOPS_VALUE}\n")
    json_doc = ('{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, '
                f'"data": {{"password": "{SOPS_VALUE}"}}, "sops": {{"version": "3.8.1"}}}}')
    dotenv = f"API_KEY={SOPS_VALUE}\nsops_version=3.8.1\nsops_mac={SOPS_VALUE}\n"
    for path, text in (("s.yaml", yaml_doc), ("s.json", json_doc), (".env", dotenv),
                       ("secrets.json.env", json_doc), ("config.txt", dotenv)):
        policy = [f for f in scan(ctx, path, text) if f.category != "secret"]
        assert not policy, (path, [f.rule for f in policy])


def test_sops_not_allowed(ctx: ScanContext) -> None:
    config = Config(gitops=GitopsConfig(allow_sops=False))
    strict = replace(ctx, config=config)
    text = (f"apiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\nstringData:\n"
            f"  p: {SOPS_VALUE}\nsops: {{}}\n")
    assert "k8s-secret-kind-not-allowed" in {f.rule for f in scan(strict, "s.yaml", text)}


def test_placeholders_can_be_disallowed(ctx: ScanContext) -> None:
    text = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  p: ${DB_PASSWORD}\n"
    assert not scan(ctx, "s.yaml", text)
    strict = replace(ctx, config=Config(gitops=GitopsConfig(allow_placeholders=False)))
    assert ("k8s-plaintext-secret", 5) in rules_at(scan(strict, "s.yaml", text))


def test_dotenv_and_examples(ctx: ScanContext) -> None:
    text = "PORT=8000\nDB_PASSWORD=secure123!\nDEBUG=true\nTOKEN=\n"
    assert rules_at(scan(ctx, "app/.env", text)) >= {("dotenv-file", 2)}
    assert not [f for f in scan(ctx, "app/.env", text) if f.line in (1, 3, 4)]
    assert not [f for f in scan(ctx, "app/.env.example", text) if f.rule == "dotenv-file"]
    real = f"AWS_ACCESS_KEY_ID={AWS}\n"
    assert any(f.category == "secret" for f in scan(ctx, "app/.env.example", real))


def test_helm_template_and_values(ctx: ScanContext) -> None:
    template = ('apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ include "x" . }}\ndata:\n'
                '  {{- range $k, $v := .Values.secrets }}\n  {{ $k }}: {{ $v | b64enc }}\n'
                '  {{- end }}\n  password: {{ required "set it" .Values.password | b64enc }}\n')
    assert not scan(ctx, "chart/templates/secret.yaml", template)
    values = "auth:\n  password: Values-Real-Pw-88\n  existingSecret: ''\n"
    assert ("helm-values-secret", 2) in rules_at(scan(ctx, "chart/values.yaml", values))
    assert not scan(ctx, "chart/other.yaml", values)  # not a manifest, not a values file


def test_kustomize_literal(ctx: ScanContext) -> None:
    text = "secretGenerator:\n- name: s\n  literals:\n  - password=Kustomize-Pw-12\n"
    found = scan(ctx, "overlays/prod/kustomization.yaml", text)
    assert ("kustomize-secret-generator-literal", 4) in rules_at(found)


def test_argocd_inline_values_line(ctx: ScanContext) -> None:
    text = ("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\nspec:\n"
            "  source:\n    helm:\n      values: |\n        db:\n          user: app\n"
            "          password: Argo-Inline-Pw-5\n")
    assert ("argocd-inline-secret", 10) in rules_at(scan(ctx, "apps/a.yaml", text))


def test_gitops_paths_limit_policy(ctx: ScanContext) -> None:
    scoped = replace(ctx, config=Config(gitops=GitopsConfig(paths=("deploy/**",))))
    inside = scan(scoped, "deploy/app/secret.yaml", SECRET_WITH_AWS)
    outside = scan(scoped, "docs/secret.yaml", SECRET_WITH_AWS)
    assert "k8s-plaintext-secret" in {f.rule for f in inside}
    assert "k8s-plaintext-secret" not in {f.rule for f in outside}
    assert any(f.secret == AWS for f in outside)  # base64 is still decoded and scanned
    broken = "apiVersion: v1\nkind: ConfigMap\ndata: [\n"
    assert {f.severity for f in scan(scoped, "deploy/x.yaml", broken)} == {"medium"}
    assert {f.severity for f in scan(scoped, "docs/x.yaml", broken)} == {"low"}


@pytest.mark.parametrize(("path", "patterns", "expected"), [
    ("deploy/app/secret.yaml", ["deploy/**"], True),
    ("deploy/secret.yaml", ["deploy/**"], True),
    ("deployx/secret.yaml", ["deploy/**"], False),
    ("a/b/c/k8s/x.yaml", ["**/k8s/**"], True),
    ("k8s/x.yaml", ["**/k8s/**"], True),
    ("clusters/prod/x.yaml", ["clusters/*/x.yaml"], True),
    ("clusters/prod/eu/x.yaml", ["clusters/*/x.yaml"], False),
    ("apps/x.yml", ["*.yml"], True),
    ("apps/x.yaml", ["apps"], True),
    ("anything/at/all", ["**"], True),
])
def test_globs(path: str, patterns: list[str], expected: bool) -> None:
    assert path_matches(path, patterns) is expected


def test_inline_allow_comment(ctx: ScanContext) -> None:
    text = ("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n"
            "  p: Real-Pw-Value-1  # sealguard:allow k8s-plaintext-secret\n")
    assert not scan(ctx, "s.yaml", text)


def test_allowed_kinds_config(ctx: ScanContext) -> None:
    sealed = base64.b64encode(bytes(range(256)) * 2).decode()
    text = ("apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: s}\n"
            f"spec:\n  encryptedData:\n    p: {sealed}\n")
    strict = replace(ctx, config=Config(gitops=GitopsConfig(allowed_kinds=("ExternalSecret",))))
    assert "k8s-secret-kind-not-allowed" in {f.rule for f in scan(strict, "s.yaml", text)}


def test_wants_is_cheap_and_content_based() -> None:
    code = ("import sys\nfrom scanner.blob import Blob\nfrom scanner import policy\n"
            "assert policy.wants(Blob('x.key', b'apiVersion: v1\\nkind: List\\nitems: []\\n'))\n"
            "assert not policy.wants(Blob('x.py', b'print(1)'))\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('yaml', 'json')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_demo_shows_every_policy_and_clean_fixes(ctx: ScanContext) -> None:
    from scanner.policy.catalog import POLICIES

    found: list[Finding] = []
    for file in sorted(p for p in EXAMPLES.rglob("*") if p.is_file()):
        found += scan(ctx, file.relative_to(EXAMPLES.parent).as_posix(), file.read_bytes())
    assert set(POLICIES) <= {f.rule for f in found}
    assert any(f.secret.startswith("AKIA") and f.category == "secret" for f in found)
    clean = ("sealed-secret.yaml", "external-secret.yaml", ".env.example", "templates/secret.yaml")
    assert not [f for f in found if f.path.endswith(clean)]


JSONNET = """{
  local d = (import 'doc-util/main.libsonnet'),
  '#':: d.pkg(name='gateway', url='', help=''),
  gateway(name): {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: name },
  },
}
"""


@pytest.mark.parametrize(("path", "severity"), [
    ("lib/gateway.libsonnet", "low"),  # YAML only by our content guess: not YAML, not a verdict
    ("deploy/gateway", "low"),
    ("deploy/gateway.json", "medium"),  # named as a manifest: kubectl would read it and fail
    ("deploy/gateway.yaml", "medium"),
])
def test_parse_error_blocks_only_for_files_named_as_manifests(
        ctx: ScanContext, path: str, severity: str) -> None:
    errors = [f for f in scan(ctx, path, JSONNET) if f.rule == "manifest-parse-error"]
    assert [f.severity for f in errors] == [severity]


PATCHED_SECRET = """apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  password: Kq7-Xv3Lm9Tr2Wp7Ys4N
"""


@pytest.mark.parametrize(("head", "indent"), [
    ("resources: [db.yaml]\npatches:\n  - target: {kind: Secret}\n    patch: |\n", 6),
    ("apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: a}\n"
     "spec:\n  patches:\n    - patch: |-\n", 8),
    ("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
     "patchesStrategicMerge:\n  - db-patch.yaml\n  - |\n", 4),
])
def test_secret_in_an_inline_kustomize_patch_is_a_plaintext_secret(
        ctx: ScanContext, head: str, indent: int) -> None:
    """Kustomize (and Flux) merge an inline patch into what they apply: a Secret's literal data
    there is as plaintext as in a file, at its own line and column."""
    text = head + "".join(" " * indent + line + "\n" for line in PATCHED_SECRET.splitlines())
    found = [f for f in scan(ctx, "apps/kustomization.yaml", text)
             if f.rule == "k8s-plaintext-secret"]
    line = text.count("\n", 0, text.index("password:")) + 1
    assert [(f.line, f.column) for f in found] == [(line, indent + 3)]
    assert "Kq7-" not in found[0].message


def test_a_patch_file_named_in_a_kustomization_is_not_read_as_a_patch(ctx: ScanContext) -> None:
    text = "resources: [a.yaml]\npatches:\n  - path: secret-patch.yaml\n  - patch: db.yaml\n"
    assert not [f for f in scan(ctx, "kustomization.yaml", text) if f.category != "secret"]
