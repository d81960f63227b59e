"""Each agent's verdicts summed per UTC day and rubric (scores, category scores, criterion failures), the team
side of an agent page; backfilled from the data already there. The overview's facts are indexed by agent and
day (instead of agent alone), which the fold uses to find the days it sums again.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "verdict_rollups",
        sa.Column("agent_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("rubric", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("agent_id", "rubric", "kind", "day", "key", name=op.f("pk_verdict_rollups"),
                                postgresql_include=["n", "total"]),  # index-only scans of a team's days
        sqlite_with_rowid=False,  # rows stored in key order
    )
    op.drop_index("ix_overview_facts_agent_id", table_name="overview_facts")  # the (agent, day) index serves it
    op.create_index("ix_overview_facts_agent_day", "overview_facts", ["agent_id", "day"])
    from qa_toolkit.storage import rollups, verdict_rollups

    bind = op.get_bind()
    rollups.refresh(bind, verdicts=False)  # changes still pending fold into the facts first
    verdict_rollups.rebuild(bind)


def downgrade() -> None:
    op.drop_table("verdict_rollups")
    op.drop_index("ix_overview_facts_agent_day", table_name="overview_facts")
    op.create_index("ix_overview_facts_agent_id", "overview_facts", ["agent_id"])
