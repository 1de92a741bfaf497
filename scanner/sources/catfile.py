"""Persistent `git cat-file --batch` readers: many objects through one process.

`CatFile.read(oid)` asks for one object at a time (index entries, a few file versions);
`stream(oids)` pipelines a whole list (each history worker streams its share), a writer
thread feeding requests while the caller consumes answers, so git never waits on us and we
never hold more than one object.
"""

from __future__ import annotations

import contextlib
import subprocess
import threading
from collections.abc import Generator, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from scanner.errors import GitError
from scanner.sources.gitcmd import popen

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

CHUNK = 1 << 20
PIPE_BYTES = 1 << 20  # the default /proc/sys/fs/pipe-max-size for unprivileged processes


@dataclass(frozen=True)
class CatObject:
    """One answer: `data` is None when the object is missing or larger than asked for."""

    oid: str
    kind: str  # blob | tree | commit | tag | missing
    size: int
    data: bytes | None


def _spawn(cwd: Path | str, mode: str, env: Mapping[str, str] | None) -> subprocess.Popen[bytes]:
    proc = popen(["cat-file", mode], cwd, env, stdin=subprocess.PIPE, stderr=subprocess.DEVNULL,
                 bufsize=CHUNK)
    if proc.stdout is not None:
        widen_pipe(proc.stdout.fileno())
    return proc


def widen_pipe(fd: int) -> None:
    """Let git run up to a megabyte ahead of us (Linux pipes hold 64 KiB by default, so git
    and the scanner would take turns instead of working at the same time)."""
    setsize = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if setsize is None:
        return
    with contextlib.suppress(OSError):
        fcntl.fcntl(fd, setsize, PIPE_BYTES)


def _discard(out: IO[bytes], size: int) -> None:
    while size > 0:
        got = out.read(min(size, CHUNK))
        if not got:
            raise GitError("git cat-file ended early")
        size -= len(got)


def read_answer(out: IO[bytes], max_bytes: int | None = None) -> CatObject:
    """Parse one `--batch` (or `--batch-check`) answer from `out`."""
    header = out.readline()
    if not header:
        raise GitError("git cat-file ended early")
    parts = header.split()
    oid = parts[0].decode("ascii", "replace") if parts else ""
    if len(parts) < 3 or parts[1] == b"missing":
        return CatObject(oid, "missing", 0, None)
    if not parts[2].isdigit() or len(parts[2]) > 18:
        raise GitError(f"git cat-file gave an answer that is not a header: {header[:80]!r}")
    kind, size = parts[1].decode("ascii", "replace"), int(parts[2])
    return CatObject(oid, kind, size, None) if max_bytes is None else _body(out, oid, kind, size,
                                                                            max_bytes)


def _body(out: IO[bytes], oid: str, kind: str, size: int, max_bytes: int) -> CatObject:
    if size > max_bytes:
        _discard(out, size + 1)
        return CatObject(oid, kind, size, None)
    data = out.read(size)
    out.read(1)  # the newline after the content
    if len(data) != size:
        raise GitError("git cat-file ended early")
    return CatObject(oid, kind, size, data)


class CatFile:
    """One long-lived `git cat-file --batch` process for sequential look-ups."""

    def __init__(self, cwd: Path | str, env: Mapping[str, str] | None = None) -> None:
        self._proc = _spawn(cwd, "--batch", env)

    def read(self, oid: str, max_bytes: int = 1 << 62) -> CatObject:
        """`oid` is an object id: never a `<rev>:<path>` request, whose path could hold a
        newline and shift every later answer."""
        if not is_oid(oid):
            return CatObject(oid, "missing", 0, None)
        stdin, stdout = self._proc.stdin, self._proc.stdout
        assert stdin is not None and stdout is not None
        stdin.write(oid.encode("ascii") + b"\n")
        stdin.flush()
        return read_answer(stdout, max_bytes)

    def close(self) -> None:
        close_process(self._proc)

    def __enter__(self) -> CatFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def is_oid(name: str) -> bool:
    return 4 <= len(name) <= 64 and all(c in "0123456789abcdef" for c in name)


def close_process(proc: subprocess.Popen[bytes]) -> None:
    for stream in (proc.stdin, proc.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def _feed(proc: subprocess.Popen[bytes], names: Iterable[str]) -> None:
    stdin = proc.stdin
    assert stdin is not None
    try:
        for name in names:
            stdin.write((name if is_oid(name) else "0" * 40).encode("ascii") + b"\n")
        stdin.close()
    except (BrokenPipeError, ValueError, OSError):
        pass  # the reader stopped early (Ctrl-C, error): nothing more to send


def stream(cwd: Path | str, oids: list[str], max_bytes: int | None,
           env: Mapping[str, str] | None = None) -> Generator[CatObject, None, None]:
    """Answers for `oids`, in order. `max_bytes=None` asks only for type and size."""
    proc = _spawn(cwd, "--batch" if max_bytes is not None else "--batch-check", env)
    writer = threading.Thread(target=_feed, args=(proc, oids), daemon=True)
    writer.start()
    stdout = proc.stdout
    assert stdout is not None
    try:
        for _ in oids:
            yield read_answer(stdout, max_bytes)
    finally:
        close_process(proc)
        writer.join(timeout=5)
