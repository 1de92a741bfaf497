"""Shapes of values that name or point at a secret instead of holding one.

A credential is random (a token, a key) or chosen to be hard to guess (a password). A value
made only of words -- a Kubernetes object name (`grafana-secrets`), the name of a key
(`WIREGUARD_PRIVATE_KEY`, `keystore-password`), a file name (`credentials.json`), a path
(`/run/secrets/db`), a store reference (`secret/data/app#password`, `signing-key:passphrase`)
-- names something. The key decides how far a name-shaped value is trusted (see
policy/values.py); this module only reads the value.
"""

from __future__ import annotations

import itertools
import re

# Parts of an identifier: separators, then camelCase humps (`myVeryComplexJWTSecret`).
_SEPARATORS_RE = re.compile(r"[-_./:#@]+")
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=\d)(?=[A-Z][a-z])|(?<=[A-Z])(?=[A-Z][a-z]{2})")
_WORD_RE = re.compile(
    r"""(?x)^(?:
        [a-z]{2,} | [A-Z]{2,}s? | [A-Z][a-z]{2,}      # redis, TLS, CAs, Grafana
      | [a-z]{2,8}\d{1,5}[a-z]{0,3} | [a-z]\d{1,2}[a-z]?  # sha512, ed25519, v1beta; k8s, s3
      | [A-Z]{1,8}\d{1,5} | [A-Z][a-z]{2,8}\d{1,5}     # AES256, HS512, Version2
      | \d{1,4} | [a-z]                              # 2024, x (x-api-key)
    )$"""
)
_VOWELS = frozenset("aeiouy")
_DIGRAPH_RE = re.compile(r"ph|sh|th|ch|ck|ng|wh|gh|ss|ll|tt")
_CONSONANT_RUN_RE = re.compile(r"[^aeiouy\d]{5,}")
_NAME_CHARS_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_./:#@-]*$")
_FILE_RE = re.compile(
    r"""(?ix)^[\w@+-][\w.@+-]*\.(?:json|ya?ml|pem|key|crt|cer|cert|pub|p12|pfx|jks|keystore
    |truststore|txt|conf|cfg|ini|toml|env|properties|xml|sh|asc|gpg|age|der|csr|ovpn|kdbx
    |htpasswd|db|sqlite|secret|secrets|token|creds|tpl|j2|tmpl)$"""
)
_PATH_RE = re.compile(r"^(?:~|\.{1,2}|[a-z][a-z0-9+.-]*:)?/[\w.@-]+(?:/[\w.@-]*)*$")
_WINDOWS_PATH_RE = re.compile(r"^[A-Za-z]:\\[\w.@\\ -]+$")


def parts(value: str) -> list[str]:
    """`home-ops/runner-secret` -> home, ops, runner, secret; `apiKeyJWT` -> api, Key, JWT."""
    out: list[str] = []
    for piece in _SEPARATORS_RE.split(value):
        out.extend(p for p in _CAMEL_RE.split(piece) if p)
    return out


def _pronounceable(word: str) -> bool:
    """A word on its own (`tailscale`, `passphrase`) reads as one: vowels, and no long run of
    consonants once digraphs (ph, sh, th...) count as one sound. Random letters mostly fail."""
    letters = _DIGRAPH_RE.sub("c", "".join(c for c in word.lower() if c.isalpha()))
    if len(letters) < 6:
        return True
    vowels = sum(c in _VOWELS for c in letters)
    return vowels * 7 >= len(letters) and not _CONSONANT_RUN_RE.search(letters)


def is_word(part: str) -> bool:
    """One word of an identifier: letters with at most one run of digits (k8s, sha512); a
    capitalized camelCase hump of three letters or more holds a vowel (`Bnr`, `Qll` are the
    noise of random mixed case; `ghcr`, `tls` are abbreviations)."""
    if not _WORD_RE.match(part):
        return False
    letters = [c for c in part.lower() if c.isalpha()]
    capitalized = part[:1].isupper() and not part.isupper()
    return not capitalized or len(letters) < 3 or any(c in _VOWELS for c in letters)


_SEGMENT_RE = re.compile(r"[/:#@]+")


_CAPITALIZED_RE = re.compile(r"(?:^|[-_.])[A-Z][a-z]")


