"""`sealguard diff BASE..HEAD`: the lines every commit of a range added (PR mode).

Names and blob ids come from `git log --raw -z` (NUL-separated: no byte of a file name can
shift an answer); the added lines from `git log -p --unified=0 --full-index`, whose patch
sections are matched to the raw entries by their blob ids, never by the names in the patch
headers. Added lines become Blobs with a `line_map`, so findings carry the real line in that
commit. Merges use dense combined diffs: only lines new to the merge itself count. Policy
checks need whole files: they run on the full post-commit version (read by blob id) and keep
findings on added lines (any line when the file is new; for a rename, whatever the policy
says at the new path that it did not say at the old one). A patch git calls binary whose
blob is text after all (UTF-16) is compared line by line with its old version.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scanner import policy
from scanner.blob import Blob
from scanner.errors import GitError
from scanner.findings import Finding, Location
from scanner.pipeline import ScanContext, ScanResult, Summary, generated_findings, postfilter
from scanner.sources import is_unread
from scanner.sources.catfile import CatFile, close_process
from scanner.sources.gitcmd import (
    ZERO_OID,
    git,
    head_blob_oids,
    popen,
    shallow_boundary,
    verify_commit,
)
from scanner.sources.patch import PATCH_FORMAT, Hunks, parse_patches
from scanner.sources.rawlog import RAW_FORMAT, CommitMeta, RawEntry, parse_raw_log
from scanner.sources.text import decode, lone_cr

if TYPE_CHECKING:
    from scanner.policy.generators import Generated, PathGenerators

MODE_SYMLINK = "120000"
MODE_GITLINK = "160000"

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


LOG_OPTIONS = ("--stdin", "--no-walk=unsorted", "--no-color", "--no-ext-diff", "--no-textconv",
               "--full-index", "--no-abbrev", "-M", "--root")


def _log(root: Path, commits: list[str], args: list[str]) -> subprocess.Popen[bytes]:
    proc = popen(["log", *LOG_OPTIONS, *args], root, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    with contextlib.suppress(BrokenPipeError):
        proc.stdin.write("".join(f"{c}\n" for c in commits).encode("ascii"))
        proc.stdin.close()
    return proc


def _finish(proc: subprocess.Popen[bytes]) -> None:
    err = proc.stderr.read() if proc.stderr is not None else b""
    if proc.wait() != 0:
        raise GitError(f"git log failed: {err.decode('utf-8', 'replace').strip()}")


def raw_changes(root: Path, commits: list[str]) -> dict[str, tuple[CommitMeta, list[RawEntry]]]:
    """Every path each commit changed, by blob id (`--raw -z`: names exactly as they are)."""
    proc = _log(root, commits, ["--raw", "-z", "--diff-merges=combined", RAW_FORMAT])
    assert proc.stdout is not None
    out = proc.stdout
    try:
        found = {meta.sha: (meta, entries)
                 for meta, entries in parse_raw_log(iter(lambda: out.read(1 << 16), b""))}
        _finish(proc)
    finally:
        close_process(proc)
    return found


def hunk_stream(root: Path, commits: list[str]) -> Iterator[Hunks]:
    """The added lines of each patch section, keyed by blob ids (names are not read)."""
    proc = _log(root, commits, ["-p", "--unified=0", "--diff-merges=dense-combined",
                                PATCH_FORMAT])
    assert proc.stdout is not None
    try:
        yield from parse_patches(proc.stdout)
        _finish(proc)
    finally:
        close_process(proc)


def changes(root: Path, commits: list[str]) -> Iterator[FileChange]:
    """Each changed path of each commit with the lines it added: the names and ids from the
    raw log, the lines from the patch section with the same ids (in order, for the rare
    commit that makes the same change to two paths)."""
    raw = raw_changes(root, commits)
    pending: dict[str, dict[tuple[str, ...], list[RawEntry]]] = {}
    for sha in commits:
        if sha in raw:
            pending[sha] = {}
            for entry in raw[sha][1]:
                pending[sha].setdefault(entry.key, []).append(entry)
    for hunks in hunk_stream(root, commits):
        queue = pending.get(hunks.commit, {}).get(hunks.key)
        if queue:
            entry = queue.pop(0)
            yield FileChange(raw[hunks.commit][0], entry, hunks)
    for sha, by_key in pending.items():  # no patch section: renames, modes, submodules
        for queue in by_key.values():
            for entry in queue:
                yield FileChange(raw[sha][0], entry, None)


@dataclass(frozen=True)
class FileChange:
    commit: CommitMeta
    entry: RawEntry
    hunks: Hunks | None

    @property
    def path(self) -> str:
        return self.entry.path


class DiffScanner:
    """Scan the added lines of each FileChange; keep policy findings on added lines."""

    def __init__(self, ctx: ScanContext, root: Path, head: str) -> None:
        self.ctx, self.root, self.head = ctx, root, head
        self.summary = Summary()
        self.cat = CatFile(root)
        self._head_tree: dict[str, str] | None = None
        self._head_files: dict[str, bytes | None] = {}
        self._binary: set[str] = set()  # blob ids of content that is not text

    def scan(self, change: FileChange) -> list[Finding]:
        entry = change.entry
        if entry.deleted:
            return []
        reason = self._skip_reason(change)
        if reason is not None:
            self._skip(change.path, reason)
            return []
        lines, numbers, full = self._added(change)
        if lines is None:
            return []
        found: list[Finding] = []
        if lines:
            data = b"\n".join(lines) + b"\n"
            self.summary.files += 1
            self.summary.bytes += len(data)
            blob = Blob(change.path, data, oid=entry.oid, line_map=tuple(numbers),
                        binary=entry.oid in self._binary)
            found.extend(self._not_artefact(entry.oid, list(self.ctx.engine.scan(blob))))
        elif not entry.renamed:
            return []  # nothing added: a mode change
        found += self._policy(change, full, set(numbers))
        return [self._attribute(f, change) for f in postfilter(found, self.ctx.config)]

    def _skip(self, path: str, reason: str, detail: str = "") -> None:
        self.summary.skipped[reason] += 1
        if is_unread(reason, path, self.ctx.config):
            self.summary.errors.append(f"{path}: {reason}{': ' + detail if detail else ''}")

    def _not_artefact(self, oid: str, found: list[Finding]) -> list[Finding]:
        """Drop the hash fields of a scanner artefact (a baseline): needs the whole file."""
        if not found or not oid or oid == ZERO_OID:
            return found
        from scanner.artefacts import drop_hashes

        obj = self.cat.read(oid, self.ctx.config.max_file_bytes)
        return drop_hashes(obj.data, found) if obj.data is not None else found

    def _skip_reason(self, change: FileChange) -> str | None:
        if change.entry.mode == MODE_GITLINK:
            return "submodule"
        if change.entry.mode == MODE_SYMLINK:
            return "symlink"
        hunks = change.hunks
        if hunks is not None and hunks.added_bytes > self.ctx.config.max_file_bytes:
            return "too_large"
        return None

    def _added(self, change: FileChange) -> tuple[list[bytes] | None, list[int], bytes | None]:
        """(added lines or None when unreadable, their line numbers, the full new text when
        it had to be read). A binary patch whose blob is text after all (UTF-16, a stray NUL)
        is compared line by line with the old version, and so is a text patch with a NUL in
        an added line (UTF-16 past the 8,000 bytes git looks at) or a carriage return that
        ends a line inside one (git splits lines at LF only): it is decoded first."""
        hunks = change.hunks
        if hunks is not None and not hunks.binary \
                and not any(b"\0" in line or lone_cr(line) for line in hunks.lines):
            return hunks.lines, hunks.numbers, None
        if hunks is None and not change.entry.renamed:
            return [], [], None
        full = self._text(change.entry.oid, change.path)
        if full is None:
            return None, [], None
        if hunks is None:  # a pure rename: nothing added, the policy may still care
            return [], [], full
        old = [self._text(oid, change.path, count=False) or b"" for oid in change.entry.old_oids]
        lines, numbers = new_lines(full, old)
        return lines, numbers, full

    def _text(self, oid: str, path: str, count: bool = True) -> bytes | None:
        if oid == ZERO_OID:
            return None
        obj = self.cat.read(oid, self.ctx.config.max_file_bytes)
        if obj.data is None:
            if count:
                self._skip(path, "missing" if obj.kind == "missing" else "too_large",
                           f"blob {oid[:12]}")
            return None
        text, binary = decode(obj.data)
        if binary:
            self._binary.add(oid)
            self.summary.binary += count
        return text

    def _policy(self, change: FileChange, full: bytes | None, added: set[int]) -> list[Finding]:
        entry = change.entry
        if full is None:
            full = self._text(entry.oid, change.path, count=False)
        if full is None:
            return []
        blob = Blob(change.path, full, oid=entry.oid)
        found = list(policy.check(blob, self.ctx)) if policy.wants(blob) else []
        found += generated_findings(blob, self.ctx, found)
        if not found:
            return []
        if not entry.added:
            before = self._policy_before(change) if entry.renamed else None
            found = [f for f in found if f.line in added
                     or (before is not None and _policy_key(f) not in before)]
        if found and not self._current(change.path, full):
            found = [policy.no_longer_current(f, self.ctx.config) for f in found]
        return found

    def _current(self, path: str, data: bytes) -> bool:
        """Whether `data` is what the range's head holds at `path`."""
        return self._head_content(path) == data

    def _head_content(self, path: str) -> bytes | None:
        """The head's text at `path`, looked up by blob id (`ls-tree -z`), never by name."""
        if self._head_tree is None:
            self._head_tree = head_blob_oids(self.root, self.head)
        if path not in self._head_files:
            oid = self._head_tree.get(path)
            obj = self.cat.read(oid, self.ctx.config.max_file_bytes) if oid else None
            data = obj.data if obj is not None and obj.kind == "blob" else None
            self._head_files[path] = decode(data)[0] if data is not None else None
        return self._head_files[path]

    def head_kustomizations(self) -> list[tuple[str, bytes]]:
        """(path, content) of the kustomizations at the range's head."""
        from scanner.policy.generators import MAX_BYTES, is_kustomization

        if self._head_tree is None:
            self._head_tree = head_blob_oids(self.root, self.head)
        found = []
        for path, oid in self._head_tree.items():
            obj = self.cat.read(oid, MAX_BYTES) if is_kustomization(path) else None
            if obj is not None and obj.data is not None:
                found.append((path, obj.data))
        return found

    def _policy_before(self, change: FileChange) -> set[tuple[str, str, str]]:
        """What the policy said about the source of a rename at its old path: a move into a
        GitOps path is new exposure even when no line changed."""
        entry = change.entry
        old = self._text(entry.old_oids[0], entry.old_path or entry.path, count=False) \
            if entry.old_oids else None
        if old is None:
            return set()
        blob = Blob(entry.old_path or entry.path, old, oid=entry.old_oids[0])
        return {_policy_key(f) for f in policy.check(blob, self.ctx)} if policy.wants(blob) \
            else set()

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


