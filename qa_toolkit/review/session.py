"""What a review session shows: the transcript, the criteria, what blind mode hides, the draft.

Plain data built by the services and drawn by the terminal app (:mod:`qa_toolkit.review.app`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from qa_toolkit.review.criteria import ReviewCriterion, Scoresheet


@dataclass(frozen=True)
class TranscriptLine:
    """One turn as shown: index, speaker, a timestamp (``mm:ss`` or clock time) and the stored text."""

    index: int
    speaker: str
    when: str
    text: str


@dataclass(frozen=True)
class AutoVerdict:
    """The automated verdict on one criterion, with the turns its evidence points at."""

    value: float | None
    status: str
    message: str | None = None
    turns: tuple[int, ...] = ()


@dataclass
class ReviewContext:
    """Everything a reviewer's session needs for one assignment.

    In blind mode the agent's name, the automated score and verdicts, and other reviews are held
    here but the app shows them only once the review is submitted.
    """

    assignment_id: int
    interaction: str
    channel: str
    rubric: str
    criteria: list[ReviewCriterion]
    transcript: list[TranscriptLine]
    blind: bool = False
    agent: str | None = None
    auto_score: float | None = None
    auto: dict[str, AutoVerdict] = field(default_factory=dict)
    other_reviews: list[tuple[str, float | None]] = field(default_factory=list)
    draft: Scoresheet = field(default_factory=Scoresheet)
    evidence_always: bool = False
    calibration: bool = False


def timestamp(start_s: float | None, at: datetime | None, origin: datetime | None) -> str:
    """``mm:ss`` from the start of the interaction, else the clock time, else empty."""
    if start_s is None and at is not None and origin is not None:
        start_s = (at - origin).total_seconds()
    if start_s is not None:
        minutes, seconds = divmod(int(round(start_s)), 60)
        return f"{minutes:02d}:{seconds:02d}"
    return at.strftime("%H:%M:%S") if at is not None else ""
