"""Full-history audit benchmark: sealguard beside gitleaks and Kingfisher, and the git floor.

    python benchmarks/bench_history.py                   # synthetic repo (~300 MB, 3000 commits)
    python benchmarks/bench_history.py --small           # ~10 MB, 300 commits (a quick check)
    python benchmarks/bench_history.py --real PATH ...   # also a real repository (bare or not)
    python benchmarks/bench_history.py --no-synthetic --gitops DATA/git --exhaustive

--gitops DIR: the GitOps histories of #13 (almost all YAML, a new blob per renovate bump),
DIR/<owner>+<name>.git for each of GITOPS below: fresh bare single-branch clones at the commits
the real-world catalogue pins, made by `python benchmarks/realworld/trees.py --data DATA`
(DATA/git/), or by hand with `git clone --bare --single-branch --no-local <url> DIR/<slug>.git`.
--exhaustive: also runs sealguard with SEALGUARD_EXHAUSTIVE=1 (the policy layer's shortcuts
off) and says whether both reports hold exactly the same findings.

(a) builds a synthetic repository deterministically with `git fast-import` (seeded content,
fixed authors and dates, fake credentials planted at known commits), then (b) runs, on each
repository, `sealguard history`, `gitleaks git`, `kingfisher scan --git-history full` (peers
are looked up in benchmarks/.venv/bin, then --peers-bin, then PATH; missing ones are skipped)
and the floor: `git cat-file --batch-all-objects --batch > /dev/null`. It prints wall time
(best of --repeat), CPU time, peak RSS of the largest process, findings, MB/s of unique blob
content and the ratios. detect-secrets has no history mode, so it is not run here.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

GITOPS = ("billimek+k8s-gitops", "grafana+helm-charts", "ricsanfre+pi-cluster")
HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent
EPOCH = 1_600_000_000
AUTHORS = [
    ("Ada Builder", "ada@example.invalid"),
    ("Bo Coder", "bo@example.invalid"),
    ("Cy Ops", "cy@example.invalid"),
    ("Di Review", "di@example.invalid"),
]
LETTERS = b"abcdefghijklmnopqrstuvwxyz"
# byte -> letter, with spaces and the odd '=' so the text looks a little like config/code
TABLE = bytes((LETTERS[i % 26] if i % 7 else 32) if i != 61 else 61 for i in range(256))
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


# -- (a) the synthetic repository ----------------------------------------------------------


def fake_secret(rng: random.Random, kind: int) -> str:
    """Well-formed, clearly fake credentials (seeded random, never a real key)."""
    if kind == 0:
        key_id = "AKIA" + "".join(rng.choice(B32) for _ in range(16))
        secret = "".join(rng.choice(ALNUM + "/+") for _ in range(40))
        return f'aws_access_key_id = "{key_id}"\naws_secret_access_key = "{secret}"'
    token = "ghp_" + "".join(rng.choice(ALNUM) for _ in range(36))
    return f'GITHUB_TOKEN = "{token}"'


def _text_lines(rng: random.Random, count: int) -> list[bytes]:
    raw = rng.randbytes(count * 60).translate(TABLE)
    return [raw[i : i + 60].strip() for i in range(0, len(raw), 60)]


@dataclass
class Plan:
    commits: int
    files: int
    lines_per_change: int
    plant_every: int


def build_repo(path: Path, plan: Plan, seed: int = 1) -> list[tuple[int, str]]:
    """Write the repository; return (commit number, path) of every planted secret."""
    rng = random.Random(seed)
    subprocess.run(["git", "init", "-q", "--bare", str(path)], check=True)
    proc = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=path, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    files: dict[str, list[bytes]] = {}
    planted: list[tuple[int, str]] = []
    for n in range(plan.commits):
        name, email = AUTHORS[n % len(AUTHORS)]
        when = EPOCH + n * 600
        out = [
            f"commit refs/heads/main\nmark :{n + 1}\n",
            f"author {name} <{email}> {when} +0000\ncommitter {name} <{email}> {when} +0000\n",
        ]
        message = f"change {n}\n".encode()
        body = b"".join(s.encode() for s in out) + b"data %d\n" % len(message) + message
        if n:
            body += b"from :%d\n" % n
        for k in range(2):
            fpath = f"src/mod{rng.randrange(plan.files):03}/file{k}.txt"
            lines = files.setdefault(fpath, [])
            at = rng.randrange(len(lines) + 1)
            lines[at : at + plan.lines_per_change // 4] = _text_lines(rng, plan.lines_per_change)
            if k == 0 and n % plan.plant_every == plan.plant_every // 2:
                lines.insert(rng.randrange(len(lines) + 1), fake_secret(rng, n % 2).encode())
                planted.append((n, fpath))
            content = b"\n".join(lines) + b"\n"
            body += b"M 100644 inline %s\ndata %d\n" % (fpath.encode(), len(content)) + content
        proc.stdin.write(body + b"\n")
    proc.stdin.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    return planted


# -- (b) running the tools -------------------------------------------------------------------


@dataclass
class Run:
    tool: str
    wall: float
    cpu: float
    rss_mb: float
    findings: str


def _peer(name: str, peers_bin: str | None) -> str | None:
    for folder in (HERE / ".venv" / "bin", Path(peers_bin) if peers_bin else None):
        if folder is not None and (folder / name).is_file():
            return str(folder / name)
    return shutil.which(name)


# Measured from a small child interpreter: a process forked from this (large) benchmark
# process would report this process's memory as its own peak RSS.
_WRAPPER = r"""
import json, os, resource, subprocess, sys, time
cmd, cwd, env = json.loads(sys.argv[1])
t0 = time.perf_counter()
code = subprocess.call(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
wall = time.perf_counter() - t0
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps([wall, u.ru_utime + u.ru_stime, u.ru_maxrss / 1024, code]))
"""


def _measure(
    cmd: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
) -> tuple[float, float, float, int]:
    """Wall and CPU seconds, and peak RSS (MB) of the largest process of the run's tree."""
    spec = json.dumps([cmd, str(cwd), env])
    out = subprocess.run([sys.executable, "-c", _WRAPPER, spec], capture_output=True,
                         text=True, check=True).stdout
    wall, cpu, rss, code = json.loads(out)
    return float(wall), float(cpu), float(rss), int(code)


