"""What every command shares: the ``--db`` and ``--json`` options, opening the database, printing."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from qa_toolkit.config import get_settings
from qa_toolkit.storage.database import Database, open_database

console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: $QA_DATABASE_URL or sqlite:///qa.db). "
        "PostgreSQL: postgresql+psycopg://user@host/dbname",
        show_default=False,
        rich_help_panel="Common options",
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON instead of a table.", rich_help_panel="Common options")
]
AsUserOption = Annotated[
    str | None,
    typer.Option("--as", help="Act as this user (default: $QA_USER).", show_default=False,
                 rich_help_panel="Common options"),
]
AgentChannelOption = Annotated[str, typer.Option(
    "--agent-channel", help="Which channel of a stereo call is the agent: left or right.")]


def database_url(db: str | None) -> str:
    """The URL from ``--db``, else from the settings."""
    return db or get_settings().database_url


def acting_user(as_user: str | None) -> str | None:
    """The user from ``--as``, else ``$QA_USER``."""
    return as_user or get_settings().user


@contextmanager
def opened(db: str | None) -> Iterator[Database]:
    """Open the database named by ``--db`` (checked to be at head) and close it afterwards."""
    database = open_database(database_url(db))
    try:
        yield database
    finally:
        database.close()


def authorize(database: Database, as_user: str | None, allowed: tuple[str, ...], action: str) -> str | None:
    """Check, before a command changes anything, that the acting user (``--as`` or ``$QA_USER``) may
    ``action``: once users exist, a known user with one of the ``allowed`` roles (see
    :func:`qa_toolkit.services.roles.authorize`). Returns the user's name, for the audit trail."""
    from qa_toolkit.services import roles

    name = acting_user(as_user)
    with database.session() as session:
        user = roles.authorize(session, name, allowed, action)
    return user.name if user is not None else name


def print_json(data: Any) -> None:
    """Print data as indented JSON on stdout (dates and other objects as strings)."""
    sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print rows as a rich table; None shows as an empty cell."""
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if value is None else str(value) for value in row))
    console.print(table)
