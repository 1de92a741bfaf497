#!/usr/bin/env python3
"""File-level precision and recall at blocking severity on labelled public GitOps repositories.

Runs sealguard and its peers (detect-secrets, gitleaks, Kingfisher; found and started as
benchmarks/_tools.py does: in the tree, "." as target, validation and update checks off,
private HOME) over each exported tree DATA/trees/<owner>+<name>/ (made by trees.py), keeps
the findings at blocking severity (sealguard: medium and above, its default --fail-on; every
finding of a peer), reduces them to files and scores them against catalogue/*.yaml:

  precision = flagged files labelled block / flagged files that are labelled
  recall    = flagged files labelled block / files labelled block

Flagged files that are not labelled yet are listed (so the catalogue can be completed) and
left out of precision. With --history, the repositories marked `history: true` are also
audited in full (DATA/git/<owner>+<name>.git): every blocking sealguard finding's place
(commit, path, rule) is looked up in the catalogue's history review; peers' history
findings are counted beside it.

Output: Markdown on stdout and in benchmarks/out/realworld.md; each tool's false alarms and
misses (repository, path, rules -- never values), the unlabelled files and history places go
to benchmarks/out/realworld-details.md; --todo FILE writes the unlabelled items as YAML.
Tool results are cached in DATA/out/ (paths, lines, rules only); peers' cached results are
reused while their version and the pinned commit are unchanged (--fresh re-runs them),
sealguard is re-run every time unless --reuse-sealguard.

DATA is --data, else $REALWORLD_DATA, else benchmarks/out/realworld.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
import _tools as T  # noqa: E402
import scoring as S  # noqa: E402
from catalogue import CATALOGUE, CatalogueError, Repo, load_catalogue  # noqa: E402
from trees import data_root  # noqa: E402

TIMEOUT = 1800.0
Hits = dict[str, set[str]]  # path -> rules, blocking findings only


@dataclass
class Result:
    """One tool on one repository: blocking rules per file, and the lines they were on."""

    files: Hits
    lines: dict[str, set[int]]


# ------------------------------------------------------------------ tools
def is_sealguard(name: str) -> bool:
    return name == "sealguard" or name.startswith("sealguard@")


def _checkout_label(src: Path) -> str:
    """The short commit id of a git checkout (with + when its tree is dirty), else its name."""
    def git(*args: str) -> str:
        r = subprocess.run(["git", "-C", str(src), *args], capture_output=True, text=True)
        return r.stdout.strip() if r.returncode == 0 else ""
    sha = git("rev-parse", "--short", "HEAD")
    if not sha:
        return src.name
    return sha + ("+" if git("status", "--porcelain", "--untracked-files=no") else "")


def sealguard_from_sources(tools: list[T.Tool], specs: list[str], venv: Path) -> list[T.Tool]:
    """Replace the venv's sealguard by one sealguard per source checkout (python -m scanner,
    PYTHONPATH=DIR), named sealguard@LABEL: each spec is DIR or DIR=LABEL
    (LABEL defaults to the short commit id of a git checkout, else the folder name)."""
    base = next((t for t in tools if t.name == "sealguard"), None)
    if base is None or not specs:
        return tools
    variants = []
    for spec in specs:
        folder, _, label = spec.partition("=")
        src = Path(folder).resolve()
        label = label or _checkout_label(src)
        variants.append(T.Tool(f"sealguard@{label}", f"source {label}",
                               [str(venv / "bin" / "python"), "-m", "scanner", *base.argv[1:]],
                               base.parse, base.ok_codes, {"PYTHONPATH": str(src)}))
    return variants + [t for t in tools if t.name != "sealguard"]


def tool_caches(tool: T.Tool, data: Path) -> dict[str, str]:
    """Persistent compile caches (sealguard's rule database, Kingfisher's rules), one per
    tool version, so each run does not rebuild them; HOME stays private."""
    tag = "".join(c if c.isalnum() or c in ".-" else "_" for c in tool.version)
    root = data / "cache" / f"{tool.name}-{tag}"
    return {"SEALGUARD_CACHE_DIR": str(root), "KF_RULE_CACHE_DIR": str(root)}


def _cache_file(data: Path, mode: str, tool: T.Tool, repo: Repo) -> Path:
    return data / "out" / mode / tool.name / f"{repo.slug}.json"


def _stamp(tool: T.Tool, repo: Repo) -> dict[str, Any]:
    return {"version": tool.version, "commit": repo.commit, "paths": list(repo.paths),
            "argv": tool.display()}


def _load_cached(path: Path, stamp: dict[str, Any]) -> list[list[Any]] | None:
    try:
        doc = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return doc["hits"] if doc.get("stamp") == stamp else None


def _store(path: Path, stamp: dict[str, Any], hits: list[list[Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"stamp": stamp, "hits": hits}))


def _reduce(hits: Iterable[list[Any]], has_severity: bool) -> Result:
    res = Result({}, {})
    for path, line, rule, severity in hits:
        if S.blocking(severity, has_severity):
            res.files.setdefault(path, set()).add(rule)
            res.lines.setdefault(path, set()).add(int(line))
    return res


def run_head(tool: T.Tool, repo: Repo, tree: Path, data: Path, reuse: bool) -> Result:
    cache, stamp = _cache_file(data, "head", tool, repo), _stamp(tool, repo)
    hits = _load_cached(cache, stamp) if reuse else None
    if hits is None:
        with tempfile.TemporaryDirectory(prefix="sg-realworld-home-") as home:
            env = {**T.tool_env(Path(home)), **tool_caches(tool, data), **tool.env}
            run, found = T.scan(tool, tree, env, TIMEOUT)
        if run.timed_out:
            raise RuntimeError(f"{tool.name} timed out on {repo.repository}")
        hits = [[h.path, h.line, h.rule, h.severity] for h in found]
        _store(cache, stamp, hits)
        print(f"  {tool.name:15} {repo.repository}: {len(hits)} findings, {run.seconds:.1f} s",
              file=sys.stderr)
    return _reduce(hits, is_sealguard(tool.name))


# ------------------------------------------------------------------ history
def _history_argv(tool: T.Tool) -> list[str] | None:
    exe = tool.argv[0]
    if is_sealguard(tool.name):
        return [*tool.argv[: tool.argv.index("scan")], "history", "--format", "json"]
    if tool.name == "gitleaks":
        return [exe, "git", ".", "--report-format", "json", "--report-path", "-",
                "--no-banner", "--redact", "--log-level", "error"]
    if tool.name == "kingfisher":
        return [exe, "scan", ".", "--git-history", "full", "--no-validate",
                "--no-update-check", "--format", "json", "--redact", "--no-dedup", "--quiet"]
    return None  # detect-secrets has no history mode


def _history_hits(name: str, out: str) -> list[list[Any]]:
    """[commit, path, rule, severity, line] per place; sealguard: one per location."""
    doc = json.loads(out or "[]")
    if is_sealguard(name):
        units = S.history_units(doc)
        sev = "high"  # history_units keeps blocking findings only
        return [[c, p, r, sev, (lines or [0])[0]] for (c, p, r), lines in units.items()]
    if name == "gitleaks":
        return [[f["Commit"], f["File"], f["RuleID"], None, f["StartLine"]] for f in doc or []]
    hits = []
    for it in doc.get("findings", []):
        f = it.get("finding", {})
        commit = (f.get("git_metadata") or {}).get("commit", {}).get("id", "")
        hits.append([commit, f.get("path", ""), it.get("rule", {}).get("id", "?"), None,
                     f.get("line", 0)])
    return hits


def run_history(tool: T.Tool, repo: Repo, clone: Path, data: Path,
                reuse: bool) -> list[list[Any]] | None:
    argv = _history_argv(tool)
    if argv is None:
        return None
    cache, stamp = _cache_file(data, "history", tool, repo), _stamp(tool, repo)
    hits = _load_cached(cache, stamp) if reuse else None
    if hits is None:
        with tempfile.TemporaryDirectory(prefix="sg-realworld-home-") as home:
            env = {**T.tool_env(Path(home)), **tool_caches(tool, data), **tool.env}
            run = T.run(argv, clone, env, TIMEOUT * 2)
        if run.timed_out or run.code not in (0, 1, 2, 200, 205):
            raise RuntimeError(f"{tool.name} history on {repo.repository}: exit {run.code}: "
                               f"{run.stderr.strip()[-400:]}")
        hits = _history_hits(tool.name, run.stdout)
        _store(cache, stamp, hits)
        print(f"  {tool.name:15} history {repo.repository}: {len(hits)} places, "
              f"{run.seconds:.1f} s", file=sys.stderr)
    return hits


def blob_ids(clone: Path, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(commit, path) -> blob id, via one git cat-file --batch-check."""
    keys = sorted(set(keys))
    if not keys:
        return {}
    text = "".join(f"{c}:{p}\n" for c, p in keys)
    r = subprocess.run(["git", f"--git-dir={clone}", "cat-file", "--batch-check"],
                       input=text, capture_output=True, text=True, check=True)
    out = {}
    for key, line in zip(keys, r.stdout.splitlines(), strict=True):
        parts = line.split()
        out[key] = parts[0] if len(parts) == 3 and parts[1] == "blob" else ""
    return out


