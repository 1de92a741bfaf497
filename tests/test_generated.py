"""Files a kustomize generator deploys are judged as the ConfigMap / Secret they become.

Real kustomizations and app configs in real git repositories, scanned through the CLI: a
weak literal password that an arbitrary file may hold as a sample blocks once a
`configMapGenerator` / `secretGenerator` copies the file into the cluster.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import commit_file, git
from helpers import cli

from scanner.policy import generators
from scanner.policy.embedded import inner_pair_secret, line_pair
from scanner.policy.values import deployed_severity

KUSTOMIZATION = """\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ./helmrelease.yaml
configMapGenerator:
  - name: nut-config
    files:
      - ./config/upsd.users
      - portal.php=./resources/config.php
secretGenerator:
  - name: app-creds
    files:
      - db.ini
generatorOptions:
  disableNameSuffixHash: true
"""
UPSD_USERS = "[monuser]\n  password = hunter2\n  upsmon slave\n"
CONFIG_PHP = """\
<?php
$config = [
    'db_host' => 'mariadb.games.svc',
    'db_pass' => getenv('DB_PASS') ?: '',
    'db_user' => 'portal',
    'db_auth_pass' => 'mangos',
];
$config['smtp_pass'] = '';
$link = connect('portal', $config['db_pass']);
"""
CREDS = "[client]\nuser = portal\npassword = admin\n"


def _write(root: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)


def _blocking(result_json: str) -> dict[tuple[str, int], str]:
    found = json.loads(result_json)["findings"]
    return {(f["path"], f["line"]): f["rule"] for f in found
            if f["severity"] in ("medium", "high", "critical")}


def _app(prefix: str = "apps/nut/") -> dict[str, str]:
    return {f"{prefix}kustomization.yaml": KUSTOMIZATION,
            f"{prefix}config/upsd.users": UPSD_USERS,
            f"{prefix}resources/config.php": CONFIG_PHP,
            f"{prefix}db.ini": CREDS}


def test_generator_sources_block_on_weak_literals(git_repo: Path) -> None:
    _write(git_repo, _app())
    _write(git_repo, {"notes/upsd.users": UPSD_USERS, "notes/config.php": CONFIG_PHP})
    result = cli("scan", "--format", "json", ".")
    assert result.exit_code == 1, result.output
    assert _blocking(result.output) == {
        ("apps/nut/config/upsd.users", 2): "k8s-configmap-secret",
        ("apps/nut/resources/config.php", 6): "k8s-configmap-secret",
        ("apps/nut/db.ini", 3): "kustomize-secret-generator-literal",
        ("apps/nut/kustomization.yaml", 13): "kustomize-secret-generator-literal",
    }  # the same files outside a generator (notes/) are arbitrary files: nothing blocks
    message = next(f["message"] for f in json.loads(result.output)["findings"]
                   if f["path"] == "apps/nut/config/upsd.users")
    assert "configMapGenerator 'nut-config' (apps/nut/kustomization.yaml)" in message
    assert "hunter2" not in message  # the value is never printed


def test_a_file_named_alone_finds_its_kustomization_on_disk(git_repo: Path) -> None:
    _write(git_repo, _app())
    result = cli("scan", "--format", "json", "apps/nut/config/upsd.users")
    assert _blocking(result.output) == {
        ("apps/nut/config/upsd.users", 2): "k8s-configmap-secret"}


def test_kustomize_loads_only_from_its_folder_down(git_repo: Path) -> None:
    """A kustomization cannot generate from a sibling folder (kustomize's load restrictor):
    `../shared/upsd.users` does not make that file deployed."""
    _write(git_repo, {
        "apps/a/kustomization.yaml": KUSTOMIZATION.replace("./config/upsd.users",
                                                           "../shared/upsd.users"),
        "apps/shared/upsd.users": UPSD_USERS})
    result = cli("scan", "--format", "json", ".")
    assert ("apps/shared/upsd.users", 2) not in _blocking(result.output)


def test_staged_reads_the_kustomization_from_the_index(git_repo: Path) -> None:
    """The hook: the kustomization is already committed, only the config file is staged;
    a kustomization that is not in the index does not count (the commit will not hold it)."""
    commit_file(git_repo, "apps/nut/kustomization.yaml", KUSTOMIZATION)
    _write(git_repo, {"apps/nut/config/upsd.users": UPSD_USERS,
                      "other/kustomization.yaml": KUSTOMIZATION,
                      "other/config/upsd.users": UPSD_USERS})
    git(git_repo, "add", "apps/nut/config/upsd.users", "other/config/upsd.users")
    result = cli("scan", "--staged", "--format", "json")
    assert result.exit_code == 1, result.output
    assert _blocking(result.output) == {
        ("apps/nut/config/upsd.users", 2): "k8s-configmap-secret"}


def test_outside_gitops_paths_nothing_is_deployed(git_repo: Path) -> None:
    _write(git_repo, _app())
    (git_repo / ".sealguard.yaml").write_text("gitops:\n  paths: ['clusters/**']\n")
    result = cli("scan", "--format", "json", ".")
    assert ("apps/nut/config/upsd.users", 2) not in _blocking(result.output)


@pytest.mark.parametrize(("written", "expected"), [
    ("./config/upsd.users", "app/config/upsd.users"),
    ("key.php=./resources/config.php", "app/resources/config.php"),
    ("../other/x.conf", None), ("https://example.com/x.conf", None), ("/etc/x.conf", None),
    ("config/../../x.conf", None),
])
def test_generator_paths_resolve_like_kustomize(written: str, expected: str | None) -> None:
    assert generators.resolve("app", generators._source_path(written)) == expected


def test_an_unreadable_kustomization_generates_nothing() -> None:
    broken = b"configMapGenerator:\n  - name: x\n    files: [a.conf\n"
    assert generators.index([("app/kustomization.yaml", broken)]) == {}
    single = b"secretGenerator:\n  - name: x\n    envs: app.env\n"  # a scalar, not a list
    found = generators.index([("app/kustomization.yaml", single)])
    assert found["app/app.env"].secret and found["app/app.env"].name == "x"


@pytest.mark.parametrize(("line", "secret"), [
    ("  'db_pass'   => 'Zq8TmV2xLr7KpW4n',", "Zq8TmV2xLr7KpW4n"),   # PHP array
    ("$config['db_pass'] = 'Zq8TmV2xLr7KpW4n';", "Zq8TmV2xLr7KpW4n"),  # PHP assignment
    ("  'db_pass' => getenv('DB_PASS') ?: '',", None),                # read at run time
    ("  'password' => $exp_config['db_auth_pass'],", None),           # a variable
    ("pass_ip = [", None),                                            # opens a list
    ("imagePullSecrets: []", None),
    ('  "token": str(PUSHOVER_APP_TOKEN).strip(),', None),            # a call chain
])
def test_embedded_lines_of_other_languages(line: str, secret: str | None) -> None:
    pair = line_pair(line)
    assert (inner_pair_secret(*pair) if pair else None) == secret


@pytest.mark.parametrize(("value", "severity"), [
    ("secret", "medium"), ("mangos", "medium"), ("minio123", "medium"),
    ("generate-invite", "low"),  # words joined like a name: a keyword or a name, maybe
    ("Zq8TmV2xLr7KpW4n", None),
])
def test_deployed_weak_literals_block(value: str, severity: str | None) -> None:
    assert deployed_severity(value) == severity


def test_a_configmap_with_a_weak_password_blocks(git_repo: Path) -> None:
    """A ConfigMap is deployed as written, like a HelmRelease's values: nothing overrides
    its weak password (a chart's own values.yaml default is still low)."""
    _write(git_repo, {"deploy/cm.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata:\n"
        "  app.ini: |\n    [db]\n    password = mangos\n    pass_ip = [\n")})
    result = cli("scan", "--format", "json", ".")
    assert _blocking(result.output) == {("deploy/cm.yaml", 7): "k8s-configmap-secret"}


def test_history_knows_the_kustomizations_it_audits(git_repo: Path) -> None:
    """history: a kustomization of the audited history marks the file, in every version
    (here the config came first, its kustomization one commit later)."""
    commit_file(git_repo, "apps/nut/config/upsd.users", UPSD_USERS, "config")
    commit_file(git_repo, "notes/upsd.users", UPSD_USERS, "notes")
    commit_file(git_repo, "apps/nut/kustomization.yaml", KUSTOMIZATION, "deploy it")
    result = cli("history", "--format", "json", "-j", "1")
    assert result.exit_code == 1, result.output
    assert _blocking(result.output) == {
        ("apps/nut/config/upsd.users", 2): "k8s-configmap-secret",
        ("apps/nut/kustomization.yaml", 13): "kustomize-secret-generator-literal"}


def test_diff_reads_the_kustomizations_of_the_head(git_repo: Path) -> None:
    """diff (PR mode): the config file is added in the range, its kustomization was merged
    earlier; a file no kustomization at the head generates from is an arbitrary file."""
    base = commit_file(git_repo, "apps/nut/kustomization.yaml", KUSTOMIZATION, "base")
    commit_file(git_repo, "apps/nut/config/upsd.users", UPSD_USERS, "config")
    commit_file(git_repo, "notes/upsd.users", UPSD_USERS, "notes")
    result = cli("diff", "--format", "json", f"{base}..HEAD")
    assert result.exit_code == 1, result.output
    assert _blocking(result.output) == {
        ("apps/nut/config/upsd.users", 2): "k8s-configmap-secret"}
