"""The database schema as typed SQLAlchemy 2.0 models.

Every change to these models comes with a new Alembic revision in ``migrations/versions``;
``tests/test_migrations.py`` fails when the two disagree.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONType = JSON().with_variant(JSONB(), "postgresql")

CHANNELS = ("call", "chat", "email")
SPEAKERS = ("agent", "customer", "system", "unknown", "agent_2", "other")  # agent_2, other: revision 0010
ROLES = ("reviewer", "lead", "trainer", "agent", "admin")


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(timezone.utc)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _one_of(column: str, values: tuple[str, ...]) -> str:
    """``_in`` as a CASE expression, for tables written in bulk: SQLite evaluates an IN list by building a
    lookup table for every inserted row (revision 0006)."""
    return f"CASE {column} {' '.join(f'WHEN {v!r} THEN 1' for v in values)} ELSE 0 END = 1"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSONType, list[str]: JSONType}


class Agent(Base):
    """A customer-service agent whose interactions are scored."""

    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    team: Mapped[str | None] = mapped_column(String(200), index=True)
    hired_at: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    interactions: Mapped[list[Interaction]] = relationship(back_populates="agent")


class User(Base):
    """A person using the toolkit: reviewer, team lead, trainer, agent or admin."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # web log-in (revision 0008): argon2 hash of the password (None: cannot log in); a lead's team
    password_hash: Mapped[str | None] = mapped_column(String(200))
    team: Mapped[str | None] = mapped_column(String(200))

    agent: Mapped[Agent | None] = relationship()


class Interaction(Base):
    """One call, chat or e-mail thread, keyed by where it came from and its id there."""

    __tablename__ = "interactions"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_interactions_source_external_id"),
        CheckConstraint(_in("channel", CHANNELS), name="channel"),
        Index("ix_interactions_agent_started", "agent_id", "started_at"),  # an agent's or team's period (0008)
        # the overview sums a period from this index alone (0012)
        Index("ix_interactions_overview", "started_at", "agent_id", "queue", "csat", "nps", "escalated", "resolved"),
        Index("ix_interactions_updated_at", "updated_at"),  # the overview's cache stamp (0012)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(100))
    external_id: Mapped[str] = mapped_column(String(300))
    channel: Mapped[str] = mapped_column(String(10))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"), index=True)
    customer_external_id: Mapped[str | None] = mapped_column(String(300), index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    duration_s: Mapped[float | None] = mapped_column(Float)
    queue: Mapped[str | None] = mapped_column(String(200))
    topic: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(20))
    csat: Mapped[int | None] = mapped_column(Integer)
    nps: Mapped[int | None] = mapped_column(Integer)
    ces: Mapped[int | None] = mapped_column(Integer)
    resolved: Mapped[bool | None]
    escalated: Mapped[bool | None]
    tags: Mapped[list[str]] = mapped_column(default=list)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    # chat import (revision 0002): idempotent re-import, hand labels, whether PII was redacted
    content_hash: Mapped[str | None] = mapped_column(String(64))
    labels: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    pii_redacted: Mapped[bool | None]

    agent: Mapped[Agent | None] = relationship(back_populates="interactions")
    turns: Mapped[list[Turn]] = relationship(
        back_populates="interaction", order_by="Turn.index", cascade="all, delete-orphan"
    )


