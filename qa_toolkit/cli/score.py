"""`qa score`: Score interactions automatically and measure check accuracy."""

from __future__ import annotations

from qa_toolkit.cli.placeholders import placeholder

app = placeholder("score", "Score interactions automatically and measure check accuracy.")
