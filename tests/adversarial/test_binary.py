"""Binary is no way round the guard: content that is not text is scanned as its bytes (with
UTF-16LE runs decoded in place), in every source, and real binaries stay quiet."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import sysconfig
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from adv import CONFIG, check, git, new_repo, sg, token, write


def _pyc(secret: str) -> bytes:
    """A compiled module holding the secret as a constant, as `py_compile` writes it."""
    import importlib.util
    import marshal

    code = compile(f"TOKEN = {secret!r}\n", "settings.py", "exec")
    return importlib.util.MAGIC_NUMBER + b"\0" * 12 + marshal.dumps(code)


def _sqlite(secret: str) -> bytes:
    with sqlite3.connect(":memory:") as db:
        db.execute("create table creds (name text, value text)")
        db.execute("insert into creds values ('deploy', ?)", (secret,))
        return db.serialize()


def _tar(secret: str) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        body = f"API_TOKEN={secret}\n".encode()
        info = tarfile.TarInfo("backup/.env")
        info.size = len(body)
        tar.addfile(info, io.BytesIO(body))
    return out.getvalue()


def _stored_jar(secret: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as jar:
        jar.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
        jar.writestr("application.properties", f"api.token={secret}\n")
    return out.getvalue()


def _utf16_in_exe(secret: str) -> bytes:
    """A .NET string heap stores literals as UTF-16LE between binary bytes."""
    return b"MZ\x90\0\3\0\0\0" + bytes(range(256)) + f"key={secret}".encode("utf-16-le") \
        + b"\xff\xfe\x81\0" * 20


def _control_sprinkled_text(secret: str) -> bytes:
    """Text with NULs and far more than 1% other control bytes around its lines."""
    return b"\0\x01\x02\x03log line\x1b[0m\n" * 300 + f"token={secret}\n".encode() \
        + b"\x04\x05\x06\x07 more\n" * 300


BLOBS: dict[str, tuple[str, Callable[[str], bytes]]] = {
    "pyc": ("settings.cpython-311.pyc", _pyc),
    "sqlite": ("state.db", _sqlite),
    "tar": ("backup.tar", _tar),
    "stored-jar": ("app.jar", _stored_jar),
    "utf16-in-exe": ("tool.exe", _utf16_in_exe),
    "control-bytes": ("build.log", _control_sprinkled_text),
}


def _binary_count(stdout: str) -> int:
    return json.loads(stdout)["summary"]["binary"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("kind", sorted(BLOBS))
def test_secret_in_binary_content_is_found(tmp_path: Path, kind: str) -> None:
    name, make = BLOBS[kind]
    root = tmp_path / "plain"
    write(root / ".sealguard.yaml", CONFIG)
    write(root / name, make(token(40)))
    proc = sg("scan", name, "--format", "json", cwd=root)
    check(proc, 1, token(40), text=False)
    [finding] = json.loads(proc.stdout)["findings"]
    assert finding["rule"] == "test-token" and finding["path"] == name
    assert _binary_count(proc.stdout) == (kind != "tar")  # a tar of text files is text
    check(sg("scan", name, cwd=root), 1, token(40))  # text output: escaped, redacted


@pytest.mark.parametrize("kind", ["pyc", "utf16-in-exe", "control-bytes"])
def test_binary_secret_in_staged_diff_and_history(tmp_path: Path, kind: str) -> None:
    name, make = BLOBS[kind]
    repo = new_repo(tmp_path / "r")
    base = git(repo, "rev-parse", "HEAD").strip()
    write(repo / name, make(token(41)))
    git(repo, "add", "-A")
    check(sg("scan", "--staged", cwd=repo), 1, token(41))
    git(repo, "commit", "-q", "-m", "binary")
    check(sg("diff", f"{base}..HEAD", cwd=repo), 1, token(41))
    check(sg("history", cwd=repo), 1, token(41))


def test_built_in_rules_read_binary_content(tmp_path: Path) -> None:
    """Not only a custom rule: a provider token (its checksum verified) inside a binary."""
    root = tmp_path / "plain"
    secret = "ghp_" + "suSwAm1sZTjtCo2uaqwUQCRVFWRMCd0QMtIO"  # the rule's own fake example
    write(root / "cache.bin", bytes(range(256)) * 4 + secret.encode() + b"\0\xff" * 64)
    proc = sg("scan", "cache.bin", "--format", "json", cwd=root)
    check(proc, 1, secret, text=False)
    assert [f["rule"] for f in json.loads(proc.stdout)["findings"]] == ["github-pat-classic"]


def _real_binaries(limit_bytes: int = 24 << 20) -> list[Path]:
    """Binaries of the Python running the suite: extension modules, compiled modules,
    icons and bundled wheels (whatever this installation has)."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    patterns = ["lib-dynload/*.so", "__pycache__/*.pyc", "*/__pycache__/*.pyc",
                "idlelib/Icons/*", "ensurepip/_bundled/*.whl"]
    found, total = [], 0
    for pattern in patterns:
        for path in sorted(stdlib.glob(pattern))[:150]:
            size = path.stat().st_size if path.is_file() else 0
            if size > 0 and total + size <= limit_bytes:
                found.append(path)
                total += size
    return found


def test_real_binaries_stay_quiet(tmp_path: Path) -> None:
    """Reading binaries as bytes must not make noise: real extension modules, .pyc files,
    images and wheels give no finding."""
    binaries = _real_binaries()
    if len(binaries) < 20:
        pytest.skip("this Python installation has too few binaries to try")
    root = tmp_path / "bins"
    root.mkdir()
    for n, path in enumerate(binaries):
        shutil.copyfile(path, root / f"{n:03d}-{path.name}")
    proc = sg("scan", ".", "--format", "json", cwd=root, timeout=300)
    check(proc, 0, text=False)
    report = json.loads(proc.stdout)
    assert report["findings"] == []
    assert report["summary"]["binary"] >= len(binaries) - 5  # a few may be text (icons)
    assert report["summary"]["skipped"]["binary"] == 0
