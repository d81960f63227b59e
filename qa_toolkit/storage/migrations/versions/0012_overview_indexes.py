"""Indexes for the web view's overview over 100k interactions: covering indexes so a period's KPIs and
scores are summed from the indexes alone (no table row read per interaction), and one on
interactions' last update so the overview's cache stamp is an index lookup, not a scan.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_interactions_overview", "interactions",
                    ["started_at", "agent_id", "queue", "csat", "nps", "escalated", "resolved"])
    op.create_index("ix_interactions_updated_at", "interactions", ["updated_at"])
    op.create_index("ix_evaluations_overview", "evaluations",
                    ["interaction_id", "is_current", "kind", "rubric_version_id", "score"])


def downgrade() -> None:
    op.drop_index("ix_evaluations_overview", table_name="evaluations")
    op.drop_index("ix_interactions_updated_at", table_name="interactions")
    op.drop_index("ix_interactions_overview", table_name="interactions")
