"""`qa rubric`: validate, publish and show rubrics (scorecards)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from qa_toolkit.cli.common import AsUserOption, DbOption, JsonOption, acting_user, console, opened, print_json, print_table
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
