"""Values that describe, name or count instead of holding a credential (sample Secrets of a
task catalogue, documentation-grade manifests): the Secret is not reported for them, while
the same Secret with a chosen value still is."""

from __future__ import annotations

import pytest

from scanner.blob import Blob
from scanner.config import Config
from scanner.engine import shapes
from scanner.pipeline import ScanContext, scan_blob
from scanner.policy import values

CTX = ScanContext.build(Config(), backend="re")


def _blocking(path: str, text: str) -> list[tuple[str, int]]:
    return [(f.rule, f.line) for f in scan_blob(CTX, Blob(path=path, data=text.encode()))
            if f.severity in ("medium", "high", "critical")]


def _secret(body: str, section: str = "stringData") -> str:
    return f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: demo\n{section}:\n{body}"


@pytest.mark.parametrize("body", [
    "  github-token: personal access token of the bot\n  api-key: vendor api key\n",
    "  password: password (if used to log in to the server)\n",
    "  username: ci_username\n  password: ci_password\n",                 # the fields' names
    "  username: username\n  apitoken: api-token\n  crumb: crumb\n",
    "  credentials: |-\n    [default]\n    aws_access_key_id = [aws_access_key_id]\n"
    "    aws_secret_access_key = [aws_secret_access_key]\n",
    "  token: 123abc  # generate a scoped API token\n",                     # counting sample
    "  ca-bundle.crt: qwkjehqwkje7788\n",                                   # public by name
])
def test_described_values_are_not_credentials(body: str) -> None:
    assert _blocking("deploy/secret.yaml", _secret(body)) == []


@pytest.mark.parametrize(("section", "body"), [
    ("data", "  passphrase: passphrase of the private ssh key in base64\n"),
    # base64 of "this is the deploy key base64 string"
    ("data", "  id_rsa: dGhpcyBpcyB0aGUgZGVwbG95IGtleSBiYXNlNjQgc3RyaW5n\n"),
    ("data", "  users: abc123==\n"),
    # only where the service is: base64 of "central.acs.svc:443"
    ("data", "  central_endpoint: Y2VudHJhbC5hY3Muc3ZjOjQ0Mw==\n"),
])
def test_described_data_values_are_not_credentials(section: str, body: str) -> None:
    assert _blocking("deploy/secret.yaml", _secret(body, section)) == []


@pytest.mark.parametrize("body", [
    "  password: Zq8TmV2xLr7KpW4n\n",
    "  password: myVeryStrongPassword\n",        # a chosen phrase in camelCase: weak, kept
    "  password: correct horse battery staple\n",  # a passphrase names no credential
    "  password: mangos\n",
    "  endpoint: central.acs.svc:443\n  password: hunter2\n",
])
def test_chosen_values_still_block(body: str) -> None:
    assert "k8s-plaintext-secret" in [rule for rule, _ in _blocking("deploy/secret.yaml",
                                                                     _secret(body))]


@pytest.mark.parametrize(("value", "described"), [
    ("personal github token", True), ("openai api key", True),
    ("this is id_rsa base64 string", True), ("correct horse battery staple", False),
    ("Tr0ub4dor&3 horse", False), ("hunter2", False),
])
def test_phrases_that_describe_a_value(value: str, described: bool) -> None:
    assert values.describes_value(value) is described


@pytest.mark.parametrize(("key", "value", "echo"), [
    ("password", "git_password", True), ("apitoken", "api-token", True),
    ("DB_PASSWORD", "DB-PASSWORD", True), ("password", "password", False),
    ("SUPERUSER_PASSWORD", "myVeryStrongPassword", False), ("token", "Zq8-Tm2-Lr7", False),
])
def test_a_value_that_echoes_its_key(key: str, value: str, echo: bool) -> None:
    assert values.echoes_key(key, value) is echo


@pytest.mark.parametrize(("value", "counting"), [
    ("abc123", True), ("123abc", True), ("abc123==", True), ("abcd1234", True),
    ("abd123", False), ("abc124x", False), ("mangos12", False),
])
def test_short_counting_samples(value: str, counting: bool) -> None:
    assert shapes.is_counting_dummy(value) is counting


KEY_ID = "AKIA" + "QX7RZ2VTL4MNB6PW"  # well-formed, fake
SECRET_KEY = "Zq8TmV2xLr7KpW4nB8sY" + "c3Hj6Df9Gk1Mn5Qp0Rs2"  # 40 characters, fake


def _key_id_severity(path: str, text: str) -> list[str]:
    return [f.severity for f in scan_blob(CTX, Blob(path=path, data=text.encode()))
            if f.rule == "aws-access-key-id"]


def test_an_access_key_id_alone_is_an_identifier() -> None:
    """cert-manager's route53 solver takes the key id in plain and the secret by reference:
    the id alone opens nothing (reported low); with its secret in the file it is a pair, and
    a file that does not say where the secret is may hold half of a leaked pair."""
    issuer = ("apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata: {name: le}\n"
              "spec:\n  acme:\n    solvers:\n      - dns01:\n          route53:\n"
              f"            accessKeyID: {KEY_ID}\n"
              "            secretAccessKeySecretRef: {name: route53, key: secret}\n")
    assert _key_id_severity("cluster/issuer.yaml", issuer) == ["low"]
    pair = f"[default]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET_KEY}\n"
    assert _key_id_severity("deploy/credentials", pair) == ["high"]
    assert _key_id_severity("deploy/app.env", f"AWS_ACCESS_KEY_ID={KEY_ID}\n") == ["high"]


