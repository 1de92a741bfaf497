"""Which values are credentials: references by name, placeholders, templates, paths,
identifiers -- and the random values that stay credentials under the same names.

Synthetic examples of the shapes seen in public GitOps repositories (issue #10)."""

from __future__ import annotations

import random
import string

import pytest

from scanner.engine import filters, shapes
from scanner.policy import values

RANDOM = ["Zq8TmV2xLr7KpW4n", "wJr9Xm2QzT7vKp4LnB8sYd3F", "QZ7T4KXW2M9RPL3N", "7f3Kq9ZmX2vRt8Lw",
          "dUcl1MhOoSfAqFdpRaj71FtQ", "Sup3r-S3cr3t-2024", "jwt-signing-Demo-4821"]


@pytest.mark.parametrize("value", [
    "grafana-secrets", "ghcr-auth", "home-ops-runner-secret", "dashboards.home-tls",
    "etcd-cluster-k8s", "WIREGUARD_PRIVATE_KEY", "keystore-password", "redis_password",
    "monitoring/basic-auth", "secret/data/app#password", "signing-key:passphrase",
    "hmac-sha512", "more-custom-CAs", "myVeryComplexJWTSecret", "tailscale", "x-api-key",
])
def test_identifiers(value: str) -> None:
    assert shapes.is_identifier(value)


@pytest.mark.parametrize("value", [*RANDOM, "AKIAQZ7T4KXW2M9RPL3N", "Tr0ub4dor&3x",
                                   "P4ssw0rd-2024", "a1b2c3d4e5f6"])
def test_credentials_are_not_identifiers(value: str) -> None:
    assert not shapes.is_identifier(value)


def test_random_tokens_are_rarely_identifiers() -> None:
    """Mixed-case random tokens of 24 characters: fewer than 1 in 1000 read as words."""
    rng = random.Random(10)
    alphabet = string.ascii_letters + string.digits
    tokens = ["".join(rng.choice(alphabet) for _ in range(24)) for _ in range(5000)]
    assert sum(map(shapes.is_identifier, tokens)) < 5


@pytest.mark.parametrize(("value", "path", "file"), [
    ("/data/signing/ed25519.pub", True, False), ("./certs/tls.key", True, False),
    ("ext:/scripts/auth.sh", True, False), ("/run/secrets/db_password", True, False),
    ("credentials.json", False, True), ("home-assistant-7c48d-e0788c9fb0.json", False, True),
    ("/9j/4AAQSkZJRgABAQ", False, False), ("Zq8TmV2xLr7KpW4n", False, False),
])
def test_paths_and_files(value: str, path: bool, file: bool) -> None:
    assert shapes.is_path(value) is path
    assert shapes.is_file_name(value) is file


@pytest.mark.parametrize(("value", "dummy"), [
    ("sk_live_1234567890", True), ("87654321-43210-4321-210987654321", True),
    ("A1b2C3d4E5f6G7h8J9k0L1m2N3p4Q5r6", True), ("Zq8TmV2xLr7KpW4n", False),
    ("20240101123456", False), ("a391df94-dd1f-46d6-b3ab-60e90f23e8a2", False),
])
def test_counting_dummies(value: str, dummy: bool) -> None:
    assert shapes.is_counting_dummy(value) is dummy


