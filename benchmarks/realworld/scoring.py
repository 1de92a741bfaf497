"""Scoring arithmetic for the real-world benchmark: pure functions, no tools, no I/O.

At HEAD the unit is the file. A tool *flags* a file when it reports at least one finding
there at blocking severity (sealguard: medium or above, its default `--fail-on`; the peers
have no severities, so every finding counts). Against the catalogue's labels:

* flagged and labelled `block`: true positive;  flagged and labelled `pass`: false positive;
* labelled `block` and not flagged: false negative;
* flagged and not labelled: *unlabelled* -- left out of precision and listed, so the
  catalogue can be completed.

In history the unit is (commit, path, rule): each place where a blocking sealguard finding
was introduced (every entry of its `locations`), so regrouping findings never changes the
count. History precision = units labelled block / labelled units. Because one secret kept in
a file is introduced again by every commit that rewrites the file, history is also scored by
distinct (path, rule): block when any of its labelled places is block.

Labels whose reason says "debatable" can be flipped (`flip_debatable`) to show how far the
figures lean on the calls a careful reviewer could make the other way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

K = TypeVar("K")
BLOCKING = frozenset({"medium", "high", "critical"})


class Labelled(Protocol):
    @property
    def verdict(self) -> str: ...


class Reasoned(Labelled, Protocol):
    @property
    def reason(self) -> str: ...


@dataclass(frozen=True)
class Verdict:
    verdict: str


def is_debatable(label: Reasoned) -> bool:
    return "debatable" in label.reason.lower()


def flip_debatable(labels: Mapping[K, Reasoned]) -> dict[K, Labelled]:
    """The labels with every debatable verdict turned the other way."""
    other = {"block": "pass", "pass": "block"}
    return {k: Verdict(other[lab.verdict]) if is_debatable(lab) else lab
            for k, lab in labels.items()}


@dataclass(frozen=True)
class Counts:
    """File-level (or unit-level) outcome of one tool on one or more repositories."""

    flagged: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    unlabelled: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.flagged + other.flagged, self.tp + other.tp, self.fp + other.fp,
                      self.fn + other.fn, self.unlabelled + other.unlabelled)

    @property
    def precision(self) -> float | None:
        judged = self.tp + self.fp
        return self.tp / judged if judged else None

    @property
    def recall(self) -> float | None:
        wanted = self.tp + self.fn
        return self.tp / wanted if wanted else None


def ratio(value: float | None) -> str:
    """0.953 -> '0.95'; no denominator -> '—'."""
    return "—" if value is None else f"{value:.2f}"


def pr(c: Counts) -> str:
    return f"{ratio(c.precision)} / {ratio(c.recall)}"


def blocking(severity: str | None, has_severity: bool) -> bool:
    """Does a finding of this severity block? Tools without severities always block."""
    return not has_severity or (severity or "").lower() in BLOCKING


def flagged_files(hits: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """(path, rule) of blocking findings -> {path: rules}."""
    out: dict[str, set[str]] = {}
    for path, rule in hits:
        out.setdefault(path, set()).add(rule)
    return out


def score_files(flagged: Mapping[str, set[str]], labels: Mapping[str, Labelled]) -> Counts:
    tp = sum(1 for p in flagged if p in labels and labels[p].verdict == "block")
    fp = sum(1 for p in flagged if p in labels and labels[p].verdict == "pass")
    fn = sum(1 for p, lab in labels.items() if lab.verdict == "block" and p not in flagged)
    return Counts(len(flagged), tp, fp, fn, sum(1 for p in flagged if p not in labels))


def false_alarms(flagged: Mapping[str, set[str]],
                 labels: Mapping[str, Labelled]) -> list[tuple[str, list[str]]]:
    """(path, rules) of flagged files labelled pass, sorted."""
    return sorted((p, sorted(r)) for p, r in flagged.items()
                  if p in labels and labels[p].verdict == "pass")


def misses(flagged: Mapping[str, set[str]], labels: Mapping[str, Labelled]) -> list[str]:
    """Paths labelled block that the tool did not flag, sorted."""
    return sorted(p for p, lab in labels.items() if lab.verdict == "block" and p not in flagged)


def unlabelled(flagged: Mapping[str, set[str]],
               labels: Mapping[str, Labelled]) -> list[tuple[str, list[str]]]:
    return sorted((p, sorted(r)) for p, r in flagged.items() if p not in labels)


# ------------------------------------------------------------------ history
HistoryKey = tuple[str, str, str]  # (commit, path, rule)


def history_units(doc: Mapping[str, Any]) -> dict[HistoryKey, list[int]]:
    """Blocking units of a `sealguard history --format json` report -> lines seen there.

    Each location of a blocking finding is one unit; a finding without locations stands
    for itself (its own commit and path)."""
    units: dict[HistoryKey, list[int]] = {}
    for f in doc.get("findings", []):
        if not blocking(f.get("severity"), True):
            continue
        for loc in f.get("locations") or [f]:
            if not loc.get("commit"):
                continue
            key = (str(loc["commit"]), str(loc["path"]), str(f["rule"]))
            lines = units.setdefault(key, [])
            if loc.get("line") and int(loc["line"]) not in lines:
                lines.append(int(loc["line"]))
    return units


def score_history(units: Iterable[HistoryKey],
                  labels: Mapping[HistoryKey, Labelled]) -> Counts:
    """Units against the history review: tp = block, fp = pass (no recall in history)."""
    keys = set(units)
    tp = sum(1 for k in keys if k in labels and labels[k].verdict == "block")
    fp = sum(1 for k in keys if k in labels and labels[k].verdict == "pass")
    return Counts(len(keys), tp, fp, 0, sum(1 for k in keys if k not in labels))


def score_history_distinct(units: Iterable[HistoryKey],
                           labels: Mapping[HistoryKey, Labelled]) -> Counts:
    """Units grouped by (path, rule): tp when any labelled place is block, fp when every
    place is labelled pass, unlabelled otherwise."""
    groups: dict[tuple[str, str], list[str | None]] = {}
    for k in set(units):
        lab = labels.get(k)
        groups.setdefault((k[1], k[2]), []).append(lab.verdict if lab else None)
    tp = sum(1 for v in groups.values() if "block" in v)
    fp = sum(1 for v in groups.values() if v and all(x == "pass" for x in v))
    return Counts(len(groups), tp, fp, 0, len(groups) - tp - fp)