class HeadGenerators:
    """The files the range's head kustomizations generate from, read on first use (a range
    whose changes reach no candidate never reads them)."""

    def __init__(self, scanner: DiffScanner) -> None:
        self._scanner: DiffScanner | None = scanner
        self._known: PathGenerators | None = None

    def lookup(self, blob: Blob) -> Generated | None:
        if self._known is None:
            from scanner.policy import generators

            assert self._scanner is not None
            found = self._scanner.head_kustomizations()
            self._known, self._scanner = generators.PathGenerators(generators.index(found)), None
        return self._known.lookup(blob)


def _policy_key(finding: Finding) -> tuple[str, str, str]:
    return (finding.rule, finding.secret, finding.message)


def new_lines(full: bytes, olds: list[bytes]) -> tuple[list[bytes], list[int]]:
    """Lines of `full` that no old version has (as many times as they are new), numbered."""
    from collections import Counter

    seen: Counter[bytes] = Counter()
    for old in olds:
        seen |= Counter(old.split(b"\n"))
    lines, numbers = [], []
    for number, line in enumerate(full.split(b"\n"), 1):
        if seen[line] > 0:
            seen[line] -= 1
        elif line:
            lines.append(line)
            numbers.append(number)
    return lines, numbers


def scan_range(spec: str, ctx: ScanContext, root: Path) -> ScanResult:
    started = time.perf_counter()
    rng = resolve_range(spec, root)
    commits = range_commits(rng, root)
    order = {sha: i for i, sha in enumerate(commits)}
    scanner = DiffScanner(ctx, root, rng.head)
    ctx.generators = HeadGenerators(scanner)
    findings: list[Finding] = []
    try:
        if commits:
            for change in changes(root, commits):
                findings.extend(scanner.scan(change))
    finally:
        scanner.close()
    findings.sort(key=lambda f: (order.get(f.commit or "", 0), f.path, f.line, f.column, f.rule))
    summary = scanner.summary
    summary.findings = len(findings)
    summary.seconds = time.perf_counter() - started
    return ScanResult(findings, summary)
