"""Heuristics on keys and values: secret-like names, placeholders, weak and random values."""

from __future__ import annotations

import re
from itertools import pairwise

from scanner.engine import filters, shapes
from scanner.policy.memo import pure

TEMPLATE_SENTINEL = filters.TEMPLATE_SENTINEL

_SECRET_WORDS = frozenset({
    "password", "passwd", "pwd", "pass", "passphrase", "secret", "secrets", "token",
    "apikey", "credential", "credentials", "creds", "privatekey", "clientsecret", "authtoken",
    "accesstoken", "refreshtoken", "bearertoken", "sessiontoken", "authkey", "masterkey",
})
_SECRET_PAIRS = frozenset({
    ("api", "key"), ("access", "key"), ("private", "key"), ("secret", "key"),
    ("client", "secret"), ("auth", "key"), ("signing", "key"), ("encryption", "key"),
    ("master", "key"), ("account", "key"), ("shared", "key"), ("app", "key"),
    ("license", "key"), ("webhook", "secret"), ("hmac", "key"), ("connection", "string"),
})
_NOT_SECRET_LAST = frozenset({
    "name", "names", "ref", "refs", "file", "files", "path", "paths", "dir", "url", "uri",
    "endpoint", "type", "ttl", "expiry", "expiration", "expires", "timeout", "length", "size",
    "enabled", "enable", "disabled", "header", "version", "id", "field", "mount", "location",
    "namespace", "format", "prefix", "suffix", "algorithm", "policy", "rotation", "count",
    "limit", "provider", "store", "env", "selector", "template", "annotations", "labels",
    "mode", "class", "lifetime", "duration", "period", "interval", "method", "source",
    "resource", "hash", "hashed", "audience", "issuer", "scope", "scopes", "generator",
    "label", "volume", "strategy", "sha", "checksum", "regex", "pattern", "min",
    "max", "required", "configured", "exists", "key", "keys", "items", "property", "properties",
    "visibility", "level", "backend", "engine", "manager", "operator", "controller", "reader",
    "writer", "role", "roles", "permission", "permissions", "sync", "refresh", "status",
    "versions", "kind", "kinds", "owner", "namespaces", "sources", "annotation", "create",
    "mtime", "time", "timestamp", "date", "alg", "algo", "algorithms", "cipher", "ciphers",
    "digest", "curve", "bits", "ips", "cidr", "cidrs", "config", "configuration", "conf",
    "encoding", "charset", "usage", "usages", "complexity", "strength", "rules", "hint",
    "action", "actions", "through", "lifespan", "lifetimes", "ttls",
})
_KEY_NAMING = frozenset({"password", "token", "secret", "user", "username", "pass", "passwd"})
_NOT_SECRET_FIRST = frozenset({
    "existing", "use", "enable", "create", "is", "has", "require", "max", "min", "num",
    "skip", "allow", "auto", "show", "no", "disable", "insecure", "verify",
})
_SECRET_ENDINGS = ("password", "passwd", "secret", "token", "apikey", "passphrase")
_WORD_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def words(key: str) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(key)]


def _key_words(key: str) -> list[str]:
    return words(key.rsplit(".", 1)[-1].rsplit("/", 1)[-1])


def public_key_name(parts: list[str]) -> bool:
    """NEXT_PUBLIC_*, VITE_PUBLIC_*, STRIPE_PUBLISHABLE_KEY: shipped to browsers by design."""
    return any(w in ("public", "publishable") for w in parts)


def identifier_key(key: str) -> bool:
    """CLIENT_ID, ACCOUNT_SID, ROLE_ARN, PROJECT_NUMBER, *_URL: names or ids, not credentials."""
    parts = _key_words(key)
    return bool(parts) and (public_key_name(parts) or parts[-1] in _IDENTIFIER_LAST
                            or (parts[-1] in _NOT_SECRET_LAST and parts[-1] != "key"))


_IDENTIFIER_LAST = frozenset({"sid", "arn", "number", "dsn", "account", "tenant", "subscription",
                              "project", "channel", "region", "zone", "host", "port", "user",
                              "username", "email", "flag", "flags", "release", "model",
                              "commit", "revision", "mtime", "time", "timestamp", "date",
                              "address", "addr", "addresses", "hostname", "domain", "domains",
                              "listen", "bind", "server", "servers", "hosts", "repository",
                              "repo", "bucket"})


