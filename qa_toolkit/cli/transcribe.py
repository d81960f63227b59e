"""`qa transcribe`: Transcribe recorded calls with Whisper."""

from __future__ import annotations

from qa_toolkit.cli.placeholders import placeholder

app = placeholder("transcribe", "Transcribe recorded calls with Whisper.")
