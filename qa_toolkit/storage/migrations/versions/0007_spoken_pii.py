"""Spoken PII: security codes, expiry dates and account numbers as PII kinds; where a span was said
(start_s, end_s in the recording) for spans found in call transcripts.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = ("card", "ssn", "email", "phone", "iban")
NEW_KINDS = (*OLD_KINDS, "cvv", "expiry", "account")


def _kind_check(kinds: Sequence[str]) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def upgrade() -> None:
    with op.batch_alter_table("pii_spans") as batch:
        batch.drop_constraint(op.f("ck_pii_spans_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_pii_spans_kind"), _kind_check(NEW_KINDS))
        batch.add_column(sa.Column("start_s", sa.Float(), nullable=True))
        batch.add_column(sa.Column("end_s", sa.Float(), nullable=True))


def downgrade() -> None:
    op.execute("DELETE FROM pii_spans WHERE kind IN ('cvv', 'expiry', 'account')")
    with op.batch_alter_table("pii_spans") as batch:
        batch.drop_column("end_s")
        batch.drop_column("start_s")
        batch.drop_constraint(op.f("ck_pii_spans_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_pii_spans_kind"), _kind_check(OLD_KINDS))
