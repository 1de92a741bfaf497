"""sealguard: keep plaintext secrets out of Git for GitOps teams."""

from __future__ import annotations

__version__ = "0.1.0"
