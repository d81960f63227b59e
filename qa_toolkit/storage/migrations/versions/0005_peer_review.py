"""Peer review: samples, assignments, calibration, disputes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "review_samples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rubric_version_id", sa.Integer(), nullable=False),
        sa.Column("strategy", sa.String(length=20), nullable=False),
        sa.Column("params", JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["rubric_version_id"], ["rubric_versions.id"],
                                name=op.f("fk_review_samples_rubric_version_id_rubric_versions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_samples")),
    )
    op.create_index(op.f("ix_review_samples_rubric_version_id"), "review_samples", ["rubric_version_id"])

    op.create_table(
        "calibration_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("rubric_version_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["rubric_version_id"], ["rubric_versions.id"],
                                name=op.f("fk_calibration_sessions_rubric_version_id_rubric_versions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_sessions")),
    )
    op.create_index(op.f("ix_calibration_sessions_rubric_version_id"), "calibration_sessions", ["rubric_version_id"])

    op.create_table(
        "calibration_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("is_gold", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["calibration_sessions.id"],
                                name=op.f("fk_calibration_participants_session_id_calibration_sessions"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_calibration_participants_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_participants")),
        sa.UniqueConstraint("session_id", "user_id", name="uq_calibration_participants_session_id_user_id"),
    )

    op.create_table(
        "review_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sample_id", sa.Integer(), nullable=True),
        sa.Column("calibration_session_id", sa.Integer(), nullable=True),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("rubric_version_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("blind", sa.Boolean(), nullable=False),
        sa.Column("double", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("draft", JSON, nullable=True),
        sa.Column("evaluation_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('unassigned', 'assigned', 'draft', 'submitted', 'cancelled')",
                           name=op.f("ck_review_assignments_status")),
        sa.ForeignKeyConstraint(["sample_id"], ["review_samples.id"],
                                name=op.f("fk_review_assignments_sample_id_review_samples"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["calibration_session_id"], ["calibration_sessions.id"],
                                name=op.f("fk_review_assignments_calibration_session_id_calibration_sessions"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["interaction_id"], ["interactions.id"],
                                name=op.f("fk_review_assignments_interaction_id_interactions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["rubric_version_id"], ["rubric_versions.id"],
                                name=op.f("fk_review_assignments_rubric_version_id_rubric_versions")),
        sa.ForeignKeyConstraint(["reviewer_id"], ["users.id"], name=op.f("fk_review_assignments_reviewer_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["evaluation_id"], ["evaluations.id"],
                                name=op.f("fk_review_assignments_evaluation_id_evaluations"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_assignments")),
    )
    op.create_index(op.f("ix_review_assignments_sample_id"), "review_assignments", ["sample_id"])
    op.create_index(op.f("ix_review_assignments_calibration_session_id"), "review_assignments",
                    ["calibration_session_id"])
    op.create_index("ix_review_assignments_reviewer_status", "review_assignments", ["reviewer_id", "status"])
    op.create_index("ix_review_assignments_interaction_rubric", "review_assignments",
                    ["interaction_id", "rubric_version_id"])

    op.create_table(
        "reviewer_capacities",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_reviewer_capacities_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_reviewer_capacities")),
    )

    op.create_table(
        "disputes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("raised_by", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("resolved_by", sa.String(length=200), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("new_evaluation_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('open', 'accepted', 'partial', 'rejected')", name=op.f("ck_disputes_status")),
        sa.ForeignKeyConstraint(["evaluation_id"], ["evaluations.id"],
                                name=op.f("fk_disputes_evaluation_id_evaluations"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["new_evaluation_id"], ["evaluations.id"],
                                name=op.f("fk_disputes_new_evaluation_id_evaluations"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disputes")),
    )
    op.create_index(op.f("ix_disputes_evaluation_id"), "disputes", ["evaluation_id"])
    op.create_index(op.f("ix_disputes_status"), "disputes", ["status"])


def downgrade() -> None:
    op.drop_index(op.f("ix_disputes_status"), table_name="disputes")
    op.drop_index(op.f("ix_disputes_evaluation_id"), table_name="disputes")
    op.drop_table("disputes")
    op.drop_table("reviewer_capacities")
    op.drop_index("ix_review_assignments_interaction_rubric", table_name="review_assignments")
    op.drop_index("ix_review_assignments_reviewer_status", table_name="review_assignments")
    op.drop_index(op.f("ix_review_assignments_calibration_session_id"), table_name="review_assignments")
    op.drop_index(op.f("ix_review_assignments_sample_id"), table_name="review_assignments")
    op.drop_table("review_assignments")
    op.drop_table("calibration_participants")
    op.drop_index(op.f("ix_calibration_sessions_rubric_version_id"), table_name="calibration_sessions")
    op.drop_table("calibration_sessions")
    op.drop_index(op.f("ix_review_samples_rubric_version_id"), table_name="review_samples")
    op.drop_table("review_samples")
