"""Peer review: sample interactions, assign them fairly, open a reviewer's session, save drafts, submit.

Every create or change writes an audit event. Who may do what: leads and admins sample and
assign; the assigned reviewer (of any reviewing role) scores; agents see only their own evaluations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from qa_toolkit.errors import NotFoundError, QAError
from qa_toolkit.review import assignment as fair
from qa_toolkit.review import sampling
from qa_toolkit.review.criteria import Scoresheet, validate
from qa_toolkit.review.scores_file import load_scores
from qa_toolkit.review.session import AutoVerdict, ReviewContext, TranscriptLine, timestamp
from qa_toolkit.services import audit, review_scoring, roles
from qa_toolkit.storage import locks
from qa_toolkit.storage.models import (
    Agent,
    Evaluation,
    Interaction,
    ReviewAssignment,
    ReviewerCapacity,
    ReviewSample,
    RubricVersion,
    Turn,
    User,
)

OPEN = ("assigned", "draft")


def assignment_as_dict(item: ReviewAssignment, *, hide_agent: bool = False) -> dict[str, Any]:
    """An assignment as plain data (``hide_agent`` for blind assignments shown to their reviewer)."""
    agent = item.interaction.agent
    return {
        "id": item.id,
        "interaction": item.interaction.external_id,
        "channel": item.interaction.channel,
        "agent": None if hide_agent and item.blind else (agent.external_id if agent else None),
        "rubric": f"{item.rubric_version.name} v{item.rubric_version.version}",
        "reviewer": item.reviewer.name if item.reviewer else None,
        "status": item.status,
        "blind": item.blind,
        "double": item.double,
        "reason": item.reason,
        "sample": item.sample_id,
        "calibration": item.calibration_session_id,
        "evaluation": item.evaluation_id,
    }


def _audit(session: Session, actor: str | None, action: str, item: ReviewAssignment,
           before: dict[str, Any] | None = None) -> None:
    audit.record(session, actor=actor, action=action, entity_type="assignment", entity_id=item.id,
                 before=before, after=assignment_as_dict(item))


def _under_review(session: Session, rubric_name: str) -> set[int]:
    """Interactions with a (non-calibration, non-cancelled) assignment for any version of the rubric."""
    return set(session.scalars(
        select(ReviewAssignment.interaction_id).join(RubricVersion)
        .where(RubricVersion.name == rubric_name, ReviewAssignment.calibration_session_id.is_(None),
               ReviewAssignment.status != "cancelled")))


def _sentiment_end(turns: Sequence[Turn]) -> float | None:
    """Compound VADER sentiment of the customer's last two turns (None without customer turns)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    last = [t.text for t in turns if t.speaker == "customer"][-2:]
    if not last:
        return None
    return SentimentIntensityAnalyzer().polarity_scores(" ".join(last))["compound"]


def candidates(session: Session, version: RubricVersion, *, since: datetime | None = None,
               with_sentiment: bool = False) -> list[sampling.Candidate]:
    """The interactions the rubric applies to, as sampling candidates with their automated results."""
    channels, queues = review_scoring.rubric_scope(version)
    query = select(Interaction).where(Interaction.channel.in_(channels)).order_by(Interaction.id)
    if queues:
        query = query.where(Interaction.queue.in_(queues))
    if since is not None:
        query = query.where(Interaction.started_at >= (since if since.tzinfo else since.replace(tzinfo=timezone.utc)))
    if with_sentiment:
        query = query.options(selectinload(Interaction.turns))
    autos = {e.interaction_id: e for e in session.scalars(
        select(Evaluation).join(RubricVersion)
        .where(Evaluation.kind == "auto", Evaluation.is_current.is_(True), RubricVersion.name == version.name)
        .order_by(Evaluation.id))}
    result = []
    for interaction in session.scalars(query):
        auto = autos.get(interaction.id)
        result.append(sampling.Candidate(
            interaction_id=interaction.id, agent_id=interaction.agent_id, queue=interaction.queue,
            channel=interaction.channel, started_at=interaction.started_at,
            auto_score=auto.score if auto else None, critical_failed=bool(auto and auto.critical_failed),
            sentiment_end=_sentiment_end(interaction.turns) if with_sentiment else None,
            escalated=interaction.escalated, csat=interaction.csat))
    return result


