"""Chat import: content hashes, PII spans, internal turns.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("interactions") as batch:
        batch.add_column(sa.Column("content_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("labels", JSON, nullable=True))
        batch.add_column(sa.Column("pii_redacted", sa.Boolean(), nullable=True))
    with op.batch_alter_table("turns") as batch:
        batch.add_column(sa.Column("internal", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "pii_spans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("turn_index", sa.Integer(), nullable=False),
        sa.Column("speaker", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('card', 'ssn', 'email', 'phone', 'iban')", name=op.f("ck_pii_spans_kind")),
        sa.CheckConstraint("speaker IN ('agent', 'customer', 'system', 'unknown')", name=op.f("ck_pii_spans_speaker")),
        sa.ForeignKeyConstraint(
            ["interaction_id"], ["interactions.id"], name=op.f("fk_pii_spans_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pii_spans")),
    )
    op.create_index(op.f("ix_pii_spans_interaction_id"), "pii_spans", ["interaction_id"])
    op.create_index(op.f("ix_pii_spans_kind"), "pii_spans", ["kind"])


def downgrade() -> None:
    op.drop_index(op.f("ix_pii_spans_kind"), table_name="pii_spans")
    op.drop_index(op.f("ix_pii_spans_interaction_id"), table_name="pii_spans")
    op.drop_table("pii_spans")
    with op.batch_alter_table("turns") as batch:
        batch.drop_column("internal")
    with op.batch_alter_table("interactions") as batch:
        batch.drop_column("pii_redacted")
        batch.drop_column("labels")
        batch.drop_column("content_hash")
