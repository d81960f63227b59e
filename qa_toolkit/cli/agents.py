"""`qa agents`: the agents whose interactions are scored."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from qa_toolkit.cli.common import (
    AgentChannelOption,
    AsUserOption,
    DbOption,
    JsonOption,
    acting_user,
    authorize,
    console,
    opened,
    print_json,
    print_table,
)
from qa_toolkit.services import people
from qa_toolkit.services.roles import MANAGE

app = typer.Typer(help="Agents whose interactions are scored.", no_args_is_help=True)


@app.command("add")
def add(
    external_id: Annotated[str, typer.Argument(help="The agent's id in your contact-center platform.")],
    name: Annotated[str, typer.Argument(help="Full name, as shown in reports.")],
    team: Annotated[str | None, typer.Option(help="Team name.")] = None,
    hired_at: Annotated[str | None, typer.Option("--hired-at", help="Hire date, YYYY-MM-DD (tenure bands).")] = None,
    db: DbOption = None,
    as_user: AsUserOption = None,
) -> None:
    """Add an agent.

    Example:

        qa agents add a-17 "Dana Park" --team billing --hired-at 2025-03-01
    """
    hired = _parse_date(hired_at)
    with opened(db) as database, database.session() as session:
        agent = people.add_agent(session, external_id, name, team=team, hired_at=hired, actor=acting_user(as_user))
        console.print(f"Added agent {agent.external_id} ({agent.name})")


@app.command("list")
def list_(
    team: Annotated[str | None, typer.Option(help="Only this team.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List agents.

    Example:

        qa agents list --team billing --json
    """
    with opened(db) as database, database.session() as session:
        rows = [people.agent_as_dict(a) for a in people.list_agents(session, team=team)]
    if as_json:
        print_json(rows)
    else:
        print_table("Agents", ["id", "name", "team", "hired"],
                    [(r["external_id"], r["name"], r["team"], r["hired_at"]) for r in rows])


@app.command("enroll-voice")
def enroll_voice(
    agent: Annotated[str, typer.Argument(help="The agent's id (as in `qa agents list`).")],
    files: Annotated[list[Path], typer.Argument(help="Recordings of this agent alone, or stereo calls of theirs "
                                                     "(any audio format; 30 s or more of speech in all is best).")],
    agent_channel: AgentChannelOption = "left",
    db: DbOption = None,
    as_user: AsUserOption = None,
) -> None:
    """Enroll an agent's voice, so mono calls tell this agent apart by voice.

    Of a stereo call only the agent's channel is used (its sidecar's or manifest's agent_channel, else
    --agent-channel); a stereo call whose metadata names another agent is refused. Stores one speaker
    embedding (256 numbers, never the audio); enrolling again replaces it. Needs the diarization extra.

    Example:

        qa agents enroll-voice a-17 dana-intro.wav dana-voicemail.mp3
        qa agents enroll-voice a-daniel samples/calls/call_01_billing.wav samples/calls/call_02_hold.mp3
    """
    from qa_toolkit.services import voices

    with opened(db) as database:
        actor = authorize(database, as_user, MANAGE, "enroll voices")
        with database.session() as session:
            result = voices.enroll_voice(session, agent, files, actor=actor, agent_channel=agent_channel)
    console.print(f"{'Replaced' if result['replaced'] else 'Enrolled'} the voice of {result['agent']} from "
                  f"{result['files']} file(s), {result['seconds']:.1f} s of audio")


@app.command("forget-voice")
def forget_voice(
    agent: Annotated[str, typer.Argument(help="The agent's id.")],
    db: DbOption = None,
    as_user: AsUserOption = None,
) -> None:
    """Delete an agent's enrolled voice.

    Example:

        qa agents forget-voice a-17
    """
    from qa_toolkit.services import voices

    with opened(db) as database:
        actor = authorize(database, as_user, MANAGE, "delete voices")
        with database.session() as session:
            voices.forget_voice(session, agent, actor=actor)
    console.print(f"Deleted the enrolled voice of {agent}")


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint="--hired-at") from None
