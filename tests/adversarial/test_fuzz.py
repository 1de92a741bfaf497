"""Property-based fuzzing of every parser that reads untrusted bytes.

Each property is the promise itself: the parser returns (or raises only its own clear
error), whatever the bytes. Bounded for CI: a fixed, small number of examples per property,
derandomised (the same examples every run), no deadline (a loaded CI machine is slow).
Set HYPOTHESIS_PROFILE=deep for a long local run.
"""

from __future__ import annotations

import contextlib
import faulthandler
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.function_scoped_fixture])
settings.register_profile("deep", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
# No per-example deadline (a loaded machine is slow), but a parser that hangs on some input
# ends the run within this many seconds, with every thread's traceback, instead of holding
# it up (faulthandler's timer: the scan-time regex timer of custom rules owns SIGALRM).
WALL_CLOCK = 120 if os.environ.get("HYPOTHESIS_PROFILE", "ci") == "ci" else 3600


@pytest.fixture(autouse=True)
def wall_clock() -> Iterator[None]:
    faulthandler.dump_traceback_later(WALL_CLOCK, exit=True, file=sys.__stderr__)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()

YAML_BITS = ["apiVersion: v1\n", "kind: Secret\n", "kind: SealedSecret\n", "metadata:\n",
             "  name: x\n", "data:\n", "stringData:\n", "encryptedData:\n", "  k: ", "&a ", "*a",
             "- ", "{", "}", "[", "]", ": ", "\n", "---\n", "sops:\n", "  mac: ENC[AES256_GCM,",
             "'", '"', "!!binary ", "<<: *a\n", "\t", "password: ", "AgB" * 20, "==", "|\n  ",
             "\\x00", "%YAML 1.1\n", "? ", "#", "${VAR}", "{{ .Values.x }}", "\ufeff"]
ENV_BITS = ["KEY=", "export ", "PASSWORD=", "'", '"', "\\", "\n", "#", "=", "sops_mac=",
            "sops_version=3.8", "ENC[AES256_GCM,data:", "$", "{", "}", " ", "\r\n"]
PATCH_BITS = [b"\x01" + b"a" * 40 + b"\n", b"diff --git a/x b/x\n", b"diff --cc x\n",
              b"index " + b"1" * 40 + b".." + b"2" * 40 + b"\n", b"index 1,2..3 100644\n",
              b"@@ -1,2 +3,4 @@\n", b"@@@ -1 -1 +1,2 @@@\n", b"@@ garbage\n", b"+line\n",
              b"++both\n", b"-gone\n", b" ctx\n", b"Binary files a and b differ\n",
              b"\\ No newline at end of file\n", b"+\x00\xff\n", b"new file mode 160000\n"]
RAW_BITS = [b"\x01" + b"c" * 40, b"\0", b":100644 100644 " + b"a" * 40 + b" " + b"b" * 40 + b" M",
            b"::100644 100644 100644 " + b"a" * 40 + b" " + b"b" * 40 + b" " + b"c" * 40 + b" MM",
            b":000000 160000 " + b"0" * 40 + b" " + b"d" * 40 + b" A", b"R100", b"path\nname",
            b"\xff\xfe", b"\n", b":", b"author <a@b>", b"2024-01-01T00:00:00+00:00"]


def _joined(bits: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(st.sampled_from(bits), st.text(max_size=8)), max_size=40) \
        .map("".join)


def _joined_bytes(bits: list[bytes]) -> st.SearchStrategy[bytes]:
    return st.lists(st.one_of(st.sampled_from(bits), st.binary(max_size=8)), max_size=40) \
        .map(b"".join)


@pytest.fixture(scope="module")
def ctx():  # type: ignore[no-untyped-def]
    from scanner.config import Config
    from scanner.pipeline import ScanContext

    return ScanContext.build(Config(), "re")


@given(text=_joined(YAML_BITS), name=st.sampled_from(
    ["deploy/secret.yaml", "values.yaml", "kustomization.yaml", "app.json", ".env", "x.txt"]))
def test_policy_readers_never_crash(ctx, text: str, name: str) -> None:  # type: ignore[no-untyped-def]
    """The YAML reader, the .env reader and the SOPS / SealedSecret recognisers behind the
    policy: findings or a parse-error finding, never an exception."""
    from scanner import policy
    from scanner.blob import Blob

    blob = Blob(name, text.encode("utf-8", "surrogatepass"))
    for finding in policy.check(blob, ctx):
        assert finding.category in ("secret", "policy", "parse-error")


@given(text=_joined(ENV_BITS))
def test_dotenv_reader_never_crashes(ctx, text: str) -> None:  # type: ignore[no-untyped-def]
    from scanner import policy
    from scanner.blob import Blob

    list(policy.check(Blob(".env", text.encode("utf-8", "surrogatepass")), ctx))


@given(value=st.one_of(st.text(max_size=200), st.sampled_from(
    ["AgB" + "A" * 300, "ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]", "", "=="])))
def test_sops_and_sealed_recognisers(value: str) -> None:
    from scanner.policy.sealed import why_not_sealed
    from scanner.policy.values import is_sops_encrypted

    assert isinstance(is_sops_encrypted(value), bool)
    reason = why_not_sealed(value)
    assert reason is None or isinstance(reason, str)


@given(data=_joined_bytes(PATCH_BITS))
def test_patch_parser(data: bytes) -> None:
    from scanner.sources.patch import parse_patches

    for hunks in parse_patches(io.BytesIO(data)):
        assert hunks.key and len(hunks.lines) == len(hunks.numbers)


@given(data=_joined_bytes(RAW_BITS), cut=st.integers(1, 64))
def test_raw_log_parsers(data: bytes, cut: int) -> None:
    from scanner.sources.history import parse_log
    from scanner.sources.rawlog import parse_raw_log

    pieces = [data[i:i + cut] for i in range(0, len(data), cut)]
    for _meta, entries in parse_raw_log(pieces):
        assert all(entry.oid and entry.path is not None for entry in entries)
    parse_log(iter(pieces))


@given(data=st.one_of(st.binary(max_size=300), _joined_bytes(
    [b"a" * 40 + b" blob 5\nhello\n", b"x missing\n", b" blob ", b"\n", b"99999999999999999999",
     b"-1", b"tree 3\nabc\n"])), limit=st.integers(0, 64))
def test_cat_file_reader(data: bytes, limit: int) -> None:
    from scanner.errors import GitError
    from scanner.sources.catfile import read_answer

    out = io.BytesIO(data)
    try:
        for _ in range(8):
            obj = read_answer(out, limit)
            assert obj.data is None or len(obj.data) == obj.size <= limit
    except GitError:
        pass  # a clear error (exit 2): the stream ended early or was not an answer


@given(text=_joined(["fail_on: ", "high", "rules:\n", "  custom:\n", "    - id: x\n",
                     "      regex: ", "'(a+)+'", "allowlist:\n", "  paths: ", "[", "]", "'[z-a]'",
                     "gitops:\n", "max_file_size: ", "0", "5MB", "&a ", "*a", "!!python/name:os",
                     "\n", "  ", "- ", "{", "}", ": "]))
def test_config_loader(tmp_path_factory, text: str) -> None:  # type: ignore[no-untyped-def]
    from scanner.config_schema import parse_config_file
    from scanner.errors import ConfigError

    path = tmp_path_factory.mktemp("cfg") / ".sealguard.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        parse_config_file(path)
    except ConfigError as exc:
        assert str(exc)


@given(text=_joined(['{"tool": "sealguard", "version": 1, "findings": [', '{"fingerprint": ',
                     '"sha256:00"', "}", "]", "}", ",", '"line": 1', "null", "[", "{",
                     '{"results": [', '"Hashed Secret"', "abc:def:1", "\n", '"RuleID"']),
       name=st.sampled_from(["b.json", ".gitleaksignore", ".secrets.baseline"]))
def test_baseline_loaders(tmp_path_factory, text: str, name: str) -> None:  # type: ignore[no-untyped-def]
    from scanner.baseline import read_baseline
    from scanner.baseline_formats import load_known
    from scanner.errors import SealguardError

    path = tmp_path_factory.mktemp("bl") / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    for loader in (load_known, read_baseline):
        with contextlib.suppress(SealguardError):
            loader(path)


@given(data=st.one_of(st.binary(max_size=400), st.text(max_size=100).flatmap(
    lambda t: st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8"]).map(
        lambda e: t.encode(e, "surrogatepass")))))
