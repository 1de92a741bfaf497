#!/usr/bin/env python3
"""Pick Secret-like files that are not labelled yet, for the recall sample of the catalogue.

A file of an exported tree is a candidate when its text matches one of PATTERNS (or its name
is a .env / .sops.yaml file). Candidates are ordered by sha256(repository + path) -- a fixed,
reproducible shuffle -- and the first --per-repo unlabelled ones of each repository are
printed as TSV: repository, path, matched patterns. Label them by hand (LABELLING.md) with
`via: sample`. Running it again after labelling picks the next ones.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from catalogue import CATALOGUE, load_catalogue
from trees import data_root

PATTERNS = {
    "secret": re.compile(r"^kind:\s*Secret\s*$", re.M),
    "stringData": re.compile(r"^\s*stringData:", re.M),
    "password": re.compile(r"(?i)passw(or)?d\w*['\"]?\s*[:=]\s*['\"]?[^\s'\"{$<]"),
    "token": re.compile(r"(?i)(token|api_?key|secret_?key)['\"]?\s*[:=]\s*['\"]?[^\s'\"{$<]"),
    "private-key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY"),
    "sealedsecret": re.compile(r"^kind:\s*SealedSecret", re.M),
    "externalsecret": re.compile(r"^kind:\s*(Cluster)?ExternalSecret", re.M),
    "sops": re.compile(r"ENC\[AES256_GCM"),
}
MAX_BYTES = 2_000_000


def matches(path: Path) -> list[str]:
    names = []
    if path.name == ".env" or path.name.endswith(".env") or path.name.startswith(".env."):
        names.append("dotenv")
    if path.name == ".sops.yaml":
        names.append("sops-config")
    try:
        if path.stat().st_size > MAX_BYTES:
            return names
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return names
    return names + [n for n, rx in PATTERNS.items() if rx.search(text)]


def candidates(tree: Path) -> list[tuple[str, list[str]]]:
    out = []
    for p in sorted(tree.rglob("*")):
        if p.is_file() and not p.is_symlink() and ".git" not in p.parts:
            found = matches(p)
            if found:
                out.append((p.relative_to(tree).as_posix(), found))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, help="data folder (default: $REALWORLD_DATA or "
                    "benchmarks/out/realworld)")
    ap.add_argument("--catalogue", type=Path, default=CATALOGUE, help="catalogue folder")
    ap.add_argument("--per-repo", type=int, default=6, help="files per repository")
    ap.add_argument("--only", nargs="*", metavar="OWNER/NAME", help="only these repositories")
    args = ap.parse_args(argv)
    data = data_root(args.data)
    for repo in load_catalogue(args.catalogue):
        if args.only and repo.repository not in args.only:
            continue
        found = [(p, m) for p, m in candidates(data / "trees" / repo.slug)
                 if p not in repo.files]
        found.sort(key=lambda pm: hashlib.sha256(f"{repo.repository}:{pm[0]}".encode())
                   .hexdigest())
        for path, names in found[: args.per_repo]:
            print(f"{repo.repository}\t{path}\t{','.join(names)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
