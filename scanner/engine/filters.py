"""False-positive filters applied to every candidate secret."""

from __future__ import annotations

import math
import re
from collections import Counter

_PLACEHOLDER_RE = re.compile(
    r"""(?ix)
      \$\{[^}]*\}                 # ${VAR}
    | \$\([^)]*\)                 # $(cmd)
    | \{\{.*?\}\}                 # {{ .Values.x }} / jinja
    | \{%.*?%\}
    | %\([a-z_]+\)s               # %(name)s
    | <path:[^>]*>                # argocd-vault-plugin
    | ^<[^<>]+>$                  # <your-key>
    | ^op://                      # 1Password reference
    | ^(?:vault|awssm|gcpsm|azkv|ref\+\w+):                # secret references
    | example | placeholder | redacted | changeme | change_me | change-me
    | replace[_-]?me | your[_-]?(?:api[_-]?)?(?:key|token|secret|password)
    | x{5,} | \*{3,} | \.{3} | …
    | ^(?:null|none|nil|true|false|undefined|string|password|secret|token|todo|tbd|fixme)$
    """
)
_RUN_RE = re.compile(r"(\S)\1{7,}")
# Published sample values that appear in countless docs and tests (never live credentials).
_KNOWN_SAMPLES = (
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",  # the jwt.io debugger's sample signature
)


def shannon_entropy(text: str) -> float:
    if not text:
        return 0.0
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in Counter(text).values())


def _padded_run(secret: str) -> bool:
    """A run of one character that dominates the value (`00000000`, `AAAA...`).

    Long structured secrets (OpenSSH keys: `AAAAAAAAAAAB`) legitimately hold runs, so a run
    only counts in a short value or when it covers a third of a long one.
    """
    longest = max((len(m.group(0)) for m in _RUN_RE.finditer(secret)), default=0)
    return longest >= 8 and (len(secret) < 64 or longest * 3 >= len(secret))


def is_placeholder(secret: str) -> bool:
    """True for values that name or template a secret instead of holding one."""
    return bool(
        _PLACEHOLDER_RE.search(secret)
        or _padded_run(secret)
        or any(sample in secret for sample in _KNOWN_SAMPLES)
    )


_ALLOW_MARKERS = (b"sealguard:allow", b"pragma: allowlist secret", b"gitleaks:allow")
_NEXTLINE_MARKERS = (b"sealguard:allow-next-line", b"pragma: allowlist nextline secret")
_ALLOW_RULES_RE = re.compile(rb"sealguard:allow\s+([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)")


def line_allows(line: bytes, rule_id: str) -> bool:
    """An inline `sealguard:allow [rule-id,...]` (or a peer's marker) on the line."""
    if not any(marker in line for marker in _ALLOW_MARKERS):
        return False
    named = _ALLOW_RULES_RE.search(line)
    if named is None or named.group(1).startswith(b"next-line"):
        return True
    ids = {part.strip() for part in named.group(1).decode().split(",")}
    return rule_id in ids


def previous_line_allows(previous: bytes) -> bool:
    return any(marker in previous for marker in _NEXTLINE_MARKERS)


def _line_at(data: bytes, offset: int) -> str:
    start = data.rfind(b"\n", 0, offset) + 1
    end = data.find(b"\n", offset)
    return data[start : len(data) if end < 0 else end].decode("utf-8", "replace")


def looks_generic_false_positive(secret: str, data: bytes, offset: int) -> bool:
    """detect-secrets' heuristics, imported only when a generic candidate needs them."""
    from detect_secrets.filters import heuristic

    line = _line_at(data, offset)
    return bool(
        heuristic.is_sequential_string(secret)
        or heuristic.is_templated_secret(secret)
        or heuristic.is_prefixed_with_dollar_sign(secret)
        or heuristic.is_indirect_reference(line)
    )