@pytest.mark.parametrize(("key", "value"), [
    ("existingSecret", "app-db"), ("githubConfigSecret", "ci-runner-secret"),
    ("envFromSecret", "dashboards-secrets"), ("pullSecret", "registry-auth"),
    ("TS_KUBE_SECRET", "vpn-state"), ("clusterSecretKey", "cluster"),
    ("passwordsSecretKeystoreKey", "keystore-password"), ("credentialsKey", "credentials.json"),
    ("secretKey", "WIREGUARD_PRIVATE_KEY"), ("secret", "gitlab-secrets"),
    ("accessKey", "logs-tenant"), ("auth-secret", "monitoring/basic-auth"),
    ("SIGNING_KEY", "/data/signing/ed25519.pub"), ("credentials", "ext:/scripts/auth.sh"),
    ("GPG_PASSPHRASE", "signing-key:passphrase"), ("tsigSecretAlg", "hmac-sha256"),
    ("TSIG_SECRET_ALG", "hmac-sha512"), ("masterKeyIps", "0.0.0.0/0"),
    ("apiToken", "YourPingdomApiToken"), ("token", "your-cluster-token"),
    ("password", "{MQTT_PASSWORD}"), ("adminPassword", "please-change"),
    ("api-token", "#{ dns.token }#"), ("identity", "#% filter indent(4) %#"),
    ("password", "/run/secrets/db_password"), ("pass_action", '.action == "pass"'),
    ("clientSecret", "$oidc-secret:sso.clientSecret"), ("PASSWORD_COMPLEXITY", "lower,upper"),
    ("RESTIC_REPOSITORY", "s3:http://minio.storage:9000/restic/app"),
])
def test_references_and_placeholders_are_not_literals(key: str, value: str) -> None:
    assert not values.literal_secret(key, value)


@pytest.mark.parametrize("key", ["githubConfigSecret", "pullSecret", "clientSecret", "secretKey",
                                 "accessKey", "token", "password", "TS_KUBE_SECRET"])
@pytest.mark.parametrize("value", RANDOM)
def test_random_values_stay_credentials_under_any_name(key: str, value: str) -> None:
    assert values.literal_secret(key, value)


@pytest.mark.parametrize(("key", "value", "weak"), [
    ("password", "photoprism", True), ("rootPassword", "wiki-rootpass", True),
    ("SUPERUSER_PASSWORD", "myVeryStrongPassword", True), ("password", "adminadmin", True),
    ("password", "correct-horse-battery", True), ("password", "Zq8TmV2xLr7KpW4n", False),
    ("password", "Summer2024!x", False), ("password", "adminpass1", True),
    ("password", "Root2024", True), ("password", "xK9rootQ2mZ7vLp4Wn8", False),
    ("password", "Tq4userW8zLm2KpX7vR3", False),
])
def test_chosen_passwords_are_kept_but_words_are_weak(key: str, value: str, weak: bool) -> None:
    """A password is chosen by a person and may be words: still reported, at low severity."""
    assert values.literal_secret(key, value)
    assert values.is_weak(value) is weak


@pytest.mark.parametrize("value", [
    "YourPingdomApiToken", "your-cluster-token", "please-change", "INSERT_ETCD_KEY",
    "PERSONAL_ACCESS_TOKEN", "{MQTT_PASSWORD}", "#{ age_key('private') }#", "<%= @token %>",
    "[[ .Vault.token ]]",
])
def test_placeholders_for_every_rule(value: str) -> None:
    assert filters.is_placeholder(value)


@pytest.mark.parametrize(("line", "noise"), [
    ("  - secretKey: home-assistant-7c48d-e0788c9fb0.json", True),
    ("  SIGNING_KEY: /data/signing/ed25519.pub", True),
    ('export GOOGLE_APPLICATION_CREDENTIALS="/secrets/gcs-credentials-file"', True),
    ("    GPG_PRIVATE_KEY=signing-key:private_key", True),
    ("  - vault credentials: secret/certmanager/dns", True),
    ("    nginx.ingress.kubernetes.io/auth-secret: monitoring/basic-auth", True),
    ("  apiToken: 87654321-43210-4321-210987654321", True),
    ('"api_key": "sk_live_1234567890",', True),
    ("  accesskey: ZW50ZXJwcmlzZS1tZXRyaWNz", True),  # base64 of enterprise-metrics
    ("  pass_action: .filter_action", True),
    ("  secretKey: Zq8TmV2xLr7KpW4nB8sYd3F", False),
    ("  GPG_PASSPHRASE=Zq8TmV2x-Lr7KpW4n", False),
])
def test_generic_rules_judge_shapes(line: str, noise: bool) -> None:
    data = line.encode()
    value = line.split(":" if ": " in line else "=", 1)[1].strip().strip('",')
    offset = data.rindex(value.encode())
    assert filters.looks_generic_false_positive(value, data, offset) is noise


