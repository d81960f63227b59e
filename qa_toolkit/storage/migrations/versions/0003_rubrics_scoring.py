"""Rubric versions and evaluations.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "rubric_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("channels", JSON, nullable=False),
        sa.Column("body", JSON, nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rubric_versions")),
        sa.UniqueConstraint("name", "version", name="uq_rubric_versions_name_version"),
        sa.UniqueConstraint("name", "content_hash", name="uq_rubric_versions_name_content_hash"),
    )
    op.create_index(op.f("ix_rubric_versions_name"), "rubric_versions", ["name"])

    op.create_table(
        "evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("rubric_version_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("critical_failed", sa.Boolean(), nullable=False),
        sa.Column("category_scores", JSON, nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.CheckConstraint("kind IN ('auto', 'review', 'calibration')", name=op.f("ck_evaluations_kind")),
        sa.ForeignKeyConstraint(["interaction_id"], ["interactions.id"],
                                name=op.f("fk_evaluations_interaction_id_interactions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["rubric_version_id"], ["rubric_versions.id"],
                                name=op.f("fk_evaluations_rubric_version_id_rubric_versions")),
        sa.ForeignKeyConstraint(["reviewer_id"], ["users.id"],
                                name=op.f("fk_evaluations_reviewer_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["supersedes_id"], ["evaluations.id"],
                                name=op.f("fk_evaluations_supersedes_id_evaluations"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluations")),
    )
    op.create_index("ix_evaluations_lookup", "evaluations", ["interaction_id", "rubric_version_id", "kind"])
    op.create_index(op.f("ix_evaluations_rubric_version_id"), "evaluations", ["rubric_version_id"])
    op.create_index(op.f("ix_evaluations_reviewer_id"), "evaluations", ["reviewer_id"])
    op.create_index(op.f("ix_evaluations_created_at"), "evaluations", ["created_at"])

    op.create_table(
        "criterion_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("criterion_key", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("normalized", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("evidence", JSON, nullable=False),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=10), nullable=False),
        sa.CheckConstraint("status IN ('pass', 'fail', 'na')", name=op.f("ck_criterion_results_status")),
        sa.CheckConstraint("decided_by IN ('auto', 'user')", name=op.f("ck_criterion_results_decided_by")),
        sa.ForeignKeyConstraint(["evaluation_id"], ["evaluations.id"],
                                name=op.f("fk_criterion_results_evaluation_id_evaluations"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_criterion_results")),
        sa.UniqueConstraint("evaluation_id", "criterion_key",
                            name="uq_criterion_results_evaluation_id_criterion_key"),
    )


def downgrade() -> None:
    op.drop_table("criterion_results")
    op.drop_index(op.f("ix_evaluations_created_at"), table_name="evaluations")
    op.drop_index(op.f("ix_evaluations_reviewer_id"), table_name="evaluations")
    op.drop_index(op.f("ix_evaluations_rubric_version_id"), table_name="evaluations")
    op.drop_index("ix_evaluations_lookup", table_name="evaluations")
    op.drop_table("evaluations")
    op.drop_index(op.f("ix_rubric_versions_name"), table_name="rubric_versions")
    op.drop_table("rubric_versions")
