"""False-positive filters applied to every candidate secret."""

from __future__ import annotations

import math
import re
from collections import Counter

from scanner.engine import shapes

_PLACEHOLDER_RE = re.compile(
    r"""(?ix)
      \$\{[^}]*\}                 # ${VAR}
    | \$\([^)]*\)                 # $(cmd)
    | (?-i:(?:^|:)\$[A-Z_][A-Z0-9_]*$)  # $GITHUB_TOKEN, user:$TOKEN: a shell variable
    | \{\{.*?\}\}                 # {{ .Values.x }} / jinja
    | \{%.*?%\}
    | \#\{.*?\}\#? | \#%.*?%\#       # makejinja's delimiters, Ruby interpolation
    | <%.*?%> | \[\[.*?\]\]           # ERB, Nomad/levant
    | ^\{[a-z_][\w.-]*\}$          # {FRIGATE_MQTT_PASSWORD}: substituted by the app
    | ^\{[a-z]+:[^{}\s]+\}$        # {env:API_KEY}, {file:/run/key}: opencode & co
    | ^<<[a-z_][\w.-]*>>$            # <<OMDB_API_KEY>>: kometa's secret substitution
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
    "2YotnFZFEjr1zCsicMWpAA", "tGzv3JOkF0XG5Qx2TlKWIA",  # RFC 6749 sample access/refresh
    "czZCaGRSa3F0MzpnWDFmQmF0M2JW", "SplxlOBeZQQYbYS6WxSbIA",  # RFC 6749 client, code
    "4eC39HqLyjWDarjtT1zdp7dc",  # the test-mode key printed throughout Stripe's API docs
    "SW2YcwTIb9zpOOhoPsMm",  # Grafana's shipped default secret_key (conf/defaults.ini)
)
_GLOB_RE = re.compile(r"^\*.*\*$")  # *all*tokens*updated*: a pattern, not a password
_ENCRYPTED_RE = re.compile(
    r"^(?:ENC\[[A-Z0-9_]+,|ENC\(|\$ANSIBLE_VAULT;|vault:v\d+:"  # encrypted values
    r"|@Microsoft\.KeyVault\(|os\.environ[/.\[])"  # references to a value kept elsewhere
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


_ASKING_WORDS = frozenset({
    "your", "yours", "insert", "enter", "put", "paste", "add", "replace", "change", "fill",
    "set", "please", "provide", "example", "sample", "dummy", "fake", "placeholder", "some",
})


def asks_for_value(secret: str) -> bool:
    """Words that ask for a value (`YourPingdomApiToken`, `your-cluster-token`,
    `please-change`, `INSERT_ETCD_KEY`, `SomeRandomStringOf32Chars`) or the bare name of
    the value asked for (`PERSONAL_ACCESS_TOKEN`): never a credential."""
    if not shapes.is_identifier(secret):
        return _describes_itself(secret)
    words = [p.lower() for p in shapes.parts(secret)]
    if words[0] in _ASKING_WORDS or words[0].startswith("your"):
        return True
    return len(words) >= 2 and secret.isupper()


def _describes_itself(secret: str) -> bool:
    """`SomeRandomStringOf32Chars`: asking words around a count, once digits are set aside."""
    parts = shapes.parts(re.sub(r"\d+", "", secret))
    if len(parts) < 3 or not all(shapes.is_word(p) or _SHORT_WORD_RE.match(p) for p in parts):
        return False
    first = parts[0].lower()
    return first in _ASKING_WORDS or first.startswith("your")


_SHORT_WORD_RE = re.compile(r"(?i)^(?:[aeiouy][a-z]|[a-z][aeiouy])$")  # Of, To, In, By


# What the policy layer puts where a template action (`{{ .Data.password }}`) stood, so
# that YAML around it parses. A value made only of it is template output, never a literal.
TEMPLATE_SENTINEL = "__SEALGUARD_TPL__"
_ONLY_STANDINS_RE = re.compile(rf"^(?:{TEMPLATE_SENTINEL})+$")


def is_placeholder(secret: str) -> bool:
    """True for values that name or template a secret instead of holding one."""
    return bool(
        _ONLY_STANDINS_RE.match(secret)
        or _PLACEHOLDER_RE.search(secret)
        or asks_for_value(secret)
        or _padded_run(secret)
        or any(sample in secret for sample in _KNOWN_SAMPLES)
        or _ENCRYPTED_RE.match(secret)  # SOPS, Jasypt, Ansible Vault, Vault transit values
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


# Values people type into tests, docs and local setups; never worth a finding on their own.
_DUMMY_VALUES = frozenset((
    "test", "testing", "test123", "test1234", "tester", "password", "passw0rd", "p@ssw0rd",
    "p@ssword", "password1", "password12", "password123", "pass", "pass123", "pass1234",
    "passwd", "secret", "secret1", "secret123", "s3cr3t", "mysecret", "mypassword", "mypass",
    "hunter2", "letmein", "qwerty", "qwerty123", "123456", "1234567", "12345678", "123456789",
    "admin", "admin1", "admin123", "administrator", "root", "toor", "guest", "user",
    "username", "user123", "demo", "demo123", "sample", "dummy", "fake", "foo", "bar", "baz",
    "foobar", "abc123", "abcd1234", "changeit", "default", "nopassword", "nopass", "none",
    "empty", "welcome", "welcome1", "anonymous", "secretkey", "apikey", "token",
))
_DUMMY_PARTS_RE = re.compile(r"(?i)dummy|fake|mock|sample|test|lorem|ipsum|dolor|passw(?:or)?d")
# Member access, JavaScript's optional chaining and TypeScript's non-null assertion included
# (`env.valueFrom?.secretKeyRef`, `config.auth!.token`): code that reads a value.
_DOTTED_RE = re.compile(r"^[A-Za-z_$][\w$]*(?:[?!]?\.[A-Za-z_$][\w$]*)+!?$")
_SEGMENT_SPLIT_RE = re.compile(r"[_.\-]+|(?<=[a-z0-9])(?=[A-Z])")
_WORDLIKE_RE = re.compile(r"^(?:[A-Za-z][a-z]+|[A-Z]{2,}|[a-z]{2,})\d{0,4}$|^[A-Za-z]?\d{1,4}$")
_BASE64_RE = re.compile(r"^[A-Za-z0-9+/]{8,}={0,2}$")
_TEMPLATE_RE = re.compile(r"\{[\w.\s]*\}|%[sdr]|%\(|^\$|^@[A-Za-z_]+@$|^__[A-Z_]+__$"
                          r"|&\w+=|^[+\-!~*&]+[A-Za-z_$][\w$.]*$")


def decoded_text(secret: str) -> str | None:
    """The printable text a base64 value holds, if it is one."""
    return _decoded(secret)


def _decoded(secret: str) -> str | None:
    """The text inside a base64 value (Basic auth, docker `auth`), if it is printable."""
    if not _BASE64_RE.match(secret) or len(secret) % 4:
        return None
    import base64
    import binascii

    try:
        text = base64.b64decode(secret, validate=True).decode("ascii").rstrip("\r\n")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return text if text.isprintable() else None


_FAKE_WORDS_RE = re.compile(
    r"(?i)dummy|fake|mock|sample|example|lorem|ipsum|(?<![a-z])(?:test|insecure)")


def declares_fake(value: str) -> bool:
    """A value that says it is not real or not secure (`test-api-key`, `fake_password`,
    `dummy-token`, `insecure_secret`):
    unlike a weak word (`admin`, `hunter2`), it protects nothing by its own account."""
    return bool(_FAKE_WORDS_RE.search(value))


def decodes_to_placeholder(secret: str, dummies: bool = True) -> bool:
    """A base64 value whose text is a placeholder or declares itself fake
    (`dGVzdC1hcGkta2V5` is test-api-key), or with `dummies`, any sample value (`cGFzc3dvcmQ=`)."""
    decoded = _decoded(secret)
    return decoded is not None and (is_placeholder(decoded) or declares_fake(decoded) or (
        dummies and is_dummy_value(decoded)))


def is_dummy_value(value: str) -> bool:
    """`test`, `hunter2`, `user:password`: sample values, also as the password half."""
    lowered = value.lower()
    candidates = {lowered, lowered.rsplit(":", 1)[-1]}
    return bool(candidates & _DUMMY_VALUES) or bool(_DUMMY_PARTS_RE.search(value))


def looks_like_code(value: str) -> bool:
    """A reference to a value rather than a value: dotted paths, identifiers, templates."""
    if _DOTTED_RE.match(value) or _TEMPLATE_RE.search(value):
        return True
    parts = [p for p in _SEGMENT_SPLIT_RE.split(value) if p]
    if len(parts) < 2 or not all(_WORDLIKE_RE.match(p) for p in parts):
        return False
    # Half the parts at least are words (`getDbUrl`: get, Url): humps of two random letters
    # and a digit (`Hx8Kp3Lq9Vm2`) have the outline of an identifier and none of its words.
    return sum(shapes.is_word(p) for p in parts) * 2 >= len(parts)


def _too_simple(value: str) -> bool:
    """Short values need password-policy variety (3 of lower, upper, digit, symbol); long
    ones two classes. Keyboard-mash doc values (`kjerht2309u`) and words fail this."""
    classes = sum((
        any(c.islower() for c in value),
        any(c.isupper() for c in value),
        any(c.isdigit() for c in value),
        any(not c.isalnum() for c in value),
    ))
    return classes < (3 if len(value) < 24 else 2)


def _value_false_positive(value: str) -> bool:
    return (is_placeholder(value) or is_dummy_value(value) or looks_like_code(value)
            or shapes.is_number(value)
            or names_a_place(value) or shapes.is_counting_dummy(value)
            or shapes.is_password_hash(value) or _too_simple(value))


def names_a_place(value: str) -> bool:
    """A path, a file name or a compound identifier (`monitoring/basic-auth`,
    `signing-key:passphrase`, `etcd-cluster-k8s`): a reference by name."""
    return shapes.names_something(value)


_SLOT_KEY_RE = re.compile(
    rb"([A-Za-z0-9_.-]+)[\\\"'\]]*[ \t]*(?:=>|:=|\|\|=|\?\?=|[=:])[ \t]*[\\\"'`]*$")
_PASSWORD_SLOT_RE = re.compile(r"(?i)(?:pass(?:word|wd)?|pwd|passphrase|passcode)$")


def password_slot(data: bytes, offset: int) -> bool:
    """Whether the value at `offset` is assigned to a password name (a person chose it), or
    to no name this can read; tokens, keys and secrets are generated, hence random."""
    start = max(data.rfind(b"\n", 0, offset) + 1, offset - 200)
    key = _SLOT_KEY_RE.search(data[start:offset])
    if key is None:
        return True
    return bool(_PASSWORD_SLOT_RE.search(key.group(1).decode("ascii")))


_TEST_PATH_RE = re.compile(
    r"(?:^|/)(?:tests?|testdata|test_data|fixtures?|__fixtures__|examples?|samples?|docs?)/"
    r"|(?:^|/)(?:test_[^/]*|[^/]*_test\.[a-z]+|[^/]*\.(?:test|spec)\.[a-z]+|examples?-[^/]*\.json)$"
    r"|\.(?:md|markdown|rst|adoc|asciidoc)$"
    r"|(?:^|/)ci/[^/]*values\.ya?ml$"  # chart-testing's values for a throwaway install
)
_CI_PATH_RE = re.compile(r"(?:^|/)(?:\.github|\.gitlab|\.circleci|\.buildkite|\.ci|ci)/")
_DOCS_PATH_RE = re.compile(
    r"(?:^|/)(?:docs?|documentation|snippets)/|\.(?:md|markdown|rst|adoc|asciidoc)$")


def is_test_or_example_path(path: str) -> bool:
    """Test code, fixtures, samples and documentation (docs/, Markdown): a generic match
    there is usually an example."""
    return bool(_TEST_PATH_RE.search(path.lower()))


_CHART_TEST_VALUES_RE = re.compile(r"(?:^|/)ci/[^/]*values\.ya?ml$")


def is_chart_test_values(path: str) -> bool:
    """`charts/app/ci/ct-values.yaml`: chart-testing installs the chart with these values in a
    throwaway cluster; they are test fixtures of the chart."""
    return bool(_CHART_TEST_VALUES_RE.search(path.lower()))


_FIXTURE_PATH_RE = re.compile(
    r"(?:^|/)(?:testdata|test_data|fixtures?|__fixtures__|golden|goldens|__snapshots__)/")


def is_fixture_path(path: str) -> bool:
    """Data that test code reads or compares against (`testdata/`, `fixtures/`, golden
    files): never applied to a cluster, unlike a `test/` deployment."""
    return bool(_FIXTURE_PATH_RE.search(path.lower()))


_INVALID_NAME_RE = re.compile(
    r"(?:^|[^a-z])(?:invalid|malformed|broken|corrupt(?:ed)?|bad|wrong|unparsable|"
    r"unparseable|erroneous)(?:[^a-z]|$)")


def is_invalid_on_purpose(path: str) -> bool:
    """`test/e2e/smoke/basic-invalid.yaml`, `testdata/malformed_config.yaml`: test input whose
    name says it is broken, kept to check that a program rejects it. Kubernetes rejects it
    too, so it deploys nothing; the text is still scanned for secrets."""
    name = path.lower().rsplit("/", 1)[-1]
    return is_test_or_example_path(path) and bool(_INVALID_NAME_RE.search(name))


def is_ci_path(path: str) -> bool:
    """CI configuration (`.github/`, `ci/`): what it deploys lives as long as a test run."""
    return bool(_CI_PATH_RE.search(path.lower()))


def is_example_value(value: str, strict: bool = False) -> bool:
    """One word or a sample value (`argocd`, `redis`, `hunter2`), or (unless `strict`: for a
    password rule only, as generated ids such as AKIA... have few character classes too) a
    value with too little variety for a generated secret (`s3cret1`): chosen to be shown."""
    v = value.strip()
    if is_dummy_value(v) or (shapes.is_identifier(v) and len(shapes.parts(v)) == 1):
        return True
    return not strict and _too_simple(v)


def is_documentation_path(path: str) -> bool:
    """Documentation: docs/ folders, snippets, Markdown and other prose formats. What is
    shown there is not deployed from there."""
    return bool(_DOCS_PATH_RE.search(path.lower()))


_ASKS_TO_REPLACE_RE = re.compile(
    rb"(?i)(?:^|\s)(?:#|//)[^\n]*\b(?:replace|change|insert|enter|fill|put|paste)\b[^\n]*\byour\b"
    rb"|(?:^|\s)(?:#|//)[^\n]*\byour\b[^\n]*\b(?:here|own)\b")


def comment_asks_to_replace(line: bytes) -> bool:
    """`value: 8312…  # replace with your access key`: the line's own comment says the value
    is to be replaced -- a placeholder, whatever it looks like."""
    return bool(_ASKS_TO_REPLACE_RE.search(line))


# Not `${`: a shell default (`${DB_PASSWORD:-Zq8m...}`) is a literal the script falls back to.
_TEMPLATE_OPENERS = ((b"{{", b"}}"), (b"{%", b"%}"), (b"<%", b"%>"), (b"#{", b"}"))


def in_template_expression(data: bytes, offset: int) -> bool:
    """The value at `offset` is code inside a template on its line (`{{ coalesce
    .Values.ldap.bindpw }}`, `{% if db_password %}`): a name the template looks up, not
    text it outputs. A quoted literal inside one (`default "Zq8m..."`) is output: kept.
    The value's first byte counts: `PWD={{ .Values.pass }}` read by a `PWD={...}` rule starts
    at the opener's second brace."""
    before = data[max(data.rfind(b"\n", 0, offset) + 1, offset - 2000) : offset + 1]
    for opener, closer in _TEMPLATE_OPENERS:
        start = before.rfind(opener)
        if start < 0 or closer in before[start + len(opener) :]:
            continue
        inside = before[start + len(opener) :]
        if inside.count(b'"') % 2 == 0 and inside.count(b"'") % 2 == 0:
            return True
    return False


def looks_generic_false_positive(secret: str, data: bytes, offset: int) -> bool:
    """Heuristics for `generic` family candidates (key-name rules with no provider prefix).

    Ours first, then detect-secrets' heuristics (see engine/heuristics.py).
    """
    if _value_false_positive(secret) or _GLOB_RE.match(secret) or shapes.is_call(secret):
        return True  # a call reads the value from elsewhere (`os.getenv("TOKEN")`)
    if in_template_expression(data, offset):
        return True
    end = data.find(b"\n", offset)
    if comment_asks_to_replace(data[offset : len(data) if end < 0 else end]):
        return True
    if not password_slot(data, offset) and shapes.is_identifier(secret):
        return True  # `secret: gitlab`, `apiKey: someapikey`: a word names, a key is random
    if decodes_to_placeholder(secret):
        return True
    decoded = _decoded(secret)
    if decoded is not None and (names_a_place(decoded) or (
            not password_slot(data, offset) and shapes.is_identifier(decoded))):
        return True  # base64 of a name: `ZW50ZXJwcmlzZS1sb2dz` is enterprise-logs
    from scanner.engine import heuristics as heuristic

    return bool(
        heuristic.is_sequential_string(secret)
        or heuristic.has_typed_run(secret)
        or heuristic.is_templated_secret(secret)
        or heuristic.is_prefixed_with_dollar_sign(secret)
        or heuristic.is_code_expression(secret)
        or heuristic.inside_template_action(data, offset)
    )


# Identifiers that grant access only with a secret of their own: (how the file names that
# secret, the secret's shape).
_PARTNERS = {
    "aws-access-key-id": (
        re.compile(rb"(?i)secret[_-]?access[_-]?key"),
        re.compile(rb"(?<![A-Za-z0-9/+])(?=[A-Za-z0-9/+]{0,39}[a-z])(?=[A-Za-z0-9/+]{0,39}[A-Z])"
                   rb"[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")),
}


def lone_identifier(rule_id: str, data: bytes) -> bool:
    """An access key id (`AKIA...`) whose file names its secret access key but holds none of
    that shape (cert-manager's route53 `accessKeyID` beside `secretAccessKeySecretRef`, an
    env file whose secret is `${AWS_SECRET_ACCESS_KEY}`): the file says the secret is kept
    elsewhere, so the id is an identifier; reported, not blocking. A file that does not name
    the secret at all may hold half of a leaked pair: the rule's severity stands."""
    partner = _PARTNERS.get(rule_id)
    if partner is None:
        return False
    named, shape = partner
    return named.search(data) is not None and shape.search(data) is None


def commented_out(data: bytes, offset: int) -> bool:
    """The value at `offset` sits on a line that is a comment (`# key: value`, `// ...`)."""
    start = data.rfind(b"\n", 0, offset) + 1
    return data[start:offset].lstrip(b" \t").startswith((b"#", b"//"))


def sample_value(value: str, strict: bool = False) -> bool:
    """is_example_value, also for the text a base64 value holds (`# PASS: ZmVlZGt1...`, a
    commented-out Secret's published default)."""
    decoded = _decoded(value)
    return is_example_value(value, strict) or (decoded is not None
                                               and is_example_value(decoded, strict))

