"""Windowed confirmation finds exactly what a whole-blob regex pass finds."""

from __future__ import annotations

import pytest

from scanner.engine.rules import Rule, builtin_rule_files, load_rules
from scanner.engine.scan import Engine, _drop_overlaps, confirm
from scanner.engine.window import REPEAT_CAP, crosses_lines, reach, windows

RULES = load_rules(builtin_rule_files())
FILLER = "".join(f"line {i} of ordinary text with nothing to see\n" for i in range(400))


@pytest.mark.parametrize(
    ("regex", "width", "crosses"),
    [
        (r"a{2,5}", 5, False),
        (r"\s*x", REPEAT_CAP + 1, True),
        (r"(?s)a.b", 3, True),
        (r"a.b", 3, False),
        (r"a[^x]b", 3, True),
        (r"a[^\n]b", 3, False),
        (r"[\w]+", REPEAT_CAP, False),
        (r"(?<=k)ey(?=\n)", 2, False),
        (r"x(?:ab|cde)", 4, False),
    ],
)
def test_reach_and_line_crossing(regex: str, width: int, crosses: bool) -> None:
    assert reach(regex) == width
    assert crosses_lines(regex) is crosses


def test_windows_are_line_aligned_and_merged() -> None:
    data = b"aaa\nbbb key\nccc\nddd key\n"
    assert windows(data, [8], 0) == [(4, 12)]
    assert windows(data, [8, 20], 0) == [(4, 24)]  # closer than MERGE_GAP: one window
    far = b"aaa\nbbb key\n" + b"filler line\n" * 40 + b"ddd key\n"
    end = len(far)
    assert windows(far, [8, end - 4], 0) == [(4, 12), (end - 8, end)]
    assert windows(data, [8, 20], 10) == [(0, 24)]


def _whole_blob(rule: Rule, data: bytes) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in _drop_overlaps(list(confirm(rule, data)))]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_windowed_equals_whole_blob_inside_a_large_file(rule: Rule) -> None:
    engine = Engine([rule], "re")
    path = rule.paths[0].replace("*", "x") if rule.paths else None  # a file the rule reads
    for example in rule.examples:
        data = (FILLER + example + "\n" + FILLER).encode()
        windowed = [(m.start, m.end) for m in engine.matches(data, path=path)]
        assert windowed, f"{rule.id}: example not found inside a large file"
        assert windowed == _whole_blob(rule, data)
