"""Size is no way round the guard; UTF-16/32 is text; NULs do not hide text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from adv import (
    CONFIG,
    MANIFEST_SECRET,
    SECRET_MANIFEST,
    check,
    commit_all,
    git,
    new_repo,
    sg,
    token,
    write,
)

SMALL_CAP = CONFIG + "max_file_size: 1KB\n"


def _root(tmp_path: Path, config: str = CONFIG) -> Path:
    root = tmp_path / "plain"
    write(root / ".sealguard.yaml", config)
    return root


def findings(proc_stdout: str) -> list[dict[str, object]]:
    return json.loads(proc_stdout)["findings"]  # type: ignore[no-any-return]


def test_secret_at_the_end_of_a_20mb_log(tmp_path: Path) -> None:
    root = _root(tmp_path)
    line = "2024-01-01 INFO request served in 3ms by worker 7\n"
    with open(root / "app.log", "w") as handle:
        handle.write(line * (20_000_000 // len(line)))
        handle.write(f"debug token={token(1)}\n")
    proc = sg("scan", "app.log", "--format", "json", cwd=root)
    check(proc, 1, token(1), text=False)
    [finding] = findings(proc.stdout)
    assert finding["line"] == 20_000_000 // len(line) + 1


def test_secret_in_a_huge_single_line(tmp_path: Path) -> None:
    root = _root(tmp_path)
    write(root / "one.min.js", "var a='" + "x" * 18_000_000 + f"';t={token(2)};\n")
    proc = sg("scan", "one.min.js", "--format", "json", cwd=root)
    check(proc, 1, token(2), text=False)


def test_secret_straddling_a_piece_boundary_is_found_once(tmp_path: Path) -> None:
    from scanner.sources.pieces import PIECE_BYTES

    root = _root(tmp_path)
    pad = "p" * 99 + "\n"
    body = pad * ((PIECE_BYTES * 2 - 20) // len(pad))
    write(root / "big.txt", body[:-1] + f"t={token(3)}\n" + pad * 10)
    proc = sg("scan", "big.txt", "--format", "json", cwd=root)
    check(proc, 1, token(3), text=False)
    assert len(findings(proc.stdout)) == 1


@pytest.mark.parametrize("source", ["scan", "staged", "history", "diff"])
def test_too_large_is_unread_input(tmp_path: Path, source: str) -> None:
    repo = new_repo(tmp_path / "r", SMALL_CAP)
    base = git(repo, "rev-parse", "HEAD").strip()
    write(repo / "big.txt", "filler line\n" * 200)
    git(repo, "add", "-A")
    args = {"scan": ("scan", "big.txt"), "staged": ("scan", "--staged"),
            "history": ("history",), "diff": ("diff", f"{base}..HEAD")}[source]
    if source in ("history", "diff"):
        git(repo, "commit", "-q", "-m", "big")
    proc = sg(*args, "--format", "json", cwd=repo)
    check(proc, 2, text=False)
    summary = json.loads(proc.stdout)["summary"]
    assert summary["skipped"]["too_large"] == 1 and summary["errors"]


def test_too_large_but_allowlisted_passes(tmp_path: Path) -> None:
    root = _root(tmp_path, SMALL_CAP.replace('[".sealguard.yaml"]',
                                             '[".sealguard.yaml", "dumps/**"]'))
    write(root / "dumps" / "big.txt", "filler line\n" * 200)
    proc = sg("scan", ".", "--format", "json", cwd=root)
    check(proc, 0, text=False)
    assert json.loads(proc.stdout)["summary"]["skipped"]["too_large"] == 1


@pytest.mark.parametrize("size", ["0", "0MB", "99999999999999999999GB", "-5", "1e9"])
def test_absurd_max_file_size_is_a_config_error(tmp_path: Path, size: str) -> None:
    root = _root(tmp_path, CONFIG + f"max_file_size: {size}\n")
    write(root / "a.txt", "x\n")
    proc = sg("scan", ".", cwd=root)
    check(proc, 2)
    assert "max_file_size" in proc.stderr


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-16-le"])
def test_utf16_and_utf32_are_text(tmp_path: Path, encoding: str) -> None:
    root = _root(tmp_path)
    text = f"first = 1\nsecond = 2\ntoken = {token(4)}\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    write(root / "win.txt", data)
    proc = sg("scan", "win.txt", "--format", "json", cwd=root)
    check(proc, 1, token(4), text=False)
    [finding] = findings(proc.stdout)
    assert finding["line"] == 3


def test_utf16_secret_manifest_reaches_the_policy(tmp_path: Path) -> None:
    root = _root(tmp_path)
    write(root / "secret.yaml", SECRET_MANIFEST.encode("utf-16"))
    proc = sg("scan", "secret.yaml", "--format", "json", cwd=root)
    check(proc, 1, MANIFEST_SECRET, text=False)
    assert "k8s-plaintext-secret" in {f["rule"] for f in findings(proc.stdout)}


def test_utf16_in_staged_and_history(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    write(repo / "w.txt", f"t = {token(5)}\n".encode("utf-16"))
    git(repo, "add", "-A")
    check(sg("scan", "--staged", cwd=repo), 1, token(5))
    git(repo, "commit", "-q", "-m", "utf16")
    check(sg("history", cwd=repo), 1, token(5))


def test_a_stray_nul_does_not_hide_a_secret(tmp_path: Path) -> None:
    root = _root(tmp_path)
    write(root / "config.env", b"\0" + f"API_TOKEN={token(6)}\n".encode() + b"x = 1\n" * 200)
    proc = sg("scan", "config.env", "--format", "json", cwd=root)
    check(proc, 1, token(6), text=False)


NUL_LADEN = {
    "padded": lambda line: b"\0" * 100 + line + b"\0" * 100,
    "past-the-sniff": lambda line: b"\0" * 20_000 + line,
    "sprinkled": lambda line: b"x = 1\n\0\0" * 400 + line + b"\0\0y = 2\n" * 400,
    "every-line": lambda line: b"\0\0\0\0".join(b"k: v\n" for _ in range(300)) + line,
}


@pytest.mark.parametrize("shape", sorted(NUL_LADEN))
def test_nul_laden_text_is_read(tmp_path: Path, shape: str) -> None:
    """NULs are no way round the guard, however many there are or however far they pad the
    text: apart from its NULs it is printable UTF-8, so it is text."""
    root = _root(tmp_path)
    write(root / "config.env", NUL_LADEN[shape](f"API_TOKEN={token(11)}\n".encode()))
    proc = sg("scan", "config.env", "--format", "json", cwd=root)
    check(proc, 1, token(11), text=False)


def test_nul_padded_text_in_staged_diff_and_history(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    base = git(repo, "rev-parse", "HEAD").strip()
    write(repo / "pad.env", NUL_LADEN["past-the-sniff"](f"API_TOKEN={token(12)}\n".encode()))
    git(repo, "add", "-A")
    check(sg("scan", "--staged", cwd=repo), 1, token(12))
    git(repo, "commit", "-q", "-m", "padded")
    check(sg("diff", f"{base}..HEAD", cwd=repo), 1, token(12))
    check(sg("history", cwd=repo), 1, token(12))


def test_only_nuls_is_binary_scanned_and_counted(tmp_path: Path) -> None:
    root = _root(tmp_path)
    write(root / "zeros.img", b"\0" * 100_000)
    proc = sg("scan", "zeros.img", "--format", "json", cwd=root)
    check(proc, 0, text=False)
    assert json.loads(proc.stdout)["summary"]["binary"] == 1


def test_real_binary_is_still_binary_scanned_as_bytes(tmp_path: Path) -> None:
    root = _root(tmp_path)
    write(root / "img.bin", bytes(range(256)) * 40)
    proc = sg("scan", "img.bin", "--format", "json", cwd=root)
    check(proc, 0, text=False)
    assert json.loads(proc.stdout)["summary"]["binary"] == 1


def test_zip_bomb_like_base64_in_secret_data(tmp_path: Path) -> None:
    import base64

    root = _root(tmp_path)
    inner = base64.b64encode(b"A" * 3_000_000).decode()
    nested = base64.b64encode(inner.encode()).decode()
    manifest = ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: bomb\ndata:\n"
                f"  blob: {nested}\n")
    write(root / "bomb.yaml", manifest)
    proc = sg("scan", "bomb.yaml", "--format", "json", cwd=root, timeout=60)
    assert "Traceback" not in proc.stderr and proc.returncode in (0, 1), proc.stderr


def test_many_files(tmp_path: Path) -> None:
    root = _root(tmp_path)
    for i in range(3000):
        write(root / f"d{i % 30}" / f"f{i}.txt", "nothing to see\n")
    write(root / "d7" / "k.txt", f"t = {token(7)}\n")
    proc = sg("scan", ".", "--format", "json", cwd=root)
    check(proc, 1, token(7), text=False)
    assert json.loads(proc.stdout)["summary"]["files"] == 3002


def test_commit_of_large_file_is_scanned_by_history(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "r")
    write(repo / "dump.sql", "INSERT INTO t VALUES (1);\n" * 250_000 + f"-- {token(8)}\n")
    commit_all(repo)
    check(sg("history", cwd=repo), 1, token(8))


_FILLER = "setting = value number one\n" * 400  # 10,800 bytes: past the 8,000-byte sniff
MIXED = {
    "bom-utf16-then-ascii": lambda tail: b"\xff\xfe" + _FILLER.encode("utf-16-le")
    + tail.encode(),
    "bomless-utf16-then-ascii": lambda tail: _FILLER.encode("utf-16-le") + tail.encode(),
    "utf16be-then-ascii": lambda tail: b"\xfe\xff" + _FILLER.encode("utf-16-be") + tail.encode(),
    "ascii-then-utf16le": lambda tail: _FILLER.encode() + tail.encode("utf-16-le"),
    "ascii-then-bom-utf16be": lambda tail: _FILLER.encode() + b"\xfe\xff"
    + tail.encode("utf-16-be"),
    "cjk-utf16-with-bom": lambda tail: ("\ufeff" + "中文注释测试内容\n" * 400 + tail)
    .encode("utf-16-le"),
}


@pytest.mark.parametrize("shape", sorted(MIXED))
def test_an_encoding_change_past_the_sniff_hides_nothing(tmp_path: Path, shape: str) -> None:
    """The head's encoding is a guess: content that goes on differently is read stretch by
    stretch, with the file's line numbers."""
    root = _root(tmp_path)
    write(root / "mixed.txt", MIXED[shape](f"key = {token(60)}\n"))
    proc = sg("scan", "mixed.txt", "--format", "json", cwd=root)
    check(proc, 1, token(60), text=False)
    [finding] = findings(proc.stdout)
    assert finding["line"] == 401


