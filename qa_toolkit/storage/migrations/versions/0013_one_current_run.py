"""Concurrent runs end as sequential ones would: at most one current automated evaluation per interaction
and rubric version, and at most one open assignment per reviewer, interaction and rubric version outside
calibration sessions (partial unique indexes).

Duplicates left by concurrent runs before this revision are kept, not deleted: the newer current
automated evaluations stop being current (the oldest stays), and newer open duplicate assignments are
cancelled.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CURRENT_AUTO = "kind = 'auto' AND is_current"
OPEN_ASSIGNMENT = "reviewer_id IS NOT NULL AND calibration_session_id IS NULL AND status IN ('assigned', 'draft')"


def upgrade() -> None:
    current_auto = CURRENT_AUTO.replace("is_current", "is_current = " + ("true" if _pg() else "1"))
    op.execute(f"""UPDATE evaluations SET is_current = {'false' if _pg() else '0'}
        WHERE {current_auto} AND id > (SELECT MIN(e.id) FROM evaluations e WHERE e.kind = 'auto'
            AND e.is_current = evaluations.is_current AND e.interaction_id = evaluations.interaction_id
            AND e.rubric_version_id = evaluations.rubric_version_id)""")
    op.execute(f"""UPDATE review_assignments SET status = 'cancelled'
        WHERE {OPEN_ASSIGNMENT} AND id > (SELECT MIN(a.id) FROM review_assignments a
            WHERE a.reviewer_id = review_assignments.reviewer_id AND a.calibration_session_id IS NULL
            AND a.status IN ('assigned', 'draft') AND a.interaction_id = review_assignments.interaction_id
            AND a.rubric_version_id = review_assignments.rubric_version_id)""")
    op.create_index("uq_evaluations_current_auto", "evaluations", ["interaction_id", "rubric_version_id"],
                    unique=True, sqlite_where=sa.text(current_auto), postgresql_where=sa.text(current_auto))
    op.create_index("uq_review_assignments_open", "review_assignments",
                    ["reviewer_id", "interaction_id", "rubric_version_id"], unique=True,
                    sqlite_where=sa.text(OPEN_ASSIGNMENT), postgresql_where=sa.text(OPEN_ASSIGNMENT))


def downgrade() -> None:
    op.drop_index("uq_review_assignments_open", table_name="review_assignments")
    op.drop_index("uq_evaluations_current_auto", table_name="evaluations")


def _pg() -> bool:
    return op.get_bind().dialect.name == "postgresql"