def _one_style(segment: str) -> bool:
    """Names keep one style per segment: kebab/snake/dotted lowercase (Kubernetes names, key
    names; acronyms allowed: `more-custom-CAs`), CONSTANT_CASE, or one camelCase run.
    `jwt-signing-Demo-4821` capitalizes a word between separators: typed by a person as a
    password, not written as a name."""
    if segment.isupper() or not any(c in "-_." for c in segment):
        return True
    return not _CAPITALIZED_RE.search(segment)


def is_identifier(value: str) -> bool:
    """Made only of words joined by - _ . / : # @ or camelCase: a name, not a credential."""
    v = value.strip()
    if not v or len(v) > 128 or not _NAME_CHARS_RE.match(v):
        return False
    if not all(_one_style(s) for s in _SEGMENT_RE.split(v) if s):
        return False
    found = parts(v)
    if len(found) == 1:
        return is_word(found[0]) and _pronounceable(found[0])
    return bool(found) and all(is_word(p) for p in found)


def is_compound_identifier(value: str) -> bool:
    """An identifier of two words or more (`ghcr-auth`, `tls.key`, `TS_KUBE_SECRET`)."""
    return is_identifier(value) and len(parts(value.strip())) >= 2


def is_file_name(value: str) -> bool:
    """`credentials.json`, `tls.key`, `home-assistant-7c48d.json`: a file, named."""
    return bool(_FILE_RE.match(value.strip()))


def is_path(value: str) -> bool:
    """`/run/secrets/db`, `./certs/tls.key`, `~/.kube/config`, `ext:/scripts/auth.sh`,
    `C:\\keys\\app.pfx`: every segment a word or a file name (a base64 blob that happens to
    start with `/` is not)."""
    v = value.strip()
    if _WINDOWS_PATH_RE.match(v):
        return True
    if not _PATH_RE.match(v):
        return False
    segments = [s for s in v.split(":", 1)[-1].split("/") if s and s not in (".", "..", "~")]
    return bool(segments) and all(is_identifier(s) or is_file_name(s) for s in segments)


def is_store_reference(value: str) -> bool:
    """`secret/data/app#password`, `signing-key:passphrase`, `monitoring/basic-auth`: names
    joined by / : # -- a path in a secret store, a namespace/name, a name:key pair."""
    v = value.strip()
    return len([s for s in _SEGMENT_RE.split(v) if s]) >= 2 and "@" not in v and is_identifier(v)


_CALL_RE = re.compile(  # one call; methods called on its result are _CHAINED_RE's
    r"^[A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$][\w$]*)*\(([^()]*)\)[;,]?$")
_CHAINED_RE = re.compile(r"(?<=\))(?:\.|::|->)([A-Za-z_$][\w$]*)\(([^()]*)\)[;,]?$")
_ARG_RE = re.compile(r"""^[ \t]*(?:["'`]([^"'`]*)["'`]|([\w$.:\-]*))[ \t]*$""")


def is_call(value: str) -> bool:
    """`os.getenv("GITHUB_TOKEN")`, `getpass()`, `ENV.fetch('API_KEY')`: code that reads a
    value from elsewhere. A call is code when its name is made of words and every argument
    is empty, a number or a name; `decrypt("Zq8mWv2Lr5tXe9Kd")` passes a literal and is not
    judged here."""
    v = value.strip()
    while (tail := _CHAINED_RE.search(v)) is not None and tail.start() > 0:
        # `f.read().strip()`, `getenv("X").lower()`: a method called on a call's result
        if not is_identifier(tail.group(1)) or not all(
                _name_argument(arg) for arg in tail.group(2).split(",")):
            return False
        v = v[: tail.start()]
    found = _CALL_RE.match(v)
    if found is None:
        return False
    names = re.split(r"\.|::|->", v[: v.index("(")].lstrip("$"))
    if not all(is_identifier(n) for n in names) or not re.search(r"[A-Za-z]{3}", names[-1]):
        return False  # `getenv`, `fetch`, `token_hex`: a function is named by a word
    return all(_name_argument(arg) for arg in found.group(1).split(","))


