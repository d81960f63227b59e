"""`qa report`: coaching PDFs, training-gap summaries and contact-center KPIs."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from qa_toolkit.cli.common import DbOption, console, err_console, opened, print_table
from qa_toolkit.errors import QAError
from qa_toolkit.reports import format as fmt
from qa_toolkit.reports.kpis import FCR_DAYS
from qa_toolkit.reports.period import Period, parse_period

app = typer.Typer(help="Coaching PDFs, training-gap summaries and KPIs.", no_args_is_help=True)

PeriodOption = Annotated[
    str | None,
    typer.Option("--period", help="START..END (inclusive ISO dates) or a month YYYY-MM. "
                 "Default: the month of the latest interaction (KPIs: all interactions).", show_default=False),
]
RubricOption = Annotated[
    str | None, typer.Option("--rubric", help="Rubric name (default: the most used one).", show_default=False)
]
FcrDaysOption = Annotated[
    int, typer.Option("--fcr-days", min=1, help="A repeat contact within this many days means not first-contact-resolved.")
]


def _period(value: str | None) -> Period | None:
    return parse_period(value) if value else None


@app.command("coaching")
def coaching(
    out: Annotated[Path, typer.Option("--out", help="Directory for the PDFs (one per agent).")],
    agent: Annotated[str | None, typer.Option("--agent", help="One agent (external id).", show_default=False)] = None,
    team: Annotated[str | None, typer.Option("--team", help="Every agent of a team.", show_default=False)] = None,
    all_agents: Annotated[bool, typer.Option("--all", help="Every agent.")] = False,
    period: PeriodOption = None,
    rubric: RubricOption = None,
    db: DbOption = None,
) -> None:
    """Write coaching PDFs: scores and trend vs the team, top 3 gaps with quoted evidence, training.

    Give exactly one of --agent, --team or --all. Agents without evaluations in the period get no PDF (they are listed); re-running overwrites each PDF atomically.

    Example:

        qa report coaching --team billing --period 2026-10 --out demo/out/coaching
    """
    if sum((agent is not None, team is not None, all_agents)) != 1:
        raise typer.BadParameter("give exactly one of --agent ID, --team NAME or --all", param_hint="--agent/--team/--all")
    from rich.progress import track

    from qa_toolkit.services.reports import write_coaching_pdfs

    def progress(items: Iterator[Any], total: int) -> Iterator[Any]:
        return iter(track(items, total=total, description="Writing coaching PDFs", console=err_console,
                          transient=True))

    with opened(db) as database:
        batch, written = write_coaching_pdfs(database, out, agent=agent, team=team, period=_period(period),
                                             rubric=rubric, progress=progress)
    console.print(f"Wrote {len(written)} coaching PDF{'s' if len(written) != 1 else ''} to {out} "
                  f"(period {batch.period}, rubric {batch.rubric})")
    if batch.skipped:
        names = ", ".join(f"{a.id} ({a.name})" for a in batch.skipped[:10])
        more = f" and {len(batch.skipped) - 10} more" if len(batch.skipped) > 10 else ""
        console.print(f"No evaluations in {batch.period}, no PDF: {names}{more}", markup=False)


@app.command("training-gaps")
def training_gaps(
    out: Annotated[Path, typer.Option("--out", help="File to write (the format decides the content).")],
    format: Annotated[str, typer.Option("--format", help="pdf, csv, json or md.")] = "pdf",
    period: PeriodOption = None,
    team: Annotated[str | None, typer.Option("--team", help="Only this team's agents.", show_default=False)] = None,
    rubric: RubricOption = None,
    fcr_days: FcrDaysOption = FCR_DAYS,
    db: DbOption = None,
) -> None:
    """Write the training-gap summary: failure rates with 95 % intervals, trend, impact, modules.

    CSV and JSON are tidy: one row per criterion (or category) × cohort (all, team, tenure band, queue).

    Example:

        qa report training-gaps --period 2026-10 --format csv --out demo/out/training-gaps.csv
    """
    if format not in ("pdf", "csv", "json", "md"):
        raise typer.BadParameter(f"{format!r} is not one of pdf, csv, json, md", param_hint="--format")
    from qa_toolkit.reports import tables
    from qa_toolkit.reports.files import write_text
    from qa_toolkit.services.reports import training_gap_report

    with opened(db) as database, database.session() as session:
        report = training_gap_report(session, period=_period(period), rubric=rubric, team=team, fcr_days=fcr_days)
    if not report.rows:
        raise QAError(f"no evaluations for rubric {report.rubric!r} in {report.period}: nothing to summarise")
    if format == "pdf":
        from qa_toolkit.reports.pdf import write_gaps_pdf

        write_gaps_pdf(report, out)
    else:
        render = {"csv": tables.gaps_csv, "json": tables.gaps_json, "md": tables.gaps_markdown}[format]
        write_text(out, render(report))
    top = report.ranked("criterion")[:3]
    console.print(f"Wrote {out} ({len(report.rows)} rows, period {report.period}); highest impact: "
                  + "; ".join(f"{r.label} ({fmt.pct(r.failure_pct)})" for r in top), markup=False)


@app.command("kpis")
def kpis(
    by: Annotated[str | None, typer.Option("--by", help="Group by agent, team or queue (default: total only).",
                                           show_default=False)] = None,
    period: Annotated[str | None, typer.Option("--period", help="START..END or YYYY-MM (default: all interactions).",
                                               show_default=False)] = None,
    format: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file instead of stdout.",
                                             show_default=False)] = None,
    fcr_days: FcrDaysOption = FCR_DAYS,
    db: DbOption = None,
) -> None:
    """Contact-center KPIs: CSAT, NPS, CES, FCR, AHT, escalation rate, time to resolution, quality score.

    Example:

        qa report kpis --by team --period 2026-10 --format csv --out demo/out/kpis.csv
    """
    if format not in ("table", "csv", "json"):
        raise typer.BadParameter(f"{format!r} is not one of table, csv, json", param_hint="--format")
    from qa_toolkit.reports import tables
    from qa_toolkit.reports.files import write_text
    from qa_toolkit.services.reports import kpi_report

    chosen = _period(period)
    with opened(db) as database, database.session() as session:
        rows = kpi_report(session, period=chosen, by=by, fcr_days=fcr_days)
    if format == "table":
        columns = [by or "scope", "contacts", "CSAT", "NPS", "CES", "FCR", "AHT", "Escalated", "TTR", "IQS auto",
                   "IQS review"]
        body = [(r.label, r.contacts, fmt.pct(r.csat), fmt.signed(r.nps, 0), fmt.score(r.ces, 2), fmt.pct(r.fcr),
                 fmt.duration(r.aht_s), fmt.pct(r.escalation_rate), fmt.minutes(r.ttr_min), fmt.score(r.iqs),
                 fmt.score(r.review_iqs)) for r in rows]
        if out is not None:
            from rich.console import Console
            from rich.table import Table

            table = Table(title=f"KPIs {chosen or 'all interactions'}")
            for column in columns:
                table.add_column(column)
            for line in body:
                table.add_row(*(str(v) for v in line))
            recorder = Console(record=True, width=160, file=io.StringIO())
            recorder.print(table)
            write_text(out, recorder.export_text())
            console.print(f"Wrote {out}")
        else:
            print_table(f"KPIs {chosen or 'all interactions'}", columns, body)
        return
    text = tables.kpis_csv(rows) if format == "csv" else tables.kpis_json(rows, str(chosen) if chosen else None)
    if out is not None:
        write_text(out, text)
        console.print(f"Wrote {out}")
    else:
        typer.echo(text, nl=False)