# ------------------------------------------------------------------ report
def _pct_row(name: str, c: S.Counts, flipped: S.Counts) -> list[str]:
    return [name, str(c.flagged), str(c.tp), str(c.fp), str(c.fn), str(c.unlabelled),
            S.ratio(c.precision), S.ratio(c.recall), S.pr(flipped)]


def head_report(repos: list[Repo], names: list[str],
                results: dict[str, dict[str, Result]]) -> tuple[str, dict[str, S.Counts]]:
    totals = {n: S.Counts() for n in names}
    flips = {n: S.Counts() for n in names}
    rows = []
    for repo in repos:
        block = sum(1 for lab in repo.files.values() if lab.verdict == "block")
        row = [repo.repository, f"{block} / {len(repo.files) - block}"]
        flipped = S.flip_debatable(repo.files)
        for n in names:
            c = S.score_files(results[n][repo.slug].files, repo.files)
            totals[n] = totals[n] + c
            flips[n] = flips[n] + S.score_files(results[n][repo.slug].files, flipped)
            row.append(S.pr(c))
        rows.append(row)
    labelled = sum(len(r.files) for r in repos)
    block = sum(1 for r in repos for lab in r.files.values() if lab.verdict == "block")
    text = [f"{len(repos)} repositories; {labelled} labelled files ({block} block, "
            f"{labelled - block} pass).", "",
            T.md_table(["tool", "flagged files", "TP", "FP", "FN", "unlabelled", "precision",
                        "recall", "P / R, debatable labels flipped"],
                       [_pct_row(n, totals[n], flips[n]) for n in names]), "",
            "Per repository (precision / recall; labelled files block / pass):", "",
            T.md_table(["repository", "labelled", *names], rows)]
    return "\n".join(text), totals


