"""Config files embedded in a value (`config.yaml: |`, `settings.ini: |`): their own
`key: value` / `key = value` lines, judged as the same pair is judged anywhere else."""

from __future__ import annotations

import re
from collections.abc import Iterator

from scanner.engine import shapes
from scanner.policy.values import is_templated, literal_secret, url_password
from scanner.policy.yamlnodes import Scalar

INNER_PAIR = re.compile(
    r"""^\s*(?:export\s+|\$[A-Za-z_]\w*\[)?["']?([A-Za-z_][\w.\-]*)["']?\]?"""
    r"""[ \t]*(?:=>|[:=])[ \t]*(?:!!\w+[ \t]+)?["']?([^"'\s#]+)""")
# Code, not a value: a variable read (`$config['x']`, `$this->x`) or an empty collection or
# the opening of one (`pass_ip = [`, `imagePullSecrets: []`), or a YAML block scalar's
# indicator (`secret: >-`: the value is on the next lines).
_NOT_A_VALUE = re.compile(r"^(?:\$[A-Za-z_]\w*(?:\[|->)|[\[\]{}(),;]+$|[|>][-+0-9]*$)")


def inner_pairs(value: Scalar) -> Iterator[tuple[str, str, int]]:
    """key=value / key: value lines inside an embedded config file, with their lines."""
    first = value.line + 1 if value.style in ("|", ">") else value.line
    for i, text in enumerate(value.value.split("\n")[:5000]):
        pair = line_pair(text)
        if pair is not None:
            yield pair[0], pair[1], first + i


def inner_pair_secret(key: str, value: str) -> str | None:
    """The credential in one `key: value` line of an embedded file (ini, toml, yaml,
    properties, json), judged as the same pair is judged anywhere else. Code is no value:
    `getenv(` cut at its quote, `$exp['db_pass']`, the `[` that opens a list."""
    from scanner.engine.heuristics import is_code_expression

    if _NOT_A_VALUE.match(value) or is_code_expression(value) or shapes.is_call(value):
        return None
    return url_password(value) or (value if literal_secret(key, value) else None)


def line_pair(text: str) -> tuple[str, str] | None:
    """The (key, value) of one embedded line, or None (no pair, templated, or a YAML tag)."""
    match = INNER_PAIR.match(text)
    if match is None or is_templated(text) or match.group(2).startswith("!"):
        return None  # a YAML tag (`!env_var NAME`, `!secret name`) names where it lives
    value = match.group(2).rstrip(",;") or match.group(2)  # `"lifespan": 6000,` (JSON, PHP)
    return match.group(1), value