def sample(session: Session, *, rubric: str, per_agent: int | None = None, percent: float | None = None,
           strategy: str = "random", stratify_by: str = "agent", since: datetime | None = None,
           seed: int | None = None, targets: sampling.Targets | None = None,
           actor: str | None) -> tuple[ReviewSample, list[ReviewAssignment]]:
    """Draw a sample for review: one unassigned item per picked interaction.

    Raises:
        NotAllowedError: the actor is not a lead or admin. NotFoundError: unknown rubric.
        QAError: bad sample options, or nothing left to sample.
    """
    roles.require(session, actor, roles.MANAGE, "draw review samples")
    # samples drawn at the same time would pick the same interactions: the second waits for the first
    locks.serialize(session, "qa review", table="review_assignments")
    version = review_scoring.latest_version(session, rubric)
    pool = candidates(session, version, since=since, with_sentiment=strategy == "targeted")
    picks = sampling.sample(pool, per_agent=per_agent, percent=percent, strategy=strategy, stratify_by=stratify_by,
                            seed=seed, exclude=_under_review(session, version.name), targets=targets)
    if not picks:
        raise QAError(f"nothing to sample for rubric {rubric!r}: no matching interaction is left unreviewed"
                      + (f" since {since:%Y-%m-%d}" if since else ""))
    params = {"per_agent": per_agent, "percent": percent, "stratify_by": stratify_by, "seed": seed,
              "since": since.isoformat() if since else None, "candidates": len(pool)}
    drawn = ReviewSample(rubric_version=version, strategy=strategy, params=params, created_by=actor)
    session.add(drawn)
    session.flush()
    items = [ReviewAssignment(sample_id=drawn.id, interaction_id=p.interaction_id, rubric_version=version,
                              status="unassigned", reason=p.reason) for p in picks]
    session.add_all(items)
    session.flush()
    audit.record(session, actor=actor, action="review.sample", entity_type="review_sample", entity_id=drawn.id,
                 after={"rubric": f"{version.name} v{version.version}", "strategy": strategy, **params,
                        "interactions": [i.interaction.external_id for i in items]})
    return drawn, items


def set_capacity(session: Session, reviewer: str, capacity: int | None, *, actor: str | None) -> None:
    """Set (or with None remove) how many open assignments a reviewer can hold."""
    roles.require(session, actor, roles.MANAGE, "set reviewer capacity")
    if capacity is not None and capacity < 0:
        raise QAError(f"capacity must be 0 or more, got {capacity}")
    user = roles.acting(session, reviewer)
    row = session.get(ReviewerCapacity, user.id)
    before = {"capacity": row.capacity} if row else None
    if capacity is None:
        if row:
            session.delete(row)
    elif row:
        row.capacity = capacity
    else:
        session.add(ReviewerCapacity(user_id=user.id, capacity=capacity))
    audit.record(session, actor=actor, action="reviewer.capacity", entity_type="user", entity_id=user.name,
                 before=before, after=None if capacity is None else {"capacity": capacity})


def _open_count(session: Session, user: User) -> int:
    return session.scalar(select(func.count()).select_from(ReviewAssignment)
                          .where(ReviewAssignment.reviewer_id == user.id, ReviewAssignment.status.in_(OPEN))) or 0


def assign(session: Session, *, reviewers: Sequence[str], sample_id: int | None = None, double_share: float = 0.0,
           blind: bool = False, balance_open: bool = True, seed: int | None = None,
           actor: str | None) -> list[ReviewAssignment]:
    """Assign unassigned sampled items (of one sample, or all) to reviewers, fairly.

    With ``balance_open`` the reviewers' open assignments count too, so their whole workload evens
    out; otherwise only this batch is balanced.

    Raises:
        NotAllowedError: the actor is not a lead or admin; a named reviewer is an agent.
        QAError: nothing to assign, or no fair way to place every item (see :func:`fair.assign`).
    """
    roles.require(session, actor, roles.MANAGE, "assign reviews")
    # a second `qa review assign` at the same time waits for this one, then sees what it assigned
    locks.serialize(session, "qa review", table="review_assignments")
    users = [roles.acting(session, name) for name in reviewers]
    for user in users:
        if user.role not in roles.REVIEW:
            raise roles.NotAllowedError(f"{user.name} is an {user.role}, not a reviewer: only "
                                        f"{', '.join(roles.REVIEW)} can be assigned reviews")
    query = (select(ReviewAssignment).where(ReviewAssignment.status == "unassigned")
             .options(selectinload(ReviewAssignment.interaction)).order_by(ReviewAssignment.id))
    if sample_id is not None:
        query = query.where(ReviewAssignment.sample_id == sample_id)
    items = list(session.scalars(query))
    if not items:
        where = f"in sample {sample_id}" if sample_id is not None else "in any sample"
        raise QAError(f"nothing to assign {where}: draw one with `qa review sample`")
    team = []
    for user in users:
        row = session.get(ReviewerCapacity, user.id)
        holding = _open_count(session, user)
        room = None if row is None else max(0, row.capacity - holding)
        team.append(fair.Reviewer(user.name, agent_id=user.agent_id, capacity=room,
                                  holding=holding if balance_open else 0))
    plan = fair.assign([fair.Item(i.id, i.interaction.agent_id, i.interaction.external_id) for i in items], team,
                       double_share=double_share, seed=seed)
    by_id = {i.id: i for i in items}
    by_name = {u.name: u for u in users}
    done: list[ReviewAssignment] = []
    for planned in plan:
        item = by_id[planned.interaction_id]
        if item.reviewer_id is not None:  # the second copy of a double review
            item = ReviewAssignment(sample_id=item.sample_id, interaction_id=item.interaction_id,
                                    rubric_version_id=item.rubric_version_id, reason=item.reason)
            session.add(item)
        item.reviewer = by_name[planned.reviewer]
        item.status, item.blind, item.double = "assigned", blind, planned.double
        session.flush()
        _audit(session, actor, "assignment.assign", item, before={"status": "unassigned"})
        done.append(item)
    return done


