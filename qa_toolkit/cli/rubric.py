"""`qa rubric`: validate, publish and show rubrics (scorecards)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from qa_toolkit.cli.common import (AsUserOption, DbOption, JsonOption, acting_user, authorize, console, opened,
                                    print_json, print_table)
from qa_toolkit.rubrics import Rubric, load_rubric
from qa_toolkit.services import rubrics

app = typer.Typer(help="Validate, publish and show rubrics (scorecards).", no_args_is_help=True)


@app.command("validate")
def validate(
    files: Annotated[list[str], typer.Argument(help="Rubric YAML files (or names of shipped rubrics).")],
) -> None:
    """Check rubric files; every problem is printed as FILE:LINE: FIELD: REASON.

    Example:

        qa rubric validate my-rubric.yaml
    """
    for name in files:
        loaded = load_rubric(rubrics.resolve_file(name))
        rubric = loaded.rubric
        console.print(f"{loaded.path}: ok — rubric {rubric.name!r}, {len(rubric.categories)} categories, "
                      f"{len(rubric.criteria())} criteria, hash {loaded.content_hash[:12]}", highlight=False, soft_wrap=True)


@app.command("calibrate")
def calibrate(
    file: Annotated[str, typer.Argument(help="Rubric YAML file (or name of a shipped rubric).")],
    labels: Annotated[str, typer.Option("--labels", help="Canonical chat JSONL with hand labels (a development "
                                                         "split: measure on another one).")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the calibrated rubric here.",
                                             dir_okay=False)] = None,
    write: Annotated[bool, typer.Option("--write", help="Rewrite FILE in place (comments and layout kept).")] = False,
    as_json: JsonOption = False,
) -> None:
    """Fit the thresholds and margins of every exemplar block to hand labels.

    Only the numbers change; the sentences stay as written. Prints each criterion's F1 on the labels
    before and after, and the values chosen.

    Example:

        qa rubric calibrate my-rubric.yaml --labels dev.jsonl --out my-rubric.calibrated.yaml
    """
    text, fitted, changed = rubrics.calibrate_file(file, labels)
    target = rubrics.resolve_file(file) if write else out
    if target is not None:
        target.write_text(text, encoding="utf-8")
    if as_json:
        print_json({"rubric": str(file), "labels": labels, "changed": changed, "written": str(target) if target
                    else None, "criteria": [f.as_dict() for f in fitted]})
        return
    fmt = (lambda v: "" if v is None else f"{v:.2f}")
    print_table(f"Calibrated on {labels}", ["criterion", "label", "n", "F1 before", "F1 after", "values"],
                [(f.criterion, f.label, f.n, fmt(f.f1_before), fmt(f.f1_after),
                  ", ".join(f"{k} {b:g}→{a:g}" for k, (b, a) in f.thresholds.items() if a != b) or "unchanged")
                 for f in fitted])
    console.print(f"{changed} value(s) changed" + (f", written to {target}" if target else
                                                   " (use --out FILE or --write to keep them)"), highlight=False)


@app.command("tune")
def tune(
    rubric: Annotated[str, typer.Argument(help="Rubric to tune: a file, a shipped rubric, or a published rubric's "
                                               "name (its latest version).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Write the draft rubric here (publish it with "
                                                          "`qa rubric publish DRAFT.yaml`).", dir_okay=False)],
    from_reviews: Annotated[bool, typer.Option("--from-reviews", help="Tune on the stored reviews and "
                                                                      "calibration scores.")] = False,
    labels: Annotated[str | None, typer.Option("--labels", help="Tune on a labelled canonical JSONL file "
                                                                "(what `qa score eval FILE` reads).")] = None,
    period: Annotated[str | None, typer.Option("--period", help="With --from-reviews: reviews given in "
                                                                "START..END or a month YYYY-MM.")] = None,
    fit_share: Annotated[float, typer.Option("--fit-share", min=0.2, max=0.9,
                                             help="Share of the labels, the oldest, that the tuning fits on; "
                                                  "the rest measures it.")] = 0.6,
    min_labels: Annotated[int, typer.Option("--min-labels", min=1,
                                            help="Refuse to tune a check with fewer labels in the fitting "
                                                 "part.")] = 20,
    db: DbOption = None,
    as_user: AsUserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Propose a new rubric version tuned on the team's labels: thresholds re-calibrated and exemplars added
    from the disagreements, fitted on the oldest labels and measured on the newest.

    Prints each check's F1 before and after on the held-out labels; checks with too few labels are
    refused. The draft records the labels' window and the measured accuracy; `qa rubric publish` stores
    them with the version.

    Example:

        qa rubric tune support-chat --from-reviews --period 2026-10 --out support-chat.draft.yaml

        qa rubric tune support-chat --labels dev.jsonl --out support-chat.draft.yaml
    """
    from qa_toolkit.reports.period import parse_period
    from qa_toolkit.services.rubric_tune import tune_rubric

    if from_reviews == (labels is not None):
        raise typer.BadParameter("give --from-reviews or --labels FILE (one of them)", param_hint="--from-reviews")
    if period is not None and not from_reviews:
        raise typer.BadParameter("--period goes with --from-reviews", param_hint="--period")
    if labels is not None and (Path(rubric).exists() or (db is None and rubric in rubrics.library())):
        result = tune_rubric(rubric, labels=labels, fit_share=fit_share, min_labels=min_labels)
    elif labels is not None:  # a published rubric: its latest version
        with opened(db) as database:
            result = tune_rubric(rubric, labels=labels, database=database, fit_share=fit_share,
                                 min_labels=min_labels)
    else:
        with opened(db) as database:
            authorize(database, as_user, ("lead", "trainer", "admin"), "tune a rubric on the reviews")
            result = tune_rubric(rubric, database=database, period=parse_period(period) if period else None,
                                 fit_share=fit_share, min_labels=min_labels)
    out.write_text(result.pop("draft"), encoding="utf-8")
    result["written"] = str(out)
    if as_json:
        print_json(result)
        return
    fmt = (lambda v: "" if v is None else f"{v:.2f}")
    window = f", {result['window'][0][:10]} to {result['window'][1][:10]}" if result["window"] else ""
    print_table(f"{result['rubric']} tuned on {result['labels']}: {result['interactions']} interactions{window}; "
                f"fitted on the first {result['fitted_on']}, measured on the last {result['held_out']}",
                ["criterion", "check", "fit", "held out", "F1 before", "F1 after", "change"],
                [(c["criterion"], c["check"], c["fitted_on"], c["held_out"], fmt(c["f1_before"]), fmt(c["f1_after"]),
                  c["refused"] or _rejected(c) or "; ".join(
                      [f"{k} {v['before']:g}→{v['after']:g}" for k, v in c["thresholds"].items()]
                      + ([f"{len(c['exemplars_added'])} exemplar(s) added"] if c["exemplars_added"] else []))
                  or "unchanged") for c in result["criteria"]])
    for c in result["criteria"]:
        for added in c["exemplars_added"]:
            console.print(f"  {c['criterion']}: {added['block']} + {added['as']} “{escape(added['sentence'])}”",
                          highlight=False)
    for note in result["notes"]:
        console.print(f"note: {escape(note)}", highlight=False)
    console.print(f"Draft written to {out}: check it with `qa score eval FILE --rubric {out}`, publish it with "
                  f"`qa rubric publish {out}`", highlight=False)


