"""`sealguard ci`: the GitHub Actions entry point.

Reads the event (`GITHUB_EVENT_NAME`, `GITHUB_EVENT_PATH`) to decide what to scan:
- pull_request / pull_request_target / merge_group: every commit of base..head;
- push: before..after; a new branch (all-zero `before`) or a force push (`before` not an
  ancestor of `after`) scans what is new relative to the default branch (else relative to
  the common ancestor with `before`; with neither, the whole history of `after`);
- workflow_dispatch / schedule / `--mode full`: a history audit.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scanner.errors import GitError, SealguardError
from scanner.sources.gitcmd import git, verify_commit

ZERO = "0" * 40
PR_EVENTS = ("pull_request", "pull_request_target")
FULL_EVENTS = ("workflow_dispatch", "schedule")
MODES = ("auto", "pr", "push", "full")
WATCHED = (".sealguard.yaml", ".sealguard.yml", ".sealguard-baseline.json", "pyproject.toml")


@dataclass(frozen=True)
class Plan:
    """What to scan: a commit range `base..head`, or the history of `head` (None: all refs)."""

    kind: str  # range | history
    scope: str  # for the summary heading
    base: str | None = None
    head: str | None = None
    pull_request: bool = False  # judged with the base commit's configuration


def load_event(env: dict[str, str]) -> tuple[str, dict[str, Any]]:
    name = env.get("GITHUB_EVENT_NAME", "")
    path = env.get("GITHUB_EVENT_PATH", "")
    if not path:
        return name, {}
    from scanner.safeio import read_text

    text = read_text(path, "the GitHub event payload")
    try:
        payload = json.loads(text)
    except ValueError as exc:
        raise SealguardError(f"{path}: cannot read the GitHub event payload: {exc}") from None
    except RecursionError:
        raise SealguardError(f"{path}: the GitHub event payload is nested too deeply") from None
    if not isinstance(payload, dict):
        raise SealguardError(f"{path}: the GitHub event payload is not a JSON object")
    return name, payload


def _sha(payload: dict[str, Any], *keys: str) -> str:
    value: Any = payload
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    if not isinstance(value, str) or not value:
        raise SealguardError(f"the event payload has no {'.'.join(keys)}")
    return value


def _is_ancestor(older: str, newer: str, root: Path) -> bool:
    from scanner.sources.gitcmd import git_argv, git_environ

    proc = subprocess.run(git_argv(["merge-base", "--is-ancestor", "--end-of-options", older,
                                    newer]), cwd=root, capture_output=True, check=False,
                          env=git_environ(), stdin=subprocess.DEVNULL)
    return proc.returncode == 0


def _default_base(payload: dict[str, Any], after: str, root: Path) -> str | None:
    """The default branch's commit, unless the push is to the default branch itself."""
    repo = payload.get("repository")
    default = repo.get("default_branch") if isinstance(repo, dict) else None
    if not isinstance(default, str) or not default:
        return None
    if payload.get("ref") == f"refs/heads/{default}":
        return None
    for ref in (f"refs/remotes/origin/{default}", f"refs/heads/{default}"):
        commit = verify_commit(ref, root)
        if commit is not None and commit != after:
            return commit
    return None


def _merge_base(before: str, after: str, root: Path) -> str | None:
    if verify_commit(before, root) is None:
        return None
    out = git(["merge-base", before, after], cwd=root, check=False).decode().strip()
    return out or None


def push_plan(payload: dict[str, Any], root: Path) -> Plan:
    before, after = _sha(payload, "before"), _sha(payload, "after")
    if after == ZERO:
        return Plan("range", "branch deleted: nothing to scan", after, after)
    if verify_commit(after, root) is None:
        raise GitError(f"pushed commit {after[:12]} is not in this checkout; "
                       "set `fetch-depth: 0` on actions/checkout")
    if before != ZERO and verify_commit(before, root) and _is_ancestor(before, after, root):
        return Plan("range", f"push {before[:12]}..{after[:12]}", before, after)
    why = "new branch" if before == ZERO else "force push"
    base = _default_base(payload, after, root)
    if base is None and before != ZERO:
        base = _merge_base(before, after, root)
    if base is not None:
        return Plan("range", f"{why}: {base[:12]}..{after[:12]}", base, after)
    return Plan("history", f"{why}: whole history of {after[:12]}", None, after)