def head_details(repos: list[Repo], names: list[str],
                 results: dict[str, dict[str, Result]]) -> tuple[str, list[dict[str, Any]]]:
    out, todo = ["## Unlabelled flagged files", ""], []
    for repo in repos:
        merged: dict[str, dict[str, list[str]]] = {}
        for n in names:
            for path, rules in S.unlabelled(results[n][repo.slug].files, repo.files):
                merged.setdefault(path, {})[n] = rules
        for path, by_tool in sorted(merged.items()):
            lines = sorted({ln for n in by_tool for ln in results[n][repo.slug].lines[path]})
            what = "; ".join(f"{n}: {', '.join(r)}" for n, r in by_tool.items())
            out.append(f"- {repo.repository} `{path}` — {what} (lines {lines[:12]})")
            todo.append({"repository": repo.repository, "path": path, "tools": by_tool,
                         "lines": lines})
    for n in names:
        out += ["", f"## {n}: false alarms (labelled pass)", ""]
        for repo in repos:
            for path, rules in S.false_alarms(results[n][repo.slug].files, repo.files):
                out.append(f"- {repo.repository} `{path}` — {', '.join(rules)} "
                           f"({repo.files[path].category}: {repo.files[path].reason})")
        out += ["", f"## {n}: misses (labelled block, not flagged)", ""]
        for repo in repos:
            for path in S.misses(results[n][repo.slug].files, repo.files):
                others = sorted({r for m in names if m != n
                                 for r in results[m][repo.slug].files.get(path, ())})
                seen = f"; others: {', '.join(others)}" if others else ""
                out.append(f"- {repo.repository} `{path}` — {repo.files[path].reason}{seen}")
    return "\n".join(out), todo


