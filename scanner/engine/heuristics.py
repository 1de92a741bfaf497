"""detect-secrets' value heuristics, re-expressed so the hook does not pay for its import.

Importing `detect_secrets.filters.heuristic` loads the whole detect-secrets package (about
0.1 s, most of the hook's budget). These three checks are small; tests/test_heuristics.py
asserts they agree with detect-secrets' own functions on every input it tries.
"""

from __future__ import annotations

import itertools
import string

_UPPER, _DIGITS, _HEX = string.ascii_uppercase, string.digits, string.hexdigits.upper()
_SEQUENCES = (
    _UPPER + _UPPER + _DIGITS + "+/",        # base64 alphabet, letters first
    _DIGITS + _UPPER + _UPPER + "+/",        # base64 alphabet, digits first
    (_DIGITS + _UPPER) * 2,                  # alphanumeric runs
    _DIGITS * 2,                             # number runs
    _HEX + _HEX,                             # hex runs
    _UPPER + "=/",
)


def is_sequential_string(secret: str) -> bool:
    """`abcdef…`, `123456…`, `ABCDEF0123…`: a run of an alphabet, not a secret."""
    upper = secret.upper()
    return any(upper in sequence for sequence in _SEQUENCES)


def has_typed_run(secret: str, length: int = 8) -> bool:
    """`...0123456789...`, `abcdefgh`: a run typed along the keyboard's alphabet or digits,
    which a generated secret practically never holds (documentation samples do). Ours, not
    detect-secrets'; it looks inside the value, where is_sequential_string wants all of it."""
    run = 1
    for a, b in itertools.pairwise(secret):
        run = run + 1 if a.isalnum() and b.isalnum() and ord(b) == ord(a) + 1 else 1
        if run >= length:
            return True
    return False


def is_templated_secret(secret: str) -> bool:
    """`{secret}`, `<secret>`, `${secret}` (and the degenerate values "" and "$")."""
    if secret in ("", "$"):
        return True
    return ((secret[0], secret[-1]) in (("{", "}"), ("<", ">"))
            or (secret[0] == "$" and secret[1] == "{" and secret[-1] == "}"))


def is_prefixed_with_dollar_sign(secret: str) -> bool:
    return secret.startswith("$")