@pytest.mark.parametrize(("value", "hashed"), [
    ("$2y$10$" + "N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", True),
    ("registry_user:$2y$10$" + "N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", True),
    ("admin:$apr1$Zq8TmV2x$Lr7KpW4nB8sYd3FQ2xL7vR", True),
    ("alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\nbob:{SHA}Zq8TmV2xLr7KpW4nB8sYd3F1234=", True),
    ("registry_user:Zq8TmV2xLr7KpW4n", False), ("$2y$10$short", False),
])
def test_password_hashes(value: str, hashed: bool) -> None:
    assert shapes.is_password_hash(value) is hashed


def test_pem_armour_around_a_placeholder() -> None:
    assert shapes.pem_placeholder("-----BEGIN PRIVATE KEY-----\n<your-private-key>\n"
                                  "-----END PRIVATE KEY-----")
    assert shapes.pem_placeholder("-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----")
    body = "MIIEowIBAAKCAQEAUvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA/TkB/yOaGglfIP"
    assert not shapes.pem_placeholder(f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n"
                                      "-----END RSA PRIVATE KEY-----")


def test_documents_with_empty_credentials_are_templates() -> None:
    template = '{"type": "service_account", "private_key_id": "000000", "private_key": ""}'
    assert values.empty_credentials(template)
    assert values.is_placeholder(template.replace(", ", ",\n"))
    filled = template.replace('"private_key": ""', '"private_key": "Zq8TmV2xLr7KpW4nB8sY"')
    assert not values.empty_credentials(filled)
    assert not values.empty_credentials('{"roles": ["read"]}')  # no credential field at all


def test_base64_of_a_placeholder_is_one() -> None:
    assert values.is_placeholder("ZXhhbXBsZS1hcHAtc2VjcmV0")  # example-app-secret
    assert filters.decodes_to_placeholder("cGFzc3dvcmQK")  # "password\n"
    assert not values.is_placeholder("WnE4VG1WMnhMcjdLcFc0bkI4c1k=")


JWT_SECRET = "Zq8TmV2xLr7KpW4nB8sY"
PLACES = {
    "charts/app/values.yaml": f"config: |\n  service:\n    jwtsecret: \"{JWT_SECRET}\"\n",
    "deploy/values.yaml": f"service:\n  jwtsecret: \"{JWT_SECRET}\"\n",
    "deploy/configmap.yaml": ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\n"
                              "data:\n  config.yaml: |\n    service:\n"
                              f"      jwtsecret: \"{JWT_SECRET}\"\n"),
    "deploy/secret.yaml": ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}\n"
                           "stringData:\n  url: {{ .Values.url }}\n  config.yaml: |\n"
                           f"    service:\n      jwtsecret: \"{JWT_SECRET}\"\n"),
}


@pytest.mark.parametrize("path", sorted(PLACES))
def test_the_same_secret_is_judged_the_same_wherever_it_sits(path: str) -> None:
    """An embedded config file is read line by line: chart values, a values block scalar,
    a ConfigMap's file, a templated Secret's file all report the same random jwtsecret."""
    from scanner.blob import Blob
    from scanner.config import Config
    from scanner.pipeline import ScanContext, scan_blob

    ctx = ScanContext.build(Config(), backend="re")
    found = [f for f in scan_blob(ctx, Blob(path=path, data=PLACES[path].encode()))
             if f.secret == JWT_SECRET and f.severity in ("medium", "high", "critical")]
    text = PLACES[path]
    assert found, path
    assert {f.line for f in found} == {text.count("\n", 0, text.index(JWT_SECRET)) + 1}


@pytest.mark.parametrize(("value", "fake"), [
    ("test-api-key", True), ("fake_password", True), ("dummy-token-1", True),
    ("example-app-secret", True), ("admin", False), ("hunter2", False), ("latest", False),
    ("Zq8TmV2xLr7KpW4nB8sY", False),
])
def test_values_that_declare_themselves_fake(value: str, fake: bool) -> None:
    assert filters.declares_fake(value) is fake


