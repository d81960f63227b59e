"""`qa users`: people using the toolkit and their roles."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from qa_toolkit.cli.common import AsUserOption, DbOption, JsonOption, acting_user, console, opened, print_json, print_table
from qa_toolkit.errors import QAError
from qa_toolkit.services import people
from qa_toolkit.storage.models import ROLES

app = typer.Typer(help="Users (reviewers, leads, trainers, agents, admins) and their roles.", no_args_is_help=True)


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="User name (what --as and $QA_USER refer to).")],
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}.")] = "reviewer",
    agent: Annotated[str | None, typer.Option(help="The agent id of a user who is also an agent "
                                              "(never assigned their own interactions).")] = None,
    team: Annotated[str | None, typer.Option(help="The team a lead looks after (the web view shows a lead "
                                             "that team's agents).")] = None,
    db: DbOption = None,
    as_user: AsUserOption = None,
) -> None:
    """Add a user.

    Example:

        qa users add maria --role reviewer
        qa users add lee --role lead --team billing
    """
    with opened(db) as database, database.session() as session:
        user = people.add_user(session, name, role, agent_external_id=agent, team=team, actor=acting_user(as_user))
        console.print(f"Added user {user.name} ({user.role})")


@app.command("set-team")
def set_team(
    name: Annotated[str, typer.Argument(help="User name.")],
    team: Annotated[str | None, typer.Argument(help="The team they look after; leave out to clear it.")] = None,
    db: DbOption = None,
    as_user: AsUserOption = None,
) -> None:
    """Set the team a lead looks after (in the web view a lead sees that team's agents only).

    Example:

        qa users set-team lee billing
    """
    with opened(db) as database, database.session() as session:
        user = people.set_team(session, name, team, actor=acting_user(as_user))
        console.print(f"{user.name} now looks after team {user.team}" if user.team else f"{user.name} has no team")


@app.command("set-password")
def set_password(
    name: Annotated[str, typer.Argument(help="User name.")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from the first line "
                                                 "of standard input (for scripts) instead of asking.")] = False,
    db: DbOption = None,
    as_user: AsUserOption = None,
) -> None:
    """Set the password a user logs in to `qa serve` with (admins set anyone's, users their own).

    The password is asked for twice without echo (never give it as an argument: it would stay in
    the shell history); only its argon2 hash is stored.

    Example:

        qa users set-password lee --as ada
        printf '%s\n' "$LEE_PASSWORD" | qa users set-password lee --password-stdin --as ada
    """
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    if not password:
        raise QAError("no password given")
    from qa_toolkit.services import accounts

    with opened(db) as database, database.session() as session:
        user = accounts.set_password(session, name, password, actor=acting_user(as_user))
        console.print(f"Password set for {user.name}: they can log in to `qa serve`")


@app.command("list")
def list_(
    role: Annotated[str | None, typer.Option(help="Only this role.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List users.

    Example:

        qa users list --role reviewer
    """
    with opened(db) as database, database.session() as session:
        rows = [people.user_as_dict(u) for u in people.list_users(session, role=role)]
    if as_json:
        print_json(rows)
    else:
        print_table("Users", ["name", "role", "agent", "team", "can log in"],
                    [(r["name"], r["role"], r["agent"], r["team"], "yes" if r["can_log_in"] else "no") for r in rows])
