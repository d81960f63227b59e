"""Mono-call diarization: the speakers ``agent_2`` and ``other`` in turns and PII spans, and agents'
enrolled voices (``agent_voices``: one speaker embedding per agent and engine).

Downgrading relabels ``agent_2`` turns as ``agent`` and ``other`` as ``unknown`` and drops the voices.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ("agent", "customer", "system", "unknown")
NEW = (*OLD, "agent_2", "other")


def _case(speakers: Sequence[str]) -> str:
    return "CASE speaker " + " ".join(f"WHEN '{s}' THEN 1" for s in speakers) + " ELSE 0 END = 1"


def _in(speakers: Sequence[str]) -> str:
    return "speaker IN (" + ", ".join(f"'{s}'" for s in speakers) + ")"


def _speaker_checks(speakers: Sequence[str]) -> None:
    with op.batch_alter_table("turns") as batch:
        batch.drop_constraint(op.f("ck_turns_speaker"), type_="check")
        batch.create_check_constraint(op.f("ck_turns_speaker"), _case(speakers))
    with op.batch_alter_table("pii_spans") as batch:
        batch.drop_constraint(op.f("ck_pii_spans_speaker"), type_="check")
        batch.create_check_constraint(op.f("ck_pii_spans_speaker"), _in(speakers))


def upgrade() -> None:
    _speaker_checks(NEW)
    op.create_table(
        "agent_voices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("engine", sa.String(length=50), nullable=False),
        sa.Column("embedding", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("files", sa.Integer(), nullable=False),
        sa.Column("speech_s", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], name=op.f("fk_agent_voices_agent_id_agents"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_voices")),
        sa.UniqueConstraint("agent_id", "engine", name="uq_agent_voices_agent_id_engine"),
    )
    op.create_index(op.f("ix_agent_voices_agent_id"), "agent_voices", ["agent_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_agent_voices_agent_id"), table_name="agent_voices")
    op.drop_table("agent_voices")
    for table in ("turns", "pii_spans"):
        op.execute(f"UPDATE {table} SET speaker = 'agent' WHERE speaker = 'agent_2'")
        op.execute(f"UPDATE {table} SET speaker = 'unknown' WHERE speaker = 'other'")
    _speaker_checks(OLD)
