"""Where content comes from: files and folders, the git index, commit ranges, history."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Skipped:
    """Something asked for but not scanned, with the reason (counted in the summary)."""

    path: str
    reason: str  # binary | too_large | symlink | unreadable | missing | submodule | lfs
    detail: str = ""

    @property
    def is_error(self) -> bool:
        """Input we should have read and could not: makes the exit code 2."""
        return self.reason in ("unreadable", "missing")
