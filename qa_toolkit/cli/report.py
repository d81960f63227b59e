"""`qa report`: Coaching PDFs, training-gap summaries and KPIs."""

from __future__ import annotations

from qa_toolkit.cli.placeholders import placeholder

app = placeholder("report", "Coaching PDFs, training-gap summaries and KPIs.")
