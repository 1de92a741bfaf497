"""The few errors sealguard raises on purpose, and the exit codes they map to."""

from __future__ import annotations

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class SealguardError(Exception):
    """An expected failure with a message fit for the user (exit code 2)."""

    exit_code = EXIT_USAGE


class ConfigError(SealguardError):
    """The configuration file or a rule pack is invalid."""


class GitError(SealguardError):
    """A git command failed or the repository is not in the state we need."""


class RuleError(ConfigError):
    """A rule is malformed."""
