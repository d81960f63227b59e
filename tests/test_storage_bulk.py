"""Bulk writes: rows bound column-wise (possibly in another process) store what SQLAlchemy Core would."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import insert, select
from sqlalchemy.dialects import sqlite

from qa_toolkit.storage.bulk import RowBinder, binder, dialect_named, insert_columns, insert_rows, update_rows
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import Agent, Interaction, Turn

AGENTS = Agent.__table__
INTERACTIONS = Interaction.__table__
TURNS = Turn.__table__

zones = st.builds(lambda seconds: timezone(timedelta(seconds=seconds)), st.integers(-86399, 86399))
datetimes = st.one_of(st.datetimes(), st.datetimes(timezones=st.just(timezone.utc)), st.datetimes(timezones=zones))


@given(st.lists(st.one_of(st.none(), datetimes), max_size=20))
def test_sqlite_datetime_fast_path_writes_what_sqlalchemy_writes(values: list[datetime | None]) -> None:
    dialect = dialect_named("sqlite")
    sqlalchemy_process = sqlite.DATETIME().bind_processor(dialect)
    assert sqlalchemy_process is not None
    [[bound]] = binder(dialect, TURNS, ("at",)).bind_columns([(tuple(values),)])
    assert bound == tuple(map(sqlalchemy_process, values))


def test_sqlite_datetime_column_with_other_values_takes_sqlalchemys_path() -> None:
    at = datetime(2026, 10, 2, 14, 5, tzinfo=timezone.utc)
    rows = binder(dialect_named("sqlite"), TURNS, ("at",))
    assert rows.bind_one((at,)) == ("2026-10-02 14:05:00.000000",)
    with pytest.raises(TypeError, match="SQLite DateTime type only accepts Python datetime"):
        rows.bind_columns([((at, "2026-10-02"),)])


def test_bind_columns_binds_every_group_and_keeps_their_lengths() -> None:
    at = datetime(2026, 10, 2, 14, 5, tzinfo=timezone.utc)
    rows = RowBinder(dialect_named("sqlite"), TURNS, ("index", "at", "internal"))
    groups = [tuple(zip(*[(0, at, True), (1, None, False)])), tuple(zip(*[(0, at + timedelta(seconds=1), False)]))]
    assert rows.bind_columns(groups) == [
        ((0, 1), ("2026-10-02 14:05:00.000000", None), (1, 0)),
        ((0,), ("2026-10-02 14:05:01.000000",), (0,)),
    ]
    assert RowBinder(dialect_named("postgresql+psycopg"), TURNS, ("index", "text")).bind_columns([((0,), ("hi",))]) == [
        ((0,), ("hi",))]


def test_bulk_insert_and_update_store_what_core_would(db: Database) -> None:
    """The same interaction written by Core and by insert_rows/update_rows reads back the same, on both engines."""
    started = datetime(2026, 10, 2, 14, 5, 30, 250000, tzinfo=timezone.utc)
    values = {"source": "s", "channel": "chat", "started_at": started, "resolved": True, "tags": ["refund", "é"],
              "metadata": {"zendesk": {"via": "chat"}}, "labels": None, "created_at": started, "updated_at": started}
    columns = tuple(values)
    with db.session() as session:
        connection = session.connection()
        agent_id = session.execute(insert(AGENTS).values(external_id="a-1", name="A").returning(AGENTS.c.id)).scalar_one()
        session.execute(insert(INTERACTIONS), [{**values, "external_id": "core", "agent_id": agent_id}])
        bound = binder(connection.dialect, INTERACTIONS, columns).bind([tuple(values.values())])
        insert_rows(connection, INTERACTIONS, (*columns, "external_id", "agent_id"), [(*bound[0], "bulk", agent_id)])
        insert_rows(connection, TURNS, ("interaction_id", "index", "speaker", "text", "internal"), iter([]))
    with db.session() as session:
        rows = {row.external_id: row._mapping for row in session.execute(select(INTERACTIONS))}
        assert {c: rows["bulk"][c] for c in columns} == {c: rows["core"][c] for c in columns}
        assert rows["bulk"]["started_at"].replace(tzinfo=None) == started.replace(tzinfo=None)
        assert rows["bulk"]["tags"] == ["refund", "é"] and rows["bulk"]["resolved"] is True

        connection = session.connection()
        changed = binder(connection.dialect, INTERACTIONS, ("csat", "tags")).bind_one((5, ["billing"]))
        update_rows(connection, INTERACTIONS, ("csat", "tags"), [(*changed, rows["bulk"]["id"])])
    with db.session() as session:
        after = {row.external_id: (row.csat, row.tags) for row in session.execute(select(INTERACTIONS))}
        assert after == {"core": (None, ["refund", "é"]), "bulk": (5, ["billing"])}


def test_insert_columns_leaves_out_only_what_stores_null_anyway(db: Database) -> None:
    at = datetime(2026, 10, 2, 14, 5, tzinfo=timezone.utc)
    columns = ("interaction_id", "index", "speaker", "text", "start_s", "at", "internal")
    with db.session() as session:
        connection = session.connection()
        agent_id = session.execute(insert(AGENTS).values(external_id="a-1", name="A").returning(AGENTS.c.id)).scalar_one()
        iid = session.execute(insert(INTERACTIONS).values(
            source="s", external_id="c-1", channel="chat", agent_id=agent_id, tags=[], metadata={}, created_at=at,
            updated_at=at).returning(INTERACTIONS.c.id)).scalar_one()
        [bound] = binder(connection.dialect, TURNS, columns).bind_columns(
            [((iid, iid), (0, 1), ("agent", "customer"), ("a", "b"), (None, None), (None, at), (True, False))])
        insert_columns(connection, TURNS, columns, bound)
        insert_columns(connection, TURNS, columns, [[] for _ in columns])  # no rows: nothing to do
    with db.session() as session:
        rows = session.execute(select(TURNS.c.index, TURNS.c.start_s, TURNS.c.at, TURNS.c.internal)
                               .order_by(TURNS.c.index)).all()
    assert [(r.index, r.start_s, r.at.replace(tzinfo=None) if r.at else None, r.internal) for r in rows] == [
        (0, None, None, True), (1, None, at.replace(tzinfo=None), False)]
    with pytest.raises(Exception, match="internal"), db.session() as session:  # None, not the server default
        insert_columns(session.connection(), TURNS, ("interaction_id", "index", "speaker", "text", "internal"),
                       [[iid], [2], ["agent"], ["c"], [None]])
