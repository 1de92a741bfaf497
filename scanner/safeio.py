"""Reading files that someone else may have put there: only regular files, never blocking.

A FIFO, a socket or a device where a file is expected (a scanned folder, `--config`,
`--baseline`, GITHUB_EVENT_PATH) would block a plain `open()` forever or read without end.
Files are opened with O_NONBLOCK (opening a FIFO then returns at once), checked with
`fstat` on the open descriptor (no race with a swap after a check), and refused unless they
are regular files; a read never takes more than the limit asked for.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from scanner.errors import SealguardError

OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) \
    | getattr(os, "O_NOCTTY", 0)
MAX_DATA_FILE = 64 << 20  # baselines, event payloads
MAX_CONFIG = 1 << 20  # a configuration file


class NotRegularFile(SealguardError):
    """Something other than a regular file where one was expected."""

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(f"{path}: is a {kind}, not a regular file: not read")
        self.kind = kind


def kind_of(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"),
                       (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"),
                       (stat.S_ISDIR, "directory")):
        if test(mode):
            return name
    return "special file"


def open_regular(path: str | os.PathLike[str]) -> tuple[int, int]:
    """(descriptor, size) of a regular file, opened without blocking; OSError or
    NotRegularFile otherwise. The descriptor is back in blocking mode."""
    try:
        fd = os.open(path, OPEN_FLAGS)
    except OSError:
        _refuse_special(path)  # a socket (ENXIO) or a device we may not open
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(os.fsdecode(path), kind_of(info.st_mode))
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd, info.st_size


def _refuse_special(path: str | os.PathLike[str]) -> None:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if not stat.S_ISREG(mode):
        raise NotRegularFile(os.fsdecode(path), kind_of(mode))


def read_limited(fd: int, limit: int) -> bytes:
    """Up to `limit` + 1 bytes (one more than allowed tells the caller it was too big)."""
    parts: list[bytes] = []
    left = limit + 1
    while left > 0:
        part = os.read(fd, min(left, 1 << 20))
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def read_regular(path: str | os.PathLike[str], what: str, limit: int = MAX_DATA_FILE) -> bytes:
    """The bytes of a data file the user named, or a clear SealguardError (exit 2)."""
    shown = os.fsdecode(path)
    try:
        fd, _ = open_regular(path)
    except NotRegularFile as exc:
        raise SealguardError(f"{shown}: cannot read {what}: it is a {exc.kind}, "
                             "not a regular file") from None
    except OSError as exc:
        raise SealguardError(f"{shown}: cannot read {what}: {exc.strerror or exc}") from None
    try:
        data = read_limited(fd, limit)
    except OSError as exc:
        raise SealguardError(f"{shown}: cannot read {what}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise SealguardError(f"{shown}: cannot read {what}: larger than {limit >> 20} MB")
    return data


def read_text(path: str | os.PathLike[str], what: str, limit: int = MAX_DATA_FILE) -> str:
    """read_regular decoded as UTF-8 (a BOM is dropped), or a clear error."""
    data = read_regular(path, what, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SealguardError(f"{os.fsdecode(path)}: cannot read {what}: not UTF-8 text "
                             f"(byte {exc.start})") from None


def is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (OSError, ValueError):
        return False
