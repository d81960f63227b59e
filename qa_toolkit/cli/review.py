"""`qa review`: Peer review: sample, assign, review, calibrate, dispute."""

from __future__ import annotations

from qa_toolkit.cli.placeholders import placeholder

app = placeholder("review", "Peer review: sample, assign, review, calibrate, dispute.")