DOC_SECRET = ("apiVersion: v1\nkind: Secret\nmetadata: {name: demo}\n"
              "stringData:\n  password: S3cr3tP-ss-9Zq\n")


@pytest.mark.parametrize(("path", "severity"), [
    ("docs/snippets/provider-secret.yaml", "low"), ("site/documentation/secret.yaml", "low"),
    ("clusters/prod/secret.yaml", "high"), ("test/kafka/secret.yaml", "high"),
])
def test_policy_findings_in_documentation_do_not_block(path: str, severity: str) -> None:
    """An example Secret in documentation teaches its shape; it is not deployed from there.
    A test deployment is deployed."""
    from scanner.blob import Blob
    from scanner.config import Config
    from scanner.pipeline import ScanContext, scan_blob

    ctx = ScanContext.build(Config(), backend="re")
    found = [f for f in scan_blob(ctx, Blob(path=path, data=DOC_SECRET.encode()))
             if f.rule == "k8s-plaintext-secret"]
    assert [f.severity for f in found] == [severity]


def test_a_comment_asking_to_replace_marks_a_placeholder() -> None:
    line = b'  token: "Zq8TmV2xLr7KpW4nB8sY"  # replace with your API token'
    assert filters.comment_asks_to_replace(line)
    value = "Zq8TmV2xLr7KpW4nB8sY"
    assert filters.looks_generic_false_positive(value, line, line.index(value.encode()))
    assert not filters.comment_asks_to_replace(b'  token: "Zq8TmV2xLr7KpW4nB8sY"  # rotated 2024')


@pytest.mark.parametrize("line", [
    b'  url: "https://your-host.example/path/here"',          # `//` of a URL is no comment
    b'  password: "Zq8#your-own-Lr7KpW4nB8sY"',               # `#` inside the value
    b'  endpoint: s3://put-your-bucket/here  token: Zq8TmV2xLr7KpW4n',
])
def test_comment_markers_inside_values_are_not_comments(line: bytes) -> None:
    assert not filters.comment_asks_to_replace(line)


def test_comment_markers_after_whitespace_or_at_line_start_are_comments() -> None:
    assert filters.comment_asks_to_replace(b"# put your own key here")
    assert filters.comment_asks_to_replace(b'key = "Zq8TmV2xLr7KpW4n" // change to your key')


@pytest.mark.parametrize(("value", "call"), [
    ('os.getenv("GITHUB_TOKEN")', True), ("getpass()", True), ("ENV.fetch('API_KEY')", True),
    ('System.getenv("DB_PASSWORD")', True), ("secrets.token_hex(32)", True),
    ('$this->config->get("db.password");', True), ('Secret::fromName("app-token")', True),
    ('decrypt("Zq8mWv2Lr5tXe9Kd")', False), ("aB3(xY7)", False), ("Zq8(mWv2Lr5tXe9Kd)", False),
    ("Kq7mW(2Lr5)tX", False),
])
def test_calls_that_read_a_value_from_elsewhere(value: str, call: bool) -> None:
    """A call whose arguments are names is code; a literal argument is judged as a value."""
    assert shapes.is_call(value) is call


def _blocking(path: str, text: str) -> list[tuple[str, str]]:
    from scanner.blob import Blob
    from scanner.config import Config
    from scanner.pipeline import ScanContext, scan_blob

    ctx = ScanContext.build(Config(), backend="re")
    return [(f.rule, f.secret) for f in scan_blob(ctx, Blob(path=path, data=text.encode()))
            if f.severity in ("medium", "high", "critical")]