def queue(session: Session, actor: str | None, *, include_done: bool = False) -> list[ReviewAssignment]:
    """The acting reviewer's open assignments (and submitted ones with ``include_done``), oldest first."""
    user = roles.require(session, actor, roles.REVIEW, "review interactions")
    statuses = (*OPEN, "submitted") if include_done else OPEN
    return list(session.scalars(
        select(ReviewAssignment).where(ReviewAssignment.reviewer_id == user.id,
                                       ReviewAssignment.status.in_(statuses))
        .options(selectinload(ReviewAssignment.interaction).selectinload(Interaction.agent),
                 selectinload(ReviewAssignment.rubric_version))
        .order_by(ReviewAssignment.id)))


def own_assignment(session: Session, assignment_id: int, actor: str | None) -> ReviewAssignment:
    """An assignment of the acting reviewer.

    Raises:
        NotFoundError: no such assignment. NotAllowedError: it belongs to someone else.
    """
    user = roles.require(session, actor, roles.REVIEW, "review interactions")
    item = session.get(ReviewAssignment, assignment_id)
    if item is None:
        raise NotFoundError(f"no assignment {assignment_id}: see `qa review queue`")
    if item.reviewer_id != user.id:
        owner = item.reviewer.name if item.reviewer else "nobody yet"
        raise roles.NotAllowedError(f"assignment {assignment_id} is assigned to {owner}, not to {user.name}")
    return item


def next_open(session: Session, actor: str | None) -> ReviewAssignment:
    """The acting reviewer's oldest open assignment (drafts first).

    Raises:
        QAError: the queue is empty.
    """
    items = queue(session, actor)
    if not items:
        raise QAError(f"{actor} has no open assignments: nothing to review")
    return sorted(items, key=lambda i: (i.status != "draft", i.id))[0]


def context(session: Session, item: ReviewAssignment, *, evidence_always: bool = False) -> ReviewContext:
    """What the review session shows for an assignment (blind items keep hidden data for after submit)."""
    interaction = item.interaction
    version = item.rubric_version
    origin = interaction.started_at or next((t.at for t in interaction.turns if t.at is not None), None)
    auto = review_scoring.auto_evaluation(session, interaction.id, version)
    verdicts = {key: AutoVerdict(r.value, r.status, r.message,
                                 tuple(e["turn"] for e in (r.evidence or []) if isinstance(e, dict)
                                       and isinstance(e.get("turn"), int)))
                for key, r in review_scoring.results_of(auto).items()}
    others = session.scalars(
        select(Evaluation).where(Evaluation.interaction_id == interaction.id, Evaluation.kind == "review",
                                 Evaluation.is_current.is_(True), Evaluation.rubric_version_id == version.id)
        .order_by(Evaluation.id))
    return ReviewContext(
        assignment_id=item.id,
        interaction=interaction.external_id,
        channel=interaction.channel,
        rubric=f"{version.name} v{version.version}",
        criteria=review_scoring.criteria_of(version),
        transcript=[TranscriptLine(t.index, t.speaker, timestamp(t.start_s, t.at, origin), t.text)
                    for t in interaction.turns],
        blind=item.blind,
        agent=interaction.agent.name if interaction.agent else None,
        auto_score=auto.score if auto else None,
        auto=verdicts,
        other_reviews=[(e.reviewer.name if e.reviewer else "?", e.score) for e in others
                       if e.reviewer_id != item.reviewer_id],
        draft=Scoresheet.from_dict(item.draft),
        evidence_always=evidence_always,
        calibration=item.calibration_session_id is not None,
    )