def secret_like_key(key: str) -> bool:
    """PASSWORD, dbPassword, AWS_SECRET_ACCESS_KEY, apiKey -- not secretName, passwordKey."""
    parts = _key_words(key)
    if not parts or parts[0] in _NOT_SECRET_FIRST or public_key_name(parts):
        return False
    last = parts[-1]
    if parts[-2:] == ["secret", "id"]:  # Vault AppRole SecretID
        return True
    if last == "key" and len(parts) > 1 and parts[-2] in _KEY_NAMING and parts[-2] != "secret":
        return False
    if last in _NOT_SECRET_LAST and last != "key":
        return False
    if any(w in _SECRET_WORDS or w.endswith(_SECRET_ENDINGS) for w in parts):
        return True
    return any(pair in _SECRET_PAIRS for pair in pairwise(parts))


_TEMPLATED_RE = re.compile(
    r"""(?x) \{\{ | \{% | \$\{[^}]*\} | \$\([^)]*\) | <path:[^>]*> | ^<[^<>]+>$ | ^op:// | ENC\[
    | \#\{.*?\}\#? | \#%.*?%\# | \[\[.*?\]\] | <%.*?%> | ^\{[A-Za-z_][\w.-]*\}$  # makejinja, ERB
    | ^<<[A-Za-z_][\w.-]*>>$ | ^\{[a-z]+:[^{}\s]+\}$  # <<KOMETA_SECRET>>, {env:VAR} {file:path}
    | ^(?:vault|awssm|gcpsm|azkv|ref\+\w+|secretref|arn:aws:secretsmanager|projects/[^/]+/secrets)
    | ^%\{[^}]*\}$ | ^\$[A-Z_][A-Z0-9_]*$ | ^__[A-Z0-9_]+__$ | ^\(\([^)]*\)\)$
    | ^@Microsoft\.KeyVault
    | ^\$[a-z][\w-]*(?:\.[\w-]+)+$             # Argo CD argocd-secret refs: $oidc.keycloak.secret
    | ^\$[a-z][\w.-]*:[\w.-]+$                 # and other Secrets' keys: $oidc-secret:client.secret
    | ^\$__(?:file|env|vault)\{[^}]*\}$        # Grafana file/env providers
    | (?i:^\W*(?:your|insert|enter|put|paste|add)\s.*|\s(?:goes\s)?here\W*$)"""
)
_MARKER_RE = re.compile(
    r"""(?x) ^[A-Z0-9_\-<>\[\]{}.]*(?:CHANGE[_-]?ME|REPLACE[_-]?ME|REPLACE|TODO|TBD|FIXME|
    PLACEHOLDER|REDACTED|SET[_-]?ME|FILL[_-]?ME|YOUR[_-][A-Z_-]+|SECRET[_-]HERE|DUMMY|MISSING
    |INVALID|NOT[_-]?A?[_-]?VALID)
    [A-Z0-9_\-<>\[\]{}.]*$"""
)
WEAK_VALUES = frozenset({
    "changeme", "change_me", "change-me", "password", "passw0rd", "secret", "admin", "root",
    "token", "test", "guest", "default", "letmein", "welcome", "qwerty", "123456", "12345678",
    "1234", "12345", "pass", "p@ssw0rd", "s3cr3t", "postgres", "mysql", "user", "demo",
    "foo", "bar", "baz", "foobar", "abc",
})


_ASKS_TO_CHANGE_RE = re.compile(r"(?i)^change[-_]?me$")


def is_templated(value: str) -> bool:
    return TEMPLATE_SENTINEL in value or bool(_TEMPLATED_RE.search(value.strip()))


_WEAK_PART_RE = re.compile(r"(?i)pass|secret|admin|root|user|changeit")


def is_weak(value: str) -> bool:
    """A default or sample credential: a known weak value, a dummy, words only, counting."""
    v = value.strip()
    lowered = v.lower()
    return (lowered in WEAK_VALUES or len(v) <= 4
            or lowered.startswith(("fake", "dummy", "test", "sample"))
            or filters.is_dummy_value(v) or shapes.is_identifier(v)
            or shapes.is_counting_dummy(v) or _weak_words(v))


def deployed_severity(value: str) -> str | None:
    """The severity of a literal credential in configuration deployed as written (a
    ConfigMap, a file a kustomize generator deploys): a weak one still blocks (medium), as
    nothing overrides it; words joined like a name (`generate-invite`, `from-env`) may be a
    keyword or a name the application resolves, so they are reported low; None: the rule's."""
    v = value.strip()
    if shapes.is_identifier(v) and len(shapes.parts(v)) > 1:
        return "low"
    return "medium" if is_weak(v) else None


def _weak_words(value: str) -> bool:
    """Letters and digits around a weak word (`adminpass1`, `Root2024`), not a random key
    that happens to hold one (`xK9rootQ2mZ7vLp4Wn8`)."""
    return value.isalnum() and bool(_WEAK_PART_RE.search(value)) and not looks_random(value)


