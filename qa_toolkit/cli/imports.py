"""`qa import`: Import chat logs (JSONL, CSV, text, ABCD, Zendesk, Intercom)."""

from __future__ import annotations

from qa_toolkit.cli.placeholders import placeholder

app = placeholder("import", "Import chat logs (JSONL, CSV, text, ABCD, Zendesk, Intercom).")
