"""The plain data every report is computed from.

Services fill these from the database (``qa_toolkit.services.report_data``); the report
functions in this package only ever see these dataclasses, so they are tested without storage
and do not depend on how evaluations are stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

EVALUATION_KINDS = ("auto", "review")  # calibration evaluations never reach reports


@dataclass(frozen=True)
class Contact:
    """One interaction with the fields the KPIs need.

    Attributes:
        handle_s: talk + hold + after-call work in seconds, when known (see :func:`handle_time`).
        resolved_at: when it was resolved (metadata ``resolved_at``, else the end), for resolved ones.
        quality: the mean auto-evaluation score of this interaction (0–100), if scored.
        review_quality: the mean peer-review score, if reviewed.
    """

    id: int
    ref: str
    agent: str | None = None
    agent_name: str | None = None
    team: str | None = None
    queue: str | None = None
    topic: str | None = None
    customer: str | None = None
    channel: str = "chat"
    started_at: datetime | None = None
    resolved_at: datetime | None = None
    handle_s: float | None = None
    csat: int | None = None
    nps: int | None = None
    ces: float | None = None
    resolved: bool | None = None
    escalated: bool | None = None
    quality: float | None = None
    review_quality: float | None = None


@dataclass(frozen=True)
class AgentInfo:
    """An agent as reports show them."""

    id: str
    name: str
    team: str | None = None
    hired_at: date | None = None


@dataclass(frozen=True)
class TrainingModule:
    """A training module a rubric recommends when a criterion fails."""

    key: str
    title: str
    url: str | None = None


@dataclass(frozen=True)
class CheckAccuracy:
    """An automated check's measured accuracy: held-out F1 and accuracy recorded when its rubric version
    was tuned (``qa rubric tune``), and why its figures are unreliable when reviews drifted away."""

    check: str
    f1: float | None = None
    accuracy: float | None = None
    n: int = 0
    unreliable: str | None = None

    def text(self) -> str:
        """``check F1 0.82 (n 77)``, ``check not measured``, with ``UNRELIABLE`` and why when it drifted."""
        if self.f1 is None and self.accuracy is None:
            shown = "check not measured"
        else:
            figure = f"F1 {self.f1:.2f}" if self.f1 is not None else f"accuracy {self.accuracy:.2f}"
            shown = f"check {figure} (n {self.n})"
        return shown + (f" — UNRELIABLE: {self.unreliable}" if self.unreliable else "")


@dataclass(frozen=True)
class CriterionInfo:
    """A rubric criterion: where it sits, what it asks, what it costs to fail, and for an automated one
    its check's measured accuracy."""

    key: str
    category: str
    label: str
    critical: bool = False
    training: tuple[TrainingModule, ...] = ()
    accuracy: CheckAccuracy | None = None


@dataclass(frozen=True)
class RubricInfo:
    """The parts of a rubric version that reports need."""

    name: str
    categories: dict[str, str]  # key -> label, in rubric order
    criteria: dict[str, CriterionInfo]  # key -> info, in rubric order


@dataclass(frozen=True)
class Quote:
    """A quoted transcript turn: the evidence behind a verdict."""

    turn: int | None
    speaker: str
    text: str
    start_s: float | None = None
    at: datetime | None = None
    match: str | None = None  # the words the check pointed at, inside ``text``


@dataclass(frozen=True)
class CriterionResult:
    """One criterion's verdict in one evaluation.

    Attributes:
        value: normalised 0–100, None when not applicable.
        failed: the criterion failed (None when not applicable).
    """

    key: str
    value: float | None
    failed: bool | None
    critical_failed: bool = False
    evidence: tuple[Quote, ...] = ()
    note: str | None = None  # what the check or reviewer found ("no greeting in the first agent turn")
    comment: str | None = None  # a reviewer's comment on this criterion


@dataclass(frozen=True)
class Evaluation:
    """One auto or peer-review evaluation of one interaction (calibration ones are left out)."""

    id: int
    kind: str  # "auto" | "review"
    rubric: str
    agent: str
    interaction_id: int
    interaction_ref: str
    at: datetime
    score: float | None
    critical_failed: bool = False
    categories: dict[str, float | None] = field(default_factory=dict)
    criteria: tuple[CriterionResult, ...] = ()
    reviewer: str | None = None
    comment: str | None = None