def save_draft(session: Session, assignment_id: int, sheet: Scoresheet, *, actor: str | None) -> ReviewAssignment:
    """Keep unsubmitted scores and comments so the session can be resumed."""
    item = own_assignment(session, assignment_id, actor)
    if item.status not in OPEN:
        raise QAError(f"assignment {assignment_id} is {item.status}: drafts only for open assignments")
    before = {"status": item.status, "draft": item.draft}
    item.draft = sheet.as_dict()
    item.status = "draft"
    session.flush()
    _audit(session, actor, "assignment.draft", item, before=before)
    return item


def submit(session: Session, assignment_id: int, sheet: Scoresheet, *, actor: str | None) -> Evaluation:
    """Turn a reviewer's scoresheet into an evaluation (``review``, or ``calibration`` in a calibration session).

    Raises:
        NotAllowedError: not the assigned reviewer. QAError: already submitted, or the scores are invalid.
    """
    item = own_assignment(session, assignment_id, actor)
    if item.status not in OPEN:
        raise QAError(f"assignment {assignment_id} is already {item.status}")
    criteria = review_scoring.criteria_of(item.rubric_version)
    auto = review_scoring.auto_evaluation(session, item.interaction_id, item.rubric_version)
    automated = set(review_scoring.results_of(auto))
    required = {c.key for c in criteria if c.mode == "manual" or c.key not in automated}
    feedback = dict(sheet.feedback)
    sheet = validate(dict(sheet.values), criteria, comments=sheet.comments, comment=sheet.comment, required=required)
    before = assignment_as_dict(item)
    evaluation = review_scoring.create_evaluation(
        session, interaction=item.interaction, version=item.rubric_version,
        kind="calibration" if item.calibration_session_id else "review", reviewer=item.reviewer, sheet=sheet,
        auto=auto, actor=actor)
    if feedback:
        from qa_toolkit.services import evidence_feedback

        evidence_feedback.store(session, interaction=item.interaction, evaluation=evaluation, auto=auto,
                                reviewer=item.reviewer, feedback=feedback, actor=actor)
    item.status, item.evaluation_id, item.draft = "submitted", evaluation.id, None
    item.submitted_at = evaluation.created_at
    session.flush()
    _audit(session, actor, "assignment.submit", item, before=before)
    audit.record(session, actor=actor, action="evaluation.create", entity_type="evaluation",
                 entity_id=evaluation.id, after=review_scoring.evaluation_as_dict(evaluation))
    return evaluation


def submit_file(session: Session, assignment_id: int, path: Path, *, actor: str | None) -> Evaluation:
    """``qa review submit``: read scores from a JSON/YAML file and submit them."""
    item = own_assignment(session, assignment_id, actor)
    criteria = review_scoring.criteria_of(item.rubric_version)
    return submit(session, assignment_id, load_scores(path, criteria, required=set()), actor=actor)


@dataclass(frozen=True)
class EvaluationFilter:
    """Which evaluations to list."""

    interaction: str | None = None
    agent: str | None = None
    history: bool = False


def evaluations(session: Session, actor: str | None, where: EvaluationFilter = EvaluationFilter()) -> list[Evaluation]:
    """Evaluations the actor may see: agents only their own, nobody those of an interaction they hold an open
    blind review of; ``history`` includes superseded versions."""
    user = roles.acting(session, actor)
    query = (select(Evaluation).join(Interaction).order_by(Evaluation.interaction_id, Evaluation.id)
             .options(selectinload(Evaluation.results)))
    if user.role == "agent":
        if user.agent_id is None:
            raise roles.NotAllowedError(f"{user.name} is an agent user without a linked agent: "
                                        "ask an admin to link it (`qa users add NAME --role agent --agent ID`)")
        query = query.where(Interaction.agent_id == user.agent_id, Evaluation.kind != "calibration")
    if where.agent:
        query = query.join(Agent, Interaction.agent_id == Agent.id).where(Agent.external_id == where.agent)
    if where.interaction:
        query = query.where(Interaction.external_id == where.interaction)
    if not where.history:
        query = query.where(Evaluation.is_current.is_(True))
    hidden = roles.hidden_from(session, user)
    if hidden:  # blind review holds: nothing of an interaction under open blind review by this user
        query = query.where(Evaluation.interaction_id.not_in(hidden))
    return list(session.scalars(query))
