"""Engines and sessions for SQLite and PostgreSQL, with the checks every command relies on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from qa_toolkit.errors import DatabaseError


def safe_url(url: str) -> str:
    """The URL with any password hidden, fit for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    # Bulk writes (a chat import stores a million turns): a 64 MiB page cache instead of 2 MiB keeps the
    # indexes in memory, and checkpointing the WAL every ~40 MiB instead of every 4 MiB rewrites their
    # pages less often (together about a fifth off an import's own time).
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA wal_autocheckpoint=10000")
    cursor.close()


def create_db_engine(url: str, *, create: bool = False) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys and WAL.

    Args:
        url: a SQLAlchemy database URL.
        create: allow a new SQLite file to be created (only ``qa init`` does); otherwise a
            missing file is an error rather than a silently created empty database.

    Raises:
        DatabaseError: the URL is malformed, names a missing SQLite file, or cannot be reached.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"invalid database URL {url!r}: {exc}") from None
    path = sqlite_path(url)
    if path is not None:
        if not path.exists() and not create:
            raise DatabaseError(f"no database at {path}: run `qa init --db {url}` to create one")
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(parsed, future=True)
    except (ArgumentError, ImportError) as exc:
        raise DatabaseError(f"cannot use database URL {safe_url(url)}: {exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(f"cannot connect to {safe_url(url)}: {reason}") from None
    return engine


@dataclass
class Database:
    """An open database: its URL, engine and a session factory."""

    url: str
    engine: Engine

    def __post_init__(self) -> None:
        from qa_toolkit.storage import rollups

        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        rollups.keep_current(self._sessions)  # the overview's rollups change in the same transaction as the data

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        with self._sessions.begin() as session:
            yield session

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()


def open_database(url: str, *, require_head: bool = True) -> Database:
    """Open an existing database, checking by default that its schema is at the latest revision.

    Raises:
        DatabaseError: unreachable, missing, or not at head (the message says what to run).
    """
    from qa_toolkit.storage import migrate

    engine = create_db_engine(url)
    if require_head:
        try:
            migrate.check_at_head(engine, url)
        except DatabaseError:
            engine.dispose()
            raise
    return Database(url=url, engine=engine)
