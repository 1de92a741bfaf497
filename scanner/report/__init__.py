"""Reporters: one module per output format, each a `render(result, ...) -> str`."""

from __future__ import annotations

FORMATS = ("text", "json", "sarif", "github")
