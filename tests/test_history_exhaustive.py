"""The policy layer's shortcuts (memoised judgements, #13) never change what a history audit
finds: the same generated GitOps history, audited with and without SEALGUARD_EXHAUSTIVE=1,
gives identical reports. The history has planted violations in many versions of each file
(renovate-style bumps in between), so the shortcuts are exercised, and the report is checked
to hold each kind of planted finding, so an audit that finds nothing cannot pass."""

from __future__ import annotations

import json
import os
import random
import string
import subprocess
from pathlib import Path
from typing import Any

from helpers import run_sealguard
from test_staged import CONFIG, fake_token

EPOCH = 1_700_000_000


def _random(rng: random.Random, n: int = 24) -> str:
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(n))


def helmrelease(n: int, rng: random.Random) -> str:
    plant = n % 3 == 1
    password = f"Zq{_random(rng)}" if plant else ""
    env_value = f"v{_random(rng, 18)}" if n % 4 == 2 else "${DB_PASSWORD}"
    return f"""\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: app
  namespace: apps
spec:
  chart:
    spec:
      chart: app
      version: 1.{n}.0
  values:
    image:
      tag: v2.{n}.{n % 7}
    auth:
      existingSecret: app-auth
      adminPassword: "{password}"
    database:
      url: postgres://app:{"pw" + _random(rng, 10) if n % 5 == 3 else "${{PW}}"}@db:5432/app
    env:
      - name: DB_PASSWORD
        value: {env_value}
      - name: LOG_LEVEL
        value: info
    config: |
      listen = 0.0.0.0
      api_key = {"ak" + _random(rng, 20) if n % 6 == 4 else "${API_KEY}"}
    common: &common
      replicas: {n % 3 + 1}
    other:
      <<: *common
      token: {"tk" + _random(rng, 20) if n % 7 == 5 else '""'}
"""


def manifests(n: int, rng: random.Random) -> str:
    token = fake_token(n) if n % 4 == 0 else "none"
    secret = f"s3cr{_random(rng, 16)}" if n % 5 == 0 else ""
    return f"""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    build/note: "token {token}"
data:
  VERSION: "{n}"
  SETTINGS: |
    password={"pw" + _random(rng, 14) if n % 3 == 0 else "${{PW}}"}
---
apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  username: app
  password: "{secret}"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
    app: web-{n}
spec:
  template:
    spec:
      containers:
        - name: web
          image: web:{n}
          env:
            - name: API_TOKEN
              value: {"at" + _random(rng, 22) if n % 4 == 1 else "''"}
"""


def values_file(n: int, rng: random.Random) -> str:
    broken = "  - [unclosed\n" if n % 6 == 5 else ""
    return f"""\
replicaCount: {n % 4}
image:
  tag: "{n}.0"
redis:
  auth:
    password: {"rp" + _random(rng, 16) if n % 2 else '""'}
{broken}"""


def kustomization(n: int, rng: random.Random) -> str:
    literal = f"api-key={_random(rng, 20)}" if n % 3 == 2 else "mode=on"
    return f"""\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [app.yaml]
secretGenerator:
  - name: app
    literals:
      - {literal}
      - version={n}
"""


FILES = {
    "clusters/prod/app/helmrelease.yaml": helmrelease,
    "clusters/prod/app/manifests.yaml": manifests,
    "charts/app/values.yaml": values_file,
    "clusters/prod/app/kustomization.yaml": kustomization,
}


def build_history(repo: Path, commits: int) -> None:
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    rng = random.Random(13)
    stream = []
    config = CONFIG.encode()
    for n in range(commits):
        when = EPOCH + n * 600
        head = (f"commit refs/heads/main\nmark :{n + 1}\n"
                f"author Ada <ada@example.invalid> {when} +0000\n"
                f"committer Ada <ada@example.invalid> {when} +0000\n"
                f"data 8\nbump {n:03}\n").encode()
        if n:
            head += b"from :%d\n" % n
        else:
            head += b"M 100644 inline .sealguard.yaml\ndata %d\n%s\n" % (len(config), config)
        for path, make in FILES.items():
            if n % 2 and path.endswith("kustomization.yaml"):
                continue  # not every file changes in every commit
            body = make(n, rng).encode()
            head += b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(body), body)
        stream.append(head)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=b"".join(stream),
                   check=True)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=repo, check=True)


def audit(repo: Path, exhaustive: bool) -> list[dict[str, Any]]:
    env = {**os.environ, "SEALGUARD_EXHAUSTIVE": "1" if exhaustive else "0"}
    proc = run_sealguard("history", "--format", "json", "-j", "1", cwd=repo, env=env)
    assert proc.returncode == 1, proc.stderr
    findings: list[dict[str, Any]] = json.loads(proc.stdout)["findings"]
    return findings


def test_fast_and_exhaustive_history_audits_find_the_same(tmp_path: Path) -> None:
    repo = tmp_path / "gitops"
    build_history(repo, 36)
    fast, exhaustive = audit(repo, False), audit(repo, True)
    assert fast == exhaustive
    rules = {f["rule"] for f in fast}
    assert {"helm-values-secret", "k8s-plaintext-secret", "k8s-configmap-secret",
            "k8s-annotation-secret", "k8s-env-literal-secret", "manifest-parse-error",
            "kustomize-secret-generator-literal",
            "test-token"} <= rules, rules
    assert len(fast) >= 150, len(fast)
