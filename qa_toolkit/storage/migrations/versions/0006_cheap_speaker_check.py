"""The turns' speaker check as a CASE expression: SQLite evaluates ``speaker IN (...)`` by building a
lookup table for every inserted row, which made the check cost as much as the rest of a bulk insert of
turns; CASE compares in place. Same rule, same name; the table is rebuilt on SQLite (nothing refers to it).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SPEAKERS = ("agent", "customer", "system", "unknown")
CASE_CHECK = "CASE speaker " + " ".join(f"WHEN '{s}' THEN 1" for s in SPEAKERS) + " ELSE 0 END = 1"
IN_CHECK = "speaker IN (" + ", ".join(f"'{s}'" for s in SPEAKERS) + ")"


def _replace_check(expression: str) -> None:
    with op.batch_alter_table("turns") as batch:
        batch.drop_constraint(op.f("ck_turns_speaker"), type_="check")
        batch.create_check_constraint(op.f("ck_turns_speaker"), expression)


def upgrade() -> None:
    _replace_check(CASE_CHECK)


def downgrade() -> None:
    _replace_check(IN_CHECK)
