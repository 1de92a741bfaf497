"""Whitespace next to an assignment operator never crosses a line (rule check + behaviour)."""

from __future__ import annotations

import pytest

from scanner.engine.crossline import crosses_line, crossline_problems
from scanner.engine.rules import Rule, builtin_rule_files, load_rules
from scanner.engine.scan import Engine


@pytest.mark.parametrize("pattern", [
    r"password:\s*(\S+)",
    r"password\s*=\s*(\S+)",
    r"(?:token|key)(?:=>|:=|[:=])\s+['\"]?(\w+)",
    r"(?:\s*(?:=>|:=|[:=])|\s+value:)[ \t]*(x)",
    r"(?:[ \t]*[:=]|[ \t]+value:)\s*(x)",   # `value:` then a newline
    r"secret=[^\"]*\"(\w+)",                # a negated class holds the newline
    r"(?s)token=.*?(\w{20})",               # `.` under DOTALL
    r"key\s{0,3}:[ \t]*(\w+)",
])
def test_crossing_shapes_are_flagged(pattern: str) -> None:
    assert crosses_line(pattern)


@pytest.mark.parametrize("pattern", [
    r"password:[ \t]*(\S+)",
    r"(?:[ \t]*(?:=>|:=|[:=])|\s+value:)[ \t]*(x)",  # a k8s env pair may span lines
    r"machine\s+(\S+)\s+password\s+(\S+)",            # netrc tokens are whitespace-separated
    r"secret=[^\"\n]*\"(\w+)",
    r"-----BEGIN KEY-----\s*([A-Za-z0-9+/=\s]{40,})",
    r"token=.*?(\w{20})",                              # `.` stops at a newline
])
def test_line_bound_shapes_pass(pattern: str) -> None:
    assert not crosses_line(pattern)


def test_check_names_the_rule() -> None:
    rule = Rule(id="demo-token", name="demo", family="generic", severity="medium",
                keywords=("demo_token",), regex=r"demo_token:\s*(\w{8,})", reference="test")
    assert crossline_problems([rule]) == [
        r"demo-token: whitespace next to an assignment operator can cross a line "
        r"(use [ \t] for horizontal space)"]


def test_empty_value_does_not_take_the_next_line() -> None:
    """An empty `POSTGRES_PASSWORD:` must not make the next line's text the password."""
    engine = Engine(load_rules(builtin_rule_files()), "re")
    data = b"env:\n  POSTGRES_PASSWORD:\n  WORKER_TIMEOUT: \"0\"\n  MYSQL_PASSWORD=\nKq7Zr2\n"
    assert [m.rule.id for m in engine.matches(data)] == []
    found = engine.matches(b"  POSTGRES_PASSWORD: Zr8qLm2Vx9Tk4Pw7\n")
    assert [m.secret for m in found] == ["Zr8qLm2Vx9Tk4Pw7"]
