#!/usr/bin/env python3
"""Start-up costs that grow with the rule set: the bulk-scan survey database (Hyperscan,
PREFILTER mode, every rule's regex) compiled from a cold cache, loading it from the cache,
and loading the built-in packs from the cache (the hook's share).

Run it with the interpreter of the tree to measure; compare two trees (e.g. before and
after a rules change) in the same session, alternating, on the same machine:

    python benchmarks/bench_compile.py [--runs 3]

Each cold compile uses a fresh private cache folder (SEALGUARD_CACHE_DIR). Output: one
Markdown line on stdout.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _fresh_cache() -> None:
    os.environ["SEALGUARD_CACHE_DIR"] = tempfile.mkdtemp(prefix="sealguard-bench-")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="cold compiles (default 3)")
    args = ap.parse_args()
    _fresh_cache()
    from scanner.engine import regexfilter
    from scanner.engine.matcher import hyperscan_available
    from scanner.engine.rules import builtin_rule_files, load_rules

    if not hyperscan_available():
        print("hyperscan is not installed: no survey database on this platform")
        return 1
    rules = load_rules(builtin_rule_files())
    cold = []
    for _ in range(args.runs):
        _fresh_cache()
        start = time.perf_counter()
        built = regexfilter.RegexFilter(rules)
        cold.append(time.perf_counter() - start)
    start = time.perf_counter()
    regexfilter.RegexFilter(rules)
    cached = time.perf_counter() - start
    load_rules(builtin_rule_files())
    loads = []
    for _ in range(20):
        start = time.perf_counter()
        load_rules(builtin_rule_files())
        loads.append(time.perf_counter() - start)
    print(f"| {len(rules)} rules ({len(built.indices)} as regexes) | survey database cold "
          f"compile {statistics.median(cold):.1f} s (median of {args.runs}) | cached load "
          f"{cached * 1000:.0f} ms | packs from cache {statistics.median(loads) * 1000:.0f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