def _best(
    tool: str,
    cmd: list[str],
    cwd: Path,
    repeat: int,
    count: object,
    env: dict[str, str] | None = None,
) -> Run:
    runs = [_measure(cmd, cwd, env) for _ in range(repeat)]
    wall, cpu, rss, _ = min(runs)
    findings = count() if callable(count) else "-"
    return Run(tool, wall, cpu, rss, str(findings))


def unique_blob_bytes(repo: Path) -> int:
    out = subprocess.run(
        ["git", "cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectsize)"],
        cwd=repo,
        capture_output=True,
        check=True,
    ).stdout
    return sum(
        int(size) for kind, size in (line.split() for line in out.splitlines()) if kind == b"blob"
    )


def _sealguard(repo: Path, repeat: int, work: Path, exhaustive: bool) -> Run:
    report = work / ("sealguard-exhaustive.json" if exhaustive else "sealguard.json")
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT), "SEALGUARD_EXHAUSTIVE": str(int(exhaustive))}

    def sealguard_count() -> str:
        doc = json.loads(report.read_text())
        locations = sum(len(f.get("locations", [])) or 1 for f in doc["findings"])
        return f"{len(doc['findings'])} ({locations} locations)"

    cmd = [sys.executable, "-m", "scanner", "history", "--format", "json", "--output", str(report)]
    name = "sealguard (exhaustive)" if exhaustive else "sealguard history"
    return _best(name, cmd, repo, repeat, sealguard_count, env)


def same_findings(work: Path) -> bool:
    fast, full = (json.loads((work / name).read_text())["findings"]
                  for name in ("sealguard.json", "sealguard-exhaustive.json"))
    return bool(fast == full)


