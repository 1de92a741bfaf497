"""`sealguard init`: a starter configuration, a pre-commit hook entry and `.gitignore` entries.

Never clobbers: an existing file is kept, merged into, or appended to; running it twice
changes nothing the second time. The `.gitignore` entries cover plaintext secret manifests and
`.env` files, never the sealed/encrypted files (SealedSecret, SOPS `*.enc.yaml`) that must be
committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scanner import __version__

PRE_COMMIT_REPO = "https://github.com/sealguard/sealguard"
HOOK_ID = "sealguard"

STARTER_CONFIG = """\
# sealguard configuration (data only: nothing here can import or run code).
# Reference: the "Configuration" section of the sealguard README.
fail_on: medium            # lowest severity that fails a run: low | medium | high | critical
max_file_size: 100MB       # the default; a larger file is unread input (exit 2) unless allowlisted
rules:
  disable: []              # rule ids to turn off, e.g. [generic-password]
  severity: {}             # per-rule override, e.g. {jwt: medium}
  custom: []               # extra rules, same format as the built-in rule packs
allowlist:
  paths: []                # globs, e.g. ["tests/fixtures/**"]
  regexes: []              # regexes matched against the secret itself
  stopwords: []            # a secret containing one of these words is ignored
  fingerprints: []         # "hmac-sha256:..." fingerprints from a report
gitops:
  paths: ["**"]            # where Kubernetes manifests live, e.g. ["clusters/**", "apps/**"]
  allowed_kinds: [SealedSecret, ExternalSecret, ClusterExternalSecret]
  allow_sops: true         # SOPS-encrypted Secrets are fine
  allow_placeholders: true # ${VAR}, <path:...>, {{ .Values.x }} are not secrets
"""

GITIGNORE_HEADER = ("# sealguard: plaintext secrets stay out of Git. Sealed/encrypted files "
                    "(SealedSecret, *.enc.yaml) are meant to be committed.")
GITIGNORE_LINES = (
    ".env",
    ".env.*",
    "!.env.example",
    "!.env.sample",
    "!.env.template",
    "!.env.vault",
    "!.env.enc",
    "!.env.*.enc",
    "!.env.sops",
    "!.env.*.sops",
    "!.env.age",
    "!.env.*.age",
    "!.env.gpg",
    "!.env.*.gpg",
    "*.plain.yaml",
    "*.plain.yml",
    "*.unsealed.yaml",
    "*.unsealed.yml",
    "*.decrypted.yaml",
    "*.decrypted.yml",
    "*.dec.yaml",
    "*.dec.yml",
)


@dataclass(frozen=True)
class Step:
    path: str
    action: str  # created | updated | unchanged | skipped
    detail: str = ""


def release_ref(version: str = __version__) -> str:
    """The git ref to pin: the release tag `vX.Y.Z` for a release, `main` for a development
    build (`X.Y.Z.devN`), whose tag does not exist (see CHANGELOG.md, "Releasing")."""
    return "main" if ".dev" in version or "+" in version else f"v{version}"


def hook_entry(indent: int) -> str:
    pad = " " * indent
    return (f"{pad}- repo: {PRE_COMMIT_REPO}\n{pad}  rev: {release_ref()}\n{pad}  hooks:\n"
            f"{pad}    - id: {HOOK_ID}\n{pad}    - id: {HOOK_ID}-pre-push\n")


NEW_PRE_COMMIT = ("# pre-commit install  (installs both hook types below)\n"
                  "default_install_hook_types: [pre-commit, pre-push]\nrepos:\n")


def write_config(root: Path) -> Step:
    for name in (".sealguard.yaml", ".sealguard.yml"):
        if (root / name).exists():
            return Step(name, "unchanged", "already exists")
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and "[tool.sealguard" in pyproject.read_text("utf-8", "replace"):
        return Step("pyproject.toml", "unchanged", "has [tool.sealguard]")
    (root / ".sealguard.yaml").write_text(STARTER_CONFIG, encoding="utf-8")
    return Step(".sealguard.yaml", "created")


def update_gitignore(root: Path) -> Step:
    path = root / ".gitignore"
    text = _read_kept(path) if path.exists() else ""
    present = {line.strip() for line in text.splitlines()}
    missing = [line for line in GITIGNORE_LINES if line not in present]
    if not missing:
        return Step(".gitignore", "unchanged", "entries present")
    block = ([GITIGNORE_HEADER] if GITIGNORE_HEADER not in present else []) + missing
    prefix = "" if not text or text.endswith("\n") else "\n"
    spacer = "\n" if text.strip() else ""
    path.write_text(text + prefix + spacer + "\n".join(block) + "\n", encoding="utf-8",
                    errors="surrogateescape")
    return Step(".gitignore", "updated" if text else "created", f"{len(missing)} entries")


def _read_kept(path: Path) -> str:
    """A file we edit in place: its bytes kept exactly (invalid UTF-8 included); only a
    regular file is read (a FIFO or a device is a clear error)."""
    from scanner.safeio import read_regular

    return read_regular(path, "file to update", 8 << 20).decode("utf-8", "surrogateescape")


def _has_hook(doc: Any) -> bool:
    repos = doc.get("repos") if isinstance(doc, dict) else None
    for repo in repos if isinstance(repos, list) else []:
        hooks = repo.get("hooks") if isinstance(repo, dict) else None
        for hook in hooks if isinstance(hooks, list) else []:
            if isinstance(hook, dict) and str(hook.get("id", "")).startswith(HOOK_ID):
                return True
    return False


def _merged_pre_commit(text: str) -> str | None:
    """`text` with our hook added to `repos:`, or None when the layout is not one we can
    edit safely (flow style, no mapping)."""
    import yaml

    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if node is None:
        return f"repos:\n{hook_entry(2)}"
    if not isinstance(node, yaml.MappingNode):
        return None
    for key, value in node.value:
        if key.value != "repos":
            continue
        if not isinstance(value, yaml.SequenceNode) or value.flow_style or not value.value:
            return None
        at = value.end_mark.index
        head = text[:at]
        sep = "" if head.endswith("\n") else "\n"
        return head + sep + hook_entry(value.start_mark.column) + text[at:]
    sep = "" if text.endswith("\n") else "\n"
    return f"{text}{sep}repos:\n{hook_entry(2)}"


def update_pre_commit(root: Path) -> Step:
    import yaml

    path = root / ".pre-commit-config.yaml"
    if not path.exists():
        path.write_text(NEW_PRE_COMMIT + hook_entry(2), encoding="utf-8")
        return Step(path.name, "created")
    text = _read_kept(path)
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        return Step(path.name, "skipped", "not UTF-8: left as is")
    try:
        if _has_hook(yaml.safe_load(text)):
            return Step(path.name, "unchanged", "sealguard hook present")
        merged = _merged_pre_commit(text)
        if merged is None or not _has_hook(yaml.safe_load(merged)):
            return Step(path.name, "skipped", "unusual layout: add this entry under repos:\n"
                        + hook_entry(2))
    except yaml.YAMLError:
        return Step(path.name, "skipped", "not valid YAML: left as is")
    except RecursionError:
        return Step(path.name, "skipped", "nested too deeply to edit: left as is")
    path.write_text(merged, encoding="utf-8")
    return Step(path.name, "updated")


def init(root: Path) -> list[Step]:
    return [write_config(root), update_pre_commit(root), update_gitignore(root)]