def test_text_layer(data: bytes) -> None:
    from scanner.sources.text import as_text, bom_encoding

    text = as_text(data)
    assert text is None or isinstance(text, bytes)
    if text is not None and bom_encoding(data) and text is not data:
        unit = 4 if "32" in (bom_encoding(data) or "") else 2
        assert text.count(b"\n") <= len(data) // unit


MIXED_BITS = [b"\0", b"\n", b"\r\n", b"\xff\xfe", b"\xfe\xff", "key=value\n".encode("utf-16-le"),
              "key=value\n".encode("utf-16-be"), b"key=value\n" * 4, "中文\n".encode("utf-16-le"),
              b"\xe9\0", b"a\0b\0c\0", b"\0a\0b\0c"]


@given(data=_joined_bytes(MIXED_BITS), wide=st.sampled_from([None, "utf-16-le", "utf-16-be"]))
def test_mixed_encodings_keep_line_breaks(data: bytes, wide: str | None) -> None:
    """Reading stretch by stretch returns UTF-8-encodable bytes and, where no stretch is
    read as UTF-16 beyond its ASCII runs, every line break where it was."""
    from scanner.sources.mixed import mixed_text

    text = mixed_text(data, wide)
    text.decode("utf-8", "surrogatepass" if wide else "replace")
    if wide is None:
        assert text.count(b"\n") == data.count(b"\n")
    if b"\0" not in data:
        assert text is data


