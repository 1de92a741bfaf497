"""Tolerant line-based reading of a Secret that is not valid YAML (Helm templates, tabs).

Only the direct children of `data:`/`stringData:` are the Secret's keys. A child holding a
block scalar (`config.yaml: |`) is an embedded file: its own `key: value` lines are judged
like any configuration (credential-named keys with literal values), never each line as a
key of the Secret. As in check_secret, a key that only describes a credential (`type`,
`url`, `username`) is reported only when the Secret holds nothing else -- and not at all when
its other values are templated: then the template renders the credential.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scanner.policy.context import Checker
from scanner.policy.embedded import inner_pair_secret, line_pair
from scanner.policy.kubernetes import descriptive
from scanner.policy.values import is_placeholder, is_templated
from scanner.policy.yamlnodes import Document

_KIND_SECRET = re.compile(r"""(?m)^kind:[ \t]*["']?Secret["']?[ \t]*(?:#.*)?$""")
_SECTION = re.compile(r"^([ \t]*)(data|stringData):[ \t]*(?:#.*)?$")
_PAIR = re.compile(r"""^[ \t]*["']?([\w.\-]+)["']?[ \t]*:[ \t]+(.*?)[ \t]*$""")
_BLOCK = re.compile(r"^[|>][-+0-9]*$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


@dataclass
class _Section:
    indent: int
    child: int | None = None  # indent of the Secret's keys, once the first one is seen
    block: tuple[int, int] | None = None  # (indent of the child holding a block, its line)
    templated: int = 0
    reported: bool = False
    descriptive: list[tuple[int, int, str, str]] = field(default_factory=list)


def check_secret_lines(doc: Document, c: Checker) -> None:
    if not c.gitops_path or not _KIND_SECRET.search(doc.text):
        return
    if "Secret" in c.gitops.allowed_kinds:
        return
    section: _Section | None = None
    for i, line in enumerate(doc.text.split("\n")[:20_000]):
        number = doc.first_line + i
        found = _SECTION.match(line)
        if found:
            _close(section, c)
            section = _Section(_indent(found.group(1)))
            continue
        if section is None or not line.strip() or line.lstrip().startswith(("#", "{{")):
            continue
        if _indent(line) <= section.indent:
            _close(section, c)
            section = None
            continue
        _line(section, line, number, c)
    _close(section, c)


def _line(section: _Section, line: str, number: int, c: Checker) -> None:
    indent = _indent(line)
    if section.child is None:
        section.child = indent
    if indent > section.child:  # inside a child's value: an embedded file's line
        if section.block is not None:
            _inner(section, line, number, c)
        return
    section.block = None
    pair = _PAIR.match(line)
    if pair is not None:
        _pair(section, pair, number, c)


def _pair(section: _Section, pair: re.Match[str], number: int, c: Checker) -> None:
    key = pair.group(1)
    value = pair.group(2).split(" #")[0].strip().strip("'\"")
    if not value:
        return
    if _BLOCK.match(value):
        section.block = (section.child or 0, number)
        return
    if is_templated(value) or (c.gitops.allow_placeholders and is_placeholder(value)):
        section.templated += 1
        return
    column = pair.start(1) + 1
    if descriptive(key, value):
        section.descriptive.append((number, column, key, value))
        return
    _report(section, number, column, key, value, c)


def _inner(section: _Section, line: str, number: int, c: Checker) -> None:
    pair = line_pair(line)
    secret = inner_pair_secret(*pair) if pair else None
    if pair is not None and secret is not None:
        column = len(line) - len(line.lstrip()) + 1
        _report(section, number, column, pair[0], secret, c)


def _report(section: _Section, number: int, column: int, key: str, value: str,
            c: Checker) -> None:
    section.reported = True
    c.report("k8s-plaintext-secret", (number, column), value,
             f"Secret key '{key}' is plaintext in Git (read from a document that is not "
             "valid YAML): seal it with kubeseal or reference it with an ExternalSecret.")


def _close(section: _Section | None, c: Checker) -> None:
    if section is None or section.reported or section.templated or not section.descriptive:
        return
    number, column, key, value = section.descriptive[0]
    _report(section, number, column, key, value, c)
