"""sealguard: keep plaintext secrets out of Git for GitOps teams."""

from __future__ import annotations

__version__ = "0.2.0.dev0"  # the only place; see CHANGELOG.md ("Releasing")
