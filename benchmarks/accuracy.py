#!/usr/bin/env python3
"""Precision and recall of sealguard and its peers on the labelled corpus (tests/corpus).

The corpus is copied to a temporary folder outside any Git repository (so no tool
reads this project's own config or .gitignore), each tool scans it with "." as target,
and every finding is reduced to (path, line):

* a finding on a labelled line (or inside a labelled multi-line secret, e.g. a PEM
  block: lines line..end_line) marks that label found: a true positive, counted once;
* a labelled secret with no finding is a false negative;
* each distinct unlabelled (path, line) with at least one finding is one false positive.

sealguard findings of category parse-error are ignored (they claim no secret).
Output: a Markdown table on stdout and in benchmarks/out/accuracy.md; the per-tool
misses and false alarms (path:line and rule only, never the value) go to
benchmarks/out/accuracy-details.md.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tools as T


@dataclass(frozen=True)
class Label:
    path: str
    line: int
    end_line: int
    family: str
    provider: str
    kind: str


_ENTRY = re.compile(r"^\s*-\s*\{(.*)\}\s*$")


def load_labels(path: Path) -> list[Label]:
    """labels.yaml holds one flow mapping per line; parsed without a YAML dependency."""
    labels = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        m = _ENTRY.match(raw)
        if not m:
            continue
        d = dict(kv.split(": ", 1) for kv in m.group(1).split(", "))
        line = int(d["line"])
        labels.append(
            Label(
                d["path"], line, int(d.get("end_line", line)), d["family"], d["provider"], d["kind"]
            )
        )
    if not labels:
        raise SystemExit(f"no labels found in {path}")
    return labels


def quick_subset(labels: list[Label]) -> set[str]:
    """--quick: the first file of each family folder and of each negatives/ sub-folder."""
    chosen: dict[str, str] = {}
    for lb in sorted(labels, key=lambda x: x.path):
        chosen.setdefault(lb.family, lb.path)
    return set(chosen.values())


@dataclass
class Score:
    tp: int = 0
    fn: int = 0
    fp: int = 0

    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


def family_of(path: str) -> str:
    parts = path.split("/")
    if parts[0] == "negatives" and len(parts) > 2:
        return "negatives/" + parts[1]
    return parts[0]


def score(
    labels: list[Label], hits: list[T.Hit]
) -> tuple[dict[str, Score], list[Label], list[tuple[str, int, str]]]:
    by_line: dict[tuple[str, int], Label] = {}
    for lb in labels:
        for n in range(lb.line, lb.end_line + 1):
            by_line[(lb.path, n)] = lb
    found: set[Label] = set()
    fps: dict[tuple[str, int], str] = {}
    for h in hits:
        lb = by_line.get((h.path, h.line))
        if lb:
            found.add(lb)
        else:
            fps.setdefault((h.path, h.line), h.rule)
    fam: dict[str, Score] = defaultdict(Score)
    for lb in labels:
        s = fam[lb.family]
        if lb in found:
            s.tp += 1
        else:
            s.fn += 1
    for path, _line in fps:
        fam[family_of(path)].fp += 1
    missed = [lb for lb in labels if lb not in found]
    return fam, missed, sorted((p, n, r) for (p, n), r in fps.items())


def pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=T.CORPUS, help="labelled corpus folder")
    ap.add_argument("--venv", type=Path, default=T.VENV, help="venv holding the tools (setup.sh)")
    ap.add_argument("--tools", nargs="*", help="only these tools (default: every installed one)")
    ap.add_argument("--quick", action="store_true", help="smoke run: one file per family")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per tool run")
    args = ap.parse_args(argv)

    labels = load_labels(args.corpus / "labels.yaml")
    tools, missing = T.find_tools(args.venv, args.tools)
    if not tools:
        print("no tool installed; run benchmarks/setup.sh", *missing, sep="\n", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="sg-accuracy-") as tmp:
        folder, home = Path(tmp) / "corpus", Path(tmp) / "home"
        home.mkdir()
        keep = None
        if args.quick:
            subset = quick_subset(labels)
            subset |= {
                p.relative_to(args.corpus).as_posix()
                for d in sorted((args.corpus / "negatives").iterdir())
                for p in sorted(d.rglob("*"))[:1]
                if p.is_file()
            }
            labels = [lb for lb in labels if lb.path in subset]
            keep = lambda p: p.relative_to(args.corpus).as_posix() in subset  # noqa: E731
        T.link_tree(args.corpus, folder, keep=keep)
        (folder / "labels.yaml").unlink(missing_ok=True)
        nfiles, nbytes = T.tree_size(folder)
        neg_folders = {
            family_of(p.relative_to(folder).as_posix())
            for p in folder.rglob("*")
            if p.is_file() and p.relative_to(folder).parts[0] == "negatives"
        }
        env = T.tool_env(home)
        results = {}
        for tool in tools:
            print(f"scanning with {tool.name} ...", file=sys.stderr)
            r, hits = T.scan(tool, folder, env, args.timeout)
            if r.timed_out:
                missing.append(f"{tool.name}: timed out after {args.timeout:.0f} s")
                continue
            results[tool.name] = (r, hits)
            if tool.name == "sealguard":
                sec = [h for h in hits if h.category == "secret"]
                hits = [h for h in hits if h.category != "parse-error"]
                results[tool.name] = (r, hits)
                blocking = [h for h in hits if h.severity != "low"]
                results["sealguard (at default --fail-on)"] = (r, blocking)
                results["sealguard (secret rules only)"] = (r, sec)

    report = render(labels, results, tools, missing, nfiles, nbytes, args.quick, neg_folders)
    print(report)
    T.write_out("accuracy.md", report)
    T.write_out("accuracy-details.md", details(labels, results))
    print(f"\nwritten: {T.OUT / 'accuracy.md'}, {T.OUT / 'accuracy-details.md'}", file=sys.stderr)
    return 0


def render(
    labels: list[Label],
    results: dict,
    tools: list[T.Tool],
    missing: list[str],
    nfiles: int,
    nbytes: int,
    quick: bool,
    neg_folders: set[str],
) -> str:
    names = list(results)
    scores = {n: score(labels, hits)[0] for n, (_r, hits) in results.items()}
    fams = sorted({lb.family for lb in labels})
    negs = sorted(neg_folders)
    header = ["family", "secrets"] + [f"{n} P / R" for n in names]
    rows = []
    count = defaultdict(int)
    for lb in labels:
        count[lb.family] += 1
    for f in fams:
        rows.append(
            [f, str(count[f])]
            + [f"{pct(scores[n][f].precision())} / {pct(scores[n][f].recall())}" for n in names]
        )
    total = {
        n: Score(
            sum(s.tp for s in sc.values()),
            sum(s.fn for s in sc.values()),
            sum(s.fp for s in sc.values()),
        )
        for n, sc in scores.items()
    }
    rows.append(
        ["**overall**", str(len(labels))]
        + [f"**{pct(total[n].precision())} / {pct(total[n].recall())}**" for n in names]
    )
    counts = [
        ["TP / FN / FP", ""] + [f"{total[n].tp} / {total[n].fn} / {total[n].fp}" for n in names]
    ]
    neg_rows = [[f] + [str(scores[n][f].fp if f in scores[n] else 0) for n in names] for f in negs]

    out = [
        f"# Accuracy on the labelled corpus{' (--quick subset)' if quick else ''}",
        "",
        f"{len(labels)} labelled secrets in {nfiles} files ({nbytes / 1024:.0f} KiB), "
        f"{len({lb.provider for lb in labels})} providers, {len(fams)} families. "
        "P = precision, R = recall, in %; a family's precision counts the false positives in "
        "that family's folder.",
        "",
        T.md_table(header, rows + counts),
        "",
        "False positives (distinct lines) in the negatives/ folders, which hold no secret:",
        "",
        T.md_table(["negatives folder", *names], neg_rows) if neg_rows else "(none in this run)",
        "",
        "Commands (run in a temporary copy of the corpus, target `.`):",
        "",
    ]
    for t in tools:
        if t.name in results:
            out.append(f"- {t.name} {t.version}: `{t.display()}`")
    out.append(
        "- sealguard (at default --fail-on): the sealguard run above, without its low-severity "
        "findings (reported, but they do not fail a commit or a PR)"
    )
    out.append(
        "- sealguard (secret rules only): the sealguard run above, "
        "without its GitOps policy findings"
    )
    for m in missing:
        out.append(f"- not measured: {m}")
    out += [
        "",
        "Matching: a finding on a labelled line (or inside a labelled multi-line key) is a true "
        "positive, counted once per label; every other distinct (file, line) with a finding is a "
        "false positive. Details: benchmarks/out/accuracy-details.md.",
    ]
    return "\n".join(out) + "\n"


def details(labels: list[Label], results: dict) -> str:
    out = [
        "# Accuracy details",
        "",
        "Values are never shown: path:line, provider/kind or rule only.",
        "",
    ]
    for name, (_r, hits) in results.items():
        _fam, missed, fps = score(labels, hits)
        out += [f"## {name}", "", f"### missed ({len(missed)})", ""]
        out += [f"- {lb.path}:{lb.line} {lb.provider}/{lb.kind}" for lb in missed] or ["- none"]
        out += ["", f"### false positives ({len(fps)})", ""]
        out += [f"- {p}:{n} {r}" for p, n, r in fps] or ["- none"]
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
