#!/usr/bin/env python3
"""Speed and memory of sealguard and its peers: a large folder scan and the pre-commit hook case.

Folder scan: the text files (no NUL byte in the first 8 KiB; no __pycache__) of
benchmarks/.noise-venv's site-packages, package by package in sorted order, until the folder
holds --mb MB (default 100); mirrored with hard links into a temporary folder
outside any Git repository and read once beforehand so every tool starts from a warm page
cache. Every tool first scans the labelled corpus once, untimed (warms its own caches, e.g.
Kingfisher's compiled rule database), then the folder --runs times (default 3); a tool whose
run exceeds --slow-seconds is not repeated (n is reported).

Hook case: a temporary Git repository with one commit and 5 small staged files, one of which
holds a fake GitHub token; each hook command runs --hook-runs times (default 15) after one
untimed warm-up, and must exit non-zero (it found the token).

Each command runs in a fresh child interpreter that reports the command's whole-process wall
time and peak RSS (getrusage(RUSAGE_CHILDREN).ru_maxrss: the largest single process of the
tree). Reported: median wall time, MB/s, peak RSS (max over runs), and time relative to
sealguard. Output: Markdown on stdout and in benchmarks/out/bench_scan.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tools as T
from make_corpus import Gen, crc32_token


def text_files(pkg: Path) -> list[Path]:
    if pkg.is_file():
        return [] if T.is_binary(pkg) else [pkg]
    out = []
    for root, dirs, names in os.walk(pkg):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for n in sorted(names):
            p = Path(root) / n
            if p.is_file() and not p.is_symlink() and not T.is_binary(p):
                out.append(p)
    return out


def build_folder(site: Path, dst: Path, mb: float) -> tuple[int, int, list[str]]:
    """Text files of site-packages in sorted order (package by package) until >= mb MB."""
    files: list[Path] = []
    size = 0
    used = []
    for pkg in sorted(site.iterdir(), key=lambda p: p.name.lower()):
        if pkg.name == "__pycache__" or pkg.name.endswith(".dist-info"):
            continue
        for p in text_files(pkg):
            if size >= mb * 1e6:
                break
            files.append(p)
            size += p.stat().st_size
            if not used or used[-1] != pkg.name:
                used.append(pkg.name)
        if size >= mb * 1e6:
            break
    n, nbytes = T.link_files(files, site, dst)
    for p in files:  # warm the page cache for every tool alike
        p.read_bytes()
    return n, nbytes, used


def fmt_s(x: float) -> str:
    return f"{x:.3f}" if x < 1 else f"{x:.2f}"


def folder_bench(
    args: argparse.Namespace, tools: list[T.Tool], env: dict[str, str], tmp: Path
) -> str:
    site = T._site_packages(args.noise_venv)
    if not site:
        return (
            f"folder scan skipped: {args.noise_venv} has no site-packages "
            "(run benchmarks/setup.sh)\n"
        )
    folder = tmp / "folder"
    folder.mkdir()
    n, nbytes, used = build_folder(site[0], folder, args.mb)
    warm = tmp / "warm"
    T.link_tree(T.CORPUS, warm)
    rows, cmds, times = [], [], {}
    for tool in tools:
        print(f"folder: {tool.name} ...", file=sys.stderr)
        cmds.append(f"- {tool.name} {tool.version}: `{tool.display()}`")
        T.run(tool.argv, warm, env, args.timeout)
        secs, rss, nfind, note = [], [], 0, ""
        for _ in range(args.runs):
            r, hits = T.scan(tool, folder, env, args.timeout)
            rss.append(r.max_rss_kb)
            if r.timed_out:
                note = f"timeout > {args.timeout:.0f} s"
                break
            secs.append(r.seconds)
            nfind = len(hits)
            if r.seconds > args.slow_seconds:
                break
        if not secs:
            bound = f"< {nbytes / 1e6 / args.timeout:.2f}"
            rows.append([tool.name, note, bound, f"{max(rss) / 1024:.0f}", "1", "", ""])
            continue
        med = T.median(secs)
        times[tool.name] = med
        rows.append(
            [
                tool.name,
                fmt_s(med),
                f"{nbytes / 1e6 / med:.1f}",
                f"{max(rss) / 1024:.0f}",
                str(len(secs)),
                str(nfind),
                "",
            ]
        )
    base = times.get("sealguard")
    for row in rows:
        if base and row[0] in times:
            row[6] = f"{times[row[0]] / base:.2f}x"
    header = ["tool", "median s", "MB/s", "peak RSS MiB", "runs", "findings", "time vs sealguard"]
    return "\n".join(
        [
            "## Folder scan",
            "",
            f"{n} text files, {nbytes / 1e6:.1f} MB ({nbytes / 2**20:.1f} MiB) "
            f"from {len(used)} packages of the noise venv's "
            f"site-packages ({used[0]} ... {used[-1]}); {os.cpu_count()} CPUs.",
            "",
            T.md_table(header, rows),
            "",
            "Commands (cwd = the folder):",
            "",
            *cmds,
            "",
        ]
    )


HOOK_FILES = {
    "app/service.py": "import os\n\nTIMEOUT = 30\nAPI = os.environ.get('API_URL', 'http://localhost')\n",
    "deploy/values.yaml": (
        'replicaCount: 2\nimage:\n  repository: registry.acme.io/app\n  tag: "1.2.3"\n'
    ),
    "README.md": "# app\n\nRun `make dev`.\n",
    "config/settings.json": '{"debug": false, "workers": 4}\n',
}


def make_repo(path: Path, env: dict[str, str]) -> list[str]:
    def git(*a: str) -> None:
        subprocess.run(["git", *a], cwd=path, env=env, check=True, capture_output=True)

    path.mkdir()
    git("init", "-q", "-b", "main")
    (path / ".gitkeep").write_text("")
    git("add", ".gitkeep")
    git("commit", "-q", "-m", "init")
    files = dict(HOOK_FILES)
    token = crc32_token(Gen(7), "ghp_")
    files["scripts/release.sh"] = (
        f'#!/bin/sh\nexport GITHUB_TOKEN={token}\ngh release create "$1"\n'
    )
    for rel, text in files.items():
        (path / rel).parent.mkdir(parents=True, exist_ok=True)
        (path / rel).write_text(text)
    git("add", *files)
    return sorted(files)


def hook_commands(venv: Path, tools: list[T.Tool], files: list[str]) -> list[tuple[str, list[str]]]:
    names = {t.name: t for t in tools}
    cmds: list[tuple[str, list[str]]] = []
    if "sealguard" in names:
        sg = names["sealguard"].argv[0]
        helptext = subprocess.run([sg, "scan", "--help"], capture_output=True, text=True).stdout
        cmds.append(
            (
                "sealguard",
                [sg, "scan", "--staged"] if "--staged" in helptext else [sg, "scan", *files],
            )
        )
    if "detect-secrets" in names:
        hook = Path(names["detect-secrets"].argv[0]).with_name("detect-secrets-hook")
        cmds.append(("detect-secrets", [str(hook), "--no-verify", *files]))
    if "gitleaks" in names:
        gl = names["gitleaks"].argv[0]
        cmds.append(
            (
                "gitleaks",
                [gl, "git", "--staged", "--no-banner", "--redact", "--log-level", "error", "."],
            )
        )
        cmds.append(
            (
                "gitleaks",
                [gl, "protect", "--staged", "--no-banner", "--redact", "--log-level", "error"],
            )
        )
    if "kingfisher" in names:
        kf = names["kingfisher"].argv[0]
        cmds.append(
            (
                "kingfisher",
                [
                    kf,
                    "scan",
                    ".",
                    "--staged",
                    "--no-validate",
                    "--no-update-check",
                    "--redact",
                    "--quiet",
                ],
            )
        )
    return cmds


def hook_bench(
    args: argparse.Namespace, tools: list[T.Tool], env: dict[str, str], tmp: Path
) -> str:
    repo = tmp / "repo"
    files = make_repo(repo, env)
    rows, times = [], {}
    for name, argv in hook_commands(args.venv, tools, files):
        label = " ".join([Path(argv[0]).name] + [a for a in argv[1:] if a not in files])
        if any(a in files for a in argv):
            label += " <5 files>"
        print(f"hook: {label} ...", file=sys.stderr)
        T.run(argv, repo, env, args.timeout)
        secs, rss, codes = [], [], set()
        for _ in range(args.hook_runs):
            r = T.run(argv, repo, env, args.timeout)
            secs.append(r.seconds)
            rss.append(r.max_rss_kb)
            codes.add(r.code)
        med = T.median(secs)
        times.setdefault(name, med)
        blocked = "yes" if 0 not in codes else ("no" if codes == {0} else "sometimes")
        rows.append(
            (
                med,
                name,
                [
                    f"`{label}`",
                    f"{med * 1000:.0f}",
                    f"{min(secs) * 1000:.0f}",
                    f"{max(rss) / 1024:.0f}",
                    blocked,
                ],
            )
        )
    base = times.get("sealguard")
    table = [[*cells, f"{med / base:.2f}x" if base else ""] for med, _name, cells in rows]
    header = [
        "command",
        "median ms",
        "min ms",
        "peak RSS MiB",
        "found the token",
        "time vs sealguard",
    ]
    return "\n".join(
        [
            "## Pre-commit hook case",
            "",
            "A Git repository with 5 small staged files (one holds a fake GitHub token); "
            f"{args.hook_runs} timed runs "
            "each after one warm-up; whole-process wall time.",
            "",
            T.md_table(header, table, "lrrrlr"),
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    T.add_tool_args(ap)
    ap.add_argument("--mb", type=float, default=100, help="folder size in MB (default 100)")
    ap.add_argument("--runs", type=int, default=3, help="timed folder runs per tool (default 3)")
    ap.add_argument(
        "--hook-runs", type=int, default=15, help="timed hook runs per command (default 15)"
    )
    ap.add_argument(
        "--slow-seconds",
        type=float,
        default=120,
        help="do not repeat a folder run slower than this",
    )
    ap.add_argument("--timeout", type=float, default=480, help="seconds per run")
    ap.add_argument("--skip-folder", action="store_true", help="hook case only")
    ap.add_argument("--skip-hook", action="store_true", help="folder scan only")
    ap.add_argument(
        "--quick", action="store_true", help="smoke run: 5 MB folder, 1 run, 3 hook runs"
    )
    args = ap.parse_args(argv)
    if args.quick:
        args.mb, args.runs, args.hook_runs = 5, 1, 3
    if shutil.which("git") is None:
        print("git is required", file=sys.stderr)
        return 2
    tools, missing = T.find_tools(args.venv, args.tools)
    if not tools:
        print("no tool installed; run benchmarks/setup.sh", *missing, sep="\n", file=sys.stderr)
        return 2
    parts = [f"# Scan speed{' (--quick)' if args.quick else ''}", ""]
    with tempfile.TemporaryDirectory(prefix="sg-bench-") as tmp_s:
        tmp = Path(tmp_s)
        home = tmp / "home"
        home.mkdir()
        env = T.tool_env(home)
        if not args.skip_folder:
            parts.append(folder_bench(args, tools, env, tmp))
        if not args.skip_hook:
            parts.append(hook_bench(args, tools, env, tmp))
    parts += [f"- not measured: {m}" for m in missing]
    parts.append("Tool versions: " + ", ".join(f"{t.name} {t.version}" for t in tools) + ".")
    report = "\n".join(parts) + "\n"
    print(report)
    T.write_out("bench_scan.md", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
