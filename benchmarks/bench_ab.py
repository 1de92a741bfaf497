#!/usr/bin/env python3
"""Two sealguard installs side by side: the folder scan and the hook case of bench_scan.py,
run alternately (A, B, A, B, ...) so both see the same machine load; wall time and CPU time.

On a shared machine wall time follows the load of the moment; alternating the two installs
and reporting CPU time (user + system of the whole process tree) beside it is what makes a
before/after comparison honest. Make the "before" install from an older commit:

    git archive OLD | tar -x -C /tmp/sg-old && python3 -m venv /tmp/sg-old-venv
    /tmp/sg-old-venv/bin/pip install /tmp/sg-old
    benchmarks/.venv/bin/python benchmarks/bench_ab.py /tmp/sg-old-venv benchmarks/.venv

Output: one Markdown table on stdout (medians; B/A ratios).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tools as T
from bench_scan import build_folder, make_repo


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (children: user + system) and exit code of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    code = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, code


def alternate(cases: dict[str, list[str]], cwd: Path, env: dict[str, str], runs: int,
              codes: tuple[int, ...]) -> dict[str, list[tuple[float, float]]]:
    out: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    for argv in cases.values():  # warm-up: caches (rule packs, survey database), page cache
        timed(argv, cwd, env)
    for _ in range(runs):
        for name, argv in cases.items():
            wall, cpu, code = timed(argv, cwd, env)
            if code not in codes:
                raise SystemExit(f"{name}: exit {code}, expected one of {codes}")
            out[name].append((wall, cpu))
    return out


def rows(label: str, results: dict[str, list[tuple[float, float]]], unit: float,
         suffix: str) -> list[list[str]]:
    ra, rb = results.values()
    wall = [T.median([w for w, _ in r]) for r in (ra, rb)]
    cpu = [T.median([c for _, c in r]) for r in (ra, rb)]
    return [[label, f"{wall[0] * unit:.0f}{suffix}" if unit > 1 else f"{wall[0]:.2f} s",
             f"{wall[1] * unit:.0f}{suffix}" if unit > 1 else f"{wall[1]:.2f} s",
             f"{wall[1] / wall[0]:.2f}", f"{cpu[0]:.2f} s", f"{cpu[1]:.2f} s",
             f"{cpu[1] / cpu[0]:.2f}", str(len(ra))]]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("a", type=Path, help="venv A (before)")
    ap.add_argument("b", type=Path, help="venv B (after)")
    ap.add_argument("--noise-venv", type=Path, default=T.NOISE_VENV)
    ap.add_argument("--mb", type=float, default=100)
    ap.add_argument("--runs", type=int, default=7, help="folder runs per install (default 7)")
    ap.add_argument("--hook-runs", type=int, default=21)
    args = ap.parse_args()
    sg = {"A": str(args.a.resolve() / "bin" / "sealguard"),
          "B": str(args.b.resolve() / "bin" / "sealguard")}
    site = T._site_packages(args.noise_venv)
    if not site:
        print(f"{args.noise_venv} has no site-packages (run benchmarks/setup.sh)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="sg-bench-ab-") as tmp_s:
        tmp = Path(tmp_s)
        (tmp / "home").mkdir()
        env = T.tool_env(tmp / "home")
        folder = tmp / "folder"
        folder.mkdir()
        _, nbytes, _ = build_folder(site[0], folder, args.mb)
        make_repo(tmp / "repo", env)
        scan = alternate({k: [v, "scan", "--format", "json", "."] for k, v in sg.items()},
                         folder, env, args.runs, (0, 1))
        hook = alternate({k: [v, "scan", "--staged"] for k, v in sg.items()},
                         tmp / "repo", env, args.hook_runs, (1,))  # the staged token
    header = ["case", "A wall", "B wall", "B/A", "A CPU", "B CPU", "B/A", "runs"]
    table = rows(f"folder scan, {nbytes / 1e6:.0f} MB", scan, 1, "") + \
        rows("hook, 5 staged files", hook, 1000, " ms")
    print(f"A = {args.a}, B = {args.b}; {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f} at the end; medians, alternating A and B\n")
    print(T.md_table(header, table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
