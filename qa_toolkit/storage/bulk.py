"""Bulk writes of plain tuples: values bound once, column by column, then one DBAPI call.

SQLAlchemy Core applies each column type's bind processor (SQLite stores datetimes as text, JSON
columns as serialised text, ...) row by row and builds a parameter dict per row; for a million
rows that costs more than the insert itself. Here the same processors run column-wise, possibly in
another process (:func:`dialect_named` rebuilds the dialect there from the URL's driver name), and
the bound rows go to the driver in one ``executemany`` (PostgreSQL with psycopg: one ``COPY``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from itertools import chain
from typing import Any

import orjson
from sqlalchemy import Boolean, Connection, Dialect, Table
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import URL
from sqlalchemy.types import TypeEngine

Row = tuple[Any, ...]


@lru_cache(maxsize=8)
def dialect_named(drivername: str) -> Dialect:
    """A dialect for a URL's driver name (``sqlite``, ``postgresql+psycopg``), to bind rows in a process
    that has no engine."""
    return URL.create(drivername).get_dialect()()


def _sqlite_datetimes(process: Callable[[Any], Any]) -> Callable[[list[Any]], list[Any]]:
    """SQLite's DATETIME bind processor over a whole column, with a fast path when every value is None or a
    naive or UTC datetime: the same text (its default storage format, ``2026-10-01 06:27:36.000000``,
    timezone dropped) from one ``orjson`` pass over the column; anything else goes through SQLAlchemy's
    processor value by value."""

    def bind(values: list[Any]) -> list[Any]:
        if not all(value is None or (value.__class__ is datetime and (value.tzinfo is None or value.tzinfo is UTC))
                   for value in values):
            return list(map(process, values))
        # "2026-10-01T06:27:36Z", with microseconds when they are not 0
        text = orjson.dumps(values, option=orjson.OPT_UTC_Z).replace(b'Z"', b'"').replace(b"T", b" ")
        return [value if value is None or len(value) != 19 else value + ".000000" for value in orjson.loads(text)]

    return bind


def _column_processor(dialect: Dialect, column_type: TypeEngine[Any]) -> Callable[[list[Any]], list[Any]] | None:
    """What binds a whole column of values of ``column_type`` for ``dialect``; None when the driver takes them as they are."""
    impl = column_type.dialect_impl(dialect)
    process = impl.bind_processor(dialect)
    if process is None:
        return None
    if isinstance(impl, sqlite.DATETIME) and impl._storage_format == sqlite.DATETIME._storage_format:  # noqa: SLF001
        return _sqlite_datetimes(process)
    if isinstance(impl, Boolean):  # two or three distinct values: process each once, look up the rest
        return lambda values: list(map({value: process(value) for value in set(values)}.__getitem__, values))
    return lambda values: list(map(process, values))


class RowBinder:
    """Binds rows of ``columns`` of ``table`` for ``dialect``: each value as the driver takes it."""

    def __init__(self, dialect: Dialect, table: Table, columns: Sequence[str]) -> None:
        self.columns = tuple(columns)
        self._processors: list[tuple[int, Callable[[list[Any]], list[Any]]]] = [
            (position, process) for position, name in enumerate(self.columns)
            if (process := _column_processor(dialect, table.c[name].type)) is not None]
        self._none_kept = {position for position, process in self._processors if process([None]) == [None]}

    @property
    def needed(self) -> bool:
        """False when no column has a bind processor (the rows go to the driver as they are)."""
        return bool(self._processors)

    def bind(self, rows: Sequence[Row]) -> list[Row]:
        """The rows with every value bound (as :meth:`bind_columns`, on their columns)."""
        if not self._processors or not rows:
            return list(rows)
        [columns] = self.bind_columns([tuple(zip(*rows))])
        return list(zip(*columns))

    def bind_one(self, row: Row) -> Row:
        """One row, bound."""
        return self.bind([row])[0]

    def bind_columns(self, groups: Sequence[Sequence[tuple[Any, ...]]]) -> list[tuple[tuple[Any, ...], ...]]:
        """Groups of rows held by column (one tuple per column, as ``zip(*rows)`` gives), bound: each
        processed column of all groups in one ``map``, then cut back into the groups. A column that is
        all None is left as it is when its processor keeps None as None (chat turns have no audio times)."""
        result = [list(group) for group in groups]
        for position, process in self._processors:
            values = list(chain.from_iterable(group[position] for group in groups))
            if position in self._none_kept and values.count(None) == len(values):
                continue
            bound = process(values)
            start = 0
            for columns in result:
                end = start + len(columns[position])
                columns[position] = tuple(bound[start:end])
                start = end
        return [tuple(columns) for columns in result]


@lru_cache(maxsize=64)
def binder(dialect: Dialect, table: Table, columns: tuple[str, ...]) -> RowBinder:
    """The (cached) :class:`RowBinder` of ``columns`` of ``table`` for ``dialect``."""
    return RowBinder(dialect, table, columns)


def insert_rows(connection: Connection, table: Table, columns: Sequence[str], rows: Iterable[Row]) -> None:
    """Insert bound rows (values in ``columns`` order; any iterable, consumed once) in the connection's
    transaction: one ``COPY`` with psycopg, else one DBAPI ``executemany`` of ``INSERT ... VALUES``."""
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in columns)
    if dialect.driver == "psycopg":
        driver_connection = connection.connection.driver_connection
        assert driver_connection is not None
        with driver_connection.cursor() as cursor, \
                cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    markers = ", ".join([_marker(dialect)] * len(columns))
    cursor = connection.connection.cursor()
    try:
        cursor.executemany(f"INSERT INTO {quote(table.name)} ({names}) VALUES ({markers})", rows)
    finally:
        cursor.close()


def insert_columns(connection: Connection, table: Table, columns: Sequence[str], values: Sequence[Sequence[Any]]) -> None:
    """Insert bound rows given by column (``values[i]`` holds column ``columns[i]`` of every row), as
    :func:`insert_rows`. A column that is None in every row is left out when leaving it out stores NULL
    too (it has no server default): SQLite stores rows faster without it than with a NULL bound in each."""
    if not values or not len(values[0]):
        return
    kept = [i for i, name in enumerate(columns)
            if table.c[name].server_default is not None or values[i].count(None) != len(values[i])]
    insert_rows(connection, table, [columns[i] for i in kept], zip(*[values[i] for i in kept]))


def update_rows(connection: Connection, table: Table, columns: Sequence[str], rows: Sequence[Row]) -> None:
    """Update rows by primary key ``id``: each row holds bound values in ``columns`` order, then the id."""
    if not rows:
        return
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    marker = _marker(dialect)
    assignments = ", ".join(f"{quote(c)} = {marker}" for c in columns)
    connection.exec_driver_sql(f"UPDATE {quote(table.name)} SET {assignments} WHERE id = {marker}", list(rows))


def _marker(dialect: Dialect) -> str:
    try:
        return {"qmark": "?", "format": "%s", "pyformat": "%s"}[dialect.paramstyle]
    except KeyError:
        raise NotImplementedError(f"bulk writes need a driver with positional parameters, not {dialect.paramstyle}") from None


def estimated_rows(connection: Connection, table: Table) -> int:
    """PostgreSQL's estimate of the rows in ``table`` (0 when never analysed); 0 on other databases."""
    if connection.dialect.name != "postgresql":
        return 0
    estimate = connection.exec_driver_sql("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", (table.name,)).scalar()
    return max(int(estimate or 0), 0)


def analyze(connection: Connection, tables: Sequence[Table]) -> None:
    """Refresh PostgreSQL's planner statistics of ``tables`` (nothing elsewhere). A bulk load into a table
    the planner believes small gets plans that scan it whole for every batch (its autovacuum catches up
    only every minute or so): analysing whenever the table has doubled keeps lookups on their indexes."""
    if connection.dialect.name == "postgresql":
        quote = connection.dialect.identifier_preparer.quote
        connection.exec_driver_sql(f"ANALYZE {', '.join(quote(t.name) for t in tables)}")
