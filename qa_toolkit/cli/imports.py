"""`qa import`: import chat logs (canonical JSONL/JSON, CSV, text transcripts, ABCD, Zendesk, Intercom)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import enum
import typer
from rich.table import Table
from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from qa_toolkit.cli.common import (
    AsUserOption,
    DbOption,
    JsonOption,
    authorize,
    console,
    err_console,
    opened,
    print_json,
)
from qa_toolkit.errors import EXIT_PARTIAL
from qa_toolkit.services.roles import MANAGE
from qa_toolkit.ingest import FORMATS
from qa_toolkit.ingest.limits import DEFAULT as DEFAULT_LIMITS
from qa_toolkit.ingest.limits import Limits, parse_size

if TYPE_CHECKING:
    from qa_toolkit.ingest.model import RecordError
    from qa_toolkit.services.chat_import import FileSummary

app = typer.Typer(help="Import chat logs (JSONL, JSON, CSV, text, ABCD, Zendesk, Intercom).", no_args_is_help=True)

MAX_PRINTED_ERRORS = 50
Format = enum.Enum("Format", {name: name for name in FORMATS}, type=str)  # type: ignore[misc]


@app.command("chats")
def chats(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, .gz files, or - for stdin.", show_default=False)],
    fmt: Annotated[Format, typer.Option("--format", help="Input format; auto detects it from each file's content.")] = Format.auto,
    source: Annotated[str | None, typer.Option(help="Source name conversations are keyed by, with their id "
                                               "(default: zendesk / intercom / abcd, else chat).", show_default=False)] = None,
    mapping: Annotated[Path | None, typer.Option(help="CSV column mapping (YAML or TOML).", exists=True, dir_okay=False,
                                                 show_default=False)] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Import nothing from a file that has any bad record.")] = False,
    rejects: Annotated[Path | None, typer.Option(help="Write rejected records to this new file or into this folder "
                                                 "(default: next to the database, e.g. "
                                                 "qa.rejects-20261206T094128Z.jsonl; an existing "
                                                 "file is never overwritten: NAME-2.jsonl is written instead).",
                                                 show_default=False)] = None,
    no_redact: Annotated[bool, typer.Option("--no-redact", help="Store text as it is, without replacing card numbers, "
                                            "SSNs, e-mails and phones (for data already clean; noted in the audit log).")] = False,
    max_record_bytes: Annotated[str, typer.Option(help="Largest record: a JSON Lines line, a record of a JSON document, "
                                                  "a CSV line or field, a text transcript (bytes; K, M, G suffixes).",
                                                  rich_help_panel="Limits")] = "16M",
    max_turns: Annotated[int, typer.Option(min=1, help="Most turns (messages, CSV rows) in one conversation.",
                                           rich_help_panel="Limits")] = DEFAULT_LIMITS.max_turns,
    max_values: Annotated[int, typer.Option(min=1, help="Most JSON values (objects, lists, strings, numbers) in one "
                                            "record: what parsing it builds in memory.",
                                            rich_help_panel="Limits")] = DEFAULT_LIMITS.max_values,
    max_depth: Annotated[int, typer.Option(min=1, max=1000, help="Deepest nesting of objects and lists in a JSON record.",
                                           rich_help_panel="Limits")] = DEFAULT_LIMITS.max_depth,
    max_decompressed_bytes: Annotated[str | None, typer.Option(
        help="Most bytes a .gz input may expand to (K, M, G suffixes; default: 100 times its compressed size, "
             "at least 1G).", rich_help_panel="Limits", show_default=False)] = None,
    embed: Annotated[bool | None, typer.Option("--embed/--no-embed", help="Embed the stored conversations' sentences "
                                               "now, so the first `qa score auto` reads them (default: the "
                                               "QA_EMBED_ON_INGEST setting, off).", show_default=False)] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    as_user: AsUserOption = None,
) -> None:
    """Import chat conversations, idempotently: unchanged ones are skipped, changed ones updated and audited.

    Bad records are reported as file:line: field: reason (never the field's value), written to a new
    rejects file per format (owner-only, personal data redacted unless --no-redact), and the rest is
    imported; the exit code is then 3. A record past a limit (size, turns, values, nesting) is rejected the
    same way; a .gz file that expands past its limit ends there. Personal data (cards, SSNs, e-mails, phones, IBANs) is
    replaced by placeholders such as [CARD] unless --no-redact is given.

    Example:

        qa import chats samples/chats --source demo --db sqlite:///demo/qa.db
    """
    from qa_toolkit.ingest.formats.csv import load_mapping
    from qa_toolkit.services.chat_import import import_chats

    csv_mapping = load_mapping(mapping) if mapping else None
    limits = Limits(max_depth=max_depth, max_record_bytes=parse_size(max_record_bytes, "--max-record-bytes"),
                    max_turns=max_turns, max_values=max_values, max_decompressed_bytes=None if max_decompressed_bytes is None
                    else parse_size(max_decompressed_bytes, "--max-decompressed-bytes"))
    printed = 0

    def on_reject(error: RecordError) -> None:
        nonlocal printed
        printed += 1
        if printed <= MAX_PRINTED_ERRORS:
            err_console.print(str(error), markup=False, highlight=False, soft_wrap=True)

    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), DownloadColumn(),
        TextColumn("{task.fields[records]:,} conversations"), TextColumn("{task.fields[rate]:,.0f}/s"),
        TimeElapsedColumn(), console=err_console, disable=as_json or not err_console.is_terminal,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(summary: FileSummary, position: int, size: int | None) -> None:
            if summary.file not in tasks:
                tasks[summary.file] = bar.add_task(Path(summary.file).name, total=size, records=0, rate=0.0)
            task = tasks[summary.file]
            elapsed = bar.tasks[task].elapsed or 0.0
            bar.update(task, completed=position, records=summary.read, rate=summary.read / elapsed if elapsed else 0.0)

        with opened(db) as database:
            actor = authorize(database, as_user, MANAGE, "import chats")
            result = import_chats(database, paths, fmt=fmt.value, source=source, mapping=csv_mapping, strict=strict,
                                  rejects=rejects, redact=not no_redact, actor=actor,
                                  progress=progress, on_reject=on_reject, limits=limits, embed=embed)
    if printed > MAX_PRINTED_ERRORS:
        err_console.print(f"... and {printed - MAX_PRINTED_ERRORS} more rejected records", highlight=False)
    if as_json:
        print_json(result.as_dict())
    else:
        folder, names = _common_folder([f.file for f in result.files])
        rows = [(name, f.format, f.read, f.imported, f.updated, f.unchanged,
                 f"{f.rejected} (strict: nothing imported)" if f.strict_skipped else f.rejected)
                for name, f in zip(names, result.files)]
        if len(result.files) > 1:
            totals = result.totals()
            rows.append(("total", "", *totals.values()))
        table = Table(title=f"Chat import (source: {result.source})" + (f"\nfiles in {folder}" if folder else ""))
        table.add_column("file", overflow="fold")
        for column in ("format", "read", "imported", "updated", "unchanged", "rejected"):
            table.add_column(column, justify="left" if column == "format" else "right")
        for row in rows:
            table.add_row(*(str(value) for value in row))
        console.print(table)
        if result.agents_created:
            console.print(f"Created {len(result.agents_created)} agent(s): {', '.join(sorted(result.agents_created)[:10])}"
                          + (" ..." if len(result.agents_created) > 10 else ""), highlight=False)
        if result.embedded is not None:
            console.print(f"Embedded {result.embedded.computed:,} new sentence(s) of {result.embedded.interactions:,} "
                          "conversation(s) for scoring.", highlight=False)
        if no_redact:
            console.print("PII redaction was off (--no-redact): raw text stored; noted in the audit log.")
    if result.rejected:
        if result.rejects:
            redacted = "" if no_redact else " (personal data redacted)"
            files = " and ".join(str(path) for path in result.rejects)
            err_console.print(f"{result.rejected} record(s) rejected; written{redacted} to {files} "
                              f"(fix them and import {'that file' if len(result.rejects) == 1 else 'those files'} "
                              "again)", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_PARTIAL)


def _common_folder(files: list[str]) -> tuple[str, list[str]]:
    """The folder several files share (longer than ``.``) and their names within it, so a summary table
    stays narrow; ``("", files)`` for one file, stdin among them, or nothing shared."""
    if len(files) < 2 or "<stdin>" in files:
        return "", files
    try:
        folder = os.path.commonpath([os.path.dirname(f) for f in files])
    except ValueError:  # absolute and relative paths mixed
        return "", files
    if folder in ("", "."):
        return "", files
    return folder, [os.path.relpath(f, folder) for f in files]
