"""`qa db`: the database schema's revision; upgrade and downgrade."""

from __future__ import annotations

from typing import Annotated

import typer

from qa_toolkit.cli.common import AsUserOption, DbOption, JsonOption, acting_user, console, database_url, err_console, print_json
from qa_toolkit.errors import DatabaseError, QAError
from qa_toolkit.services import schema
from qa_toolkit.storage.database import safe_url, sqlite_path

app = typer.Typer(help="Database schema: show the revision, upgrade, downgrade.", no_args_is_help=True)

NoBackup = Annotated[bool, typer.Option("--no-backup", help="Do not copy a SQLite file before changing it.")]


def _show(result: schema.SchemaStatus, as_json: bool) -> None:
    if as_json:
        print_json({"url": safe_url(result.url), "current": result.current, "head": result.head,
                    "at_head": result.at_head, "backup": str(result.backup) if result.backup else None})
        return
    if result.backup:
        console.print(f"Backed up to {result.backup}")
    state = "at head" if result.at_head else f"head is {result.head}"
    console.print(f"{safe_url(result.url)}: revision {result.current or '(none)'} ({state})")


@app.command("current")
def current(
    db: DbOption = None,
    as_json: JsonOption = False,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 when the database is not at head.")] = False,
) -> None:
    """Show the database's schema revision and the latest one.

    Example:

        qa db current --check
    """
    result = schema.status(database_url(db))
    _show(result, as_json)
    if check and not result.at_head:
        raise DatabaseError(f"database is at {result.current or 'no revision'}, not at head {result.head}: "
                            "run `qa db upgrade`")


@app.command("upgrade")
def upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
    db: DbOption = None,
    no_backup: NoBackup = False,
    as_user: AsUserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Upgrade the schema (to the latest revision by default). SQLite files are backed up first.

    Once the database has users, only an admin upgrades it.

    Example:

        qa db upgrade --db postgresql+psycopg://qa@dbhost/qa --as ada
    """
    schema.require_admin(database_url(db), acting_user(as_user), "upgrade the database")
    _show(schema.upgrade_database(database_url(db), revision, backup=not no_backup), as_json)


@app.command("downgrade")
def downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision: -1 for one step, base for none.")] = "-1",
    db: DbOption = None,
    no_backup: NoBackup = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation (scripts).")] = False,
    as_user: AsUserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Downgrade the schema (one revision by default): the tables and columns of newer revisions are dropped,
    with the data in them. Asks for confirmation (or --yes); once the database has users, only an admin may.

    SQLite files are copied to a backup first. A PostgreSQL database is not: back it up yourself, e.g.
    `pg_dump --format=custom --file qa-before-downgrade.dump DBNAME` (restore with `pg_restore --clean`).

    Example:

        qa db downgrade -1 --as ada
    """
    url = database_url(db)
    schema.require_admin(url, acting_user(as_user), "downgrade the database")
    if not yes:
        if sqlite_path(url) is None:
            err_console.print("PostgreSQL is not backed up by qa: first run `pg_dump --format=custom --file "
                              "qa-before-downgrade.dump DBNAME` (restore with `pg_restore --clean`).",
                              highlight=False, soft_wrap=True)
        elif no_backup:
            err_console.print("--no-backup: the SQLite file is not copied first.", highlight=False)
        if not typer.confirm(f"Downgrade {safe_url(url)} to {revision}? Tables and columns of newer revisions are "
                             "dropped with their data", default=False, err=True):
            raise QAError("downgrade cancelled: nothing changed (pass --yes to skip this question)")
    _show(schema.downgrade_database(url, revision, backup=not no_backup), as_json)
