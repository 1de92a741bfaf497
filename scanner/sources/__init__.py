"""Where content comes from: files and folders, the git index, commit ranges, history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scanner.config import Config

# Input we should have read and could not: the exit code is 2 (unless findings make it 1).
UNREAD = ("unreadable", "missing")


@dataclass(frozen=True)
class Skipped:
    """Something asked for but not scanned, with the reason (counted in the summary)."""

    path: str
    # binary | too_large | symlink | unreadable | missing | submodule | lfs | special | gitignored
    reason: str
    detail: str = ""
    explicit: bool = False  # named by the user (on the command line), not found in a folder

    @property
    def is_error(self) -> bool:
        """Input we should have read and could not: makes the exit code 2."""
        return self.reason in UNREAD or (self.explicit and self.reason == "special")


def is_unread(reason: str, path: str, config: Config) -> bool:
    """Whether a skip leaves input unread: missing or unreadable content, and a file too
    large to read unless the configuration allowlists its path (a big file is no way round
    the guard)."""
    if reason in UNREAD:
        return True
    if reason == "too_large":
        from scanner.policy.globs import path_matches

        return not path_matches(path, config.allowlist.paths)
    return False
