"""The policy layer's text gates, written for speed (#13), answer what their regular
expressions answer: random texts made of the pieces that matter, and real shapes."""

from __future__ import annotations

import random
import re

from scanner.policy.run import has_key, looks_manifest
from scanner.policy.values import TEMPLATE_SENTINEL
from scanner.policy.yamlnodes import _ACTION_RE, blank_templates, schema_only, separators

PIECES = ["apiVersion", "kind", "apiVersio", "ind", " ", "\t", "\n", "\r\n", "{", ",", ":",
          '"', "'", "x", "-", "#", "secretGenerator", "CustomResourceDefinition", "kind: ",
          "\nkind: CustomResourceDefinition\n"]


def pattern(word: str) -> re.Pattern[str]:
    return re.compile(rf"""(?m)(?:^|[{{,])[ \t]*["']?{word}["']?[ \t]*:""")


def texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 14)))
            for _ in range(count)]


def test_has_key_is_the_regex() -> None:
    regex = {word: pattern(word) for word in ("apiVersion", "kind")}
    for text in texts(1, 5_000):
        for word, compiled in regex.items():
            assert has_key(text, word) == bool(compiled.search(text)), (word, text)


def test_looks_manifest_shapes() -> None:
    assert looks_manifest("apiVersion: v1\nkind: Secret\n")
    assert looks_manifest('{"apiVersion": "v1", "kind": "Secret"}')
    assert looks_manifest("- apiVersion: v1\n  kind: List\n") is False  # a key after '- '
    assert looks_manifest("items: [{apiVersion: v1, kind: X}]")
    assert not looks_manifest("# apiVersion: v1\n# kind: Secret\n")
    assert looks_manifest("secretGenerator: []")


def test_schema_only_needs_the_kind() -> None:
    crd = ("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
           "spec: {}\n")
    assert schema_only(crd)
    assert not schema_only(crd + "kind: Secret\n")
    assert not schema_only(crd.replace("CustomResourceDefinition", "Secret"))


DOC_SPLIT = re.compile(r"(?m)^(?=---(?:[ \t]|$))|^\.\.\.[ \t]*(?:\r?\n|$)")


def test_separators_are_the_regex() -> None:
    rng = random.Random(2)
    parts = ["---", "...", "\n", " ", "\t", "\r", "\r\n", "a", "-", ".", "x: 1", "# ---"]
    for _ in range(20_000):
        text = "".join(rng.choice(parts) for _ in range(rng.randrange(1, 12)))
        expected = [(m.start(), m.end()) for m in DOC_SPLIT.finditer(text)]
        assert separators(text) == expected, text


def test_templates_blanked_as_line_by_line() -> None:
    """blank_templates empties the lines left holding only sentinels, as the line-by-line
    rule it replaced did: random texts of actions, sentinels, blanks and line breaks."""
    only = re.compile(rf"^[ \t]*(?:{TEMPLATE_SENTINEL}[ \t]*)+\r?$")

    def line_by_line(text: str) -> str:
        def sub(match: re.Match[str]) -> str:
            return TEMPLATE_SENTINEL + "\n" * match.group(0).count("\n")

        replaced = _ACTION_RE.sub(sub, text)
        return "\n".join("" if only.match(ln) else ln for ln in replaced.split("\n"))

    rng = random.Random(3)
    parts = ["{{", "}}", "{%", "%}", "{", "}", "a", "\n", " ", "\t", "\r", TEMPLATE_SENTINEL]
    for _ in range(20_000):
        text = "".join(rng.choice(parts) for _ in range(rng.randrange(1, 16)))
        assert blank_templates(text) == line_by_line(text), text
