"""Generic secrets in every syntax, through the real CLI: each assignment form is found at
its line, and code that only yields a value at run time (calls, indexes, template code) or
a rule's format seen in another kind of file is not a finding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scanner.engine import heuristics
from scanner.engine.rules import parse_rule
from scanner.errors import RuleError
from tests.helpers import cli

PW = "Zq8mWv2Lr5tXe9Kd"
KEY = "N4vR8kT2mQ7xL9pZw3Yc"

# (file, text, rule expected at the text's last line). One case per syntax of issue #14.
FOUND = [
    ("shell-export.sh", "export DB_PASSWORD=Kv3#pQ9z!Lw2mRt8",
     "generic-secret-assignment-unquoted"),
    ("shell-quoted.sh", f"export API_TOKEN='{KEY}'", "generic-secret-assignment"),
    ("Makefile", f"REGISTRY_TOKEN ?= {KEY}", "generic-secret-assignment-unquoted"),
    ("array.php", f"$config = ['secret_key' => '{KEY}'];", "generic-secret-assignment"),
    ("hash.rb", f'config = {{ :password => "{PW}" }}', "generic-secret-assignment"),
    ("hash19.rb", f"config = {{ api_key: '{KEY}' }}", "generic-secret-assignment"),
    ("app.properties", f"spring.datasource.password={PW}", "generic-secret-assignment-unquoted"),
    ("attr.xml", f'<Resource name="jdbc/db" username="app" password="{PW}" />',
     "generic-secret-assignment"),
    ("element.xml", f"<password>{PW}</password>", "generic-xml-password"),
    ("keyvalue.config", f'<add key="ApiSecret" value="{KEY}" />', "generic-xml-key-value-secret"),
    ("escaped.json", f'{{"env": "{{\\"api_key\\": \\"{KEY}\\"}}"}}', "generic-secret-assignment"),
    ("main.tf", f'  client_secret = "{KEY}"', "generic-secret-assignment"),
    ("app.ini", f"password = {PW}", "generic-secret-assignment-unquoted"),
    ("pyproject.toml", f'api_token = "{KEY}"', "generic-secret-assignment"),
    ("struct.go", f'cfg := Config{{Password: "{PW}"}}', "generic-secret-assignment"),
    ("fields.go", f'\tAPIKey:   "{KEY}",', "generic-secret-assignment"),
    (".netrc", f"machine api.acme.invalid\n  login ci\n  password {PW}", "netrc-password"),
    ("flag.sh", f"mysql --password={PW} -u app", "generic-cli-password"),
    ("short-flag.sh", f"mysql -u app -p{PW} appdb", "generic-cli-password"),
    ("curl-user.sh", f"curl -u ci-bot:{PW} https://api.acme.invalid/",
     "generic-curl-user-password"),
    ("curl-header.sh", f'curl -H "Authorization: Bearer {KEY}K7sd" https://api.acme.invalid/',
     "generic-authorization-bearer"),
    ("prose-dsn.txt", f"Connect with postgres://app:{PW}@db.acme.invalid:5432/app please",
     "postgres-uri-password"),
    ("prose-url.txt", f"the API is at https://api.acme.invalid/v1?api_key={KEY} for now",
     "generic-url-query-secret"),
    ("gradle.properties", f"ossrhUsername=ci-bot\nossrhPassword={PW}",
     "gradle-properties-credential"),
    ("nslcd.conf", f"binddn cn=nslcd,dc=acme,dc=invalid\nbindpw {PW}", "ldap-conf-bindpw"),
    ("flow.yaml", f"db: {{user: app, password: {PW}, host: db}}", "yaml-flow-mapping-secret"),
    ("flow-last.yml", f"auth: {{user: ci, apiToken: {KEY}}}", "yaml-flow-mapping-secret"),
    ("app.service", f'[Service]\nEnvironment="DB_USER=app" "DB_PASSWORD={PW}"',
     "generic-env-entry-secret"),
    ("compose.yaml", f'services:\n  app:\n    environment: ["API_TOKEN={KEY}", "DEBUG=0"]',
     "generic-env-entry-secret"),
    ("Dockerfile", f"FROM alpine:3.20\nENV DB_PASSWORD {PW}", "dockerfile-env-secret"),
    ("init.sql", f"CREATE ROLE app WITH LOGIN PASSWORD '{PW}';", "sql-user-password"),
    ("grant.sql", f"CREATE USER 'app'@'%' IDENTIFIED BY '{PW}';", "sql-user-password"),
    ("cluster.yaml", "bootstrap:\n  initdb:\n    postInitSQL:\n"
     f"      - CREATE ROLE grafana WITH LOGIN PASSWORD '{PW}';", "sql-user-password"),
    # Tekton params (default) and Argo Workflows parameters (value): the policy reads them
    ("task.yaml", "apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: migrate\nspec:\n"
     "  params:\n    - name: db-password\n      type: string\n      default: " + PW,
     "workflow-param-literal-secret"),
    ("workflow.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n"
     "  generateName: etl-\nspec:\n  arguments:\n    parameters:\n"
     "      - name: registry-token\n        value: " + KEY, "workflow-param-literal-secret"),
]

# Files that hold no secret: each must give no finding at all.
QUIET = [
    # function calls and indexes yield a value at run time (argo-helm's release scripts)
    ("release.py", 'github_token = os.getenv("GITHUB_TOKEN")\nrepo_token = get_secret("repo")'),
    ("Nexus.java", 'String nexusPassword = props.getProperty("nexus.password");'),
    ("Ldap.cs", 'var ldapPassword = Configuration["Ldap:BindPassword"];\n'
                'var secret = configuration.GetValue<string>("ClientSecret");'),
    ("app.go", 'cfg.Password = viper.GetString("db.password")'),
    # template code: names inside an action are fields, not assignments (bitnami charts)
    ("secrets.yaml",
     "{{- if and .Values.ldap.enabled (or .Values.ldap.bind_password .Values.ldap.bindpw) }}\n"
     "{{- $ldapPassword = coalesce .Values.ldap.bind_password .Values.ldap.bindpw }}\n"
     "  bindpw {{ .Values.ldap.bindpw }}"),
    ("role.j2", "{% set db_password = lookup('env', 'DB_PASSWORD') %}"),
    ("install.sh", "helm install app . --set auth.password={{ .Values.pw }}"),
    # SQL and env entries that take the value from a variable, a file or a template
    ("update.sh", "echo \"ALTER USER postgres WITH PASSWORD '$POSTGRES_NEW_PASSWORD';\" | psql\n"
                  "psql -v pw=\"$PW\" -c \"CREATE ROLE app LOGIN PASSWORD :'pw'\""),
    ("app.service", 'Environment="DB_PASSWORD_FILE=%d/db-password" "API_TOKEN=${TOKEN}"'),
    ("Dockerfile", "FROM alpine:3.20\nENV DB_PASSWORD_FILE /run/secrets/db-password\n"
                   "ENV API_TOKEN $API_TOKEN"),
    ("env.go", 'cmd.Env = append(os.Environ(), "DB_PASSWORD="+cfg.Password)'),
    # a Dockerfile's ENV line in another file is prose or a shell line, not an image layer
    ("NOTES.md", f"ENV DB_PASSWORD {PW}"),
    # a flow mapping's syntax in code is an object literal: its unquoted value is a variable
    ("login.js", f"const req = {{user: app, password: {PW}}};"),
    ("flow.yaml", "db: {user: app, password: {{ .Values.db.password }}, host: db}\n"
                  "auth: {existingSecret: app-credentials, passwordKey: db-password}"),
    ("pipeline.yaml", "apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n"
     "  params:\n    - name: db-password\n      type: string\n  tasks:\n    - name: t\n"
     "      params:\n        - name: db-password\n          value: $(params.db-password)\n"
     "        - name: token-secret-name\n          value: registry-credentials"),
]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "work"
    root.mkdir()
    monkeypatch.chdir(root)
    return root


def _scan(root: Path, files: list[tuple[str, str]]) -> list[dict[str, Any]]:
    for i, (name, text) in enumerate(files):
        folder = root / f"case{i:02d}"
        folder.mkdir()
        (folder / name).write_text(text + "\n", encoding="utf-8")
    result = cli("scan", "--format", "json", "--fail-on", "low", ".")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)["findings"]  # type: ignore[no-any-return]


def test_every_syntax_is_found_at_its_line(workdir: Path) -> None:
    found = _scan(workdir, [(name, text) for name, text, _ in FOUND])
    by_case = {(f["path"].split("/")[0], f["line"], f["rule"]) for f in found}
    missing = [(name, rule) for i, (name, text, rule) in enumerate(FOUND)
               if (f"case{i:02d}", text.count("\n") + 1, rule) not in by_case]
    assert missing == []


def test_code_templates_and_other_formats_are_quiet(workdir: Path) -> None:
    found = _scan(workdir, QUIET)
    assert [(f["path"], f["line"], f["rule"]) for f in found] == []


def test_format_rules_read_only_their_format(workdir: Path) -> None:
    """The same lines outside gradle.properties and outside a directive line: the format's
    rules stay silent (a generic rule may still judge the assignment on its own terms)."""
    found = _scan(workdir, [("gradle.properties", f"ossrhPassword={PW}"),
                            ("settings.py", f"ossrhPassword={PW}"),
                            ("notes.txt", f"Set bindpw {PW} in the file")])
    rules = {(f["path"].split("/")[0], f["rule"]) for f in found}
    assert ("case00", "gradle-properties-credential") in rules
    assert ("case01", "gradle-properties-credential") not in rules
    assert not any(case == "case02" for case, _ in rules)


@pytest.mark.parametrize("value", [
    "props.getProperty(", "Configuration[", "GetValue<string>(", "std::env::var(",
    ".Values.ldap.bindpw)", ".Values.auth.password",
])
def test_code_expressions(value: str) -> None:
    assert heuristics.is_code_expression(value)


@pytest.mark.parametrize("value", [
    PW, "Kv3(pQ9z!Lw2mRt8", "Kv3[pQ9z]Lw2mRt8x", ".Zq8mWv2Lr5tXe9Kd", "a.b",
    'decrypt("Hk3Pq7nRw2Vd6yBs")',  # a literal argument is judged as a value
    "Hk3Pq7nRw2Vd6yBs(", "(Zq8mWv2Lr5tXe9Kd)",
])
def test_secrets_are_not_code_expressions(value: str) -> None:
    assert not heuristics.is_code_expression(value)


@pytest.mark.parametrize(("line", "value", "inside"), [
    (b"{{ if .Values.auth.password .Values.x }}", b".Values.x", True),
    (b"{% set password = x %}", b"x", True),
    (b"<%= password %>", b" %>", True),
    (b"password={{ .Values.pw }}", b"{ .Values", True),  # read from the second brace
    (b"password: {{ .Values.pw }} token: Zq8mWv2Lr5tXe9Kd", b"Zq8m", False),
    (b"password: Zq8mWv2Lr5tXe9Kd", b"Zq8m", False),
])
def test_inside_template_action(line: bytes, value: bytes, inside: bool) -> None:
    offset = line.rindex(value)
    assert heuristics.inside_template_action(b"x: 1\n" + line, 5 + offset) is inside


RULE = {"id": "acme-conf", "name": "n", "family": "generic", "severity": "high",
        "keywords": ["acme"], "regex": "acme=(\\w{8})", "reference": "https://acme.invalid/",
        "examples": ["acme=abcd1234"], "negative_examples": ["acme="]}


def test_paths_confine_a_rule_to_its_files() -> None:
    rule = parse_rule({**RULE, "paths": ["acme.conf", "etc/**/*.acme"]}, "t")
    assert rule.applies_to("deploy/acme.conf") and rule.applies_to("etc/x/y.acme")
    assert not rule.applies_to("src/acme.py") and not rule.applies_to(None)
    assert parse_rule(RULE, "t").applies_to(None)


@pytest.mark.parametrize(("paths", "message"), [
    ([], "at least one glob"), (["[z-a].conf"], "empty range"), ("acme.conf", "list of strings"),
])
def test_bad_paths_are_errors(paths: object, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        parse_rule({**RULE, "paths": paths}, "t")
