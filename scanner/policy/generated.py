"""Files a kustomize generator deploys: their credentials judged as ConfigMap / Secret data.

An app config fed to `configMapGenerator` (`files: [config.php]`, a NUT `upsd.users`, an
`app.ini`) becomes a ConfigMap as written: a literal password in it is deployed, weak or
not, exactly as in a ConfigMap's embedded file. Outside a generator the same file is an
arbitrary file, where the secret rules judge it (and drop sample words such as `secret`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from scanner.findings import severity_rank
from scanner.policy.embedded import inner_pair_secret, line_pair

if TYPE_CHECKING:
    from scanner.blob import Blob
    from scanner.findings import Finding
    from scanner.pipeline import ScanContext
    from scanner.policy.context import Checker
    from scanner.policy.generators import Generated

# A credential-ish key assigned on some line: the cheap test before any line is read.
_CANDIDATE = re.compile(
    rb"(?i)(?:pass|secret|token|key|pwd|cred|auth)[\w.\-]*[\"'\]]*[ \t]*(?:=>|:=|[:=])")
_MAX_LINES = 5000
_BLOCKING = severity_rank("medium")


def credentials(text: str) -> list[tuple[int, int, str, str]]:
    """(line, column, key, value) of each line that assigns a literal credential."""
    found = []
    for number, line in enumerate(text.split("\n")[:_MAX_LINES], start=1):
        pair = line_pair(line)
        if pair is None:
            continue
        secret = inner_pair_secret(*pair)
        if secret:
            after = line.find(pair[0]) + len(pair[0])
            found.append((number, max(line.find(secret, after), 0) + 1, pair[0], secret))
    return found


def check(blob: Blob, ctx: ScanContext, known: list[Finding]) -> list[Finding]:
    """Policy findings for the literal credentials of a generator's source file, on lines
    that no blocking finding covers yet."""
    generated = ctx.generators.lookup(blob) if ctx.generators is not None else None
    if generated is None or not _CANDIDATE.search(blob.data):
        return []
    from scanner.policy.context import Checker as Checking
    from scanner.policy.globs import path_matches

    if not path_matches(blob.path, ctx.config.gitops.paths):
        return []
    found = credentials(blob.data.decode("utf-8", "replace").removeprefix("\ufeff"))
    covered = {f.line for f in known if severity_rank(f.severity) >= _BLOCKING}
    found = [item for item in found if blob.file_line(item[0]) not in covered]
    c = Checking(blob, ctx, gitops_path=True)
    for line, column, key, secret in found:
        _report(c, generated, (line, column), key, secret)
    return c.findings


def _report(c: Checker, generated: Generated, at: tuple[int, int], key: str,
            secret: str) -> None:
    from scanner.policy.values import deployed_severity, is_weak

    made = "Secret" if generated.secret else "ConfigMap"
    rule = "kustomize-secret-generator-literal" if generated.secret else "k8s-configmap-secret"
    kind = "a weak literal credential" if is_weak(secret) else "a literal credential"
    c.report(rule, at, secret,
             f"{generated.generator} '{generated.name}' ({generated.kustomization}) deploys "
             f"this file as a {made} as written: '{key}' is {kind}. Move it to a SealedSecret "
             "or ExternalSecret (mounted or referenced with secretKeyRef) and rotate it.",
             severity=deployed_severity(secret))
