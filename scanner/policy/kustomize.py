"""Kustomize: secretGenerator with literals or plaintext env/files sources, and inline patches
(a Secret merged in by a patch is as plaintext as one in a file)."""

from __future__ import annotations

from scanner.policy.context import Checker
from scanner.policy.values import is_placeholder, looks_random, secret_like_key, url_password
from scanner.policy.yamlnodes import Map, Scalar, Seq

RULE = "kustomize-secret-generator-literal"
_PUBLIC_SUFFIXES = (".crt", ".cert", ".pub", ".enc", ".age", ".gpg", ".asc", ".sops")


def _literal(c: Checker, name: str, item: Scalar) -> None:
    key, sep, value = item.value.partition("=")
    value = value.strip().strip("'\"")
    if not sep or not value or is_placeholder(value):
        return
    if not (secret_like_key(key) or url_password(value) or looks_random(value, min_len=12)):
        return  # LOG_LEVEL=debug, SMTP_HOST=...: configuration riding along, not a secret
    c.report(RULE, item, value,
             f"secretGenerator '{name}' literal '{key.strip()}' is plaintext in Git: replace the "
             "generator with a SealedSecret (kubeseal) or ExternalSecret listed under resources, "
             "and rotate the value.")


def _source_file(c: Checker, name: str, item: Scalar, field: str) -> None:
    path = item.value.partition("=")[2] or item.value
    lowered = path.lower()
    if is_placeholder(path) or lowered.endswith(_PUBLIC_SUFFIXES) or ".enc." in lowered \
            or "sops" in lowered:
        return
    c.report(RULE, item, f"{field}:{path}",
             f"secretGenerator '{name}' builds a Secret from '{path}' ({field}), a plaintext "
             "file that must be committed for GitOps to build it: use a SealedSecret or "
             "ExternalSecret, or encrypt the file with SOPS (ksops).", severity="medium")


def _items(entry: Map, field: str) -> list[Scalar]:
    node = entry.get(field)
    if isinstance(node, Scalar) and node.value:
        return [node]
    if isinstance(node, Seq):
        return [item for item in node.items if isinstance(item, Scalar)]
    return []


KUSTOMIZE_KEYS = ("secretGenerator", "patches", "patchesStrategicMerge")


def is_kustomization(root: Map) -> bool:
    return any(root.get(key) is not None for key in KUSTOMIZE_KEYS)


def check_kustomization(root: Map, c: Checker) -> None:
    if not c.gitops_path:
        return
    generators = root.seq("secretGenerator")
    for entry in generators.maps() if generators is not None else ():
        name = entry.text("name") or "?"
        for item in _items(entry, "literals"):
            _literal(c, name, item)
        for field in ("envs", "env", "files"):
            for item in _items(entry, field):
                _source_file(c, name, item, field)
    spec = root.get("spec")  # a Flux Kustomization carries its patches under spec
    for holder in (root, spec) if isinstance(spec, Map) else (root,):
        for patch in _inline_patches(holder):
            _check_patch(patch, c)


def _inline_patches(holder: Map) -> list[Scalar]:
    """`patches: - patch: |` and `patchesStrategicMerge: - |` texts (a one-line entry is a
    path to a patch file, which is scanned as a file of its own)."""
    found: list[Scalar] = []
    patches, merges = holder.seq("patches"), holder.seq("patchesStrategicMerge")
    for entry in patches.maps() if patches is not None else ():
        patch = entry.get("patch")
        if isinstance(patch, Scalar):
            found.append(patch)
    found += [item for item in merges.items if isinstance(item, Scalar)] if merges else []
    return [patch for patch in found if "\n" in patch.value.strip()]


def _check_patch(patch: Scalar, c: Checker) -> None:
    """The patch's documents checked as manifests, its lines placed in the file."""
    from scanner.blob import Blob
    from scanner.policy.run import check_blob

    data = patch.value.encode("utf-8", "surrogateescape")
    lines = data.count(b"\n") + 1
    indent = 0
    if patch.style == "|":
        first = patch.line + 1
        line_map = tuple(c.blob.file_line(first + n) for n in range(lines))
        raw = c.blob.data.split(b"\n", first)[first - 1] if c.blob.line_map is None else b""
        indent = len(raw) - len(raw.lstrip(b" "))
    else:  # folded or quoted: lines do not map one to one; all at the patch's line
        line_map = (c.blob.file_line(patch.line),) * lines
    known = {(f.rule, f.line, f.secret) for f in c.findings}
    for finding in check_blob(Blob(path=c.blob.path, data=data, line_map=line_map), c.ctx):
        if (finding.rule, finding.line, finding.secret) not in known:
            c.findings.append(finding.with_changes(column=finding.column + indent))
