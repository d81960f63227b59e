"""`qa audit`: the audit trail of every create and change (who, when, what, before/after)."""

from __future__ import annotations

from typing import Annotated

import typer

from qa_toolkit.cli.common import AsUserOption, DbOption, JsonOption, acting_user, opened, print_json, print_table

app = typer.Typer(help="The audit trail: who changed what, when, with before/after.", no_args_is_help=True)


@app.command("log")
def log(
    entity: Annotated[str | None, typer.Option(help="Only this kind of entity, or one entity as TYPE:ID "
                                               "(e.g. evaluation, dispute:3, assignment:12).")] = None,
    actor: Annotated[str | None, typer.Option(help="Only changes made by this user.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many events, newest first.")] = 100,
    db: DbOption = None,
    as_user: AsUserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show audit events, newest first (leads and admins).

    Example:

        qa audit log --entity dispute:3
    """
    from qa_toolkit.services import audit, roles

    entity_type, _, entity_id = (entity or "").partition(":")
    with opened(db) as database, database.session() as session:
        roles.require(session, acting_user(as_user), roles.MANAGE, "read the audit log")
        rows = [{"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "entity_type": e.entity_type,
                 "entity_id": e.entity_id, "before": e.before, "after": e.after}
                for e in audit.events(session, entity_type=entity_type or None, entity_id=entity_id or None,
                                      actor=actor, limit=limit)]
    if as_json:
        print_json(rows)
        return
    print_table("Audit log", ["at", "actor", "action", "entity"],
                [(r["at"][:19].replace("T", " "), r["actor"], r["action"],
                  f"{r['entity_type']}:{r['entity_id']}" if r["entity_id"] else r["entity_type"]) for r in rows])
