"""detect-secrets' value heuristics, re-expressed so the hook does not pay for its import.

Importing `detect_secrets.filters.heuristic` loads the whole detect-secrets package (about
0.1 s, most of the hook's budget). These three checks are small; tests/test_heuristics.py
asserts they agree with detect-secrets' own functions on every input it tries.
"""

from __future__ import annotations

import itertools
import re
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


# A call or an index cut at its quote by the rule's value class: a (qualified) name made of
# words, then the opening bracket, nothing after it (`props.getProperty(`, `Configuration[`,
# `GetValue<string>(`). A whole call is judged by shapes.is_call (a literal argument there is
# a value).
_CALL_RE = re.compile(
    r"^([A-Za-z_$][\w$]*(?:(?:\.|::|->|\?\.)[A-Za-z_$][\w$]*)*)(?:<[\w<>, .]*>)?[(\[]$")
_NAME_PARTS_RE = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")
_WORD_RE = re.compile(r"^(?:[A-Za-z][a-z]{2,}\d*|[a-z]{2,}|[A-Z]{2,})$")
# A template's field reference: `.Values.ldap.bindpw` (Go templates, Helm), `.Values.x)`.
_FIELD_RE = re.compile(r"^\.[A-Za-z_]\w*(?:\.\w+)+[)}\]]*$")


def is_code_expression(secret: str) -> bool:
    """The start of a call or an index, or a template field: code that yields a value at run
    time, never the value itself. A call's name is made of words (`getProperty`, `os.getenv`),
    which tells it from a password ending in a bracket (`Hk3Pq7nRw2Vd6yBs(`). Ours."""
    call = _CALL_RE.match(secret)
    if call is not None:
        parts = [p for p in _NAME_PARTS_RE.split(call.group(1)) if p]
        return bool(parts) and all(_WORD_RE.match(p) for p in parts)
    return bool(_FIELD_RE.match(secret))


_ACTIONS = ((b"{{", b"}}"), (b"{%", b"%}"), (b"<%", b"%>"))


def inside_template_action(data: bytes, offset: int) -> bool:
    """Whether the value at `offset` lies inside a template action opened earlier on its
    line (`{{ if .Values.ldap.bind_password ... }}`: names there are fields of the template's
    data, what follows them more template code), or opens one (`password={{ .Values.pw }}`
    read from its second brace). Ours."""
    start = data.rfind(b"\n", 0, offset) + 1
    before = data[start : offset + 2]
    return any(before.rfind(open_) > before.rfind(close) for open_, close in _ACTIONS)
