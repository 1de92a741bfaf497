"""`sealguard diff BASE..HEAD`: the lines every commit of a range added (PR mode).

One `git log -p --unified=0` over the range gives each commit's added lines per file; they
become Blobs with a `line_map`, so findings carry the real line in that commit. Merges use
dense combined diffs: only lines new to the merge itself count. Policy checks need whole
files: they run on the full post-commit version of a changed file and keep findings on
added lines (any line when the file is new).
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from scanner import policy
from scanner.blob import Blob
from scanner.errors import GitError
from scanner.findings import Finding, Location
from scanner.pipeline import ScanContext, ScanResult, Summary, postfilter
from scanner.sources.catfile import CatFile, close_process
from scanner.sources.files import is_binary
from scanner.sources.gitcmd import ZERO_OID, git, shallow_boundary, verify_commit
from scanner.sources.patch import LOG_FORMAT, FileChange, parse_patches

FETCH_HINT = ("fetch more history: in GitHub Actions set `fetch-depth: 0` on actions/checkout, "
              "or run `git fetch --deepen=<n>` (or `git fetch --unshallow`)")


@dataclass(frozen=True)
class CommitRange:
    base: str | None  # None: every commit of head not on a remote branch (a new branch)
    head: str


def split_range(spec: str) -> tuple[str, str]:
    for sep in ("...", ".."):
        if sep in spec:
            base, head = spec.split(sep, 1)
            return base or "HEAD", head or "HEAD"
    return spec, "HEAD"


def resolve_range(spec: str, root: Path) -> CommitRange:
    base, head = split_range(spec)
    head_id = verify_commit(head, root)
    if head_id is None:
        raise GitError(f"{head}: no such commit in this repository")
    if base.strip("0") == "" and len(base) >= 7:
        return CommitRange(None, head_id)
    base_id = verify_commit(base, root)
    if base_id is None:
        shallow = " (this is a shallow clone)" if shallow_boundary(root) else ""
        raise GitError(f"base {base} is not in this repository{shallow}; {FETCH_HINT}")
    return CommitRange(base_id, head_id)


def pre_push_range() -> str:
    """What pre-commit's pre-push hook is pushing, as a range. pre-commit exports
    PRE_COMMIT_FROM_REF/TO_REF (older versions: PRE_COMMIT_ORIGIN/SOURCE, in that order)
    unless the pushed commits reach a root commit (a first push to an empty remote): then
    only PRE_COMMIT_LOCAL_BRANCH names what is pushed, and the range is every commit of it
    that no remote has (all-zero base: see range_commits)."""
    from_ref = os.environ.get("PRE_COMMIT_FROM_REF") or os.environ.get("PRE_COMMIT_ORIGIN")
    to_ref = os.environ.get("PRE_COMMIT_TO_REF") or os.environ.get("PRE_COMMIT_SOURCE")
    if from_ref and to_ref:
        return f"{from_ref}..{to_ref}"
    local = to_ref or os.environ.get("PRE_COMMIT_LOCAL_BRANCH") or "HEAD"
    return f"{ZERO_OID}..{local}"


def _has_remotes(root: Path) -> bool:
    return bool(git(["for-each-ref", "--count=1", "refs/remotes"], cwd=root).strip())


def range_commits(rng: CommitRange, root: Path) -> list[str]:
    """Commits of the range, oldest first (parents before children)."""
    if rng.head == ZERO_OID:
        return []
    exclude = [rng.base] if rng.base is not None else ["--remotes"] if _has_remotes(root) else []
    out = git(["rev-list", "--reverse", "--topo-order", rng.head, "--not", *exclude], cwd=root)
    commits = out.decode("ascii").split()
    if rng.base is not None:
        _check_depth(commits, root)
    return commits


def _check_depth(commits: list[str], root: Path) -> None:
    cut = shallow_boundary(root)
    if cut and any(commit in cut for commit in commits):
        raise GitError("the range reaches the edge of this shallow clone, so its oldest commits "
                       f"would look like they add every file; {FETCH_HINT}")


def _log_changes(root: Path, commits: list[str]) -> Iterator[FileChange]:
    args = ["git", "-c", "core.quotePath=false", "log", "--stdin", "--no-walk=unsorted", "-p",
            "--unified=0", "--no-color", "--no-ext-diff", "--no-textconv", "--full-index",
            "-M", "--diff-merges=dense-combined", "--root", LOG_FORMAT]
    proc = subprocess.Popen(args, cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("".join(f"{c}\n" for c in commits).encode("ascii"))
    proc.stdin.close()
    try:
        yield from parse_patches(proc.stdout)
        err = proc.stderr.read() if proc.stderr is not None else b""
        if proc.wait() != 0:
            raise GitError(f"git log failed: {err.decode('utf-8', 'replace').strip()}")
    finally:
        close_process(proc)


class DiffScanner:
    """Scan the added lines of each FileChange; keep policy findings on added lines."""

    def __init__(self, ctx: ScanContext, root: Path, head: str) -> None:
        self.ctx, self.root, self.head = ctx, root, head
        self.summary = Summary()
        self.cat = CatFile(root)
        self._head_files: dict[str, bytes | None] = {}

    def scan(self, change: FileChange) -> list[Finding]:
        if change.binary:
            self.summary.skipped["binary"] += 1
            return []
        if change.deleted or not change.lines:
            return []  # nothing added: deletions, renames, mode changes
        reason = self._skip_reason(change)
        if reason is not None:
            self.summary.skipped[reason] += 1
            return []
        data = b"\n".join(change.lines) + b"\n"
        if is_binary(data):
            self.summary.skipped["binary"] += 1
            return []
        self.summary.files += 1
        self.summary.bytes += len(data)
        blob = Blob(change.path, data, oid=change.oid, line_map=tuple(change.numbers))
        found = self._not_artefact(change, list(self.ctx.engine.scan(blob)))
        found += self._policy(change)
        return [self._attribute(f, change) for f in postfilter(found, self.ctx.config)]

    def _not_artefact(self, change: FileChange, found: list[Finding]) -> list[Finding]:
        """Drop the hash fields of a scanner artefact (a baseline): needs the whole file."""
        if not found or not change.oid or change.oid == ZERO_OID:
            return found
        from scanner.artefacts import drop_hashes

        obj = self.cat.read(change.oid, self.ctx.config.max_file_bytes)
        return drop_hashes(obj.data, found) if obj.data is not None else found

    def _skip_reason(self, change: FileChange) -> str | None:
        if change.gitlink:
            return "submodule"
        if change.added_bytes > self.ctx.config.max_file_bytes:
            return "too_large"
        return None

    def _policy(self, change: FileChange) -> list[Finding]:
        if not change.oid or change.oid == ZERO_OID:
            return []
        obj = self.cat.read(change.oid, self.ctx.config.max_file_bytes)
        if obj.data is None or is_binary(obj.data):
            return []
        full = Blob(change.path, obj.data, oid=change.oid)
        if not policy.wants(full):
            return []
        added = set(change.numbers)
        found = [f for f in policy.check(full, self.ctx) if change.new_file or f.line in added]
        if found and not self._current(change.path, obj.data):
            found = [policy.no_longer_current(f, self.ctx.config) for f in found]
        return found

    def _current(self, path: str, data: bytes) -> bool:
        """Whether `data` is what the range's head holds at `path`."""
        return self._head_content(path) == data

    def _head_content(self, path: str) -> bytes | None:
        if path not in self._head_files:
            obj = self.cat.read(f"{self.head}:{path}", self.ctx.config.max_file_bytes)
            self._head_files[path] = obj.data if obj.kind == "blob" else None
        return self._head_files[path]

    def _attribute(self, finding: Finding, change: FileChange) -> Finding:
        meta = change.commit
        where = Location(meta.sha, meta.author, meta.date, change.path, finding.line)
        return finding.with_changes(commit=meta.sha, author=meta.author, date=meta.date,
                                    locations=(where,), at_head=self._at_head(finding))

    def _at_head(self, finding: Finding) -> bool:
        content = self._head_content(finding.path)
        if content is None or not finding.secret:
            return False
        return finding.secret.encode("utf-8", "surrogateescape") in content

    def close(self) -> None:
        self.cat.close()


def scan_range(spec: str, ctx: ScanContext, root: Path) -> ScanResult:
    started = time.perf_counter()
    rng = resolve_range(spec, root)
    commits = range_commits(rng, root)
    order = {sha: i for i, sha in enumerate(commits)}
    scanner = DiffScanner(ctx, root, rng.head)
    findings: list[Finding] = []
    try:
        if commits:
            for change in _log_changes(root, commits):
                findings.extend(scanner.scan(change))
    finally:
        scanner.close()
    findings.sort(key=lambda f: (order.get(f.commit or "", 0), f.path, f.line, f.column, f.rule))
    summary = scanner.summary
    summary.findings = len(findings)
    summary.seconds = time.perf_counter() - started
    return ScanResult(findings, summary)
