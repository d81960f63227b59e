"""`qa score`: score interactions automatically and measure check accuracy."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

from qa_toolkit.cli.common import (
    AsUserOption,
    DbOption,
    JsonOption,
    acting_user,
    authorize,
    console,
    err_console,
    opened,
    print_json,
    print_table,
)
from qa_toolkit.services import roles, scoring

app = typer.Typer(help="Score interactions automatically and measure check accuracy.", no_args_is_help=True)


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD or ISO-8601)", param_hint="--since") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


@app.command("auto")
def auto(
    rubric: Annotated[str | None, typer.Option(help="Only this published rubric (default: every rubric, "
                                                    "each on the channels and queues it names).")] = None,
    since: Annotated[str | None, typer.Option(help="Only interactions started on or after this date.")] = None,
    interactions: Annotated[str | None, typer.Option(
        "--interactions", help="Filter: FIELD=VALUE[,...] with fields agent, team, tag, channel, queue, topic, "
                               "source, id, customer, language; VALUE may be A|B.")] = None,
    batch_size: Annotated[int, typer.Option(help="Interactions per transaction.", min=1)] = 1000,
    workers: Annotated[int | None, typer.Option(help="Processes running the checks (default: CPU count, at "
                                                     "most 4).", min=1, show_default=False)] = None,
    db: DbOption = None,
    as_user: AsUserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Score every matching interaction that has no automated evaluation for the rubric's latest version.

    Running it again scores only what is new; publishing a new rubric version adds evaluations
    and never overwrites the old ones.

    Example:

        qa score auto --rubric support-chat --since 2026-10-01 --interactions queue=billing
    """
    workers = workers or min(4, os.cpu_count() or 1)
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                        TextColumn("{task.fields[rate]}"), TimeRemainingColumn(), console=err_console,
                        disable=as_json, transient=False)
    task: list[Any] = []
    started: list[float] = []

    def on_start(run: scoring.RubricRun, total: int) -> None:
        import time

        started[:] = [time.perf_counter()]
        task[:] = [progress.add_task(f"{run.rubric} v{run.version}", total=total or 1, rate="",
                                     completed=0 if total else 1)]

    def on_progress(count: int) -> None:
        import time

        progress.advance(task[0], count)
        done = progress.tasks[-1].completed
        elapsed = time.perf_counter() - started[0]
        progress.update(task[0], rate=f"{done / elapsed:,.0f}/s" if elapsed else "")

    with opened(db) as database:
        actor = authorize(database, as_user, roles.MANAGE, "score interactions")
    with opened(db) as database, progress:
        runs = scoring.score_auto(database, rubric=rubric, since=_since(since), query=interactions,
                                  batch_size=batch_size, workers=workers, actor=actor,
                                  on_start=on_start, on_progress=on_progress)
    if as_json:
        print_json([run.as_dict() for run in runs])
        return
    print_table("Automated scoring", ["rubric", "version", "scored", "no score (all N/A)", "critical fails",
                                      "mean score"],
                [(r.rubric, r.version, r.scored, r.no_score, r.critical_failed,
                  "" if r.mean_score is None else f"{r.mean_score:.1f}") for r in runs])
    skipped = sum(r.skipped for r in runs)
    if skipped:
        console.print(f"{skipped} interaction(s) were scored meanwhile by another `qa score auto` run: kept as it "
                      "stored them", highlight=False)
    failing = sorted(((counts["fail"], key, r.rubric) for r in runs for key, counts in r.statuses.items()
                      if counts["fail"]), reverse=True)[:5]
    if failing:
        console.print("Most failed: " + ", ".join(f"{key} ({count})" for count, key, _ in failing), highlight=False)


