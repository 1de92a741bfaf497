"""Configuration as an attack, and a cache that lies."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from adv import CONFIG, check, github_token, sg, token, write

LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n"
    for i in range(9))


def _root(tmp_path: Path, config: str) -> Path:
    root = tmp_path / "plain"
    write(root / ".sealguard.yaml", config)
    write(root / "a.txt", f"t = {token(1)}\n")
    return root


def _timed(root: Path, *args: str, limit: float = 20.0) -> tuple[float, object]:
    started = time.monotonic()
    proc = sg(*args, cwd=root, timeout=limit + 30)
    return time.monotonic() - started, proc


def test_billion_laughs_config(tmp_path: Path) -> None:
    root = _root(tmp_path, LAUGHS + "allowlist:\n  stopwords: *j\n")
    seconds, proc = _timed(root, "scan", ".")
    check(proc, 2)  # type: ignore[arg-type]
    assert "nodes" in proc.stderr and seconds < 20  # type: ignore[attr-defined]


def test_deeply_nested_config(tmp_path: Path) -> None:
    root = _root(tmp_path, "gitops:\n  paths: " + "[" * 100_000 + "]" * 100_000 + "\n")
    check(sg("scan", ".", cwd=root), 2)


def test_python_tag_in_config_is_data(tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    root = _root(tmp_path, f"fail_on: !!python/object/apply:os.system ['touch {marker}']\n")
    check(sg("scan", ".", cwd=root), 2)
    assert not marker.exists()


def test_config_that_is_not_utf8(tmp_path: Path) -> None:
    root = _root(tmp_path, "")
    (root / ".sealguard.yaml").write_bytes(b"fail_on: \xff\xfe high\n")
    check(sg("scan", ".", cwd=root), 2)


def _custom(regex: str, keyword: str = "aaa") -> str:
    return CONFIG.replace("      keywords: [sgtest_]\n", f"      keywords: [{keyword}]\n") \
        .replace("'\\b(sgtest_[A-Za-z0-9]{32})\\b'", f"'{regex}'") \
        .replace('examples: ["t = sgtest_Ab3dE5gH7jK9mN1pQ3sT5vX7zB9dF1hJ"]',
                 f'examples: ["{keyword}aaaa"]')


def test_redos_custom_rule_is_refused_at_load(tmp_path: Path) -> None:
    root = _root(tmp_path, _custom("((?:a+)+)$"))
    seconds, proc = _timed(root, "scan", ".")
    check(proc, 2)  # type: ignore[arg-type]
    assert "regex refused" in proc.stderr and seconds < 20  # type: ignore[attr-defined]


def test_backreference_custom_rule_is_refused(tmp_path: Path) -> None:
    check(sg("scan", ".", cwd=_root(tmp_path, _custom("(a)\\1x"))), 2)


def test_slow_custom_rule_is_stopped_at_scan_time(tmp_path: Path) -> None:
    """Overlapping alternatives pass the structural check; the scan-time limit stops them
    and the file is reported as not fully scanned (fail closed)."""
    root = _root(tmp_path, _custom("((?:aaa|a|aa)*)!"))
    write(root / "slow.txt", "aaa" + "a" * 40 + "\n")
    seconds, proc = _timed(root, "scan", "slow.txt", "--format", "json")
    check(proc, 1, text=False)  # type: ignore[arg-type]
    rules = {f["rule"] for f in json.loads(proc.stdout)["findings"]}  # type: ignore[attr-defined]
    assert rules == {"rule-timeout"} and seconds < 20


def test_redos_allowlist_regex_is_refused(tmp_path: Path) -> None:
    slow = 'allowlist:\n  regexes: ["(\\\\w+\\\\s?)+$"]\n'
    root = _root(tmp_path, CONFIG.replace("allowlist:\n", slow))
    check(sg("scan", ".", cwd=root), 2)


@pytest.mark.parametrize("key", ["gitops", "allowlist"])
def test_pathological_glob_does_not_hang(tmp_path: Path, key: str) -> None:
    glob = "**x" * 40 + "y"
    config = CONFIG if key == "gitops" else CONFIG.replace('[".sealguard.yaml"]',
                                                          f'[".sealguard.yaml", "{glob}"]')
    if key == "gitops":
        config += f'gitops:\n  paths: ["{glob}"]\n'
    root = _root(tmp_path, config)
    write(root / ("x" * 200) / "secret.yaml", "kind: Secret\n")
    seconds, proc = _timed(root, "scan", ".")
    check(proc, 1, token(1))  # type: ignore[arg-type]
    assert seconds < 20


@pytest.mark.parametrize("glob", ["[z-a]/**", "", "a" * 5000])
def test_invalid_glob_is_a_config_error(tmp_path: Path, glob: str) -> None:
    root = _root(tmp_path, CONFIG + f'gitops:\n  paths: ["{glob}"]\n')
    check(sg("scan", ".", cwd=root), 2)


# -- the cache -------------------------------------------------------------------------------
def _cached_scan(tmp_path: Path, spoil: str) -> None:
    cache = tmp_path / "cache"
    root = _root(tmp_path, CONFIG)
    write(root / "gh.txt", f"GITHUB_TOKEN={github_token(1)}\n")
    env = {"SEALGUARD_CACHE_DIR": str(cache)}
    first = sg("scan", ".", "--format", "json", cwd=root, env=env)
    check(first, 1, text=False)
    entries = [p for p in cache.iterdir() if p.name.endswith(".bin")]
    assert entries
    for entry in entries:
        data = entry.read_bytes()
        if spoil == "garbage":
            entry.write_bytes(b"\x00garbage\xff" * 7)
        elif spoil == "truncated":
            entry.write_bytes(data[: len(data) // 2])
        elif spoil == "empty-pack":
            entry.write_bytes(b"[]")
        elif spoil == "forged":  # well-formed, right length, checksum not keyed
            import hashlib

            entry.write_bytes(data[:8] + hashlib.sha256(b"[]").digest() + b"[]")
        elif spoil == "fifo":
            import os

            entry.unlink()
            os.mkfifo(entry)
    again = sg("scan", ".", "--format", "json", cwd=root, env=env, timeout=60)
    check(again, 1, text=False)
    assert json.loads(again.stdout)["findings"] == json.loads(first.stdout)["findings"]


@pytest.mark.parametrize("spoil", ["garbage", "truncated", "empty-pack", "forged", "fifo"])
def test_spoiled_cache_entries_are_rebuilt(tmp_path: Path, spoil: str) -> None:
    _cached_scan(tmp_path, spoil)


def test_unwritable_cache_is_not_an_error(tmp_path: Path) -> None:
    blocker = write(tmp_path / "not-a-folder", "x")
    root = _root(tmp_path, CONFIG)
    proc = sg("scan", ".", cwd=root, env={"SEALGUARD_CACHE_DIR": str(blocker / "sub")})
    check(proc, 1, token(1))
