"""Web log-in: a user's password hash (argon2) and the team a lead looks after; an index on interactions by
agent and start, so an agent's or a team's period is read without scanning everyone's.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("password_hash", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("team", sa.String(length=200), nullable=True))
    op.create_index("ix_interactions_agent_started", "interactions", ["agent_id", "started_at"])


def downgrade() -> None:
    op.drop_index("ix_interactions_agent_started", table_name="interactions")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("team")
        batch.drop_column("password_hash")