@app.command("embed")
def embed(
    since: Annotated[str | None, typer.Option(help="Only interactions started on or after this date.")] = None,
    interactions: Annotated[str | None, typer.Option(
        "--interactions", help="Filter: FIELD=VALUE[,...] as for `qa score auto`.")] = None,
    batch_size: Annotated[int, typer.Option(help="Interactions per batch.", min=1)] = 1000,
    db: DbOption = None,
    as_user: AsUserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Embed the sentences of stored interactions into the database's embedding cache, ahead of scoring.

    The semantic checks' model then runs here (e.g. right after the nightly import or transcription) and not in
    `qa score auto`, whose first scoring reads the vectors, with the same verdicts. Sentences already embedded
    are skipped, so running it again computes nothing. QA_EMBED_ON_INGEST=1 does the same as interactions
    are stored.

    Example:

        qa score embed --since 2026-10-01
    """
    from qa_toolkit.services import embed_ahead

    progress = Progress(TextColumn("embedding"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=err_console, disable=as_json, transient=False)
    task: list[Any] = []
    with opened(db) as database:
        authorize(database, as_user, roles.MANAGE, "embed interactions")
        with progress:
            run = embed_ahead.embed_stored(
                database, since=_since(since), query=interactions, batch_size=batch_size,
                on_start=lambda total: task.append(progress.add_task("embedding", total=total or 1)),
                on_progress=lambda count: progress.advance(task[0], count))
    if as_json:
        print_json(run.as_dict())
        return
    console.print(f"{run.interactions:,} interaction(s): {run.computed:,} sentence(s) embedded now, "
                  f"{run.sentences - run.computed:,} already in the cache", highlight=False)


@app.command("show")
def show(
    interaction: Annotated[str, typer.Argument(help="Interaction id (SOURCE:ID when ids repeat across sources).")],
    rubric: Annotated[str | None, typer.Option(help="Only evaluations with this rubric.")] = None,
    history: Annotated[bool, typer.Option("--history", help="Include superseded versions.")] = False,
    db: DbOption = None,
    as_user: AsUserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show an interaction's evaluations with every criterion's verdict and evidence.

    Once the database has users, you say who you are (--as): leads see their team's agents, agents their
    own interactions, reviewers those assigned to them, and blind reviews stay blind until submitted.

    Example:

        qa score show c-001 --rubric support-chat --as lee
    """
    with opened(db) as database, database.session() as session:
        reader = roles.reader(session, acting_user(as_user))
        found, evals = scoring.interaction_evaluations(session, interaction, rubric=rubric, include_history=history)
        roles.check_may_read(session, reader, found)
        if reader is not None and reader.role == "agent":
            evals = [e for e in evals if e.kind != "calibration"]
        data = [scoring.evaluation_as_dict(e) for e in evals]
        turns = {t.index: t for t in found.turns}
        if as_json:
            print_json(data)
            return
        if not data:
            console.print(f"{found.external_id}: no evaluations yet (run `qa score auto`)", highlight=False)
            return
        for item in data:
            _print_evaluation(item, turns)


def _print_evaluation(item: dict[str, Any], turns: dict[int, Any]) -> None:
    score = "no score (all N/A)" if item["score"] is None else f"{item['score']:.1f}"
    flag = " [bold red]CRITICAL FAIL[/]" if item["critical_failed"] else ""
    who = f" by {item['reviewer']}" if item["reviewer"] else ""
    console.print(f"\n[bold]{escape(item['interaction'])}[/] ({item['channel']}, agent {escape(str(item['agent']))}) "
                  f"— {item['rubric']} v{item['rubric_version']}, {item['kind']}{who}: [bold]{score}[/]{flag}",
                  highlight=False)
    console.print("categories: " + ", ".join(f"{k} {'N/A' if v is None else f'{v:.0f}'}"
                                             for k, v in item["categories"].items()), highlight=False)
    colours = {"pass": "green", "fail": "red", "na": "dim"}
    for r in item["results"]:
        status = r["status"].upper()
        by = "" if r["decided_by"] == "auto" else " (reviewer)"
        measured = r.get("check_accuracy")
        accuracy = ""
        if measured:
            figure = f"F1 {measured['f1']:.2f}" if measured.get("f1") is not None else \
                f"accuracy {measured.get('accuracy') or 0:.2f}"
            shown = f"[check {figure}, n {measured.get('n', 0)}]"
            accuracy = f" [dim]{escape(shown)}[/]"
        console.print(f"  [{colours[r['status']]}]{status:<4}[/] {r['criterion']}{by}: {escape(r['message'] or '')}"
                      f"{accuracy}", highlight=False)
        for e in r["evidence"]:
            if "measures" in e:
                continue
            where = f"turn {e['turn']}" if "turn" in e else ""
            if "at_s" in e:
                where += f" @ {e['at_s']:.1f}s"
            who_said = f" {e['speaker']}" if "speaker" in e else ""
            words = f" “{escape(e['quote'])}”" if "quote" in e else ""
            note = f" ({escape(e['note'])})" if "note" in e else ""
            console.print(f"       {where}{who_said}:{words}{note}", highlight=False, style="dim")
        if r["comment"]:
            console.print(f"       comment: {escape(r['comment'])}", highlight=False)
    if item["comment"]:
        console.print(f"  comment: {escape(item['comment'])}", highlight=False)


@app.command("eval")
def eval_(
    file: Annotated[str | None, typer.Argument(help="Canonical chat JSONL whose records carry a `labels` object "
                                                    "(the checks run on the file's text).")] = None,
    labels: Annotated[str | None, typer.Option(
        "--labels", help="Labels of STORED interactions: JSON Lines of {source, id, labels} (canonical records "
                         "work too); the checks run on what the database holds, transcribed calls included.")] = None,
    rubric: Annotated[str | None, typer.Option(help="Use this rubric's check parameters (shipped name, file, or "
                                                    "published rubric; several comma-separated: the first that "
                                                    "uses a check wins).")] = None,
    show: Annotated[int, typer.Option(help="Disagreements listed per label, the worst first.")] = 5,
    from_reviews: Annotated[bool, typer.Option(
        "--from-reviews", help="Measure the checks against the stored peer reviews and calibration scores "
                               "(every criterion a person answered that a check answers too).")] = False,
    period: Annotated[str | None, typer.Option(
        "--period", help="With --from-reviews: reviews given in START..END (inclusive ISO dates) or a month "
                         "YYYY-MM.")] = None,
    as_user: AsUserOption = None,
    drift_margin: Annotated[float, typer.Option(
        "--drift-margin", min=0.0, max=1.0,
        help="With --from-reviews: a check whose agreement with the reviews is below the accuracy recorded for "
             "its rubric version by more than this has drifted (exit status 3).")] = 0.10,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Measure how often each automated check agrees with hand labels.

    Per label: n, support, accuracy, precision, recall, F1 and the confusion counts (tp/fp/fn/tn;
    mean absolute error for numbers, span precision/recall for PII, per PII type too), and the
    disagreements the check was surest of, with its evidence (turn, quote, similarity).

    Example:

        qa score eval tests/data/labelled/chats_dev.jsonl --rubric support-chat

        qa score eval --db sqlite:///qa.db --labels calls_labels.jsonl --rubric support-call

        qa score eval --from-reviews --rubric support-chat --period 2026-10

    With --from-reviews the exit status is 3 when a check drifted: its agreement with the reviews fell
    below the accuracy recorded for its rubric version (by `qa rubric tune`) by more than --drift-margin.
    """
    if from_reviews:
        if file is not None or labels is not None:
            raise typer.BadParameter("--from-reviews reads the stored reviews: give no FILE or --labels",
                                     param_hint="--from-reviews")
        _eval_reviews(db, rubric, period, show, as_json, drift_margin, as_user)
        return
    if period is not None:
        raise typer.BadParameter("--period goes with --from-reviews", param_hint="--period")
    if (file is None) == (labels is None):
        raise typer.BadParameter("give a labelled FILE, or --labels with --db for stored interactions",
                                 param_hint="FILE / --labels")
    if labels is not None:
        from qa_toolkit.services.stored_eval import evaluate_stored

        with opened(db) as database:
            result = evaluate_stored(database, labels, rubric=rubric)
    else:
        result = scoring.evaluate_labels(str(file), rubric=rubric, db_url=db)
    if as_json:
        print_json(result)
        return
    _print_eval(result, show)


def _print_eval(result: dict[str, Any], show: int) -> None:
    """The per-label table (support, precision, recall, F1, confusion counts) and the worst disagreements."""
    rows = []
    fmt = (lambda v: "" if v is None else f"{v:.2f}")
    for r in result["labels"]:
        if r["kind"] == "number":
            rows.append((r["label"], r["check"], r["n"], "", "", "", "", "", "", r["mae"], len(r["disagreements"])))
            continue
        if r["kind"] == "binary":
            support, counts = r["support"], f"{r['tp']}/{r['fp']}/{r['fn']}/{r['tn']}"
        elif r["kind"] == "category":
            support, counts = " ".join(f"{k}:{v}" for k, v in r["support"].items()), ""
        else:
            support, counts = r.get("spans_labelled", ""), ""
        rows.append((r["label"], r["check"], r["n"], support, fmt(r.get("accuracy")), fmt(r["precision"]),
                     fmt(r["recall"]), fmt(r["f1"]), counts, "", len(r["disagreements"])))
        for kind, m in (r.get("by_type") or {}).items():  # PII spans: one row per type
            rows.append((f"  {kind}", "", "", f"{m['spans_labelled']} spans", "", fmt(m["precision"]),
                         fmt(m["recall"]), fmt(m["f1"]), "", "", ""))
    print_table(f"Check accuracy on {result['conversations']} conversations"
                + (f" (rubric {result['rubric']})" if result["rubric"] else ""),
                ["label", "check", "n", "support", "accuracy", "precision", "recall", "F1", "tp/fp/fn/tn", "MAE",
                 "disagree"], rows)
    if result["ignored_labels"]:
        console.print("Labels no check predicts (ignored): " + ", ".join(
            f"{name} {hint}".strip() for name, hint in result["ignored_labels"].items()), highlight=False)
    for problem in result.get("problems", []):
        err_console.print(f"[yellow]{escape(problem)}[/]", highlight=False)
    for r in result["labels"]:
        for d in r["disagreements"][:show]:
            console.print(f"[bold]{r['label']}[/] {escape(d['id'])}: expected {d['expected']!r}, got "
                          f"{d['predicted']!r} — {escape(d['message'])}", highlight=False)
            for e in d["evidence"]:
                if "quote" not in e and "note" not in e:
                    continue
                where = f"turn {e['turn']}" if "turn" in e else ""
                similar = f" similarity {e['similarity']:.2f}" if "similarity" in e else ""
                words = f" “{escape(e['quote'])}”" if "quote" in e else f" ({escape(e['note'])})"
                console.print(f"    {where}{similar}:{words}", highlight=False, style="dim")


def _eval_reviews(db: str | None, rubric: str | None, period: str | None, show: int, as_json: bool,
                  margin: float, as_user: str | None) -> None:
    """``--from-reviews``: the per-check table, the breakdowns, the reviewers, what was left out, the worst."""
    from qa_toolkit.reports.period import parse_period
    from qa_toolkit.services.review_eval import evaluate_reviews

    with opened(db) as database:
        authorize(database, as_user, LEADS, "measure the checks against the reviewers (their names and comments)")
        result = evaluate_reviews(database, rubric=rubric, period=parse_period(period) if period else None,
                                  worst=show, margin=margin)
    if as_json:
        print_json(result)
    else:
        _print_reviews(result)
        for item in result["drift"]:
            err_console.print(f"[bold red]DRIFT[/] {item['criterion']} ({item['check']}): {escape(item['text'])}; "
                              "reports mark its figures unreliable", highlight=False)
    if result["drift"]:
        raise typer.Exit(3)


LEADS = ("lead", "trainer", "admin")


def _print_reviews(result: dict[str, Any]) -> None:
    fmt = (lambda v: "" if v is None else f"{v:.2f}")
    where = "".join([f" of {result['rubric']}" if result["rubric"] else "",
                     f" in {result['period']}" if result["period"] else ""])
    if not result["checks"]:
        console.print(f"No review answers{where} to compare with an automated check: reviewers score "
                      "automated criteria with `qa review start`.", highlight=False)
    else:
        print_table(f"Checks against the reviewers{where}: {result['labels']} labels "
                    f"({result['gold_labels']} calibration gold); positive class: fail",
                    ["criterion", "check", "n", "agree", "override", "P", "R", "F1", "people fail", "check fail"],
                    [(c["criterion"], c["check"], c["n"], fmt(c["agreement"]), fmt(c["override_rate"]),
                      fmt(c["precision"]), fmt(c["recall"]), fmt(c["f1"]), c["reviewer_fail"], c["check_fail"])
                     for c in result["checks"]])
        for name, title in (("week", "week"), ("team", "team"), ("channel", "channel"),
                            ("check_version", "check version")):
            print_table(f"By {title}", ["criterion", title, "n", "agreement", "F1"],
                        [(c["criterion"], group, m["n"], fmt(m["agreement"]), fmt(m["f1"]))
                         for c in result["checks"] for group, m in c["by"][name].items()])
    if result["reviewers"]:
        print_table("Reviewers", ["reviewer", "answers", "agreement", "against", "compared", "weight", "standing"],
                    [(r["reviewer"], r["answers"], fmt(r["agreement"]), r["against"], r["compared"], f"{r['weight']:g}",
                      r["standing"]) for r in result["reviewers"]])
    if result.get("feedback"):
        print_table("Feedback on automated evidence (review app: w, e, t)",
                    ["criterion", "verdict marked wrong", "quote marked wrong evidence", "turn pointed at"],
                    [(key, k["wrong_verdict"], k["wrong_evidence"], k["missing_evidence"])
                     for key, k in result["feedback"].items()])
    for note in result["notes"]:
        console.print(f"note: {escape(note)}", highlight=False)
    for reason, count in result["left_out"].items():
        if count:
            console.print(f"left out: {count} — {escape(reason)}", highlight=False)
    if result["worst_disagreements"]:
        console.print("\n[bold]Worst disagreements[/] (the check surest of itself first, calibration gold first):",
                      highlight=False)
    for d in result["worst_disagreements"]:
        console.print(f"[bold]{d['criterion']}[/] {escape(d['interaction'])}: check {d['check_said']}, "
                      f"{escape(d['by'])} {d['reviewers_said']} — {escape(d['message'] or '')}", highlight=False)
        for e in d["evidence"]:
            if "quote" in e or "note" in e:
                turn = f"turn {e['turn']}: " if "turn" in e else ""
                words = f"“{e['quote']}”" if "quote" in e else f"({e['note']})"
                console.print(f"    check's evidence: {turn}{escape(words)}", highlight=False, style="dim")
        if d["comment"]:
            console.print(f"    reviewer's comment: {escape(d['comment'])}", highlight=False)
