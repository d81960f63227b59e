"""LLM judge cache: one row per (rubric version, criterion, content hash, model, prompt hash).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "llm_judgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rubric_version_id", sa.Integer(), nullable=False),
        sa.Column("criterion_key", sa.String(200), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("prompt_hash", sa.String(64), nullable=False),
        sa.Column("verdict", sa.String(10), nullable=False),
        sa.Column("turn", sa.Integer(), nullable=True),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("verdict IN ('yes', 'no', 'na', 'unverified')", name=op.f("ck_llm_judgements_verdict")),
        sa.ForeignKeyConstraint(["rubric_version_id"], ["rubric_versions.id"], ondelete="CASCADE",
                                name=op.f("fk_llm_judgements_rubric_version_id_rubric_versions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_llm_judgements")),
        sa.UniqueConstraint("rubric_version_id", "criterion_key", "content_hash", "model", "prompt_hash",
                            name="uq_llm_judgements_key"),
    )


def downgrade() -> None:
    op.drop_table("llm_judgements")
