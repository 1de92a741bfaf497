"""Parse one blob and apply every policy to what it holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scanner.policy import detect
from scanner.policy.context import Checker
from scanner.policy.globs import path_matches
from scanner.policy.kustomize import is_kustomization
from scanner.policy.yamlnodes import Document, Duplicate, Map, Node, Seq, read_documents

if TYPE_CHECKING:
    from scanner.blob import Blob
    from scanner.findings import Finding
    from scanner.pipeline import ScanContext

SKIP_KINDS = frozenset({"CustomResourceDefinition"})
EXTERNAL_KINDS = frozenset({"ExternalSecret", "ClusterExternalSecret", "SecretStore",
                            "ClusterSecretStore"})
# Kinds whose {name, value} parameters a policy of their own judges (argocd-inline-secret,
# helm-values-secret): the generic parameter check would report them twice.
OWN_PARAMETERS = frozenset({"Application", "ApplicationSet", "HelmRelease"})


def check_blob(blob: Blob, ctx: ScanContext) -> list[Finding]:
    c = Checker(blob, ctx, path_matches(blob.path, ctx.config.gitops.paths))
    try:
        _check(c)
    except Exception as exc:  # a policy bug must not stop the scan; report it instead
        c.parse_error(1, f"could not be checked ({type(exc).__name__}); please report this")
    return c.findings


def _check(c: Checker) -> None:
    from scanner.policy.dotenv import check_dotenv

    path, data = c.blob.path, c.blob.data
    text = line_breaks(data.decode("utf-8", "replace").removeprefix("\ufeff"))
    if detect.is_dotenv_name(path):
        check_dotenv(text, c, by_name=True)
        return
    manifest = (looks_manifest(text) and detect.yaml_candidate(path, data)) \
        or detect.is_kustomization_name(path)
    values_file = detect.is_values_name(path)
    # Keys the literal tests cannot see: parsed, and checked when they make a resource.
    disguised = not manifest and detect.is_yaml_name(path) and detect.disguised(data)
    if not manifest and not values_file and not disguised:
        if detect.looks_dotenv_content(data):
            check_dotenv(text, c, by_name=False)
        return
    is_json = text.lstrip("\ufeff \t\r\n")[:1] in ("{", "[")
    for doc in read_documents(text, is_json):
        if doc.root is not None:
            if manifest or values_file or _resource(doc.root):
                _check_document(doc, c, values_file)
        elif doc.problem is not None and not disguised:
            _problem(doc, c, manifest)


_ODD_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def line_breaks(text: str) -> str:
    """YAML's line breaks (and go-yaml's, so Kubernetes'): CR alone, NEL, LS and PS end a
    line as LF does; every check here reads lines by LF."""
    if not any(mark in text for mark in _ODD_BREAKS):
        return text
    import re

    return re.sub("\r(?!\n)|[\x85\u2028\u2029]", "\n", text)


def _resource(root: Node) -> bool:
    """A document that names an API version and a kind (or a list of such)."""
    if isinstance(root, Seq):
        return any(_resource(item) for item in root.maps())
    return isinstance(root, Map) and bool(root.text("apiVersion")) and bool(root.text("kind"))


def _check_document(doc: Document, c: Checker, values_file: bool) -> None:
    """Every reading of the document (several when a key repeats: consumers disagree on which
    occurrence counts, so the one that exposes the most must be checked); each finding of such
    a document says so."""
    before = len(c.findings)
    for root in doc.readings():
        check_root(root, c, values_file)
    if doc.duplicates and len(c.findings) > before:
        note = duplicate_note(doc, c)
        c.findings[before:] = [f.with_changes(message=f"{f.message} {note}")
                               for f in c.findings[before:]]


def duplicate_note(doc: Document, c: Checker) -> str:
    def lines(d: Duplicate) -> str:
        return ", ".join(str(c.blob.file_line(n)) for n in d.lines)

    shown = "; ".join(f"'{d.key}' at lines {lines(d)}"
                      for d in doc.duplicates[:3])
    more = f" and {len(doc.duplicates) - 3} more" if len(doc.duplicates) > 3 else ""
    return (f"(this document repeats a key: {shown}{more}; YAML readers differ on which one "
            "counts, so every reading was checked)")


def looks_manifest(text: str) -> bool:
    """Holds `secretGenerator`, or both an `apiVersion` and a `kind` key (at a line's start
    or after `{` or `,`, optionally quoted)."""
    if "secretGenerator" in text:
        return True
    return has_key(text, "apiVersion") and has_key(text, "kind")


def has_key(text: str, word: str) -> bool:
    """`(?m)(?:^|[{,])[ \t]*["']?WORD["']?[ \t]*:` found by looking around each occurrence
    of the word (a regex starting with an anchor tries every offset of a large values file)."""
    at = text.find(word)
    while at >= 0:
        before = at - 1 if at and text[at - 1] in "\"'" else at
        while before and text[before - 1] in " \t":
            before -= 1
        if not before or text[before - 1] in "\n{,":
            after = at + len(word)
            after += text.startswith(("\"", "'"), after)
            while text.startswith((" ", "\t"), after):
                after += 1
            if text.startswith(":", after):
                return True
        at = text.find(word, at + 1)
    return False


def _problem(doc: Document, c: Checker, manifest: bool) -> None:
    """An unreadable document: a parse error (blocking only for a manifest in a GitOps path,
    see Checker.parse_error), and the line-wise reading of a Secret's values either way. A Helm
    or Jinja template is not YAML until rendered: it is only read line-wise, unless a bound
    was hit."""
    from scanner.policy.linewise import check_secret_lines

    assert doc.problem is not None
    too = doc.problem.message.startswith("too ")
    if too or not doc.templated:
        # A file YAML only by our content guess (Jsonnet opening with `{`, say) that does not
        # parse is simply not YAML: low, and still read line-wise below. A bound hit is not a
        # verdict on the syntax, so it counts whatever the name.
        named = too or detect.is_yaml_name(c.blob.path)
        kustomization = manifest and detect.is_kustomization_name(c.blob.path)
        c.parse_error(doc.problem.line, f"{doc.problem.message} (document not checked)",
                      manifest_like=named and (kustomization or looks_manifest(doc.text)))
    if not too:
        check_secret_lines(doc, c)


def check_root(root: Node, c: Checker, values_file: bool, depth: int = 0) -> None:
    if isinstance(root, Seq) and depth == 0:
        for item in root.maps():
            check_root(item, c, False, depth + 1)
        return
    if not isinstance(root, Map):
        return
    kind = root.text("kind")
    if kind:
        check_resource(root, kind, c, depth)
    elif is_kustomization(root):
        from scanner.policy.kustomize import check_kustomization

        check_kustomization(root, c)
    elif values_file:
        from scanner.policy.helmvalues import check_values_file

        check_values_file(root, c)


def check_resource(res: Map, kind: str, c: Checker, depth: int = 0) -> None:
    from scanner.policy import kubernetes as k8s

    items = res.seq("items")
    if kind.endswith("List") and items is not None and depth < 5:
        for item in items.maps():
            check_resource(item, item.text("kind") or "", c, depth + 1)
        return
    if kind in SKIP_KINDS:
        return
    _dispatch(res, kind, c)
    if c.gitops_path:
        k8s.check_metadata(res, c)
        k8s.check_kind(res, kind, c)
        if kind not in ("Secret", "ConfigMap", "SealedSecret") and kind not in EXTERNAL_KINDS:
            k8s.check_env(res, c)
            if kind not in OWN_PARAMETERS:
                from scanner.policy.params import check_params

                check_params(res, c, f"{kind} '{k8s.resource_name(res)}'")


def _dispatch(res: Map, kind: str, c: Checker) -> None:
    from scanner.policy import kubernetes as k8s

    if kind == "Secret":
        k8s.check_secret(res, c)
    elif kind == "ConfigMap":
        k8s.check_configmap(res, c)
    elif kind == "SealedSecret":
        from scanner.policy.sealed import check_sealed

        check_sealed(res, c)
    elif kind in EXTERNAL_KINDS:
        from scanner.policy.external import check_external

        check_external(res, kind, c)
    elif kind in ("Application", "ApplicationSet"):
        from scanner.policy.argocd import check_application

        check_application(res, c)
    elif kind == "HelmRelease":
        from scanner.policy.helmvalues import check_helmrelease

        check_helmrelease(res, c)
    elif kind == "Kustomization" or is_kustomization(res):
        from scanner.policy.kustomize import check_kustomization

        check_kustomization(res, c)