def run_all(
    repo: Path, repeat: int, peers_bin: str | None, work: Path, exhaustive: bool = False
) -> list[Run]:
    runs = [
        _best(
            "git cat-file floor",
            ["git", "cat-file", "--batch-all-objects", "--batch"],
            repo,
            repeat,
            None,
        )
    ]
    runs.append(_sealguard(repo, repeat, work, False))
    if exhaustive:
        runs.append(_sealguard(repo, repeat, work, True))
        same = same_findings(work)
        runs[-1].findings += " - same as fast" if same else " - DIFFERENT from fast"
    gitleaks = _peer("gitleaks", peers_bin)
    if gitleaks:
        out = work / "gitleaks.json"
        runs.append(
            _best(
                "gitleaks git",
                [
                    gitleaks,
                    "git",
                    str(repo),
                    "--no-banner",
                    "--report-format",
                    "json",
                    "--report-path",
                    str(out),
                    "--exit-code",
                    "0",
                ],
                repo,
                repeat,
                lambda: len(json.loads(out.read_text() or "[]")),
            )
        )
    kingfisher = _peer("kingfisher", peers_bin)
    if kingfisher:
        out = work / "kingfisher.json"
        runs.append(
            _best(
                "kingfisher scan",
                [
                    kingfisher,
                    "scan",
                    str(repo),
                    "--no-validate",
                    "--no-update-check",
                    "--git-history",
                    "full",
                    "--format",
                    "json",
                    "-o",
                    str(out),
                ],
                repo,
                repeat,
                lambda: len(json.loads(out.read_text())["findings"]),
            )
        )
    return runs


def print_table(title: str, repo: Path, runs: list[Run]) -> None:
    total = unique_blob_bytes(repo)
    commits = subprocess.run(
        ["git", "rev-list", "--all", "--count"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = next(r for r in runs if r.tool.startswith("sealguard"))
    floor = next(r for r in runs if r.tool.endswith("floor"))
    blobs = blob_count(repo)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n## {title}: {commits} commits, {blobs} unique blobs, {total / 1e6:.0f} MB "
          f"(load average after the runs: {load})")
    print(
        f"{'tool':24} {'wall s':>7} {'cpu s':>7} {'peak MB':>8} {'MB/s':>7} "
        f"{'x floor':>8} {'vs sealguard':>13}  findings"
    )
    for r in runs:
        ratio = r.wall / ours.wall
        print(
            f"{r.tool:24} {r.wall:7.2f} {r.cpu:7.2f} {r.rss_mb:8.0f} "
            f"{total / 1e6 / r.wall:7.0f} {r.wall / floor.wall:7.1f}x {ratio:12.2f}x  "
            f"{r.findings}"
        )


def blob_count(repo: Path) -> int:
    out = subprocess.run(
        ["git", "cat-file", "--batch-all-objects", "--batch-check=%(objecttype)"],
        cwd=repo,
        capture_output=True,
        check=True,
    ).stdout
    return out.split().count(b"blob")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a ~10 MB synthetic repository")
    parser.add_argument("--real", action="append", default=[], help="also a real repository")
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool (best is shown)")
    parser.add_argument("--peers-bin", help="folder holding gitleaks and kingfisher")
    parser.add_argument("--keep", help="build the synthetic repository here and keep it")
    parser.add_argument("--no-synthetic", action="store_true")
    parser.add_argument("--gitops", help="folder of the GitOps bare clones (see above)")
    parser.add_argument("--exhaustive", action="store_true",
                        help="also run sealguard with SEALGUARD_EXHAUSTIVE=1 and compare")
    args = parser.parse_args()
    plan = Plan(300, 40, 120, 50) if args.small else Plan(3000, 200, 450, 250)
    with tempfile.TemporaryDirectory(prefix="sealguard-bench-") as tmp:
        work = Path(tmp)
        if not args.no_synthetic:
            repo = Path(args.keep) if args.keep else work / "synthetic.git"
            if not (repo / "HEAD").exists():
                started = time.perf_counter()
                planted = build_repo(repo, plan)
                print(
                    f"built {repo.name}: {len(planted)} planted secrets at commits "
                    f"{[n for n, _ in planted]} in {time.perf_counter() - started:.0f}s"
                )
            print_table("synthetic", repo, run_all(repo, args.repeat, args.peers_bin, work))
        reals = [Path(real) for real in args.real]
        if args.gitops:
            reals += [Path(args.gitops) / f"{slug}.git" for slug in GITOPS]
        for path in reals:
            if not (path / "HEAD").exists() and not (path / ".git").exists():
                raise SystemExit(f"{path}: not a git repository (see --gitops above)")
            runs = run_all(path, args.repeat, args.peers_bin, work, args.exhaustive)
            print_table(path.name, path, runs)


if __name__ == "__main__":
    main()
