"""Calibration sessions: everyone scores the same interactions blind; reports compare them with the gold.

Calibration evaluations are stored with ``kind="calibration"``, so they never count toward an
agent's quality score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from qa_toolkit.errors import NotFoundError, QAError
from qa_toolkit.review import calibration as stats
from qa_toolkit.services import audit, review_scoring, roles
from qa_toolkit.storage.models import (
    CalibrationParticipant,
    CalibrationSession,
    Evaluation,
    Interaction,
    ReviewAssignment,
)


def find_interaction(session: Session, ref: str) -> Interaction:
    """An interaction by external id (or, failing that, by numeric database id).

    Raises:
        NotFoundError: none matches. QAError: the external id exists in several sources.
    """
    found = list(session.scalars(select(Interaction).where(Interaction.external_id == ref)))
    if len(found) > 1:
        raise QAError(f"interaction id {ref!r} exists in several sources ({', '.join(i.source for i in found)}): "
                      "give the database id instead")
    if not found and ref.isdigit():
        found = [i for i in [session.get(Interaction, int(ref))] if i is not None]
    if not found:
        raise NotFoundError(f"unknown interaction {ref!r}")
    return found[0]


def create(session: Session, *, rubric: str, interactions: Sequence[str], reviewers: Sequence[str],
           gold: str | None = None, name: str | None = None, actor: str | None) -> CalibrationSession:
    """Create a calibration session: one blind assignment per participant and interaction.

    The gold participant (default: the acting lead) is the reference the others are compared with.

    Raises:
        NotAllowedError: the actor is not a lead or admin, or a participant cannot review.
        QAError: no interactions or reviewers, or a participant is the agent of an interaction.
    """
    creator = roles.require(session, actor, roles.MANAGE, "create calibration sessions")
    if not interactions or not reviewers:
        raise QAError("a calibration session needs --interactions and --reviewers")
    version = review_scoring.latest_version(session, rubric)
    items = [find_interaction(session, ref) for ref in dict.fromkeys(interactions)]
    gold_user = roles.acting(session, gold) if gold else creator
    users = [roles.acting(session, n) for n in dict.fromkeys(reviewers) if n != gold_user.name]
    for user in [gold_user, *users]:
        if user.role not in roles.REVIEW:
            raise roles.NotAllowedError(f"{user.name} is an {user.role}: calibration participants must be one of "
                                        f"{', '.join(roles.REVIEW)}")
        for interaction in items:
            if user.agent_id is not None and user.agent_id == interaction.agent_id:
                raise QAError(f"{user.name} is the agent of interaction {interaction.external_id}: "
                              "nobody calibrates on their own interactions")
    calibration = CalibrationSession(name=name, rubric_version=version, created_by=actor)
    calibration.participants = [CalibrationParticipant(user=gold_user, is_gold=True)] + [
        CalibrationParticipant(user=u, is_gold=False) for u in users]
    session.add(calibration)
    session.flush()
    for user in [gold_user, *users]:
        for interaction in items:
            session.add(ReviewAssignment(calibration_session_id=calibration.id, interaction=interaction,
                                         rubric_version=version, reviewer=user, status="assigned", blind=True,
                                         reason="calibration"))
    session.flush()
    audit.record(session, actor=actor, action="calibration.create", entity_type="calibration_session",
                 entity_id=calibration.id, after={
                     "name": name, "rubric": f"{version.name} v{version.version}", "gold": gold_user.name,
                     "reviewers": [u.name for u in users], "interactions": [i.external_id for i in items]})
    return calibration


def get(session: Session, session_id: int) -> CalibrationSession:
    """A calibration session by id.

    Raises:
        NotFoundError: no such session.
    """
    calibration = session.get(CalibrationSession, session_id)
    if calibration is None:
        raise NotFoundError(f"no calibration session {session_id}: create one with `qa review calibrate create`")
    return calibration


def _ratings(session: Session, calibration: CalibrationSession) -> list[stats.Rating]:
    evaluations = session.scalars(
        select(Evaluation).join(ReviewAssignment, ReviewAssignment.evaluation_id == Evaluation.id)
        .where(ReviewAssignment.calibration_session_id == calibration.id)
        .options(selectinload(Evaluation.results), selectinload(Evaluation.reviewer)))
    return [stats.Rating(e.reviewer.name if e.reviewer else "?", e.interaction_id, e.score,
                         {r.criterion_key: r.value for r in e.results}) for e in evaluations]


def build_report(session: Session, calibration: CalibrationSession,
                 tolerance: stats.Tolerance | None = None) -> stats.CalibrationReport:
    """The statistics of one session (no role check: see :func:`report`)."""
    gold = next(p.user.name for p in calibration.participants if p.is_gold)
    scales = [stats.CriterionScale(c.key, tuple(p.value for p in c.points), c.level)
              for c in review_scoring.criteria_of(calibration.rubric_version)]
    return stats.report(_ratings(session, calibration), scales, gold, tolerance)


def report(session: Session, session_id: int, *, tolerance: stats.Tolerance | None = None,
           actor: str | None) -> stats.CalibrationReport:
    """``qa review calibrate report``: deviations from the gold, percent agreement, alpha per criterion.

    Raises:
        NotAllowedError: agents may not read calibration reports. QAError: the gold has not scored yet.
    """
    roles.require(session, actor, roles.READ_REPORTS, "read calibration reports")
    return build_report(session, get(session, session_id), tolerance)


@dataclass(frozen=True)
class Alignment:
    """One reviewer in one calibration session: agreement with the gold and mean |deviation|."""

    reviewer: str
    session_id: int
    session: str | None
    date: str
    overall_agreement: float | None
    criterion_agreement: float | None
    mean_abs_deviation: float | None
    calibrated: bool

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def alignment(session: Session, *, reviewer: str | None = None, tolerance: stats.Tolerance | None = None,
              actor: str | None) -> list[Alignment]:
    """Grading the graders: each reviewer's agreement with the gold, session after session (oldest first)."""
    roles.require(session, actor, ("lead", "trainer", "admin"), "see reviewer alignment")
    rows: list[Alignment] = []
    for calibration in session.scalars(select(CalibrationSession).order_by(CalibrationSession.created_at,
                                                                           CalibrationSession.id)):
        try:
            result = build_report(session, calibration, tolerance)
        except QAError:
            continue  # the gold has not scored yet
        for summary in result.reviewers:
            if reviewer and summary.reviewer != reviewer:
                continue
            rows.append(Alignment(summary.reviewer, calibration.id, calibration.name,
                                  calibration.created_at.date().isoformat(), summary.overall_agreement,
                                  summary.criterion_agreement, summary.mean_abs_deviation, summary.calibrated))
    return sorted(rows, key=lambda r: (r.reviewer, r.session_id))

