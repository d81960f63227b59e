"""The overview's sums per week, team and queue (its Monday, UTC), backfilled from the daily rollups.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUMS = ("contacts", "csat_n", "csat_hits", "nps_n", "promoters", "detractors", "escalation_n", "escalated",
        "resolved_n", "resolved", "scored", "score_sum", "passed", "reviewed", "review_sum")


def upgrade() -> None:
    op.create_table(
        "overview_weeks",
        sa.Column("week", sa.String(10), nullable=False),
        sa.Column("team", sa.String(200), nullable=False),
        sa.Column("queue", sa.String(200), nullable=False),
        *[sa.Column(n, sa.Float() if n.endswith("_sum") else sa.Integer(), nullable=False) for n in SUMS],
        sa.PrimaryKeyConstraint("week", "team", "queue", name=op.f("pk_overview_weeks")),
    )
    bind = op.get_bind()
    monday = ("to_char(date_trunc('week', CAST(day AS date)), 'YYYY-MM-DD')" if bind.dialect.name == "postgresql"
              else "date(day, '-6 days', 'weekday 1')")
    bind.execute(sa.text(f"INSERT INTO overview_weeks (week, team, queue, {', '.join(SUMS)}) "
                         f"SELECT {monday}, team, queue, {', '.join(f'SUM({n})' for n in SUMS)} "
                         f"FROM overview_rollups GROUP BY {monday}, team, queue"))


def downgrade() -> None:
    op.drop_table("overview_weeks")