def _distinct(c: S.Counts) -> str:
    return f"{c.tp} / {c.flagged} ({S.ratio(c.precision)})"


def history_report(repos: list[Repo], names: list[str], data: Path,
                   hist: dict[str, dict[str, list[list[Any]]]]) -> tuple[str, str, list[Any]]:
    rows, details, todo = [], ["## History: unlabelled sealguard places", ""], []
    total, total_flip, total_distinct = S.Counts(), S.Counts(), S.Counts()
    sg_name = next((n for n in names if is_sealguard(n)), "sealguard")  # the first is reviewed
    for repo in repos:
        sg = hist.get(sg_name, {}).get(repo.slug)
        if sg is None:
            continue
        units = {(c, p, r): ln for c, p, r, _sev, ln in sg}
        c = S.score_history(units, repo.history_findings)
        flip = S.score_history(units, S.flip_debatable(repo.history_findings))
        distinct = S.score_history_distinct(units, repo.history_findings)
        total, total_flip = total + c, total_flip + flip
        total_distinct = total_distinct + distinct
        good = {(k[0], k[1]) for k in units
                if k in repo.history_findings and repo.history_findings[k].verdict == "block"}
        row = [repo.repository, str(c.flagged), str(c.tp), str(c.fp), str(c.unlabelled),
               S.ratio(c.precision), S.ratio(flip.precision), _distinct(distinct)]
        for n in names:
            if is_sealguard(n):
                continue
            peer = hist.get(n, {}).get(repo.slug)
            if peer is None:
                row.append("—")
                continue
            places = {(h[0], h[1]) for h in peer}
            row.append(f"{len(peer)} ({len(places)} places, {len(places & good)} on "
                       "sealguard's true places)")
        rows.append(row)
        missing = sorted(k for k in units if k not in repo.history_findings)
        blobs = blob_ids(data / "git" / f"{repo.slug}.git", [(k[0], k[1]) for k in missing])
        for k in missing:
            details.append(f"- {repo.repository} {k[0][:12]} `{k[1]}` {k[2]} (line {units[k]})")
            todo.append({"repository": repo.repository, "commit": k[0], "path": k[1],
                         "rule": k[2], "blob": blobs.get((k[0], k[1]), ""), "line": units[k]})
    peers = [n for n in names if not is_sealguard(n)]
    rows.append(["**all**", str(total.flagged), str(total.tp), str(total.fp),
                 str(total.unlabelled), f"**{S.ratio(total.precision)}**",
                 S.ratio(total_flip.precision), _distinct(total_distinct)] + [""] * len(peers))
    table = T.md_table(["repository", f"{sg_name} blocking places", "block", "pass",
                        "unlabelled", "precision", "precision, debatable flipped",
                        "distinct path+rule: block / all (precision)",
                        *[f"{p} findings" for p in peers]], rows)
    return table, "\n".join(details), todo