@pytest.mark.parametrize(("path", "text"), [
    ("scripts/release/main.py", 'github_token = os.getenv("GITHUB_TOKEN")\n'),
    ("scripts/release/main.py", "signing.password=System.getenv('SIGNING_PASSWORD')\n"),
    ("chart/templates/secret.yaml",
     "{{- $pw := coalesce .Values.ldap.bind_password .Values.ldap.bindpw }}\n"),
    ("chart/templates/_helpers.tpl",
     "{{- if and .Values.ldap.enabled (or .Values.ldap.bind_password .Values.ldap.bindpwd) }}\n"),
    ("chart/templates/secret-config.yaml", "  password={{ .Values.mysql.pass }}\n"),
    ("chart/templates/secret-config.yaml", "  Driver={ODBC};PWD={{ .Values.db.password }};\n"),
])
def test_calls_and_template_code_are_not_credentials(path: str, text: str) -> None:
    assert _blocking(path, text) == []


@pytest.mark.parametrize(("path", "text", "secret"), [
    ("etc/nslcd.conf", "bindpw Zq8mWv2Lr5tXe9Kd\n", "Zq8mWv2Lr5tXe9Kd"),
    ("gradle.properties", 'gpr.token=decrypt("Hk3Pq7nRw2Vd6yBs")\n', 'decrypt("Hk3Pq7nRw2Vd6yBs")'),
    ("chart/templates/cm.yaml", "{{ if .Values.x }}\nbindpw Zq8mWv2Lr5tXe9Kd\n{{ end }}\n",
     "Zq8mWv2Lr5tXe9Kd"),
])
def test_literals_beside_code_are_still_credentials(path: str, text: str, secret: str) -> None:
    assert secret in {s for _, s in _blocking(path, text)}


def test_self_describing_values_are_names() -> None:
    assert not values.literal_secret("APP_KEY", "SomeRandomStringOf32CharsExactly")
    assert values.literal_secret("APP_KEY", "pQ7xN2mK9vL4wR8tZ3yB6cF1hJ5dG0sA")


VALUES = "env:\n  APP_KEY: pQ7xN2mK9vL4wR8tZ3yB6cF1hJ5dG0sA\n"


@pytest.mark.parametrize(("path", "blocks"), [
    ("charts/app/ci/ct-values.yaml", False), ("charts/app/ci/postgres-values.yaml", False),
    ("clusters/prod/app/values.yaml", True),
])
def test_chart_ci_values_are_test_fixtures(path: str, blocks: bool) -> None:
    """chart-testing installs a chart with ci/*-values.yaml in a throwaway cluster."""
    assert bool(_blocking(path, VALUES)) is blocks


REDIS = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: redis}\nspec:\n  template:\n"
         "    spec:\n      containers:\n      - name: redis\n        args:\n"
         "        - --requirepass {password}\n")


@pytest.mark.parametrize(("path", "password", "blocks"), [
    (".github/configs/redis.yaml", "argocd", False), ("ci/kind/redis.yaml", "platform", False),
    (".github/configs/redis.yaml", "Zq8mWv2Lr5tXe9Kd", True),
    ("clusters/prod/redis.yaml", "argocd", True),
])
def test_weak_words_in_ci_configuration_do_not_block(path: str, password: str,
                                                     blocks: bool) -> None:
    """A word as the password of a cluster CI starts for a test run is a fixture; the same
    word in deployed configuration, or a random value in CI, is a credential."""
    assert bool(_blocking(path, REDIS.replace("{password}", password))) is blocks


def _sealed(value: str) -> str:
    return ("apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: app}\n"
            f"spec:\n  encryptedData:\n    password: {value}\n")


def test_sealed_base64_of_a_fake_is_a_sample() -> None:
    import base64

    fake = base64.b64encode(b"fake-password\n").decode()
    real = base64.b64encode(b"Zq8mWv2Lr5tXe9Kd\n").decode()
    assert _blocking("clusters/app/sealed.yaml", _sealed(fake)) == []
    assert "sealedsecret-not-encrypted" in {
        r for r, _ in _blocking("clusters/app/sealed.yaml", _sealed(real))}


@pytest.mark.parametrize(("path", "blocks"), [
    ("lib/tests/golden/sealed.json", False), ("pkg/testdata/sealed.yaml", False),
    ("test/kafka/sealed.yaml", True),
])
def test_policy_findings_in_test_fixtures_do_not_block(path: str, blocks: bool) -> None:
    """Golden files and testdata are read by test code; a test/ deployment is deployed."""
    import base64

    weak = base64.b64encode(b"test\n").decode()
    assert bool(_blocking(path, _sealed(weak))) is blocks


