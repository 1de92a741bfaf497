#!/usr/bin/env python3
"""False-alarm rate on ordinary real code: findings per 100 MB for sealguard and its peers.

Two bodies of code that hold no credentials of anyone's (though they do hold test keys
and documentation examples, which is the point):

* stdlib        this interpreter's standard library (sysconfig "stdlib"), without
                site-packages and __pycache__;
* site-packages the site-packages of benchmarks/.noise-venv (noise-requirements.txt:
                requests, django, boto3, numpy, pandas, sqlalchemy, kubernetes, ...),
                without __pycache__.

Each body is mirrored (hard links) into a temporary folder outside any Git repository
and every tool scans it whole, binaries included: each skips what it considers binary.
Tools slower than --slow-mbps (detect-secrets: pure Python, well under 1 MB/s) scan a
deterministic sample instead, every Nth file in sorted order (--sample-every), and their
rate is normalised to that sample's size; the report says so.

Output: a Markdown table on stdout and benchmarks/out/noise.md; every sealguard finding
(rule, path, line, redacted value) in benchmarks/out/noise-sealguard.txt for review.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import sysconfig
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tools as T

SLOW_TOOLS = {"detect-secrets"}
QUICK_STDLIB = ("json", "email", "http", "unittest", "ssl.py", "hashlib.py", "secrets.py")
QUICK_SITE = ("requests", "flask", "jinja2", "yaml", "urllib3")


def bodies(args: argparse.Namespace) -> list[tuple[str, Path, tuple[str, ...] | None]]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    site = T._site_packages(args.noise_venv)
    out: list[tuple[str, Path, tuple[str, ...] | None]] = [
        ("stdlib", stdlib, QUICK_STDLIB if args.quick else None)
    ]
    if site:
        out.append(("site-packages", site[0], QUICK_SITE if args.quick else None))
    else:
        print(
            f"note: {args.noise_venv} has no site-packages (run benchmarks/setup.sh); stdlib only",
            file=sys.stderr,
        )
    return out


def list_files(src: Path, only: tuple[str, ...] | None) -> list[Path]:
    """Regular files under src, sorted, without site-packages/ and __pycache__/ folders."""
    out = []
    for root, dirs, names in os.walk(src):
        rel = Path(root).relative_to(src)
        dirs[:] = [
            d
            for d in dirs
            if d not in ("__pycache__", "site-packages")
            and (only is None or rel.parts or d in only)
        ]
        for n in names:
            p = Path(root) / n
            if (only is None or rel.parts or n in only) and p.is_file() and not p.is_symlink():
                out.append(p)
    return sorted(out)


def mirror(files: list[Path], src: Path, dst: Path, every: int = 1) -> tuple[int, int]:
    """Link files (a sorted list under src) into dst; keep every Nth file when every > 1."""
    dst.mkdir(parents=True, exist_ok=True)
    return T.link_files(files[::every], src, dst)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    T.add_tool_args(ap)
    ap.add_argument("--quick", action="store_true", help="smoke run: a few packages of each body")
    ap.add_argument(
        "--sample-every", type=int, default=8, help="slow tools scan every Nth file (default 8)"
    )
    ap.add_argument("--timeout", type=float, default=480, help="seconds per tool run")
    args = ap.parse_args(argv)

    tools, missing = T.find_tools(args.venv, args.tools)
    if not tools:
        print("no tool installed; run benchmarks/setup.sh", *missing, sep="\n", file=sys.stderr)
        return 2
    rows, notes, sg_lines = [], [], []
    with tempfile.TemporaryDirectory(prefix="sg-noise-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        env = T.tool_env(home)
        for name, src, only in bodies(args):
            full = Path(tmp) / name
            files = list_files(src, only)
            nfiles, nbytes = mirror(files, src, full)
            sample = Path(tmp) / f"{name}-sample"
            sfiles, sbytes = mirror(files, src, sample, args.sample_every)
            row = [name, f"{nbytes / 1e6:.1f}", str(nfiles)]
            for tool in tools:
                slow = tool.name in SLOW_TOOLS and args.sample_every > 1
                folder, size = (sample, sbytes) if slow else (full, nbytes)
                print(f"{name}: {tool.name}{' (sample)' if slow else ''} ...", file=sys.stderr)
                r, hits = T.scan(tool, folder, env, args.timeout)
                if r.timed_out:
                    row.append(f"timeout > {args.timeout:.0f} s")
                    continue
                lines = {(h.path, h.line) for h in hits}
                per100 = len(hits) / (size / 1e8)
                row.append(
                    f"{len(hits)} ({len(lines)} lines) = **{per100:.1f}**{'¹' if slow else ''}"
                )
                if tool.name == "sealguard":
                    sg_lines += review_lines(name, r.stdout)
                    pe = sum(1 for h in hits if h.category == "parse-error")
                    row[-1] += f"; {(len(hits) - pe) / (size / 1e8):.1f} without {pe} parse-error"
                if slow:
                    notes.append(
                        f"¹ {tool.name} on {name}: every {args.sample_every}th file "
                        f"({sfiles} files, {sbytes / 1e6:.1f} MB), rate per 100 MB of that sample"
                    )
            rows.append(row)

    header = ["body", "MB", "files"] + [f"{t.name}: findings = per 100 MB" for t in tools]
    report = "\n".join(
        [
            f"# Noise on ordinary code{' (--quick subset)' if args.quick else ''}",
            "",
            "Findings reported on code that holds no live credential; lower is better. "
            "'lines' = distinct (file, line) pairs. "
            "MB = 10^6 bytes of every file scanned, binaries included. sealguard's rate is also "
            "given without its parse-error findings (which claim no secret but do fail a run "
            "at medium severity).",
            "",
            T.md_table(header, rows),
            "",
            *notes,
            "",
            "Commands (run in a temporary mirror of each body, target `.`):",
            "",
            *[f"- {t.name} {t.version}: `{t.display()}`" for t in tools],
            *[f"- not measured: {m}" for m in missing],
            "",
            "sealguard findings for review: benchmarks/out/noise-sealguard.txt "
            f"({len(sg_lines)} findings).",
            "",
        ]
    )
    print(report)
    T.write_out("noise.md", report)
    T.write_out(
        "noise-sealguard.txt", "# body\trule\tseverity\tpath:line\tredacted\n" + "".join(sg_lines)
    )
    return 0


def review_lines(body: str, stdout: str) -> list[str]:
    doc = json.loads(stdout)
    return [
        f"{body}\t{f['rule']}\t{f.get('severity', '')}\t{f['path']}:{f['line']}\t"
        f"{f.get('redacted', '')}\n"
        for f in sorted(doc.get("findings", []), key=lambda f: (f["path"], f["line"], f["rule"]))
    ]


if __name__ == "__main__":
    sys.exit(main())
