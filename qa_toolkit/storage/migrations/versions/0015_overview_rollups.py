"""Rollups for the web view's overview: per-interaction facts, sums per UTC day, team and queue, a log of
changes written by triggers (on SQLite and PostgreSQL alike, whatever writes the rows), and the refresh
count; backfilled from the data already there.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> (column noted in rollup_changes, the row's value it takes); None: a row with neither
WATCHED = {"interactions": ("interaction_id", "id"), "evaluations": ("interaction_id", "interaction_id"),
           "agents": ("agent_id", "id"), "rubric_versions": None}
EVENTS = ("INSERT", "UPDATE", "DELETE")


def _sums() -> list[sa.Column]:  # type: ignore[type-arg]
    names = ("contacts", "csat_n", "csat_hits", "nps_n", "promoters", "detractors", "escalation_n", "escalated",
             "resolved_n", "resolved", "scored", "score_sum", "passed", "reviewed", "review_sum")
    return [sa.Column(n, sa.Float() if n.endswith("_sum") else sa.Integer(), nullable=False) for n in names]


def _sqlite_triggers() -> list[str]:
    statements = []
    for table, noted in WATCHED.items():
        for event in ("INSERT",) if noted is None else EVENTS:
            if noted is None:
                body = "INSERT INTO rollup_changes (interaction_id) VALUES (NULL);"
            else:
                column, source = noted
                row = "OLD" if event == "DELETE" else "NEW"
                body = f"INSERT INTO rollup_changes ({column}) VALUES ({row}.{source});"
                if event == "UPDATE" and source != "id":  # an evaluation moved to another interaction: both
                    body += (f" INSERT INTO rollup_changes ({column}) SELECT OLD.{source} "
                             f"WHERE OLD.{source} <> NEW.{source};")
            statements.append(f"CREATE TRIGGER rollup_{table}_{event.lower()} AFTER {event} ON {table} "
                              f"FOR EACH ROW BEGIN {body} END")
    return statements


def _postgresql_triggers() -> list[str]:
    """Statement-level triggers with transition tables: one insert per statement, not per row."""
    statements = []
    for table, noted in WATCHED.items():
        if noted is None:
            statements.append(f"""CREATE FUNCTION rollup_note_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO rollup_changes (interaction_id) VALUES (NULL); RETURN NULL; END $$""")
            statements.append(f"CREATE TRIGGER rollup_{table}_insert AFTER INSERT ON {table} "
                              f"FOR EACH STATEMENT EXECUTE FUNCTION rollup_note_{table}()")
            continue
        column, source = noted
        statements.append(f"""CREATE FUNCTION rollup_note_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO rollup_changes ({column}) SELECT DISTINCT {source} FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO rollup_changes ({column})
      SELECT {source} FROM new_rows UNION SELECT {source} FROM old_rows;
  ELSE
    INSERT INTO rollup_changes ({column}) SELECT DISTINCT {source} FROM old_rows;
  END IF;
  RETURN NULL;
END $$""")
        referencing = {"INSERT": "NEW TABLE AS new_rows", "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                       "DELETE": "OLD TABLE AS old_rows"}
        for event in EVENTS:
            statements.append(f"CREATE TRIGGER rollup_{table}_{event.lower()} AFTER {event} ON {table} "
                              f"REFERENCING {referencing[event]} FOR EACH STATEMENT "
                              f"EXECUTE FUNCTION rollup_note_{table}()")
    return statements


def upgrade() -> None:
    op.create_table(
        "overview_facts",
        sa.Column("interaction_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("team", sa.String(200), nullable=False),
        sa.Column("queue", sa.String(200), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        *_sums(),
        sa.PrimaryKeyConstraint("interaction_id", name=op.f("pk_overview_facts")),
    )
    op.create_index("ix_overview_facts_group", "overview_facts", ["day", "team", "queue"])
    op.create_index(op.f("ix_overview_facts_agent_id"), "overview_facts", ["agent_id"])
    op.create_table(
        "overview_rollups",
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("team", sa.String(200), nullable=False),
        sa.Column("queue", sa.String(200), nullable=False),
        *_sums(),
        sa.PrimaryKeyConstraint("day", "team", "queue", name=op.f("pk_overview_rollups")),
    )
    op.create_table(
        "rollup_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollup_changes")),
    )
    op.create_table(
        "rollup_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollup_state")),
    )
    bind = op.get_bind()
    bind.execute(sa.text("INSERT INTO rollup_state (id, version) VALUES (1, 0)"))
    for statement in _postgresql_triggers() if bind.dialect.name == "postgresql" else _sqlite_triggers():
        bind.execute(sa.text(statement))
    # the backfill: every stored interaction is a pending change, folded in now
    bind.execute(sa.text("INSERT INTO rollup_changes (interaction_id) SELECT id FROM interactions"))
    from qa_toolkit.storage import rollups

    rollups.refresh(bind, weeks=False, verdicts=False)  # the weekly sums come with 0016, the verdict sums with 0018


def downgrade() -> None:
    bind = op.get_bind()
    for table, noted in WATCHED.items():
        for event in ("INSERT",) if noted is None else EVENTS:
            if bind.dialect.name == "postgresql":
                bind.execute(sa.text(f"DROP TRIGGER IF EXISTS rollup_{table}_{event.lower()} ON {table}"))
            else:
                bind.execute(sa.text(f"DROP TRIGGER IF EXISTS rollup_{table}_{event.lower()}"))
        if bind.dialect.name == "postgresql":
            bind.execute(sa.text(f"DROP FUNCTION IF EXISTS rollup_note_{table}()"))
    op.drop_table("rollup_state")
    op.drop_table("rollup_changes")
    op.drop_table("overview_rollups")
    op.drop_index(op.f("ix_overview_facts_agent_id"), table_name="overview_facts")
    op.drop_index("ix_overview_facts_group", table_name="overview_facts")
    op.drop_table("overview_facts")
