"""Feedback on automated evidence from the review session: wrong verdict, wrong evidence, the turn that
holds the missing evidence.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "evidence_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=True),
        sa.Column("auto_evaluation_id", sa.Integer(), nullable=True),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("criterion_key", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("turn", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('wrong_verdict', 'wrong_evidence', 'missing_evidence')",
                           name=op.f("ck_evidence_feedback_kind")),
        sa.ForeignKeyConstraint(["interaction_id"], ["interactions.id"], ondelete="CASCADE",
                                name=op.f("fk_evidence_feedback_interaction_id_interactions")),
        sa.ForeignKeyConstraint(["evaluation_id"], ["evaluations.id"], ondelete="SET NULL",
                                name=op.f("fk_evidence_feedback_evaluation_id_evaluations")),
        sa.ForeignKeyConstraint(["auto_evaluation_id"], ["evaluations.id"], ondelete="SET NULL",
                                name=op.f("fk_evidence_feedback_auto_evaluation_id_evaluations")),
        sa.ForeignKeyConstraint(["reviewer_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_evidence_feedback_reviewer_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_feedback")),
    )
    op.create_index("ix_evidence_feedback_interaction_criterion", "evidence_feedback",
                    ["interaction_id", "criterion_key"])


def downgrade() -> None:
    op.drop_index("ix_evidence_feedback_interaction_criterion", table_name="evidence_feedback")
    op.drop_table("evidence_feedback")