@pytest.mark.parametrize("shape", ["bomless-utf16-then-ascii", "ascii-then-utf16le"])
def test_an_encoding_change_in_staged_diff_and_history(tmp_path: Path, shape: str) -> None:
    repo = new_repo(tmp_path / "r")
    base = git(repo, "rev-parse", "HEAD").strip()
    write(repo / "mixed.txt", MIXED[shape](f"key = {token(61)}\n"))
    git(repo, "add", "-A")
    check(sg("scan", "--staged", cwd=repo), 1, token(61))
    git(repo, "commit", "-q", "-m", "mixed")
    check(sg("diff", f"{base}..HEAD", cwd=repo), 1, token(61))
    check(sg("history", cwd=repo), 1, token(61))


def test_a_secret_manifest_in_utf16_after_ascii_reaches_the_policy(tmp_path: Path) -> None:
    root = _root(tmp_path)
    head = "# generated file, do not edit\n" * 400
    write(root / "secret.yaml", head.encode() + SECRET_MANIFEST.encode("utf-16-le"))
    proc = sg("scan", "secret.yaml", "--format", "json", cwd=root)
    check(proc, 1, MANIFEST_SECRET, text=False)
    assert "k8s-plaintext-secret" in {f["rule"] for f in findings(proc.stdout)}