def _rejected(row: dict[str, Any]) -> str:
    """A tuning the held-out labels refused, in words ('' when none)."""
    rejected = row.get("rejected")
    if not rejected:
        return ""
    figures = ", ".join(f"{name} {rejected[name]:.2f}" for name in ("f1", "accuracy") if rejected[name] is not None)
    return f"rejected: worse on the held-out labels once tuned ({figures or 'no figure'}); kept as it was"


@app.command("publish")
def publish(
    files: Annotated[list[str], typer.Argument(help="Rubric YAML files, or names of shipped rubrics (support-chat).")],
    db: DbOption = None,
    as_user: AsUserOption = None,
) -> None:
    """Store each rubric as a new immutable version (unchanged content keeps its version).

    Example:

        qa rubric publish support-chat support-call collections-compliance
    """
    with opened(db) as database, database.session() as session:
        for name in files:
            result = rubrics.publish_file(session, name, actor=acting_user(as_user))
            v = result.version
            what = "published" if result.created else "unchanged, already published as"
            console.print(f"{v.name}: {what} version {v.version} ({v.content_hash[:12]})", highlight=False)
            measured = v.body.get("measured")
            if measured:
                console.print(f"  {_measured_line(measured)}", highlight=False)


def _measured_line(measured: dict[str, Any]) -> str:
    window = measured.get("window")
    when = f" given {window[0][:10]} to {window[1][:10]}" if window else ""
    scores = ", ".join(f"{k} {v['f1']:.2f}" for k, v in measured.get("criteria", {}).items()
                       if v.get("f1") is not None)
    return (f"tuned on {measured['labels']}{when} (fitted on {measured['fitted_on']}, measured on "
            f"{measured['held_out']}); held-out F1: {scores or 'none'}")