@pure
def is_placeholder(value: str) -> bool:
    """Templated or a marker/placeholder -- but a weak real value (`changeme`) is not."""
    v = value.strip()
    if "\n" in v:
        return _multiline_placeholder(v)
    if not v.strip("'\"` ") or is_templated(v) or _MARKER_RE.match(v):
        return True  # empty, only quotes (`"''"`), templated or a marker
    if v.lower() in WEAK_VALUES and not v.isupper() and not _ASKS_TO_CHANGE_RE.match(v):
        return False  # `admin` protects (weakly); `changeme` asks to be replaced
    return (filters.is_placeholder(v) or is_password_hash(v) or filters.declares_fake(v)
            or shapes.is_call(v) or shapes.is_counting_dummy(v) or describes_value(v)
            or bool(_BRACKETED_NAME_RE.match(v))
            or _decodes_to_placeholder(v))


def _decodes_to_placeholder(value: str) -> bool:
    """Base64 of a placeholder, judged as the decoded text itself is (`cGFzc3dvcmQ=` holds the
    weak literal `password`, a credential here, though the secret rules call the bare word a
    placeholder)."""
    decoded = filters.decoded_text(value)
    return decoded is not None and decoded != value and is_placeholder(decoded)


_BRACKETED_NAME_RE = re.compile(r"^\[[A-Za-z_][\w.-]*\]$")  # [aws_secret_access_key]
_CREDENTIAL_NOUNS = frozenset({
    "token", "key", "password", "passwd", "passphrase", "secret", "credential", "credentials",
    "apikey", "fingerprint", "certificate", "cert",
})
_FUNCTION_WORDS = frozenset({
    "a", "an", "the", "of", "in", "is", "this", "that", "to", "for", "if", "your", "here",
    "with", "and", "or", "from", "be", "used", "goes", "it", "its", "on", "as", "by",
})
_PHRASE_WORD_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def describes_value(value: str) -> bool:
    """Words that say what belongs there instead of being it: a phrase naming a credential
    (`personal github token`, `openai api key`, `password (if used to login the remote
    server)`) or a sentence (`this is id_rsa base64 string`). A passphrase of plain words
    (`correct horse battery staple`) names no credential and reads as no sentence: kept."""
    if len(value.split()) < 2:
        return False
    found = re.findall(r"[^\s()\[\],.;:!?'\"]+", value)
    if not found or not all(_PHRASE_WORD_RE.match(w) for w in found):
        return False
    lowered = [w.lower() for w in found]
    if any(w in _CREDENTIAL_NOUNS for w in lowered):
        return True
    return len(found) >= 4 and len({w for w in lowered if w in _FUNCTION_WORDS}) >= 2


def echoes_key(key: str, value: str) -> bool:
    """The field's own name as its value (`password: git_password`, `apitoken: api-token`):
    words joined as a field name that end in the key's last word, or spell the whole key.
    A one-word echo (`password: password`) is a weak literal, kept."""
    v = value.strip()
    if not shapes.is_compound_identifier(v):
        return False
    key_parts, value_parts = _key_words(key), [p.lower() for p in shapes.parts(v)]
    if not key_parts:
        return False
    if "".join(value_parts) == "".join(key_parts):
        return True
    # Spelled as a field name (`git_password`, `DB-PASSWORD`), unlike a chosen phrase in
    # camelCase (`myVeryStrongPassword`: a weak password, kept).
    field_style = v in (v.lower(), v.upper()) and ("_" in v or "-" in v)
    return field_style and value_parts[-1] == key_parts[-1]


_LINE_PAIR = re.compile(
    r"""^\s*(?:export\s+)?["']?[A-Za-z_][\w.\-]*["']?\s*[:=]\s*(.*?)[,;]?\s*$""")


def _multiline_placeholder(text: str) -> bool:
    """An embedded file holds no secret when it is a PEM armour around a placeholder, a
    document whose credential fields are all empty (a service-account JSON template),
    htpasswd hashes, or lines that are each templated, commented or a placeholder."""
    if shapes.pem_placeholder(text) or is_password_hash(text) or empty_credentials(text):
        return True
    if "-----BEGIN" in text:
        return False
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "//", ";")) or is_templated(stripped):
            continue
        if not stripped.strip("{}[](),") or is_placeholder(stripped):
            continue  # `{`, `],`, or a line that is a placeholder (`SERVICE_ACCOUNT_JSON_HERE`)
        pair = _LINE_PAIR.match(stripped)
        if pair is None:
            return False
        inner = pair.group(1).strip().strip("'\"")
        if inner and inner not in ("|", ">", "{", "[") and not is_placeholder(inner):
            return False
    return True


def empty_credentials(text: str) -> bool:
    """A JSON document with credential-named fields, every one empty or a placeholder
    (`"private_key": ""`, `"client_secret": "<secret>"`): a template, not a credential."""
    import json

    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        return False
    found: list[str] = []
    _credential_fields(doc, found, 0)
    return bool(found) and all(not v.strip() or is_placeholder(v) for v in found)


