"""`sealguard history`: every blob reachable from the given revisions, each scanned once.

1. `git log --raw -z` over the revisions maps each blob id to every (commit, path) that
   introduced it (merges as combined diffs: only blobs new to the merge).
2. `git cat-file --batch-check` sizes them, and they are cut into chunks of a few MB,
   newest first (the order packs delta against).
3. Each worker process (scanner.parallel.striped; or this process for small histories)
   streams its share of the chunks through its own `git cat-file --batch`, one object in
   memory at a time, and returns only findings and counts, chunk by chunk. Findings of the
   same secret at the same place (rule + secret + path + message) are grouped into one, with
   every commit that introduced it there, oldest first: the same secret in two files is two
   findings, each with its own path, line and message.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from scanner import parallel, policy
from scanner.engine.filters import is_test_or_example_path as in_tests
from scanner.errors import GitError
from scanner.findings import Finding, Location, secret_hash
from scanner.parallel import BlobResult, choose_jobs, scan_item
from scanner.pipeline import ScanContext, ScanResult, Summary, postfilter
from scanner.sources import is_unread
from scanner.sources.catfile import CatObject, close_process, stream, widen_pipe
from scanner.sources.gitcmd import head_blob_oids, popen, shallow_boundary
from scanner.sources.rawlog import CommitMeta, tokens
from scanner.sources.text import decode

if TYPE_CHECKING:
    from scanner.policy.generators import PathGenerators

MODE_SYMLINK = b"120000"
MODE_GITLINK = b"160000"
LFS_HEADER = b"version https://git-lfs.github.com/spec/"
BINARY_SNIFF = 8000
READ_CHUNK = 1 << 20
CHUNK_BYTES = 2 << 20  # blobs per task: small enough to balance workers, big enough to batch
CHUNK_BLOBS = 256


@dataclass
class Inventory:
    """Commits seen, and for each blob every (commit index, path) that introduced it."""

    commits: list[CommitMeta] = field(default_factory=list)
    sites: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    gitlinks: set[str] = field(default_factory=set)
    symlinks: set[str] = field(default_factory=set)

    def add(self, oid: str, path: str) -> None:
        site = (len(self.commits) - 1, sys.intern(path))
        known = self.sites.get(oid)
        if known is None:
            self.sites[oid] = [site]
        elif site not in known:
            known.append(site)


def _entry(inv: Inventory, meta: bytes, path: bytes) -> None:
    parents = len(meta) - len(meta.lstrip(b":"))
    fields = meta[parents:].split()
    if len(fields) < 2 * parents + 3 or fields[-1].startswith(b"D"):
        return
    mode, oid = fields[parents], fields[2 * parents + 1].decode("ascii", "replace")
    if mode == MODE_GITLINK:
        inv.gitlinks.add(oid)
    elif mode == MODE_SYMLINK:
        inv.symlinks.add(oid)
    elif set(oid) != {"0"}:
        inv.add(oid, path.decode("utf-8", "surrogateescape"))


def parse_log(out: Iterator[bytes]) -> Inventory:
    inv = Inventory()
    fields = tokens(out)
    for token in fields:
        token = token.lstrip(b"\n")
        if token.startswith(b"\x01"):
            author, date = next(fields, b""), next(fields, b"")
            inv.commits.append(CommitMeta(token[1:].decode("ascii", "replace"),
                                          author.decode("utf-8", "replace"),
                                          date.decode("ascii", "replace")))
        elif token.startswith(b":") and inv.commits:
            _entry(inv, token, next(fields, b""))
    return inv


def log_args(revs: Sequence[str], since: str | None) -> list[str]:
    args = ["log", "--raw", "-z", "--no-abbrev", "--no-renames", "--root",
            "--diff-merges=combined", "--no-ext-diff", "--no-textconv",
            "--format=%x01%H%x00%an <%ae>%x00%aI"]
    if since:
        args.append(f"--since={since}")
    if not revs:
        return [*args, "--all", "--"]
    return [*args, "--end-of-options", *revs, "--"]


def check_revs(revs: Sequence[str], cwd: Path) -> None:
    """Each revision must name commits of this repository: `-x` is never passed on as an
    option (`--output=FILE` would make git write a file), and a typo is an error, not an
    empty audit. Ranges (`a..b`, `a...b`) and exclusions (`^a`) are checked part by part."""
    from scanner.sources.gitcmd import verify_commit

    for rev in revs:
        if not rev or rev.startswith("-") or "\0" in rev:
            raise GitError(f"{rev!r}: not a revision (options go before `--`, revisions "
                           "never start with '-')")
        for part in rev.lstrip("^").replace("...", "..").split(".."):
            if part and (part.startswith("-") or verify_commit(part, cwd) is None):
                raise GitError(f"{part}: no such commit in this repository")


def start_log(cwd: Path, revs: Sequence[str], since: str | None) -> subprocess.Popen[bytes]:
    """Start `git log` early: it can run ahead (1 MiB pipe) while we do other set-up."""
    check_revs(revs, cwd)
    proc = popen(log_args(revs, since), cwd, stdin=subprocess.DEVNULL)
    if proc.stdout is not None:
        widen_pipe(proc.stdout.fileno())
    return proc


def inventory(cwd: Path, revs: Sequence[str], since: str | None,
              proc: subprocess.Popen[bytes] | None = None) -> Inventory:
    """Parse the log of `start_log` (started here unless given)."""
    if proc is None:
        proc = start_log(cwd, revs, since)
    assert proc.stdout is not None and proc.stderr is not None
    try:
        out = proc.stdout
        inv = parse_log(iter(lambda: out.read1(READ_CHUNK), b""))  # type: ignore[attr-defined]
        err = proc.stderr.read().decode("utf-8", "replace").strip()
        if proc.wait() != 0:
            raise GitError(f"git log failed: {err.splitlines()[-1] if err else proc.returncode}")
    finally:
        close_process(proc)
    return inv


@dataclass(frozen=True)
class Chunk:
    """A task for one worker: blob ids (with their paths) to read from the repository."""

    cwd: str
    blobs: tuple[tuple[str, tuple[str, ...]], ...]
    size: int  # planned bytes, for the progress bar


@dataclass
class ChunkResult:
    results: list[BlobResult]  # blobs with findings only
    skipped: list[tuple[str, str]]  # (blob id, reason)
    files: int
    bytes: int
    blobs: int
    size: int
    binary: int = 0  # files of `files` that are not text, scanned as their bytes


def read_share(chunks: Sequence[Chunk]) -> Iterator[ChunkResult]:
    """Read and scan a worker's share of chunks (or all of them, in-process), one result per
    chunk. The share streams through one `git cat-file --batch` fed by a writer thread, so
    git keeps decompressing the next blobs while this process scans."""
    if not chunks:
        return
    ctx = parallel.context()
    oids = [oid for chunk in chunks for oid, _ in chunk.blobs]
    answers: Generator[CatObject, None, None] = stream(chunks[0].cwd, oids,
                                                       ctx.config.max_file_bytes)
    try:
        for chunk in chunks:
            done = ChunkResult([], [], 0, 0, len(chunk.blobs), chunk.size)
            for oid, paths in chunk.blobs:
                _scan_answer(ctx, done, oid, paths, next(answers))
            yield done
    finally:
        answers.close()


def _scan_answer(ctx: ScanContext, done: ChunkResult, oid: str, paths: tuple[str, ...],
                 obj: CatObject) -> None:
    data = obj.data
    if data is None:
        done.skipped.append((oid, "missing" if obj.kind == "missing" else "too_large"))
        return
    reason = _skip_reason(data)
    if reason is not None:
        done.skipped.append((oid, reason))
        return
    data, binary = decode(data)
    done.binary += binary
    done.files += 1
    done.bytes += len(data)
    result = scan_item(ctx, oid, paths, data, binary)
    if result.engine or result.policy:
        done.results.append(result)


@dataclass
class HistoryResult:
    result: ScanResult
    notes: list[str]
    commits: int


@dataclass
class _Group:
    first: Finding
    locations: list[tuple[int, Location]] = field(default_factory=list)
    oids: set[str] = field(default_factory=set)


class HistoryScan:
    def __init__(self, ctx: ScanContext, cwd: Path, progress: bool = False) -> None:
        self.ctx, self.cwd, self.progress = ctx, cwd, progress
        self.summary = Summary()
        self.groups: dict[tuple[str, str, str, str], _Group] = {}
        self.inv = Inventory()

    # -- reading -------------------------------------------------------------------------
    def plan(self) -> tuple[list[tuple[str, int]], int]:
        """(blob id, size) to read, newest first, and their total; counts what is skipped."""
        oids = list(self.inv.sites)
        wanted, total = [], 0
        limit = self.ctx.config.max_file_bytes
        for obj in stream(self.cwd, oids, None):
            if obj.kind == "missing":
                self._skip(obj.oid, "missing", "object not in the repository")
            elif obj.size > limit:
                self._skip(obj.oid, "too_large", f"{obj.size} bytes")
            else:
                wanted.append((obj.oid, obj.size))
                total += obj.size
        return wanted, total

    def chunks(self, wanted: list[tuple[str, int]]) -> Iterator[Chunk]:
        blobs: list[tuple[str, tuple[str, ...]]] = []
        size = 0
        where = str(self.cwd)
        for oid, length in wanted:
            blobs.append((oid, tuple(dict.fromkeys(path for _, path in self.inv.sites[oid]))))
            size += length
            if size >= CHUNK_BYTES or len(blobs) >= CHUNK_BLOBS:
                yield Chunk(where, tuple(blobs), size)
                blobs, size = [], 0
        if blobs:
            yield Chunk(where, tuple(blobs), size)

    def account(self, done: ChunkResult) -> None:
        self.summary.files += done.files
        self.summary.binary += done.binary
        self.summary.bytes += done.bytes
        for oid, reason in done.skipped:
            self._skip(oid, reason)
        for result in done.results:
            self.collect(result)

    def _skip(self, oid: str, reason: str, detail: str = "") -> None:
        self.summary.skipped[reason] += 1
        paths = [path for _, path in self.inv.sites.get(oid, [(0, oid)])]
        if any(is_unread(reason, path, self.ctx.config) for path in paths):
            self.summary.errors.append(f"{paths[0]}: {reason}: {oid[:12]} {detail}".rstrip())

    # -- grouping ------------------------------------------------------------------------
    def collect(self, result: BlobResult) -> None:
        """Every place the blob sits gets its own findings: engine findings judged for a
        path of the same kind (test code or not), policy findings checked at that path."""
        sites = self.inv.sites[result.oid]
        for finding in result.engine:
            kind = in_tests(finding.path)
            for index, path in sites:
                if in_tests(path) == kind:
                    self._add(finding.with_changes(path=path), index, result.oid)
        for finding in result.policy:
            for index, path in sites:
                if path == finding.path:
                    self._add(finding, index, result.oid)

    def _add(self, finding: Finding, index: int, oid: str) -> None:
        """One finding per place: the same secret (rule + secret) at another path, or with
        another message (another Secret key, another resource), is a finding of its own."""
        for kept in postfilter([finding], self.ctx.config):
            what = secret_hash(kept.secret) if kept.secret else ""
            key = (kept.rule, what, kept.path, kept.message)
            group = self.groups.setdefault(key, _Group(kept))
            meta = self.inv.commits[index]
            where = Location(meta.sha, meta.author, meta.date, kept.path, kept.line)
            group.locations.append((index, where))
            group.oids.add(oid)

    def findings(self, head: dict[str, str]) -> list[Finding]:
        """`head`: path -> blob id at HEAD. A finding is at HEAD when its own path still
        holds one of the blobs it was found in."""
        out = []
        for group in self.groups.values():
            ordered = sorted(group.locations, key=lambda s: (-s[0], s[1].line))
            locations = tuple(dict.fromkeys(loc for _, loc in ordered))
            first = locations[0]
            at_head = head.get(first.path) in group.oids
            found = group.first.with_changes(
                path=first.path, line=first.line, commit=first.commit, author=first.author,
                date=first.date, locations=locations, at_head=at_head)
            out.append(found if at_head else policy.no_longer_current(found, self.ctx.config))
        out.sort(key=lambda f: (f.path, f.line, f.column, f.rule))
        return out


def generators_of(inv: Inventory, cwd: Path) -> PathGenerators:
    """Every file some version of some kustomization in the audited history generates a
    ConfigMap or Secret from: such a file's versions are judged as deployed configuration
    (whether that kustomization version sat in the same commit is not checked)."""
    from scanner.policy import generators

    paths: dict[str, list[str]] = {}
    for oid, sites in inv.sites.items():
        for _, path in sites:
            if generators.is_kustomization(path):
                paths.setdefault(oid, []).append(path)
    found = []
    for obj in stream(cwd, list(paths), generators.MAX_BYTES):
        if obj.data is not None:
            found += [(path, obj.data) for path in paths[obj.oid]]
    return generators.PathGenerators(generators.index(found))


def _skip_reason(data: bytes) -> str | None:
    if data.startswith(LFS_HEADER) and len(data) < 1024:
        return "lfs"
    return None


class Progress:
    """blobs and MB done, rate and ETA on one stderr line (only used on a TTY)."""

    def __init__(self, blobs: int, total: int) -> None:
        self.blobs, self.total = blobs, max(total, 1)
        self.done_blobs = self.done_bytes = 0
        self.started = self.shown = time.monotonic()

    def advance(self, blobs: int, size: int) -> None:
        self.done_blobs += blobs
        self.done_bytes += size
        now = time.monotonic()
        if now - self.shown >= 0.1 or self.done_blobs >= self.blobs:
            self.shown = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        rate = self.done_bytes / max(now - self.started, 1e-6)
        eta = (self.total - self.done_bytes) / rate if rate else 0.0
        sys.stderr.write(f"\rhistory: {self.done_blobs}/{self.blobs} blobs, "
                         f"{self.done_bytes / 1e6:.0f}/{self.total / 1e6:.0f} MB, "
                         f"{rate / 1e6:.1f} MB/s, ETA {eta:.0f}s ")
        sys.stderr.flush()

    def done(self) -> None:
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()


SHALLOW = ("shallow clone: history before its oldest fetched commits was not scanned "
           "(run `git fetch --unshallow`, or set `fetch-depth: 0` on actions/checkout)")


def _incomplete(scan: HistoryScan, cwd: Path) -> None:
    """An audit that read nothing, or only part of history, is not a pass: it says so in
    the summary, and the exit code is 2 unless findings make it 1."""
    cut = shallow_boundary(cwd)
    if cut:
        scan.summary.skipped["shallow"] = len(cut)
        scan.summary.errors.append(SHALLOW)
    if not scan.inv.commits:
        scan.summary.errors.append("no commits selected: nothing was audited")


def _notes(scan: HistoryScan, cwd: Path) -> list[str]:
    notes = []
    if scan.inv.gitlinks:
        notes.append(f"{len(scan.inv.gitlinks)} submodule commit(s) not followed: "
                     "audit submodules in their own repositories")
    return notes


def scan_history(ctx: ScanContext, cwd: Path, revs: Sequence[str] = (), since: str | None = None,
                 jobs: int | None = None, progress: bool = False,
                 log: subprocess.Popen[bytes] | None = None) -> HistoryResult:
    """`log`: the `start_log(cwd, revs, since)` process, when the caller started it early."""
    started = time.perf_counter()
    scan = HistoryScan(ctx, cwd, progress)
    scan.inv = inventory(cwd, revs, since, log)
    ctx.generators = generators_of(scan.inv, cwd)
    scan.summary.skipped.update(Counter({"submodule": len(scan.inv.gitlinks),
                                         "symlink": len(scan.inv.symlinks)}))
    scan.summary.skipped += Counter()  # drop zero counts
    wanted, total = scan.plan()
    bar = Progress(len(wanted), total) if progress else None
    try:
        chunks = list(scan.chunks(wanted))
        for done in parallel.striped(read_share, chunks, ctx, choose_jobs(total, jobs)):
            scan.account(done)
            if bar is not None:
                bar.advance(done.blobs, done.size)
    finally:
        if bar is not None:
            bar.done()
    findings = scan.findings(head_blob_oids(cwd))
    _incomplete(scan, cwd)
    summary = scan.summary
    summary.findings = len(findings)
    summary.seconds = time.perf_counter() - started
    return HistoryResult(ScanResult(findings, summary), _notes(scan, cwd), len(scan.inv.commits))
