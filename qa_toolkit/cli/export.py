"""`qa export`: stored data out, in formats other tools (and `qa import`) read."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from qa_toolkit.cli.common import DbOption, err_console, opened
from qa_toolkit.services.interaction_export import export_jsonl

app = typer.Typer(help="Export stored data.", no_args_is_help=True)


class Format(str, Enum):
    jsonl = "jsonl"


@app.command("interactions")
def interactions(
    fmt: Annotated[Format, typer.Option("--format", help="jsonl: canonical conversation JSON Lines, the "
                                                         "format `qa import chats` reads.")] = Format.jsonl,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File to write (default: standard output).",
                                             dir_okay=False)] = None,
    query: Annotated[str | None, typer.Option(
        "--interactions", help="Filter: FIELD=VALUE[,...] with fields agent, team, tag, channel, queue, topic, "
                               "source, id, customer, language; VALUE may be A|B.")] = None,
    db: DbOption = None,
) -> None:
    """Write stored interactions (chats, e-mails, transcribed calls) as canonical JSON Lines.

    Turns keep their timestamps and start_s/end_s seconds, calls their timing block (talk, silences,
    holds, overtalk); redacted text stays redacted. `qa import chats` reads the file back as it was.

    Example:

        qa export interactions --interactions channel=call --out calls.jsonl
    """
    with opened(db) as database:
        if out is None:
            count = export_jsonl(database, sys.stdout, query)
        else:
            tmp = out.with_name(out.name + ".part")
            with tmp.open("w", encoding="utf-8") as handle:
                count = export_jsonl(database, handle, query)
            tmp.replace(out)
    err_console.print(f"{count} interaction(s) exported" + (f" to {out}" if out else ""), highlight=False)
