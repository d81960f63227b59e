"""Disputes: an agent objects to an evaluation; a lead accepts (re-scored: a new evaluation version),
partly accepts (re-scored too) or rejects it. The old evaluation stays in the history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_toolkit.errors import NotFoundError, QAError
from qa_toolkit.review.criteria import Scoresheet
from qa_toolkit.review.scores_file import load_scores
from qa_toolkit.services import audit, review_scoring, roles
from qa_toolkit.storage.models import Dispute, Evaluation, Interaction, utcnow

DECISIONS = ("accepted", "partial", "rejected")


def dispute_as_dict(dispute: Dispute) -> dict[str, Any]:
    """A dispute as plain data."""
    return {
        "id": dispute.id,
        "evaluation": dispute.evaluation_id,
        "interaction": dispute.evaluation.interaction.external_id,
        "raised_by": dispute.raised_by,
        "reason": dispute.reason,
        "status": dispute.status,
        "resolution": dispute.resolution,
        "resolved_by": dispute.resolved_by,
        "new_evaluation": dispute.new_evaluation_id,
    }


def raise_dispute(session: Session, evaluation_id: int, reason: str, *, actor: str | None) -> Dispute:
    """Dispute an evaluation: agents their own, leads and admins any.

    Raises:
        NotAllowedError: not the agent of the interaction, or a role that cannot dispute.
        QAError: empty reason, not the current version, a calibration evaluation, or already disputed.
    """
    user = roles.require(session, actor, ("agent", "lead", "admin"), "dispute evaluations")
    evaluation = session.get(Evaluation, evaluation_id)
    if evaluation is None or (user.role == "agent" and evaluation.interaction.agent_id != user.agent_id):
        # agents do not learn whether other agents' evaluations exist
        raise NotFoundError(f"no evaluation {evaluation_id} among yours" if user.role == "agent"
                            else f"no evaluation {evaluation_id}")
    if not reason.strip():
        raise QAError("a dispute needs a reason: --reason TEXT")
    if evaluation.kind == "calibration":
        raise QAError(f"evaluation {evaluation_id} is a calibration evaluation: it does not count, nothing to dispute")
    if not evaluation.is_current:
        raise QAError(f"evaluation {evaluation_id} has been superseded: dispute the current version")
    if session.scalar(select(Dispute.id).where(Dispute.evaluation_id == evaluation_id, Dispute.status == "open")):
        raise QAError(f"evaluation {evaluation_id} already has an open dispute")
    dispute = Dispute(evaluation=evaluation, raised_by=user.name, reason=reason.strip(), status="open")
    session.add(dispute)
    session.flush()
    audit.record(session, actor=actor, action="dispute.raise", entity_type="dispute", entity_id=dispute.id,
                 after=dispute_as_dict(dispute))
    return dispute


def resolve(session: Session, dispute_id: int, decision: str, *, rescore: Path | None = None,
            comment: str | None = None, actor: str | None) -> Dispute:
    """Resolve an open dispute; accepted and partial ones need ``rescore`` and create a new evaluation version.

    The new version keeps every criterion the rescore file does not change (value, comment, who decided).

    Raises:
        NotAllowedError: only leads and admins resolve, never a dispute they raised or one about their own
            interaction (a lead who is also an agent). QAError: not open, unknown decision, missing rescore.
    """
    user = roles.require(session, actor, roles.MANAGE, "resolve disputes")
    if decision not in DECISIONS:
        raise QAError(f"unknown decision {decision!r}: choose {', '.join(DECISIONS)}")
    dispute = session.get(Dispute, dispute_id)
    if dispute is None:
        raise NotFoundError(f"no dispute {dispute_id}")
    if dispute.status != "open":
        raise QAError(f"dispute {dispute_id} is already {dispute.status}")
    if user.agent_id is not None and dispute.evaluation.interaction.agent_id == user.agent_id:
        raise roles.NotAllowedError(f"{user.name} may not resolve dispute {dispute_id}: it is about their own "
                                    "interaction (another lead or an admin resolves it)")
    if dispute.raised_by == user.name:
        raise roles.NotAllowedError(f"{user.name} may not resolve dispute {dispute_id}: they raised it "
                                    "(another lead or an admin resolves it)")
    before = dispute_as_dict(dispute)
    old = dispute.evaluation
    if decision == "rejected":
        if rescore is not None:
            raise QAError("a rejected dispute keeps the evaluation: drop --rescore")
    else:
        if rescore is None:
            raise QAError(f"an {'accepted' if decision == 'accepted' else 'partly accepted'} dispute needs "
                          "--rescore FILE with the corrected scores")
        if not old.is_current:
            raise QAError(f"evaluation {old.id} was superseded meanwhile: re-check the dispute")
        criteria = review_scoring.criteria_of(old.rubric_version)
        changes = load_scores(rescore, criteria, required=set())
        sheet = Scoresheet(values=changes.values, comments=changes.comments,
                           comment=changes.comment or comment or old.comment)
        new = review_scoring.create_evaluation(
            session, interaction=old.interaction, version=old.rubric_version, kind=old.kind, reviewer=user,
            sheet=sheet, auto=old, actor=actor, supersedes=old)
        dispute.new_evaluation = new
        audit.record(session, actor=actor, action="evaluation.rescore", entity_type="evaluation", entity_id=new.id,
                     before=review_scoring.evaluation_as_dict(old), after=review_scoring.evaluation_as_dict(new))
    dispute.status, dispute.resolution, dispute.resolved_by, dispute.resolved_at = decision, comment, user.name, utcnow()
    session.flush()
    audit.record(session, actor=actor, action=f"dispute.{decision}", entity_type="dispute", entity_id=dispute.id,
                 before=before, after=dispute_as_dict(dispute))
    return dispute


def list_disputes(session: Session, *, status: str | None = None, actor: str | None) -> list[Dispute]:
    """Disputes the actor may see (agents: on their own evaluations), oldest first."""
    user = roles.acting(session, actor)
    query = select(Dispute).join(Evaluation, Dispute.evaluation_id == Evaluation.id).join(Interaction).order_by(Dispute.id)
    if user.role == "agent":
        query = query.where(Interaction.agent_id == user.agent_id)
    elif user.role not in roles.MANAGE + ("trainer", "reviewer"):
        raise roles.NotAllowedError(f"{user.name} ({user.role}) may not list disputes")
    if status:
        query = query.where(Dispute.status == status)
    return list(session.scalars(query))