# ------------------------------------------------------------------ main
def _args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, help="data folder (trees/, git/, out/)")
    ap.add_argument("--catalogue", type=Path, default=CATALOGUE, help="catalogue folder")
    ap.add_argument("--venv", type=Path, default=T.VENV, help="venv holding the tools")
    ap.add_argument("--tools", nargs="*", help="only these tools")
    ap.add_argument("--only", nargs="*", metavar="OWNER/NAME", help="only these repositories")
    ap.add_argument("--sealguard-src", action="append", default=[], metavar="DIR[=LABEL]",
                    help="run sealguard from this source checkout (as sealguard@LABEL) "
                    "instead of the venv's; repeat to compare checkouts side by side")
    ap.add_argument("--history", action="store_true", help="also run the history audits")
    ap.add_argument("--no-head", action="store_true", help="skip the scans at HEAD")
    ap.add_argument("--fresh", action="store_true", help="re-run peers (ignore the cache)")
    ap.add_argument("--reuse-sealguard", action="store_true",
                    help="reuse sealguard's cached results too")
    ap.add_argument("--todo", type=Path, help="write unlabelled files/places here (YAML)")
    return ap.parse_args(argv)


def _run_all(args: argparse.Namespace, repos: list[Repo], tools: list[T.Tool], data: Path,
             history: bool) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {t.name: {} for t in tools}
    for repo in repos:
        where = data / ("git" if history else "trees") / (
            f"{repo.slug}.git" if history else repo.slug)
        if history and not repo.history:
            continue
        if not where.is_dir():
            raise SystemExit(f"{where} missing: run benchmarks/realworld/trees.py first")
        for tool in tools:
            reuse = args.reuse_sealguard if is_sealguard(tool.name) else not args.fresh
            if history:
                hits = run_history(tool, repo, where, data, reuse)
                if hits is not None:
                    results[tool.name][repo.slug] = hits
            else:
                results[tool.name][repo.slug] = run_head(tool, repo, where, data, reuse)
    return results


def main(argv: list[str] | None = None) -> int:
    import yaml

    args = _args(argv)
    data = data_root(args.data)
    try:
        repos = [r for r in load_catalogue(args.catalogue)
                 if not args.only or r.repository in args.only]
    except CatalogueError as e:
        print(f"catalogue: {e}", file=sys.stderr)
        return 2
    tools, missing = T.find_tools(args.venv, args.tools)
    tools = sealguard_from_sources(tools, args.sealguard_src, args.venv)
    names = [t.name for t in tools]
    report = ["# Real-world benchmark", ""] + [f"note: {m}" for m in missing]
    details, todo = [], []
    if not args.no_head:
        head = _run_all(args, repos, tools, data, history=False)
        table, _ = head_report(repos, names, head)
        report += ["## At the pinned commits (file level, blocking severity)", "", table]
        text, todo_files = head_details(repos, names, head)
        details.append(text)
        todo += todo_files
    if args.history:
        hist = _run_all(args, repos, tools, data, history=True)
        table, text, todo_hist = history_report(repos, names, data, hist)
        report += ["", "## Full-history audits (unit: commit, path, rule)", "", table]
        details.append(text)
        todo += todo_hist
    report += ["", "Tools: " + "; ".join(f"{t.name} {t.version} (`{t.display()}`)"
                                        for t in tools)]
    out = "\n".join(report) + "\n"
    print(out)
    T.write_out("realworld.md", out)
    T.write_out("realworld-details.md", "\n\n".join(details) + "\n")
    if args.todo:
        args.todo.write_text(yaml.safe_dump(todo, sort_keys=False, width=120))
    return 0


if __name__ == "__main__":
    sys.exit(main())