@given(data=_joined_bytes([*MIXED_BITS, b"\x01\x02\x03", b"N", b"\x27", b"ghp_", b"sk-"]))
def test_binary_reading_keeps_offsets(ctx, data: bytes) -> None:  # type: ignore[no-untyped-def]
    """Binary content is scanned as its bytes: the view and every split copy keep each
    offset and line break, and the engine returns whatever the bytes."""
    from scanner.blob import Blob
    from scanner.engine.binary import split_views
    from scanner.sources.text import binary_view

    view = binary_view(data)
    assert len(view) == len(data) and view.count(b"\n") == data.count(b"\n")
    for copy in split_views(view, range(0, len(view), 7)):
        assert len(copy) == len(view) and copy.count(b"\n") == view.count(b"\n")
    list(ctx.engine.scan(Blob("x.bin", view, binary=True)))


@given(pattern=st.text(alphabet="ab/*?[]!-z.", max_size=30),
       path=st.text(alphabet="ab/z.-", max_size=40))
def test_glob_matcher_agrees_with_its_automaton(pattern: str, path: str) -> None:
    from scanner.policy.globs import Glob, glob_problem

    glob = Glob(pattern)
    slow = Glob(pattern)
    slow.fast = None
    if glob_problem(pattern) is None:
        assert glob.match(path) == slow.match(path)


@given(text=st.text(max_size=200))
def test_terminal_escaping(text: str) -> None:
    from scanner.report.escape import clean, terminal

    shown = terminal(text)
    assert shown.isprintable()
    clean(text).encode("utf-8")


@given(pattern=st.text(alphabet="ab()+*?|{}123,^$\\.[]", max_size=24))
def test_user_pattern_check(pattern: str) -> None:
    from scanner.engine.redos import pattern_problem

    problem = pattern_problem(pattern)
    assert problem is None or isinstance(problem, str)


@given(data=st.binary(max_size=2000), cut=st.integers(1, 300))
def test_pieces_cover_every_byte(data: bytes, cut: int) -> None:
    from scanner.sources import pieces

    old = (pieces.PIECE_BYTES, pieces.OVERLAP_BYTES)
    pieces.PIECE_BYTES, pieces.OVERLAP_BYTES = cut, max(1, cut // 3)
    try:
        stream = io.BytesIO(data)
        got = list(pieces.pieces(stream.read))
    finally:
        pieces.PIECE_BYTES, pieces.OVERLAP_BYTES = old
    assert got[0][0] == 0 if got else data == b""
    lines_seen = set()
    for lines, piece in got:
        lines_seen.update(range(lines, lines + piece.count(b"\n") + 1))
    assert set(range(data.count(b"\n") + 1)) <= lines_seen or data == b""
    assert data.endswith(got[-1][1]) if got else True


def test_profile_is_bounded() -> None:
    assert settings().max_examples <= 5000
    if os.environ.get("HYPOTHESIS_PROFILE", "ci") == "ci":
        assert settings().max_examples == 60
        assert WALL_CLOCK <= 120
        assert Path(__file__).exists()
