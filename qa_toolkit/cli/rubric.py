"""`qa rubric`: Validate, publish and show rubrics (scorecards)."""

from __future__ import annotations

from qa_toolkit.cli.placeholders import placeholder

app = placeholder("rubric", "Validate, publish and show rubrics (scorecards).")
