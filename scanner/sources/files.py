"""Files and folders named on the command line."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from scanner.blob import Blob
from scanner.errors import SealguardError
from scanner.safeio import NotRegularFile, open_regular, read_limited
from scanner.sources import Skipped
from scanner.sources.gitcmd import ignored_files, is_ignored, ls_files, repo_root
from scanner.sources.text import as_text, decode, encoding_of

BINARY_SNIFF = 8000
WHOLE_BYTES = 16 << 20  # larger files are read and scanned in pieces (sources/pieces.py)


@dataclass(frozen=True)
class FileRef:
    """A file to read later (in a worker): its path on disk and the path to report."""

    disk: str
    path: str
    explicit: bool = False  # named on the command line


@dataclass(frozen=True)
class LargeFile:
    """A regular UTF-8 file too big to hold whole: scanned piece by piece."""

    ref: FileRef
    size: int


def is_binary(head: bytes) -> bool:
    return as_text(head[:BINARY_SNIFF]) is None


def read_file(ref: FileRef, max_bytes: int) -> Blob | Skipped | LargeFile:
    """Only regular files are read (opened without blocking, checked after opening)."""
    try:
        if os.path.islink(ref.disk):
            return Skipped(ref.path, "symlink", explicit=ref.explicit)
        fd, size = open_regular(ref.disk)
    except NotRegularFile as exc:
        if exc.kind == "directory":  # a file replaced by a folder since it was listed
            return Skipped(ref.path, "unreadable", "is a directory")
        return Skipped(ref.path, "special", exc.kind, explicit=ref.explicit)
    except FileNotFoundError:
        return Skipped(ref.path, "missing", "no such file")
    except OSError as exc:
        return Skipped(ref.path, "unreadable", exc.strerror or str(exc))
    try:
        return _read_open(ref, fd, size, max_bytes)
    except OSError as exc:
        return Skipped(ref.path, "unreadable", exc.strerror or str(exc))
    finally:
        os.close(fd)


def _read_open(ref: FileRef, fd: int, size: int, max_bytes: int) -> Blob | Skipped | LargeFile:
    if size > max_bytes:
        return Skipped(ref.path, "too_large", f"{size} bytes")
    head = read_limited(fd, min(max_bytes, WHOLE_BYTES))
    if len(head) > max_bytes:
        return Skipped(ref.path, "too_large", "grew while read")
    if len(head) > WHOLE_BYTES:
        if encoding_of(head) == "utf-8":
            return LargeFile(ref, size)
        head += read_limited(fd, max_bytes - len(head))  # UTF-16/32 or binary: whole
        if len(head) > max_bytes:
            return Skipped(ref.path, "too_large", "grew while read")
    data, binary = decode(head)
    return Blob(path=ref.path, data=data, disk=ref.disk, binary=binary)


def _display(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base).as_posix()
    except (ValueError, OSError, RuntimeError):  # outside base; a symlink loop
        return path.as_posix()


def _walk(folder: str, prefix: str = "") -> Iterator[tuple[str, str | None]]:
    """(path relative to `folder`, skip reason or None) for the files below it (symlinks
    included, reported when read), sorted; never into `.git`. One scandir per folder: file
    types come from the directory entries. An unreadable folder is reported. Iterative: any
    depth of folders is fine."""
    stack: list[tuple[str, str]] = [(folder, prefix)]
    while stack:
        disk, shown = stack.pop()
        try:
            with os.scandir(disk) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            if shown:
                yield shown.rstrip("/"), f"unreadable: {exc.strerror or exc}"
            continue
        folders = []
        for entry in entries:
            if _is_folder(entry):
                if entry.name != ".git":
                    folders.append((entry.path, f"{shown}{entry.name}/"))
            else:
                yield shown + entry.name, None
        stack.extend(reversed(folders))


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _folder_files(folder: Path) -> Iterator[tuple[str, str | None]]:
    """(path relative to `folder`, skip reason or None) for every file below it. In a
    repository, ignored files come back as skipped, never passed over silently. A folder
    that is itself gitignored was named on purpose: all of it is read, as outside a
    repository."""
    if repo_root(folder) is not None and not is_ignored(folder):
        for rel in ls_files(folder):
            if os.path.lexists(folder / rel):  # deleted in the work tree: nothing to scan
                yield rel, None
        for rel in ignored_files(folder):
            yield rel.rstrip("/"), "gitignored"
    else:
        yield from _walk(str(folder))


def collect(paths: Sequence[str]) -> Iterator[FileRef | Skipped]:
    """Expand files and folders into FileRefs, paths reported relative to the repo root
    (inside a git repository) or to the folder named (outside one)."""
    for arg in paths or ["."]:
        target = Path(arg)
        if not target.exists() and not target.is_symlink():
            raise SealguardError(f"{arg}: no such file or directory")
        root = repo_root(target)
        if target.is_dir() and not target.is_symlink():
            # Paths are joined as strings: resolving each of thousands of files costs more
            # than the scan of a small one.
            shown = _display(target, (root or target).resolve())
            prefix = "" if shown == "." else shown.rstrip("/") + "/"
            disk = os.path.join(str(target), "")
            for rel, reason in _folder_files(target):
                if reason:
                    name, _, detail = reason.partition(": ")
                    yield Skipped(prefix + rel, name, detail)
                else:
                    yield FileRef(disk + rel, prefix + rel)
        else:
            base = root.resolve() if root else Path.cwd().resolve()
            shown = _display(target, base)
            if target.is_symlink():  # reported under the name given, not the target's
                link = Path(os.path.realpath(target.parent)) / target.name
                shown = link.relative_to(base).as_posix() if base in link.parents \
                    else link.as_posix()
            yield named_file(target, shown)


def named_file(target: Path, shown: str) -> FileRef | Skipped:
    """A file named on the command line: a symlink is followed (the user asked for it);
    anything but a regular file (a pipe, `/dev/stdin`, `<(...)`, a device) is not read and
    is an error, never a silent pass: standard input is read with `-`."""
    import stat

    try:
        mode = os.stat(target).st_mode
    except OSError as exc:
        return Skipped(shown, "unreadable", exc.strerror or str(exc))
    if not stat.S_ISREG(mode):
        return Skipped(shown, "unreadable", "not a regular file; to scan a pipe or standard "
                       "input, pipe it into `sealguard scan -`")
    return FileRef(os.path.realpath(target), shown, explicit=True)
