"""Creating databases and moving their schema between revisions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, inspect, text

from qa_toolkit.errors import DatabaseError, NotFoundError, QAError
from qa_toolkit.services.roles import NotAllowedError
from qa_toolkit.storage import migrate
from qa_toolkit.storage.database import create_db_engine, safe_url


@dataclass
class SchemaStatus:
    """Where a database stands: its revision, the latest one, and any backup just made."""

    url: str
    current: str | None
    head: str
    backup: Path | None = None

    @property
    def at_head(self) -> bool:
        return self.current == self.head


def _app_tables(engine: Engine) -> list[str]:
    return [name for name in inspect(engine).get_table_names() if name != "alembic_version"]


def init_database(url: str) -> SchemaStatus:
    """Create a fresh database at the latest revision.

    Raises:
        DatabaseError: the database already has tables (use ``qa db upgrade`` for those).
    """
    engine = create_db_engine(url, create=True)
    try:
        tables = _app_tables(engine)
        if tables:
            current = migrate.current_revision(engine)
            hint = "it is already initialised" if current else f"it already holds tables ({', '.join(tables[:5])})"
            raise DatabaseError(f"cannot initialise {safe_url(url)}: {hint}; use `qa db current` or `qa db upgrade`")
        migrate.upgrade(engine, "head")
        return SchemaStatus(url=url, current=migrate.current_revision(engine), head=migrate.head_revision())
    finally:
        engine.dispose()


def status(url: str) -> SchemaStatus:
    """The database's revision and the latest one."""
    engine = create_db_engine(url)
    try:
        return SchemaStatus(url=url, current=migrate.current_revision(engine), head=migrate.head_revision())
    finally:
        engine.dispose()


def upgrade_database(url: str, revision: str = "head", *, backup: bool = True) -> SchemaStatus:
    """Upgrade to ``revision``; a SQLite file is first copied to a timestamped backup when it changes."""
    engine = create_db_engine(url)
    try:
        before = migrate.current_revision(engine)
        if before is None and _app_tables(engine):
            raise DatabaseError(f"{safe_url(url)} holds tables but no qa-toolkit revision: not a qa-toolkit database")
        copy = migrate.backup_sqlite(url) if backup and before is not None and before != migrate.head_revision() else None
        migrate.upgrade(engine, revision)
        return SchemaStatus(url=url, current=migrate.current_revision(engine), head=migrate.head_revision(), backup=copy)
    finally:
        engine.dispose()


def require_admin(url: str, actor: str | None, action: str) -> None:
    """Schema changes are an admin's: once the database holds users, ``actor`` must be one with the admin role.

    Read with plain SQL, so that it works at any revision.

    Raises:
        QAError: nobody named. NotFoundError: unknown user. NotAllowedError: not an admin.
    """
    engine = create_db_engine(url)
    try:
        if "users" not in inspect(engine).get_table_names():
            return
        with engine.connect() as connection:
            if connection.execute(text("SELECT 1 FROM users LIMIT 1")).first() is None:
                return
            if not actor:
                raise QAError(f"this database has users: {action} needs an admin, pass --as USER or set QA_USER")
            role = connection.execute(text("SELECT role FROM users WHERE name = :name"), {"name": actor}).scalar()
    finally:
        engine.dispose()
    if role is None:
        raise NotFoundError(f"unknown user {actor!r}: add it with `qa users add {actor} --role ROLE`")
    if role != "admin":
        raise NotAllowedError(f"{actor} ({role}) may not {action}: only admin may")


def downgrade_database(url: str, revision: str, *, backup: bool = True) -> SchemaStatus:
    """Downgrade to ``revision`` (``-1`` for one step, ``base`` to remove every table)."""
    engine = create_db_engine(url)
    try:
        if migrate.current_revision(engine) is None:
            raise DatabaseError(f"{safe_url(url)} is not initialised: nothing to downgrade")
        copy = migrate.backup_sqlite(url) if backup else None
        migrate.downgrade(engine, revision)
        return SchemaStatus(url=url, current=migrate.current_revision(engine), head=migrate.head_revision(), backup=copy)
    finally:
        engine.dispose()