def _credential_fields(node: object, found: list[str], depth: int) -> None:
    if depth > 20:
        return
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str) and secret_like_key(str(key)):
                found.append(value)
            else:
                _credential_fields(value, found, depth + 1)
    elif isinstance(node, list):
        for item in node:
            _credential_fields(item, found, depth + 1)


def is_sops_encrypted(value: str) -> bool:
    return value.strip().startswith("ENC[") and value.strip().endswith("]")


_BENIGN_RE = re.compile(
    r"(?i)^(?:true|false|yes|no|on|off|null|none|\d+(?:\.\d+)*[a-z]{0,2})$")
_URL_CRED_RE = re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]*:([^@\s/]+)@", re.IGNORECASE)


def is_benign(value: str) -> bool:
    """Booleans, numbers, sizes: not credentials whatever the key is called."""
    return bool(_BENIGN_RE.match(value.strip())) or shapes.is_number(value)


@pure
def url_password(value: str) -> str | None:
    match = _URL_CRED_RE.search(value)
    if match is None or is_placeholder(match.group(1)):
        return None
    return match.group(1)


def looks_reference(value: str) -> bool:
    """A path, an URL without credentials, or a resource name: names a secret, is not one."""
    v = value.strip()
    if v.startswith(("/", "./", "~/")) or _URL_RE.match(v):
        return url_password(v) is None
    return bool(_SCP_URL_RE.match(v))  # git@gitlab.example:group/repo.git


_URL_RE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)*[a-z][a-z0-9+.-]*://")  # s3:http://minio/bucket
_SCP_URL_RE = re.compile(r"^[\w.-]+@[\w.-]+:[\w./~-]+$")
def is_password_hash(value: str) -> bool:
    """bcrypt, argon2, sha-crypt, Django pbkdf2, LDAP SSHA, htpasswd lines: not plaintext."""
    return shapes.is_password_hash(value)


def is_hex_digest(value: str) -> bool:
    """A git SHA or a sha256 (release ids, checksums): not a credential by itself."""
    return bool(re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", value.strip()))


def looks_random(value: str, min_len: int = 16, min_entropy: float = 3.5) -> bool:
    v = value.strip()
    if len(v) < min_len or " " in v or is_placeholder(v) or looks_reference(v):
        return False
    if shapes.is_identifier(v) or shapes.names_something(v):
        return False  # `kube-system/basic-auth-admin`: words, however long
    classes = sum(bool(re.search(p, v)) for p in (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]"))
    return classes >= 2 and filters.shannon_entropy(v) >= min_entropy


_WORD_DIGITS_RE = re.compile(r"[A-Za-z]{2,}\d+$")
_PASSWORD_LAST = frozenset({"password", "passwd", "pass", "pwd", "passphrase", "passcode"})


def password_key(key: str) -> bool:
    """A key whose value a person chose (DB_PASSWORD, rootPassword, MYSQL_PASS): it ends in a
    password word. `passwordSecret`, `passwordKey` name where a password is kept instead."""
    parts = _key_words(key)
    return bool(parts) and (parts[-1] in _PASSWORD_LAST
                            or parts[-1].endswith(("password", "passwd")))


def names_by_shape(key: str, value: str) -> bool:
    """The value has the shape of a name and the key lets a name stand there.

    Files, paths and store references (`signing-key:passphrase`) never are credentials.
    Under a token/secret/key name (`pullSecret`, `accessKey`, `secretKey`, `TS_KUBE_SECRET`,
    `clusterSecretKey`) a value made only of words -- an object name, a key name, an
    identifier -- names something: tokens and keys are random.
    A password is chosen by a person and may be words: judged weak (is_weak), never dropped.
    """
    v = value.strip()
    if shapes.is_path(v) or shapes.is_file_name(v) or shapes.is_store_reference(v):
        return True
    if password_key(key) or not shapes.is_identifier(v):
        return False
    # One word with digits at its end (`minio123`, `admin1`) is how people make passwords.
    return len(shapes.parts(v)) > 1 or not _WORD_DIGITS_RE.search(v)


def is_prose(value: str) -> bool:
    """Three words or more (`.filter_action == "pass"`, "the secret password"): an
    expression or a sentence, not a credential typed into a config (URLs aside)."""
    return len(value.split()) > 2 and url_password(value) is None


@pure
def literal_secret(key: str, value: str) -> bool:
    """A credential-named key with a literal value: not templated, not a reference by name."""
    v = value.strip()
    if not v or is_placeholder(v) or is_benign(v) or looks_reference(v) or is_prose(v):
        return False
    return secret_like_key(key) and not names_by_shape(key, v) and not echoes_key(key, v)
