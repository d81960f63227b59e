"""Helpers shared by the chat-import tests."""

from __future__ import annotations

from sqlalchemy import select

from qa_toolkit.storage.database import open_database
from qa_toolkit.storage.models import Interaction


def stored(db_url: str) -> list[str]:
    """The external ids of the interactions stored in ``db_url``, sorted."""
    database = open_database(db_url)
    try:
        with database.session() as session:
            return sorted(session.scalars(select(Interaction.external_id)))
    finally:
        database.close()