def _name_argument(arg: str) -> bool:
    found = _ARG_RE.match(arg)
    if found is None:
        return False
    text = found.group(1) if found.group(1) is not None else found.group(2)
    return not text or text.isdigit() or is_identifier(text) or names_something(text)


_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def is_number(value: str) -> bool:
    """`1.25e-07`, `0.5`, `-3`, `2E10`: a quantity (a price per token, a ratio), never a
    credential, whatever the key is called."""
    return bool(_NUMBER_RE.fullmatch(value.strip()))


def names_something(value: str) -> bool:
    """A file, a path or a compound identifier: what a reference by name looks like."""
    return is_path(value) or is_file_name(value) or is_compound_identifier(value)


_RUN_MIN = 4


def _ordered_fraction(chars: str) -> float:
    """Share of `chars` inside runs of at least four that count up or down (abcd, 4321)."""
    inside, i, n = 0, 0, len(chars)
    while i < n:
        j, step = i + 1, 0
        while j < n:
            diff = ord(chars[j]) - ord(chars[j - 1])
            if diff not in (1, -1) or (step and diff != step):
                break
            step, j = diff, j + 1
        inside += j - i if j - i >= _RUN_MIN else 0
        i = j
    return inside / n if n else 0.0


_COUNTING_SAMPLE_RE = re.compile(r"^(?:[A-Za-z]{3,}[0-9]{3,}|[0-9]{3,}[A-Za-z]{3,})=*$")


def _counts(value: str) -> bool:
    """Every character is the one after the previous, except where letters meet digits."""
    return all(ord(b) == ord(a) + 1 or a.isalpha() != b.isalpha()
               for a, b in itertools.pairwise(value))


def is_counting_dummy(value: str) -> bool:
    """`sk_live_1234567890`, `87654321-4321-...`, `A1b2C3d4E5f6`, `abc123`: letters and digits
    that count through the alphabet or the numbers -- typed by a person writing an example."""
    if _COUNTING_SAMPLE_RE.match(value) and _counts(value.rstrip("=").lower()):
        return True  # `abc123`, `123abc`, `abc123==`: two runs and nothing else
    letters = "".join(c for c in value.lower() if c.isalpha())
    digits = "".join(c for c in value if c.isdigit())
    if len(letters) + len(digits) < 8:
        return False
    if len(digits) >= 8 and _ordered_fraction(digits) >= 0.6:
        return not letters or _ordered_fraction(letters) >= 0.6 or len(letters) <= 6
    return False


_HASH = (r"(?:\$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}|\$argon2(?:id|i|d)\$\S+|\$[156y]\$\S+\$\S+"
         r"|\$apr1\$[./A-Za-z0-9]{1,8}\$[./A-Za-z0-9]{22}|pbkdf2_sha(?:1|256|512)\$\S+"
         r"|\{(?:SSHA|SHA|SSHA256|SSHA512|CRYPT)\}\S+)")
_PASSWORD_HASH_RE = re.compile(rf"^{_HASH}$")
_HTPASSWD_LINE_RE = re.compile(rf"^[^:\s]{{1,128}}:{_HASH}$")


def is_password_hash(value: str) -> bool:
    """A one-way password hash (bcrypt, argon2, sha-crypt, apr1, Django pbkdf2, LDAP SSHA),
    alone or as htpasswd lines `user:$2y$...`: what a server checks against, not a password."""
    lines = [line.strip() for line in value.strip().splitlines() if line.strip()]
    return bool(lines) and all(
        _PASSWORD_HASH_RE.match(line) or _HTPASSWD_LINE_RE.match(line) for line in lines)


_PEM_RE = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \1-----", re.DOTALL)
_PEM_HEADER_RE = re.compile(r"^[A-Za-z-]+:[^\n]*$", re.MULTILINE)


def pem_placeholder(value: str) -> bool:
    """PEM armour around nothing or around a placeholder (`<your-private-key>`, `...`):
    a template of a key, not a key."""
    blocks = _PEM_RE.findall(value)
    if not blocks:
        return False
    for _, body in blocks:
        text = "".join(_PEM_HEADER_RE.sub("", body.replace("\\n", "\n")).split())
        if len(text) >= 40 and re.fullmatch(r"[A-Za-z0-9+/=]+", text):
            return False
    return True