def test_a_key_id_and_its_secret_in_one_secret_are_a_pair() -> None:
    import base64

    def b64(text: str) -> str:
        return base64.b64encode(text.encode()).decode()

    both = _secret(f"  AWS_ACCESS_KEY_ID: {b64(KEY_ID)}\n"
                   f"  AWS_SECRET_ACCESS_KEY: {b64(SECRET_KEY)}\n", "data")
    assert _key_id_severity("deploy/secret.yaml", both) == ["high"]
    elsewhere = _secret(f"  AWS_ACCESS_KEY_ID: {b64(KEY_ID)}\n"
                        f"  AWS_SECRET_ACCESS_KEY: {b64('${AWS_SECRET}')}\n", "data")
    assert _key_id_severity("deploy/secret.yaml", elsewhere) == ["low"]
    unnamed = _secret(f"  AWS_ACCESS_KEY_ID: {b64(KEY_ID)}\n", "data")
    assert _key_id_severity("deploy/secret.yaml", unnamed) == ["high"]  # maybe half a pair


@pytest.mark.parametrize("body", [
    "  app.yml: |\n    omdb:\n      apikey: <<OMDB_API_KEY>>\n",           # kometa
    '  opencode.json: |\n    {"provider": {"apiKey": "{env:LLM_API_KEY}"}}\n',
    "  hooks.yaml: |\n    - match:\n        secret: >-\n          {{ getenv \"HOOK_SECRET\" }}\n",
])
def test_substitutions_of_other_tools_in_configmaps(body: str) -> None:
    text = f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\ndata:\n{body}"
    assert _blocking("deploy/configmap.yaml", text) == []


def test_a_manifest_with_generator_token_lines_is_a_template() -> None:
    """kubefirst's templater fills whole lines (`<CERT_MANAGER_ISSUER_ANNOTATION_1>`) before
    anything reads the file as YAML: not a blocking parse error."""
    text = ("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n"
            "  annotations:\n    <CERT_MANAGER_ISSUER_ANNOTATION_1>\n    <INGRESS_CLASS>\n"
            "spec:\n  rules: []\n")
    assert _blocking("clusters/mgmt/ingress.yaml", text) == []
    broken = text.replace("    <INGRESS_CLASS>\n", "    a: b: c\n").replace(
        "    <CERT_MANAGER_ISSUER_ANNOTATION_1>\n", "")
    assert _blocking("clusters/mgmt/ingress.yaml", broken) == [("manifest-parse-error", 6)]


@pytest.mark.parametrize(("line", "severity"), [
    ("    # databaseUrl: postgres://postgres:windmill@db.apps.svc/app\n", "low"),  # a default
    ("    databaseUrl: postgres://postgres:windmill@db.apps.svc/app\n", "high"),
    ("    # databaseUrl: postgres://app:Zq8TmV2xLr7KpW4n@db.apps.svc/app\n", "high"),  # random
])
def test_a_commented_out_sample_is_an_example(line: str, severity: str) -> None:
    """A chart default left commented out in a HelmRelease is judged as documentation is: a
    sample value is reported low; a random one from the owner's system still blocks."""
    text = ("apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: app}\n"
            f"spec:\n  values:\n{line}")
    found = [f.severity for f in scan_blob(CTX, Blob(path="apps/app/helmrelease.yaml",
                                                     data=text.encode()))
             if f.rule == "postgres-uri-password"]
    assert found == [severity]


@pytest.mark.parametrize(("path", "text"), [
    # a Keycloak realm JSON's token lifespan: a number, once JSON's comma is set aside
    ("deploy/realm-cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: realm}\ndata:\n"
     '  realm.json: |\n    {\n      "accessTokenLifespan": 6000,\n'
     '      "secret": "$${OAUTH_CLIENT_SECRET}"\n    }\n'),
    # a shell variable as the password half of a URL
    ("deploy/job.yaml", "a:\n  script: |\n    url=\"https://bot:$GITHUB_TOKEN@github.com/org/repo\"\n"),
    # a commented-out Secret holding base64 of a published default word (`feedmango`)
    ("deploy/old-secret.yaml", "# apiVersion: v1\n# kind: Secret\n# data:\n"
     "#   BASIC_AUTH_PASS: ZmVlZG1hbmdv\n"),
])
def test_code_and_commented_defaults_do_not_block(path: str, text: str) -> None:
    assert _blocking(path, text) == []


def test_the_same_default_uncommented_still_blocks() -> None:
    assert _blocking("deploy/env.yaml", "BASIC_AUTH_PASS: ZmVlZG1hbmdv\n") == [
        ("generic-secret-assignment-unquoted", 1)]


def test_base64_of_a_weak_word_is_judged_as_the_word() -> None:
    """`data: {password: cGFzc3dvcmQ=}` is the weak literal `password`, as high as
    `stringData: {password: password}`; base64 of `changeme` still asks to be replaced."""
    weak = _secret("  username: YXBw\n  password: cGFzc3dvcmQ=\n", "data")
    assert ("k8s-plaintext-secret", 7) in _blocking("deploy/secret.yaml", weak)
    asks = _secret("  username: YXBw\n  password: Y2hhbmdlbWU=\n", "data")
    assert _blocking("deploy/secret.yaml", asks) == []