def pr_plan(name: str, payload: dict[str, Any]) -> Plan:
    if name == "merge_group":
        base = _sha(payload, "merge_group", "base_sha")
        head = _sha(payload, "merge_group", "head_sha")
    else:
        base = _sha(payload, "pull_request", "base", "sha")
        head = _sha(payload, "pull_request", "head", "sha")
    number = payload.get("number") or (payload.get("pull_request") or {}).get("number")
    label = f"pull request #{number}" if number else "pull request"
    return Plan("range", f"{label} {base[:12]}..{head[:12]}", base, head, pull_request=True)


def plan(mode: str, env: dict[str, str], root: Path) -> Plan:
    name, payload = load_event(env)
    if mode == "auto":
        if name in (*PR_EVENTS, "merge_group"):
            mode = "pr"
        elif name == "push":
            mode = "push"
        elif name in FULL_EVENTS or not name:
            mode = "full"
        else:
            raise SealguardError(f"event '{name}' is not supported: use --mode full")
    if mode == "full":
        return Plan("history", "history audit (all refs)")
    if not payload:
        raise SealguardError(f"--mode {mode} needs GITHUB_EVENT_PATH (the event payload)")
    if mode == "pr":
        if name not in (*PR_EVENTS, "merge_group") and "pull_request" not in payload:
            raise SealguardError(f"--mode pr needs a pull_request event, got '{name}'")
        return pr_plan(name, payload)
    if "before" not in payload:
        raise SealguardError(f"--mode push needs a push event, got '{name}'")
    return push_plan(payload, root)


def changed_watched(p: Plan, root: Path) -> list[str]:
    """Config or baseline files the range changes (a PR could allowlist its own secret)."""
    if p.kind != "range" or not p.base or not p.head or p.base == p.head:
        return []
    out = git(["diff", "--name-only", "-z", p.base, p.head, "--", *WATCHED], cwd=root, check=False)
    return [name for name in out.decode("utf-8", "surrogateescape").split("\0") if name]


def watched_diff(p: Plan, root: Path, name: str) -> str:
    """What the range changes in one watched file (`git diff` text)."""
    assert p.base and p.head
    out = git(["diff", "--no-color", "--no-ext-diff", p.base, p.head, "--", name], cwd=root,
              check=False)
    return out.decode("utf-8", "replace")


def github_output(env: dict[str, str], values: dict[str, str]) -> None:
    target = env.get("GITHUB_OUTPUT")
    if not target:
        return
    lines = []
    for key, value in values.items():
        if "\n" in value or "\r" in value:
            # A random delimiter, as GitHub advises: a value (an error naming a PR's file)
            # can never end the block early and forge another output.
            delimiter = f"SEALGUARD_EOF_{secrets.token_hex(16)}"
            lines.append(f"{key}<<{delimiter}\n{value}\n{delimiter}\n")
        else:
            lines.append(f"{key}={value}\n")
    append_file(target, "".join(lines), "GITHUB_OUTPUT")


def step_summary(env: dict[str, str], markdown: str) -> None:
    target = env.get("GITHUB_STEP_SUMMARY")
    if target:
        append_file(target, markdown, "GITHUB_STEP_SUMMARY")


def append_file(target: str, text: str, what: str) -> None:
    """Append to a file the runner reads; a FIFO, a device or an unwritable path is a clear
    error (exit 2), never a hang or a traceback."""
    import stat

    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(target, flags, 0o644)
    except OSError as exc:
        raise SealguardError(f"{what} {target}: cannot write: {exc.strerror or exc}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise SealguardError(f"{what} {target}: not a regular file: not written")
        os.set_blocking(fd, True)
        os.write(fd, text.encode("utf-8", "backslashreplace"))
    except OSError as exc:
        raise SealguardError(f"{what} {target}: cannot write: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def environ() -> dict[str, str]:
    return dict(os.environ)