@app.command("list")
def list_(
    all_versions: Annotated[bool, typer.Option("--all", help="Every version, not only the latest.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List published rubrics.

    Example:

        qa rubric list --all
    """
    with opened(db) as database, database.session() as session:
        versions = rubrics.list_versions(session) if all_versions else rubrics.latest_versions(session)
        rows = [rubrics.version_as_dict(v) for v in versions]
    if as_json:
        print_json(rows)
    else:
        print_table("Rubrics", ["name", "version", "channels", "hash", "published", "by"],
                    [(r["name"], r["version"], ", ".join(r["channels"]), r["content_hash"][:12],
                      r["published_at"][:19], r["published_by"]) for r in rows])


@app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="A published rubric's name, or a rubric file.")],
    version: Annotated[int | None, typer.Option(help="This version (default: the latest).")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show a rubric: categories, criteria, scales, checks and training modules.

    Example:

        qa rubric show support-chat --version 1
    """
    if Path(name).is_file():
        rubric, header = load_rubric(name).rubric, f"{name} (file, not published)"
    else:
        with opened(db) as database, database.session() as session:
            stored = rubrics.get_version(session, name, version)
            rubric = rubrics.rubric_of(stored)
            header = f"{stored.name} version {stored.version} ({stored.content_hash[:12]}), published " \
                     f"{stored.published_at:%Y-%m-%d %H:%M} by {stored.published_by or '-'}"
    if as_json:
        print_json(rubric.model_dump(mode="json"))
        return
    _print_rubric(rubric, header)


def _print_rubric(rubric: Rubric, header: str) -> None:
    console.print(f"[bold]{rubric.title or rubric.name}[/bold] — {header}", highlight=False)
    if rubric.description:
        console.print(rubric.description.strip(), highlight=False)
    if rubric.measured is not None:
        console.print(_measured_line(rubric.measured.model_dump(mode="json")), highlight=False)
    console.print(f"channels: {', '.join(rubric.channels)}"
                  + (f"; queues: {', '.join(rubric.queues)}" if rubric.queues else "")
                  + f"; pass mark {rubric.pass_mark:g}", highlight=False)
    for category in rubric.categories:
        console.print(f"\n[bold]{escape(category.name or category.key)}[/bold] "
                      f"({category.key}, weight {category.weight:g})", highlight=False)
        for c in category.criteria:
            flags = [f"scale {c.scale.describe()}", f"weight {c.weight:g}"]
            flags += [f"bonus +{c.bonus:g}"] if c.bonus else []
            flags += ["N/A allowed"] if c.allow_na else []
            flags += [f"critical: {c.critical}"] if c.critical != "none" else []
            flags += [f"{c.mode}" + (f" via {c.check}" if c.check else "")]
            console.print(f"  • [bold]{c.key}[/bold] — {escape(c.question)}", highlight=False)
            console.print(f"    {' · '.join(flags)}", highlight=False, style="dim")
            if c.training:
                console.print(f"    training: {escape(', '.join(c.training))}", highlight=False, style="dim")
