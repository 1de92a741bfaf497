"""Our re-expression of detect-secrets' value heuristics agrees with detect-secrets itself."""

from __future__ import annotations

import random
import string

import pytest
from detect_secrets.filters import heuristic as theirs

from scanner.engine import heuristics as ours

FIXED = ["", "a", "$", "${}", "${X}", "{x}", "<x>", "<x}", "$x", "abcdefgh", "ABCDEF0123",
         "0123456789", "123456789012", "ghijklmn", "zyxwvu", "+/AB", "Z0123", "YZ=/",
         "abcdefghijklmnopqrstuvwxyzabcdef", "a1b2c3", "{{ .Values.x }}", "9ABC"]


def _samples() -> list[str]:
    rng = random.Random(7)
    alphabet = string.ascii_letters + string.digits + "+/=${}<>_-."
    out = list(FIXED)
    for _ in range(3000):
        out.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24))))
        start = rng.randint(0, 40)
        seq = (string.ascii_uppercase * 2 + string.digits + "+/")[start:start + rng.randint(1, 20)]
        out.append(seq.lower() if rng.random() < 0.5 else seq)
    return out


@pytest.mark.parametrize("name", ["is_sequential_string", "is_templated_secret",
                                  "is_prefixed_with_dollar_sign"])
def test_same_answers_as_detect_secrets(name: str) -> None:
    mine, reference = getattr(ours, name), getattr(theirs, name)
    for value in _samples():
        assert bool(mine(value)) == bool(reference(value)), (name, value)


@pytest.mark.parametrize(("value", "typed"), [
    ("abcdef.0123456789abcdef", True), ("abc8Q~defghijklmnopqrstuvwxyz-_.~0123456", True),
    ("Xy3ABCDEFGHk", True), ("Qm7rT2vX9kLp4wZs", False), ("1234567", False),
    ("dUcl1MhOoSfAqFdpRaj71FtQ", False),
])
def test_typed_runs(value: str, typed: bool) -> None:
    assert ours.has_typed_run(value) is typed
