"""A bounded memo for the policies' judgements of strings, and the exhaustive switch (#13).

A GitOps history holds thousands of versions of the same manifests: a renovate bump changes
one line, every other key and value is judged again, with the same answer. The judgements
memoised here are pure functions of their string arguments (module constants only, no
configuration, no I/O), so a memoised answer is the answer; the memo is bounded, so memory
does not grow with history size.

SEALGUARD_EXHAUSTIVE=1 turns every shortcut of the policy layer off (this memo and the
document gate in policy/gate.py): the benchmark and tests compare both modes' findings.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

F = TypeVar("F", bound=Callable[..., object])

EXHAUSTIVE = os.environ.get("SEALGUARD_EXHAUSTIVE", "") not in ("", "0")
MAX_ENTRIES = 1 << 15


def pure(func: F) -> F:
    """Memoise `func` (arguments: strings and numbers) unless the check is exhaustive."""
    if EXHAUSTIVE:
        return func
    return lru_cache(maxsize=MAX_ENTRIES)(func)  # type: ignore[return-value]
