"""Alembic environment: runs over the connection qa-toolkit hands in, or opens the configured URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from qa_toolkit.storage.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    from qa_toolkit.config import get_settings

    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    with create_engine(url).begin() as conn:
        run_migrations(conn)
