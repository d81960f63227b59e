"""`qa users`: people using the toolkit and their roles."""

from __future__ import annotations

from typing import Annotated

import typer

from qa_toolkit.cli.common import AsUserOption, DbOption, JsonOption, acting_user, console, opened, print_json, print_table
from qa_toolkit.services import people
from qa_toolkit.storage.models import ROLES

app = typer.Typer(help="Users (reviewers, leads, trainers, agents, admins) and their roles.", no_args_is_help=True)


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="User name (what --as and $QA_USER refer to).")],
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}.")] = "reviewer",
    agent: Annotated[str | None, typer.Option(help="The agent id of a user who is also an agent "
                                              "(never assigned their own interactions).")] = None,
    db: DbOption = None,
    as_user: AsUserOption = None,
) -> None:
    """Add a user.

    Example:

        qa users add maria --role reviewer
    """
    with opened(db) as database, database.session() as session:
        user = people.add_user(session, name, role, agent_external_id=agent, actor=acting_user(as_user))
        console.print(f"Added user {user.name} ({user.role})")


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
        print_table("Users", ["name", "role", "agent"], [(r["name"], r["role"], r["agent"]) for r in rows])