class Turn(Base):
    """One utterance or message in an interaction, in order."""

    __tablename__ = "turns"
    __table_args__ = (
        UniqueConstraint("interaction_id", "index", name="uq_turns_interaction_id_index"),
        CheckConstraint(_one_of("speaker", SPEAKERS), name="speaker"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interactions.id", ondelete="CASCADE"))
    index: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(10))
    start_s: Mapped[float | None] = mapped_column(Float)
    end_s: Mapped[float | None] = mapped_column(Float)
    at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    text: Mapped[str] = mapped_column(Text)
    # chat import (revision 0002): private notes the customer never saw
    internal: Mapped[bool] = mapped_column(default=False, server_default=false())

    interaction: Mapped[Interaction] = relationship(back_populates="turns")


class AuditEvent(Base):
    """Who changed what, when, with the record before and after."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    entity_type: Mapped[str] = mapped_column(String(100))
    entity_id: Mapped[str | None] = mapped_column(String(300))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONType)


# --- rubrics & scoring (revision 0003) ---

EVALUATION_KINDS = ("auto", "review", "calibration")
CRITERION_STATUSES = ("pass", "fail", "na")
DECIDERS = ("auto", "user")


class RubricVersion(Base):
    """One published, immutable version of a rubric, keyed by the hash of its content."""

    __tablename__ = "rubric_versions"
    __table_args__ = (
        UniqueConstraint("name", "version", name="uq_rubric_versions_name_version"),
        UniqueConstraint("name", "content_hash", name="uq_rubric_versions_name_content_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    channels: Mapped[list[str]] = mapped_column(default=list)
    body: Mapped[dict[str, Any]] = mapped_column()
    source: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_by: Mapped[str | None] = mapped_column(String(200))


class Evaluation(Base):
    """A scored interaction against one rubric version: automated, a peer review, or calibration.

    Disputes add a new version (``supersedes_id`` points at the previous one, which stops being
    ``is_current``); calibration evaluations never count toward an agent's score.
    """

    __tablename__ = "evaluations"
    __table_args__ = (
        CheckConstraint(_in("kind", EVALUATION_KINDS), name="kind"),
        Index("ix_evaluations_lookup", "interaction_id", "rubric_version_id", "kind"),
        Index("ix_evaluations_overview", "interaction_id", "is_current", "kind", "rubric_version_id", "score"),  # 0012
        # one current automated evaluation per interaction and rubric version, however many runs overlap
        Index("uq_evaluations_current_auto", "interaction_id", "rubric_version_id", unique=True,
              sqlite_where=text("kind = 'auto' AND is_current = 1"),
              postgresql_where=text("kind = 'auto' AND is_current = true")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interactions.id", ondelete="CASCADE"))
    rubric_version_id: Mapped[int] = mapped_column(ForeignKey("rubric_versions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    score: Mapped[float | None] = mapped_column(Float)
    critical_failed: Mapped[bool] = mapped_column(default=False)
    category_scores: Mapped[dict[str, Any]] = mapped_column(default=dict)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    created_by: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("evaluations.id", ondelete="SET NULL"))
    is_current: Mapped[bool] = mapped_column(default=True)

    interaction: Mapped[Interaction] = relationship()
    rubric_version: Mapped[RubricVersion] = relationship()
    reviewer: Mapped[User | None] = relationship()
    results: Mapped[list[CriterionResult]] = relationship(
        back_populates="evaluation", order_by="CriterionResult.id", cascade="all, delete-orphan"
    )


class CriterionResult(Base):
    """One criterion's verdict in an evaluation: value, 0–100 normalisation (None for N/A), evidence."""

    __tablename__ = "criterion_results"
    __table_args__ = (
        UniqueConstraint("evaluation_id", "criterion_key", name="uq_criterion_results_evaluation_id_criterion_key"),
        CheckConstraint(_in("status", CRITERION_STATUSES), name="status"),
        CheckConstraint(_in("decided_by", DECIDERS), name="decided_by"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"))
    criterion_key: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(200))
    value: Mapped[float | None] = mapped_column(Float)
    normalized: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10))
    message: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    confidence: Mapped[float | None] = mapped_column(Float)
    comment: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(10), default="auto")

    evaluation: Mapped[Evaluation] = relationship(back_populates="results")


# --- peer review (revision 0005) ---

ASSIGNMENT_STATUSES = ("unassigned", "assigned", "draft", "submitted", "cancelled")
OPEN_ASSIGNMENT_ROWS = ("reviewer_id IS NOT NULL AND calibration_session_id IS NULL "
                        "AND status IN ('assigned', 'draft')")
DISPUTE_STATUSES = ("open", "accepted", "partial", "rejected")


class ReviewSample(Base):
    """One run of ``qa review sample``: which rubric version, how it was drawn (strategy, size, seed)."""

    __tablename__ = "review_samples"

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_version_id: Mapped[int] = mapped_column(ForeignKey("rubric_versions.id"), index=True)
    strategy: Mapped[str] = mapped_column(String(20))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(200))

    rubric_version: Mapped[RubricVersion] = relationship()


class CalibrationSession(Base):
    """Everyone scores the same interactions blind; the gold participant's scores are the reference."""

    __tablename__ = "calibration_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    rubric_version_id: Mapped[int] = mapped_column(ForeignKey("rubric_versions.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(200))

    rubric_version: Mapped[RubricVersion] = relationship()
    participants: Mapped[list[CalibrationParticipant]] = relationship(
        back_populates="session", order_by="CalibrationParticipant.id", cascade="all, delete-orphan"
    )


