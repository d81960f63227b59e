"""Ingest: bring interactions in from outside.

Chat-log import (canonical JSON Lines, CSV, plain-text transcripts, ABCD, Zendesk and Intercom
exports) parsed as a stream into canonical conversations, PII redaction on the way in (card
numbers, SSNs, e-mail addresses, phone numbers replaced by typed placeholders), and the
idempotent, batched storage of conversations and their turns.
"""

FORMATS = ("auto", "jsonl", "json", "csv", "text", "abcd", "zendesk", "intercom")
"""Chat formats ``qa import chats --format`` accepts (``auto`` detects them from the content)."""
