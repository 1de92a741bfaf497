"""Values that look like credentials to a regex but are not: quantities, member access in
code, credentials published for everyone (emulator keys), and test input that is invalid on
purpose. Each case is a real file scanned by the real CLI."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from scanner.engine import filters, published, shapes
from tests.helpers import scan_json

# The Azurite / Azure Storage Emulator key that Microsoft publishes for account
# devstoreaccount1 (learn.microsoft.com/azure/storage/common/storage-use-azurite): public.
AZURITE = ("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/"
           "K1SZFPTOtr/KBHBeksoGMGw==")
# The same shape, not published: a made-up key (its tail says so).
MADE_UP = ("r+eJCxIduxVyOtZ1rNWcnbSBB7ORMmLJGwxBwn4aOzan0uJ87k883QnveFiSvmlxba1QINv"
           "Xjeu4CoFAKEKEYg==")


def blocking(report: dict[str, object]) -> list[tuple[str, str, int]]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return [(f["rule"], f["path"], f["line"]) for f in findings
            if f["severity"] in ("medium", "high", "critical")]


@pytest.mark.parametrize("value", ["1.25e-07", "3.0E-06", "0.5", "-12", "+2.75", ".5", "7e3"])
def test_numbers_are_quantities(value: str) -> None:
    assert shapes.is_number(value)


@pytest.mark.parametrize("value", ["1.2.3", "e10", "12ab34cd", "0x1F", "1e", "Sup3r-S3cr3t"])
def test_not_numbers(value: str) -> None:
    assert not shapes.is_number(value)


def test_prices_per_token_do_not_block(tmp_path: Path) -> None:
    (tmp_path / "model.yaml").write_text(
        "model_list:\n  - model_name: local\n    model_info:\n"
        "      input_cost_per_token: 1.25e-07\n      output_cost_per_token: 1.98e-06\n"
        "      cache_read_input_token_cost: 1.25e-08\n"
        "  - litellm_params:\n      api_key: Zq8mWv2Lr5tXe9KdPw3N\n")
    found = blocking(scan_json(str(tmp_path)))
    assert [line for _, _, line in found] == [8], found  # the key, not the prices


@pytest.mark.parametrize("value", [
    "env.valueFrom?.secretKeyRef", "config.auth!.token", "props?.session?.accessToken",
    "this.state.token"])
def test_member_access_is_code(value: str) -> None:
    assert filters.looks_like_code(value)


def test_optional_chaining_in_typescript_is_not_a_secret(tmp_path: Path) -> None:
    (tmp_path / "EnvVar.tsx").write_text(
        "export function show(env: EnvVar) {\n"
        "    const secret = env.valueFrom?.secretKeyRef;\n"
        "    const token = session!.credentials;\n"
        "    return secret;\n}\n")
    assert blocking(scan_json(str(tmp_path))) == []


def test_published_emulator_key_is_low_with_its_reason(tmp_path: Path) -> None:
    conn = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={}"
    (tmp_path / "azurite.env").write_text(f"STORAGE_ACCOUNT_KEY={AZURITE}\n")
    (tmp_path / "real.env").write_text(f"STORAGE_ACCOUNT_KEY={MADE_UP}\n")
    (tmp_path / "secret.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: azurite\ntype: Opaque\ndata:\n"
        f"  account-key: {base64.b64encode(AZURITE.encode()).decode()}\n"
        f"  connection: {base64.b64encode(conn.format(AZURITE).encode()).decode()}\n")
    report = scan_json(str(tmp_path))
    found = blocking(report)
    assert {path for _, path, _ in found} == {"real.env"}, found
    notes = [f["message"] for f in report["findings"] if f["path"] == "azurite.env"]
    assert notes and all("published by Microsoft" in m for m in notes)
    assert published.published(MADE_UP) is None


def test_invalid_on_purpose_test_input(tmp_path: Path) -> None:
    for name in ("test/e2e/smoke/basic-invalid.yaml", "apps/prod/app.yaml",
                 "test/e2e/app.yaml"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
                        "data:\n  a: [unclosed\n")
    report = scan_json(str(tmp_path))
    errors = {f["path"]: f["severity"] for f in report["findings"]
              if f["rule"] == "manifest-parse-error"}
    assert errors == {"test/e2e/smoke/basic-invalid.yaml": "low",
                      "apps/prod/app.yaml": "medium", "test/e2e/app.yaml": "medium"}, errors


def _write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_code_in_a_configmap_reads_a_value_it_does_not_hold(tmp_path: Path) -> None:
    cm = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plugin\ndata:\n"
          "  sidecar.container: |\n    args:\n    - |\n"
          "      with open('/var/run/argo/token') as f:\n"
          "          token = f.read().strip()\n"
          "      secret = os.getenv('PLUGIN_SECRET').strip()\n"
          "      api_key = {}\n")
    _write(tmp_path, "apps/plugin/code.yaml", cm.format("load_key()"))
    _write(tmp_path, "apps/plugin/literal.yaml", cm.format("Zq8mWv2Lr5tXe9KdPw3N"))
    found = blocking(scan_json(str(tmp_path)))
    assert {path for _, path, _ in found} == {"apps/plugin/literal.yaml"}, found
    assert "k8s-configmap-secret" in {rule for rule, _, _ in found}


def test_vault_agent_template_renders_the_password(tmp_path: Path) -> None:
    job = ("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pgdump\nspec:\n  template:\n"
           "    metadata:\n      annotations:\n"
           "        vault.hashicorp.com/agent-inject-template-db-creds: |\n"
           '          {{- with secret "database/creds/db-backup" -}}\n'
           "          postgresql://{}@db.svc:5432/app\n"
           "          {{- end }}\n"
           "    spec:\n      containers:\n      - name: dump\n        image: postgres:16\n")
    _write(tmp_path, "apps/dump/templated.yaml",
           job.format("{{ .Data.username }}:{{ .Data.password }}"))
    _write(tmp_path, "apps/dump/literal.yaml", job.format("backup:Wq7Lm2Xr9Tk4Pz8N"))
    found = blocking(scan_json(str(tmp_path)))
    assert {path for _, path, _ in found} == {"apps/dump/literal.yaml"}, found


@pytest.mark.parametrize("value", ["Hx8Kp3Lq9Vm2Rt7Wz4Nc", "Jr6Tn2Wq8Lm4Xz9Pk3Vb"])
def test_random_humps_are_not_an_identifier(tmp_path: Path, value: str) -> None:
    """Two-letter camel humps with a digit have an identifier's outline and none of its
    words: a generated password, whether YAML quotes it or not."""
    assert not filters.looks_like_code(value)
    (tmp_path / "values.yaml").write_text(
        f'db:\n  password: "{value}"\nadmin:\n  password: {value}\n')
    assert {line for _, _, line in blocking(scan_json(str(tmp_path)))} == {2, 4}


@pytest.mark.parametrize("value", ["getDbUrl", "self.authToken", "MySecretName", "dbPassword"])
def test_identifiers_stay_code(value: str) -> None:
    assert filters.looks_like_code(value) or shapes.is_identifier(value)