class CalibrationParticipant(Base):
    """A user taking part in a calibration session; ``is_gold`` marks the calibrator."""

    __tablename__ = "calibration_participants"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id", name="uq_calibration_participants_session_id_user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("calibration_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    is_gold: Mapped[bool] = mapped_column(default=False)

    session: Mapped[CalibrationSession] = relationship(back_populates="participants")
    user: Mapped[User] = relationship()


class ReviewAssignment(Base):
    """One interaction for one reviewer to score against one rubric version (a sampled item until assigned).

    ``draft`` holds unsubmitted scores and comments, so a session can be left and resumed;
    ``evaluation_id`` is the evaluation the submission created.
    """

    __tablename__ = "review_assignments"
    __table_args__ = (
        CheckConstraint(_in("status", ASSIGNMENT_STATUSES), name="status"),
        Index("ix_review_assignments_reviewer_status", "reviewer_id", "status"),
        Index("ix_review_assignments_interaction_rubric", "interaction_id", "rubric_version_id"),
        # a reviewer holds at most one open assignment of an interaction and rubric version (calibration apart)
        Index("uq_review_assignments_open", "reviewer_id", "interaction_id", "rubric_version_id", unique=True,
              sqlite_where=text(OPEN_ASSIGNMENT_ROWS), postgresql_where=text(OPEN_ASSIGNMENT_ROWS)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sample_id: Mapped[int | None] = mapped_column(ForeignKey("review_samples.id", ondelete="CASCADE"), index=True)
    calibration_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("calibration_sessions.id", ondelete="CASCADE"), index=True)
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interactions.id", ondelete="CASCADE"))
    rubric_version_id: Mapped[int] = mapped_column(ForeignKey("rubric_versions.id"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="unassigned")
    blind: Mapped[bool] = mapped_column(default=False)
    double: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str | None] = mapped_column(String(200))
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluations.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    interaction: Mapped[Interaction] = relationship()
    rubric_version: Mapped[RubricVersion] = relationship()
    reviewer: Mapped[User | None] = relationship()
    evaluation: Mapped[Evaluation | None] = relationship()


class ReviewerCapacity(Base):
    """How many open assignments a reviewer can hold at once."""

    __tablename__ = "reviewer_capacities"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    capacity: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class Dispute(Base):
    """An agent's (or lead's) objection to an evaluation, and how it was resolved.

    An accepted or partly accepted dispute points at the new evaluation version it created.
    """

    __tablename__ = "disputes"
    __table_args__ = (CheckConstraint(_in("status", DISPUTE_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"), index=True)
    raised_by: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[str | None] = mapped_column(String(200))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    new_evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluations.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    evaluation: Mapped[Evaluation] = relationship(foreign_keys=[evaluation_id])
    new_evaluation: Mapped[Evaluation | None] = relationship(foreign_keys=[new_evaluation_id])


# --- transcription (revision 0004) ---

RECORDING_STATUSES = ("pending", "running", "done", "failed")


class Recording(Base):
    """An audio file to transcribe, identified by the SHA-256 of its content (so renamed or re-copied
    files are not transcribed twice), with its status, failure reason, timings and resulting interaction."""

    __tablename__ = "recordings"
    __table_args__ = (CheckConstraint(_in("status", RECORDING_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(Text)
    size_bytes: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    failure_kind: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    duration_s: Mapped[float | None] = mapped_column(Float)
    channels: Mapped[int | None] = mapped_column(Integer)
    codec: Mapped[str | None] = mapped_column(String(50))
    model: Mapped[str | None] = mapped_column(String(200))
    backend: Mapped[str | None] = mapped_column(String(50))
    language: Mapped[str | None] = mapped_column(String(20))
    timings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    # what the transcript was made with (options, model, model hash, versions): revision 0011
    provenance: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    unassigned: Mapped[bool] = mapped_column(default=False)
    worker: Mapped[str | None] = mapped_column(String(200))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    interaction: Mapped[Interaction | None] = relationship()


# --- chat import (revision 0002) ---

PII_KINDS = ("card", "ssn", "email", "phone", "iban", "cvv", "expiry", "account")


class PIISpan(Base):
    """Where personal data was found in a turn: its kind, offsets in the original text, who said it.

    Never the value itself; the stored turn text has a placeholder such as ``[CARD]`` instead.
    """

    __tablename__ = "pii_spans"
    __table_args__ = (
        CheckConstraint(_in("kind", PII_KINDS), name="kind"),
        CheckConstraint(_in("speaker", SPEAKERS), name="speaker"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interactions.id", ondelete="CASCADE"), index=True)
    turn_index: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(10), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    # spoken PII (revision 0007): where in the recording it was said
    start_s: Mapped[float | None] = mapped_column(Float)
    end_s: Mapped[float | None] = mapped_column(Float)


# --- LLM judge cache (revision 0009) ---

LLM_VERDICTS = ("yes", "no", "na", "unverified")


class LlmJudgement(Base):
    """An LLM judge's answer, kept so a rescore asks the model only about what changed: keyed by rubric
    version, criterion, the conversation's content hash (as the model saw it), model and prompt hash."""

    __tablename__ = "llm_judgements"
    __table_args__ = (
        UniqueConstraint("rubric_version_id", "criterion_key", "content_hash", "model", "prompt_hash",
                         name="uq_llm_judgements_key"),
        CheckConstraint(_in("verdict", LLM_VERDICTS), name="verdict"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_version_id: Mapped[int] = mapped_column(ForeignKey("rubric_versions.id", ondelete="CASCADE"))
    criterion_key: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(200))
    prompt_hash: Mapped[str] = mapped_column(String(64))
    verdict: Mapped[str] = mapped_column(String(10))
    turn: Mapped[int | None] = mapped_column(Integer)
    quote: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- voices enrolled per agent (revision 0010) ---


class AgentVoice(Base):
    """An agent's enrolled voice: one speaker embedding (a unit vector, never audio) per embedding engine.

    Mono calls of this agent are then attributed by voice (``qa agents enroll-voice``).
    """

    __tablename__ = "agent_voices"
    __table_args__ = (UniqueConstraint("agent_id", "engine", name="uq_agent_voices_agent_id_engine"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    engine: Mapped[str] = mapped_column(String(50))
    embedding: Mapped[list[float]] = mapped_column(JSONType)
    files: Mapped[int] = mapped_column(Integer)
    speech_s: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    agent: Mapped[Agent] = relationship()


# --- feedback on automated evidence (revision 0014) ---

FEEDBACK_KINDS = ("wrong_verdict", "wrong_evidence", "missing_evidence")


class EvidenceFeedback(Base):
    """A reviewer's word on an automated verdict during a review: the verdict is wrong, its quote is wrong
    evidence, or a turn holds the evidence the check missed (``turn``). Counted by ``qa score eval
    --from-reviews``; the turns pointed at become exemplars in ``qa rubric tune``."""

    __tablename__ = "evidence_feedback"
    __table_args__ = (
        CheckConstraint(_in("kind", FEEDBACK_KINDS), name="kind"),
        Index("ix_evidence_feedback_interaction_criterion", "interaction_id", "criterion_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interactions.id", ondelete="CASCADE"))
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluations.id", ondelete="SET NULL"))
    auto_evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluations.id", ondelete="SET NULL"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    criterion_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    turn: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OverviewSums:
    """The sums every overview figure follows from (see :class:`qa_toolkit.services.dashboard.Tally`)."""

    contacts: Mapped[int] = mapped_column(Integer, default=0)
    csat_n: Mapped[int] = mapped_column(Integer, default=0)
    csat_hits: Mapped[int] = mapped_column(Integer, default=0)
    nps_n: Mapped[int] = mapped_column(Integer, default=0)
    promoters: Mapped[int] = mapped_column(Integer, default=0)
    detractors: Mapped[int] = mapped_column(Integer, default=0)
    escalation_n: Mapped[int] = mapped_column(Integer, default=0)
    escalated: Mapped[int] = mapped_column(Integer, default=0)
    resolved_n: Mapped[int] = mapped_column(Integer, default=0)
    resolved: Mapped[int] = mapped_column(Integer, default=0)
    scored: Mapped[int] = mapped_column(Integer, default=0)
    score_sum: Mapped[float] = mapped_column(Float, default=0.0)
    passed: Mapped[int] = mapped_column(Integer, default=0)
    reviewed: Mapped[int] = mapped_column(Integer, default=0)
    review_sum: Mapped[float] = mapped_column(Float, default=0.0)


class OverviewFact(OverviewSums, Base):
    """One interaction's share of the overview (revision 0015): its UTC day, team and queue, and its sums.
    Kept by :mod:`qa_toolkit.storage.rollups` in the transaction that changes the interaction, its current
    evaluations or its agent. No foreign key: a deleted interaction's row is what tells which group it left."""

    __tablename__ = "overview_facts"
    __table_args__ = (Index("ix_overview_facts_group", "day", "team", "queue"),
                      Index("ix_overview_facts_agent_day", "agent_id", "day"))  # 0018: an agent's days

    interaction_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    day: Mapped[str] = mapped_column(String(10))
    team: Mapped[str] = mapped_column(String(200))
    queue: Mapped[str] = mapped_column(String(200))
    agent_id: Mapped[int | None] = mapped_column(Integer)


class OverviewRollup(OverviewSums, Base):
    """The overview's sums per UTC day, team and queue (revision 0015): the facts of that group added up."""

    __tablename__ = "overview_rollups"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    team: Mapped[str] = mapped_column(String(200), primary_key=True)
    queue: Mapped[str] = mapped_column(String(200), primary_key=True)


class OverviewWeek(OverviewSums, Base):
    """The overview's sums per week (its Monday, UTC), team and queue (revision 0016): the rollups of the
    week's days added up, so a long period reads a seventh of the rows."""

    __tablename__ = "overview_weeks"

    week: Mapped[str] = mapped_column(String(10), primary_key=True)
    team: Mapped[str] = mapped_column(String(200), primary_key=True)
    queue: Mapped[str] = mapped_column(String(200), primary_key=True)


class RollupChange(Base):
    """A change not yet folded into the rollups (revision 0015), written by database triggers on interactions,
    evaluations, agents and rubric versions: the interaction or agent it touched (neither: a new rubric version)."""

    __tablename__ = "rollup_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int | None] = mapped_column(Integer)
    agent_id: Mapped[int | None] = mapped_column(Integer)


class RollupState(Base):
    """One row: how many times the rollups were brought up to date (revision 0015); the web view's cache stamp."""

    __tablename__ = "rollup_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(Integer, default=0)


class VerdictRollup(Base):
    """An agent's verdicts of one UTC day and rubric summed one way (revision 0018), the team side of an agent
    page: ``kind`` "score" (``key`` empty): ``n`` scored verdicts, ``total`` their scores' sum (a row whenever
    the agent has a verdict that day); "category" (``key`` the category): ``n`` numeric category scores,
    ``total`` their sum; "criterion" (``key`` the criterion): ``n`` results that are not N/A, ``total`` the failures. Kept by
    :mod:`qa_toolkit.storage.verdict_rollups` in the transaction that changes the data."""

    __tablename__ = "verdict_rollups"
    __table_args__ = (  # a team's days are read from the key alone: rows stored in key order (SQLite), or the
        # sums held in the key's index (PostgreSQL: an index-only scan, not one heap page per row)
        PrimaryKeyConstraint("agent_id", "rubric", "kind", "day", "key", postgresql_include=["n", "total"]),
        {"sqlite_with_rowid": False},
    )

    agent_id: Mapped[int] = mapped_column(Integer, autoincrement=False)
    rubric: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    day: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(200))
    n: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[float] = mapped_column(Float, default=0.0)


# --- sentence embeddings kept between runs (revision 0017) ---


class EmbeddingCacheEntry(Base):
    """A sentence embedding of the semantic checks, kept so that no process embeds the same text twice: keyed by
    the model's id and a hash of the (redacted, as stored) sentence; the vector as float16 bytes. No text column:
    the sentence itself is never kept here."""

    __tablename__ = "embedding_cache"

    model: Mapped[str] = mapped_column(String(80), primary_key=True)
    text_hash: Mapped[bytes] = mapped_column(LargeBinary(16), primary_key=True)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


# --- check results kept between rubric versions (revision 0019) ---


class VerdictCacheEntry(Base):
    """What one check decided on one interaction, kept so that a rescore runs only the criteria whose check or
    parameters changed: keyed by the interaction and the step (a hash of the check, its parameters, the embedding
    model and the code), valid while ``content`` (a hash of what the checks read) still matches. ``result`` holds
    what the verdict stores (status, message, evidence quoting the text as stored, confidence) and goes with the
    interaction when it is deleted."""

    __tablename__ = "verdict_cache"

    interaction_id: Mapped[int] = mapped_column(ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True,
                                                autoincrement=False)
    step: Mapped[bytes] = mapped_column(LargeBinary(16), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary(16))
    result: Mapped[str] = mapped_column(Text)
