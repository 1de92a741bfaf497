"""Cheap content sniffing for the pre-commit path: bytes tests only, nothing heavy imported."""

from __future__ import annotations

import re

DOTENV_EXAMPLES = (".example", ".sample", ".template", ".dist", ".tpl", ".defaults.example")
_ENV_LINE = re.compile(rb"(?m)^[ \t]*(?:export[ \t]+)?[A-Za-z_][A-Za-z0-9_.]*=")
_ENV_CONTENT_EXT = ("", ".txt", ".cfg", ".conf", ".properties", ".ini", ".key", ".secret", ".env")
_YAML_EXT = (".yaml", ".yml", ".json", ".yaml.gotmpl", ".yml.gotmpl")


def basename(path: str) -> str:
    return path.rsplit("/", 1)[-1].lower()


def is_dotenv_name(path: str) -> bool:
    return _dotenv_name(basename(path))


def _dotenv_name(name: str) -> bool:
    return name == ".env" or name.startswith(".env.") or name.endswith(".env")


def is_dotenv_example(path: str) -> bool:
    name = basename(path)
    return any(name.endswith(suffix) or f"{suffix}." in name for suffix in DOTENV_EXAMPLES)


def is_values_name(path: str) -> bool:
    return _values_name(basename(path))


def _values_name(name: str) -> bool:
    return "values" in name and name.endswith(_YAML_EXT) and not name.endswith(".json")


_KUSTOMIZATION = ("kustomization.yaml", "kustomization.yml", "kustomization")


def is_kustomization_name(path: str) -> bool:
    return basename(path) in _KUSTOMIZATION


def looks_dotenv_content(data: bytes) -> bool:
    """Mostly KEY=value lines (a SOPS dotenv stored under any name, an env file named .txt)."""
    head = data[:4096]
    if b"sops_" in data and (b"sops_version=" in data or b"sops_mac=" in data):
        return True
    lines = [ln for ln in head.splitlines() if ln.strip() and not ln.lstrip().startswith(b"#")]
    if len(lines) < 2 or b"kind:" in head or b"{" in head[:64]:
        return False
    hits = len(_ENV_LINE.findall(head))
    return hits >= 2 and hits >= 0.8 * len(lines)


_FIRST_KEY = re.compile(
    rb"(?:apiVersion|kind|items|metadata|secretGenerator|resources|spec|data|stringData)[ \t]*:")


_JSON_OPEN = re.compile(rb"""[\[{][ \t]*(?:$|["{\[\]}])""")


_LINE = re.compile(rb"[^\r\n]+")  # the non-empty lines, as bytes.splitlines() cuts them


def is_yaml_name(path: str) -> bool:
    """Named as YAML/JSON (or a kustomization): what kubectl, Kustomize and Argo CD read."""
    name = basename(path)
    return name.endswith(_YAML_EXT) or name in _KUSTOMIZATION


def yaml_candidate(path: str, data: bytes) -> bool:
    """YAML/JSON by name, or by content: the first significant line opens a manifest."""
    name = basename(path)
    return name.endswith(_YAML_EXT) or name in _KUSTOMIZATION or _opens_manifest(data)


def _opens_manifest(data: bytes) -> bool:
    for line in _LINE.finditer(data[:8192].lstrip(b"\xef\xbb\xbf")):
        text = line[0].strip()
        if not text or text.startswith((b"#", b"---", b"%YAML")):
            continue
        return bool(_JSON_OPEN.match(text) or _FIRST_KEY.match(text.lstrip(b"- \"'")))
    return False


# YAML that may spell `apiVersion` or `kind: Secret` past the literal tests, as Kubernetes'
# reader (go-yaml) still reads it: an escape in a double-quoted scalar ("ki\x6ed",
# "S\u0065cret", a backslash line break), or a tag, anchor, alias or explicit key where a key
# starts (`!!str kind: Secret`, `? kind`).
_ESCAPE = re.compile(rb"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|\r?\n)")
# Each starts with a literal, so `re` finds candidates by a fast search (one regex with `^`
# tries every offset).
_NODE_PROPERTY = (re.compile(rb"\n[ \t-]*[!&*?]"), re.compile(rb"[{,][ \t]*[!&*?]"))


def disguised(data: bytes) -> bool:
    """Whether YAML content may hold keys the literal tests cannot see (see above)."""
    if b"\\" in data and _ESCAPE.search(data) is not None:
        return True
    line, flow = _NODE_PROPERTY
    return data.lstrip(b" \t-")[:1] in (b"!", b"&", b"*", b"?") or line.search(data) is not None \
        or ((b"{" in data or b"," in data) and flow.search(data) is not None)


# The literals wants() looks for anywhere in a file: a bulk scan's single Hyperscan pass
# reports them (Engine markers), so large scans do not search each file once per literal.
MARKERS = (b"sops_version=", b"sops_mac=", b"apiVersion", b"kind", b"secretGenerator")


def wants(path: str, data: bytes, markers: frozenset[bytes] | None = None) -> bool:
    """Whether the policy checks should read this file. Cheap tests first: most files of a
    large scan are source code, settled by their name and first line without a full pass.
    `markers`: which of MARKERS occur in data, when a bulk pass already knows."""

    def has(literal: bytes) -> bool:
        return literal in data if markers is None else literal in markers

    def manifest_words() -> bool:
        return (has(b"apiVersion") and has(b"kind")) or has(b"secretGenerator")

    name = basename(path)
    if _dotenv_name(name) or name in _KUSTOMIZATION or _values_name(name):
        return True
    if (markers is not None or b"sops_" in data) and (
        has(b"sops_version=") or has(b"sops_mac=")
    ):
        return True
    yaml_name = name.endswith(_YAML_EXT)
    if markers is not None or yaml_name:  # the words are known, or the name settles it
        if manifest_words() and (yaml_name or _opens_manifest(data)):
            return True
        if yaml_name and disguised(data):
            return True
    elif _opens_manifest(data) and manifest_words():
        return True
    ext = name[name.rfind(".") :] if "." in name.lstrip(".") else ""
    return ext in _ENV_CONTENT_EXT and b"=" in data[:4096] and looks_dotenv_content(data)
