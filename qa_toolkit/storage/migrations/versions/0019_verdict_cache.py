"""Check results kept between rubric versions: one row per (interaction, step: a hash of check, parameters,
embedding model and code), the hash of what the checks read, and the result as JSON; deleted with the interaction.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "verdict_cache",
        sa.Column("interaction_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("step", sa.LargeBinary(16), nullable=False),
        sa.Column("content", sa.LargeBinary(16), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["interaction_id"], ["interactions.id"], ondelete="CASCADE",
                                name=op.f("fk_verdict_cache_interaction_id_interactions")),
        sa.PrimaryKeyConstraint("interaction_id", "step", name=op.f("pk_verdict_cache")),
    )


def downgrade() -> None:
    op.drop_table("verdict_cache")