HELMRELEASE = ("apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: db}\n"
               "spec:\n  values:\n    env:\n      - name: MYSQL_ROOT_PASSWORD\n"
               "        value: mangos\n")


def test_weak_values_of_a_deployment_block_but_chart_defaults_do_not() -> None:
    """A HelmRelease's values are deployed as written: a weak password there is a credential.
    A values file may be a chart's defaults, meant to be overridden: a weak one is low."""
    assert ("helm-values-secret", "mangos") in _blocking("clusters/db/helmrelease.yaml",
                                                          HELMRELEASE)
    defaults = "env:\n  - name: MYSQL_ROOT_PASSWORD\n    value: mangos\n"
    assert "helm-values-secret" not in {r for r, _ in _blocking("charts/db/values.yaml", defaults)}


@pytest.mark.parametrize(("value", "placeholder"), [
    ("changeme", True), ("change-me", True), ("CHANGEME", True), ("admin", False),
    ("password", False),
])
def test_a_value_asking_to_be_changed_is_a_placeholder(value: str, placeholder: bool) -> None:
    """`changeme` asks to be replaced; `admin` is a weak password that protects something."""
    assert values.is_placeholder(value) is placeholder


SOPS_VALUES = ("server:\n  passwordSSH: {value}\n  enableSSH: true\n"
               "db:\n  password: ENC[AES256_GCM,data:Zm9vYmFy,iv:aXY=,tag:dGFn,type:str]\n"
               "sops:\n  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n"
               "  encrypted_regex: ^(data|stringData)$\n  version: 3.9.0\n")


@pytest.mark.parametrize(("value", "blocks"), [
    ("password", True), ("Zq8mWv2Lr5tXe9Kd", True), ("ENC[AES256_GCM,data:eA==,type:str]", False),
    ("${SSH_PASSWORD}", False),
])
def test_sops_values_left_in_plaintext(value: str, blocks: bool) -> None:
    """A SOPS file was meant to hide its credentials: one its encrypted_regex missed is
    exposed, however weak, and under whatever name."""
    found = _blocking("apps/game/values.enc.yaml", SOPS_VALUES.replace("{value}", value))
    assert (("helm-values-secret", value) in found) is blocks
    assert not [s for _, s in found if "Zm9vYmFy" in s]  # what SOPS encrypted is fine


def test_extra_objects_in_chart_ci_values_are_fixtures() -> None:
    text = ("extraObjects:\n  - apiVersion: v1\n    kind: Secret\n    metadata: {name: t}\n"
            "    stringData:\n      token: Zq8mWv2Lr5tXe9KdPw4n\n")
    assert "k8s-plaintext-secret" not in {r for r, _ in _blocking("charts/app/ci/x-values.yaml",
                                                                  text)}
    assert "k8s-plaintext-secret" in {r for r, _ in _blocking("clusters/app/values.yaml", text)}


def test_a_broken_external_secret_shape_does_not_block() -> None:
    text = ("apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: db}\n"
            "spec:\n  target: {name: db}\n  data:\n    - secretKey: password\n"
            "      remoteRef: {property: password}\n")
    assert _blocking("clusters/db/externalsecret.yaml", text) == []


@pytest.mark.parametrize(("path", "text", "blocks"), [
    ("docs/db.md", "mongo --uri mongodb://admin:s3cret1@db:27017/app\n", False),
    ("docs/aws.md", "aws_access_key_id = AKIAQZ7T4KXW2M9RPL3N\n", True),
])
def test_sample_passwords_in_docs_but_not_generated_ids(path: str, text: str,
                                                        blocks: bool) -> None:
    """A password with little variety in docs is a sample; an access key id is generated and
    has few character classes by its format: its severity stands."""
    assert bool(_blocking(path, text)) is blocks
