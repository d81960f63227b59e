"""`qa init`: create a fresh database at the latest schema revision."""

from __future__ import annotations

import typer

from qa_toolkit.cli.common import DbOption, console, database_url
from qa_toolkit.services import schema


def register(app: typer.Typer) -> None:
    """Add ``qa init`` to the top-level command."""

    @app.command("init")
    def init(db: DbOption = None) -> None:
        """Create a fresh database at the latest schema revision.

        Refuses a database that already holds tables; use `qa db upgrade` for those.

        Example:

            qa init --db sqlite:///demo/qa.db
        """
        result = schema.init_database(database_url(db))
        console.print(f"Initialised {result.url} at revision {result.current}")