def test_utf16_tail_of_a_file_read_in_pieces(tmp_path: Path) -> None:
    root = _root(tmp_path)
    line = "2024-01-01 INFO request served in 3ms by worker 7\n"
    with open(root / "big.log", "wb") as handle:
        handle.write((line * (18_000_000 // len(line))).encode())
        handle.write(f"debug token={token(62)}\n".encode("utf-16-le"))
    proc = sg("scan", "big.log", "--format", "json", cwd=root, timeout=240)
    check(proc, 1, token(62), text=False)
    [finding] = findings(proc.stdout)
    assert finding["line"] == 18_000_000 // len(line) + 1


def test_carriage_returns_alone_end_lines(tmp_path: Path) -> None:
    """Old Mac line endings (CR alone) are lines to Java, Python and editors: a password on
    the third of them is found there, with its line, in every source."""
    repo = new_repo(tmp_path / "r")
    base = git(repo, "rev-parse", "HEAD").strip()
    write(repo / "app.properties", f"app.name=demo\rserver.port=8080\rapi.token={token(63)}\r")
    git(repo, "add", "-A")
    for args in (["scan", "app.properties"], ["scan", "--staged"], None, ["history"]):
        if args is None:
            git(repo, "commit", "-q", "-m", "cr")
            args = ["diff", f"{base}..HEAD"]
        proc = sg(*args, "--format", "json", cwd=repo)
        check(proc, 1, token(63), text=False)
        assert {f["line"] for f in findings(proc.stdout)} == {3}, args
