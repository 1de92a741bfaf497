#!/usr/bin/env python3
"""Reproduce the real-world trees and history clones from the catalogue's pinned commits.

For each repository in catalogue/ (or those named with --only):

1. a bare source repository: DATA/src/<owner>+<name>.git, cloned from GitHub
   (`git clone --bare https://github.com/<owner>/<name>.git`), or taken from a local mirror
   folder with --mirrors (DIR/<owner>+<name>.git or DIR/<owner>+<name>/repo); a pinned commit
   that the clone lacks is fetched by id (`git fetch origin <sha>`);
2. the pinned tree: `git archive <sha> [paths] | tar -x -C DATA/trees/<owner>+<name>/`
   (only the catalogue's `paths` when it names some); DATA/trees/<owner>+<name>.commit records
   the commit, so a tree is re-exported only when its pin changes (or with --force);
3. for repositories with `history: true`, a fresh bare single-branch clone for history audits:
   `git clone --bare --single-branch --branch <branch> --no-local <src> DATA/git/<slug>.git`,
   its branch moved back to the pinned commit (and later objects pruned) if the source is newer.

DATA is --data, else $REALWORLD_DATA, else benchmarks/out/realworld. Needs git and tar, and the
network only when no mirror holds a repository.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from catalogue import CATALOGUE, CatalogueError, Repo, load_catalogue

DEFAULT_DATA = Path(__file__).resolve().parent.parent / "out" / "realworld"


def data_root(arg: Path | None) -> Path:
    """Where trees, clones and tool outputs live (outside the repository's tracked files)."""
    if arg is not None:
        return arg
    env = os.environ.get("REALWORLD_DATA")
    return Path(env) if env else DEFAULT_DATA


def git(*args: str, git_dir: Path | None = None) -> str:
    argv = ["git", *([f"--git-dir={git_dir}"] if git_dir else []), *args]
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout.strip()


def _has_commit(git_dir: Path, sha: str) -> bool:
    r = subprocess.run(["git", f"--git-dir={git_dir}", "cat-file", "-e", f"{sha}^{{commit}}"],
                       capture_output=True)
    return r.returncode == 0


def _mirror(mirrors: Path | None, slug: str) -> Path | None:
    if mirrors is None:
        return None
    for cand in (mirrors / f"{slug}.git", mirrors / slug / "repo", mirrors / slug):
        if (cand / "objects").is_dir():
            return cand
    return None


def source(repo: Repo, data: Path, mirrors: Path | None) -> Path:
    """A bare repository holding the pinned commit."""
    src = _mirror(mirrors, repo.slug)
    if src is None:
        src = data / "src" / f"{repo.slug}.git"
        if not src.is_dir():
            src.parent.mkdir(parents=True, exist_ok=True)
            url = f"https://github.com/{repo.repository}.git"
            print(f"clone {url}", file=sys.stderr)
            git("clone", "--quiet", "--bare", url, str(src))
        if not _has_commit(src, repo.commit):
            git("fetch", "--quiet", "origin", repo.commit, git_dir=src)
    if not _has_commit(src, repo.commit):
        raise SystemExit(f"{repo.repository}: commit {repo.commit} not in {src}")
    return src


def export_tree(repo: Repo, src: Path, data: Path, force: bool = False) -> Path:
    """DATA/trees/<slug>/ holding exactly the pinned tree (or its `paths`)."""
    dest = data / "trees" / repo.slug
    stamp = data / "trees" / f"{repo.slug}.commit"
    wanted = " ".join([repo.commit, *repo.paths])
    if not force and dest.is_dir() and stamp.is_file() and stamp.read_text().strip() == wanted:
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    archive = subprocess.Popen(
        ["git", f"--git-dir={src}", "archive", "--format=tar", repo.commit, "--", *repo.paths],
        stdout=subprocess.PIPE,
    )
    subprocess.run(["tar", "-x", "-C", str(dest)], stdin=archive.stdout, check=True)
    if archive.wait() != 0:
        raise SystemExit(f"{repo.repository}: git archive failed")
    stamp.write_text(wanted + "\n")
    print(f"tree {dest}", file=sys.stderr)
    return dest


def history_clone(repo: Repo, src: Path, data: Path, force: bool = False) -> Path:
    """DATA/git/<slug>.git: a fresh bare clone of the branch, its tip at the pinned commit."""
    dest = data / "git" / f"{repo.slug}.git"
    if (dest.is_dir() and not force
            and git("rev-parse", f"refs/heads/{repo.branch}", git_dir=dest) == repo.commit):
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    git("clone", "--quiet", "--bare", "--single-branch", "--branch", repo.branch,
        "--no-local", str(src), str(dest))
    if git("rev-parse", f"refs/heads/{repo.branch}", git_dir=dest) != repo.commit:
        git("update-ref", f"refs/heads/{repo.branch}", repo.commit, git_dir=dest)
        git("reflog", "expire", "--expire=now", "--all", git_dir=dest)
        git("gc", "--quiet", "--prune=now", git_dir=dest)
    print(f"history clone {dest}", file=sys.stderr)
    return dest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, help="data folder (default: $REALWORLD_DATA or "
                    "benchmarks/out/realworld)")
    ap.add_argument("--mirrors", type=Path,
                    help="folder of local bare mirrors to use instead of cloning from GitHub")
    ap.add_argument("--catalogue", type=Path, default=CATALOGUE, help="catalogue folder")
    ap.add_argument("--only", nargs="*", metavar="OWNER/NAME", help="only these repositories")
    ap.add_argument("--no-history", action="store_true", help="skip the history clones")
    ap.add_argument("--force", action="store_true", help="re-export and re-clone everything")
    args = ap.parse_args(argv)
    data = data_root(args.data)
    try:
        repos = load_catalogue(args.catalogue)
    except CatalogueError as e:
        print(f"catalogue: {e}", file=sys.stderr)
        return 2
    for repo in repos:
        if args.only and repo.repository not in args.only:
            continue
        src = source(repo, data, args.mirrors)
        export_tree(repo, src, data, args.force)
        if repo.history and not args.no_history:
            history_clone(repo, src, data, args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
