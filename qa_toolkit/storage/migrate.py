"""Alembic, run from code over the application's own connection."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.util.exc import CommandError
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from qa_toolkit.errors import DatabaseError
from qa_toolkit.storage.database import sqlite_path

SCRIPT_LOCATION = "qa_toolkit.storage:migrations"


def alembic_config() -> Config:
    """An Alembic configuration pointing at the migrations shipped inside the package."""
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    return cfg


def head_revision() -> str:
    """The latest revision this version of qa-toolkit knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def revisions() -> list[str]:
    """All revisions, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _run(engine: Engine, fn, revision: str) -> None:  # type: ignore[no-untyped-def]
    cfg = alembic_config()
    try:
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            fn(cfg, revision)
    except CommandError as exc:
        raise DatabaseError(f"cannot migrate to {revision!r}: {exc}") from None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to ``revision`` (default: the latest)."""
    _run(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str = "-1") -> None:
    """Downgrade the schema to ``revision`` (default: one step back; ``base`` removes all tables)."""
    _run(engine, command.downgrade, revision)


def backup_sqlite(url: str) -> Path | None:
    """Copy a SQLite database file next to itself with a timestamp; None for other databases."""
    path = sqlite_path(url)
    if path is None or not path.exists():
        return None
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    backup = path.with_name(f"{path.name}.{stamp}.bak")
    shutil.copy2(path, backup)
    return backup


def check_at_head(engine: Engine, url: str) -> None:
    """Raise a DatabaseError saying what to run when the database is not at the latest revision."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    if current is None:
        raise DatabaseError(f"database {url} is not initialised: run `qa init --db {url}`")
    if current not in revisions():
        raise DatabaseError(
            f"database {url} is at revision {current}, which this version of qa-toolkit does not know "
            f"(latest known: {head}): upgrade qa-toolkit"
        )
    raise DatabaseError(
        f"database {url} is at revision {current}, not at the latest ({head}): "
        f"back it up and run `qa db upgrade --db {url}`"
    )
