"""Tolerant line-based reading of a Secret that is not valid YAML (Helm templates, tabs)."""

from __future__ import annotations

import re

from scanner.policy.context import Checker
from scanner.policy.values import is_placeholder, is_templated
from scanner.policy.yamlnodes import Document

_KIND_SECRET = re.compile(r"""(?m)^kind:[ \t]*["']?Secret["']?[ \t]*(?:#.*)?$""")
_SECTION = re.compile(r"^([ \t]*)(data|stringData):[ \t]*(?:#.*)?$")
_PAIR = re.compile(r"""^[ \t]*["']?([\w.\-]+)["']?[ \t]*:[ \t]+(.*?)[ \t]*$""")
_BLOCK = re.compile(r"^[|>][-+0-9]*$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def check_secret_lines(doc: Document, c: Checker) -> None:
    if not c.gitops_path or not _KIND_SECRET.search(doc.text):
        return
    if "Secret" in c.gitops.allowed_kinds:
        return
    section: int | None = None
    for i, line in enumerate(doc.text.split("\n")[:20_000]):
        found = _SECTION.match(line)
        if found:
            section = _indent(found.group(1))
            continue
        if section is None or not line.strip() or line.lstrip().startswith(("#", "{{")):
            continue
        if _indent(line) <= section:
            section = None
            continue
        _pair(line, doc.first_line + i, c)


def _pair(line: str, number: int, c: Checker) -> None:
    pair = _PAIR.match(line)
    if pair is None:
        return
    value = pair.group(2).split(" #")[0].strip().strip("'\"")
    if not value or _BLOCK.match(value) or is_templated(value):
        return
    if c.gitops.allow_placeholders and is_placeholder(value):
        return
    c.report("k8s-plaintext-secret", (number, pair.start(1) + 1), value,
             f"Secret key '{pair.group(1)}' is plaintext in Git (read from a document that is "
             "not valid YAML): seal it with kubeseal or reference it with an ExternalSecret.")
