"""`qa review`: peer review — sample, assign, score in the terminal, calibrate, dispute."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from qa_toolkit.cli.common import (
    AsUserOption,
    DbOption,
    JsonOption,
    acting_user,
    console,
    opened,
    print_json,
    print_table,
)
from qa_toolkit.errors import QAError

app = typer.Typer(help="Peer review: sample, assign, review in the terminal, calibrate, dispute.",
                  no_args_is_help=True)
calibrate_app = typer.Typer(help="Calibration sessions: everyone scores the same interactions blind.",
                            no_args_is_help=True)
app.add_typer(calibrate_app, name="calibrate")


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _fmt(value: float | None, suffix: str = "") -> str:
    return "" if value is None else f"{value:.1f}{suffix}"


@app.command("sample")
def sample(
    rubric: Annotated[str, typer.Option(help="Rubric name (its latest published version).")],
    per_agent: Annotated[int | None, typer.Option("--per-agent", help="N interactions of every agent.")] = None,
    percent: Annotated[float | None, typer.Option(help="P percent of the eligible interactions.")] = None,
    strategy: Annotated[str, typer.Option(help="random, stratified or targeted (low auto score, critical "
                                          "fail, negative end, escalated, low CSAT first).")] = "random",
    stratify_by: Annotated[str, typer.Option("--stratify-by", help="agent, queue or channel.")] = "agent",
    since: Annotated[datetime | None, typer.Option(help="Only interactions started on or after this date.")] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed: the same seed draws the same sample.")] = None,
    db: DbOption = None,
    as_user: AsUserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Draw a sample of interactions to review (never one already under review for the rubric).

    Example:

        qa review sample --rubric support-chat --per-agent 2 --strategy targeted --seed 7
    """
    from qa_toolkit.services import review

    with opened(db) as database, database.session() as session:
        drawn, items = review.sample(session, rubric=rubric, per_agent=per_agent, percent=percent,
                                     strategy=strategy, stratify_by=stratify_by, since=since, seed=seed,
                                     actor=acting_user(as_user))
        rows = [review.assignment_as_dict(i) for i in items]
        sample_id = drawn.id
    if as_json:
        print_json({"sample": sample_id, "items": rows})
        return
    print_table(f"Sample {sample_id}", ["item", "interaction", "agent", "channel", "why"],
                [(r["id"], r["interaction"], r["agent"], r["channel"], r["reason"]) for r in rows])
    console.print(f"Sampled {len(rows)} interactions; assign them with `qa review assign --sample {sample_id} "
                  "--reviewers a,b`")


@app.command("assign")
def assign(
    reviewers: Annotated[str, typer.Option(help="Comma-separated reviewer names.")],
    sample_id: Annotated[int | None, typer.Option("--sample", help="Only this sample (default: every "
                                                  "unassigned item).")] = None,
    double: Annotated[float, typer.Option(help="Share (0-1) of items two reviewers score, "
                                          "for agreement.")] = 0.0,
    blind: Annotated[bool, typer.Option("--blind/--no-blind", help="Hide agent, automated score and other "
                                        "reviews until the reviewer submits.")] = False,
    balance: Annotated[bool, typer.Option("--balance/--batch-only", help="Even out whole workloads (open "
                                          "assignments count), or only this batch.")] = True,
    seed: Annotated[int | None, typer.Option(help="Random seed for tie-breaks and the double-review pick.")] = None,
    db: DbOption = None,
    as_user: AsUserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Assign sampled interactions: balanced (±1), within capacity, never a reviewer's own interactions.

    Example:

        qa review assign --reviewers maria,tom --double 0.2 --blind
    """
    from qa_toolkit.services import review

    with opened(db) as database, database.session() as session:
        done = review.assign(session, reviewers=_split(reviewers), sample_id=sample_id, double_share=double,
                             blind=blind, balance_open=balance, seed=seed, actor=acting_user(as_user))
        rows = [review.assignment_as_dict(i) for i in done]
    if as_json:
        print_json(rows)
        return
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["reviewer"]] = counts.get(row["reviewer"], 0) + 1
    print_table("Assigned", ["reviewer", "assignments"], sorted(counts.items()))


@app.command("capacity")
def capacity(
    reviewer: Annotated[str, typer.Argument(help="Reviewer name.")],
    limit: Annotated[int | None, typer.Argument(help="Open assignments they can hold (omit to remove "
                                                "the limit).")] = None,
    db: DbOption = None,
    as_user: AsUserOption = None,
) -> None:
    """Set how many open assignments a reviewer can hold (assign respects it).

    Example:

        qa review capacity maria 20
    """
    from qa_toolkit.services import review

    with opened(db) as database, database.session() as session:
        review.set_capacity(session, reviewer, limit, actor=acting_user(as_user))
    console.print(f"Capacity of {reviewer}: {'no limit' if limit is None else limit}")


@app.command("queue")
def queue(
    include_done: Annotated[bool, typer.Option("--all", help="Include submitted assignments.")] = False,
    db: DbOption = None,
    as_user: AsUserOption = None,
    as_json: JsonOption = False,
) -> None:
    """List your open assignments (blind ones without the agent).

    Example:

        qa review queue --as maria
    """
    from qa_toolkit.services import review

    with opened(db) as database, database.session() as session:
        rows = [review.assignment_as_dict(i, hide_agent=True)
                for i in review.queue(session, acting_user(as_user), include_done=include_done)]
    if as_json:
        print_json(rows)
        return
    print_table("Review queue", ["id", "interaction", "channel", "agent", "rubric", "status", "blind"],
                [(r["id"], r["interaction"], r["channel"], "(blind)" if r["blind"] else r["agent"], r["rubric"],
                  r["status"], "yes" if r["blind"] else "") for r in rows])
    if not rows:
        console.print("Nothing to review.")


@app.command("start")
def start(
    assignment: Annotated[int | None, typer.Argument(help="Assignment id (default: your oldest open one).")] = None,
    evidence: Annotated[str, typer.Option(help="Highlight automated evidence: after-submit or always "
                                          "(blind reviews: after submit regardless).")] = "after-submit",
    db: DbOption = None,
    as_user: AsUserOption = None,
) -> None:
    """Open the review session in the terminal: transcript left, criteria right.

    Keys: j/k move, digits score, n N/A, c comment (criterion), o overall comment, s submit,
    q save a draft and quit.

    Example:

        qa review start --as maria
    """
    from qa_toolkit.review.app import ReviewApp
    from qa_toolkit.services import review

    if evidence not in ("after-submit", "always"):
        raise QAError(f"--evidence must be after-submit or always, not {evidence!r}")
    actor = acting_user(as_user)
    with opened(db) as database:
        with database.session() as session:
            item = review.own_assignment(session, assignment, actor) if assignment else review.next_open(session, actor)
            context = review.context(session, item, evidence_always=evidence == "always")

        def save(sheet):  # type: ignore[no-untyped-def]
            with database.session() as s:
                review.save_draft(s, context.assignment_id, sheet, actor=actor)

        def submit(sheet):  # type: ignore[no-untyped-def]
            with database.session() as s:
                evaluation = review.submit(s, context.assignment_id, sheet, actor=actor)
                return evaluation.id, evaluation.score

        outcome = ReviewApp(context, on_save=save, on_submit=submit).run()
    console.print(outcome or "Review closed.")


@app.command("submit")
def submit(
    scores: Annotated[Path, typer.Option(help="JSON or YAML file: scores (criterion: value|na), "
                                         "comments, comment.")],
    assignment: Annotated[int | None, typer.Argument(help="Assignment id (see `qa review queue`; default: "
                                                     "your oldest open one).")] = None,
    db: DbOption = None,
    as_user: AsUserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Submit a review from a file, with the same checks as the terminal session.

    Without ASSIGNMENT, submits your oldest open assignment (scripts can loop over a queue).

    Example:

        qa review submit 12 --scores review.yaml --as maria
    """
    from qa_toolkit.services import review, review_scoring

    with opened(db) as database, database.session() as session:
        actor = acting_user(as_user)
        if assignment is None:
            assignment = review.next_open(session, actor).id
        evaluation = review.submit_file(session, assignment, scores, actor=actor)
        data = review_scoring.evaluation_as_dict(evaluation)
    if as_json:
        print_json(data)
    else:
        console.print(f"Submitted assignment {assignment} ({data['interaction']}): evaluation {data['id']}, "
                      f"score {_fmt(data['score'])}"
                      + (" (critical fail)" if data["critical_failed"] else ""))


@app.command("evaluations")
def evaluations(
    interaction: Annotated[str | None, typer.Option(help="Only this interaction (external id).")] = None,
    agent: Annotated[str | None, typer.Option(help="Only this agent (external id).")] = None,
    history: Annotated[bool, typer.Option("--history", help="Include superseded versions.")] = False,
    db: DbOption = None,
    as_user: AsUserOption = None,
    as_json: JsonOption = False,
) -> None:
    """List evaluations (agents see only their own), with their version history.

    Example:

        qa review evaluations --interaction chat-0042 --history
    """
    from qa_toolkit.services import review, review_scoring

    with opened(db) as database, database.session() as session:
        rows = [review_scoring.evaluation_as_dict(e) for e in review.evaluations(
            session, acting_user(as_user), review.EvaluationFilter(interaction, agent, history))]
    if as_json:
        print_json(rows)
        return
    print_table("Evaluations", ["id", "interaction", "agent", "kind", "reviewer", "score", "version", "current"],
                [(r["id"], r["interaction"], r["agent"], r["kind"], r["reviewer"], _fmt(r["score"]), r["version"],
                  "yes" if r["current"] else f"superseded") for r in rows])


@calibrate_app.command("create")
def calibrate_create(
    rubric: Annotated[str, typer.Option(help="Rubric name (latest version).")],
    interactions: Annotated[str, typer.Option(help="Comma-separated interaction ids.")],
    reviewers: Annotated[str, typer.Option(help="Comma-separated participant names.")],
    gold: Annotated[str | None, typer.Option(help="The calibrator whose scores are the reference "
                                             "(default: you).")] = None,
    name: Annotated[str | None, typer.Option(help="A name for the session.")] = None,
    db: DbOption = None,
    as_user: AsUserOption = None,
) -> None:
    """Create a calibration session: every participant scores the same interactions blind.

    Example:

        qa review calibrate create --rubric support-chat --interactions c-1,c-2 --reviewers maria,tom --gold lee
    """
    from qa_toolkit.services import calibration

    with opened(db) as database, database.session() as session:
        created = calibration.create(session, rubric=rubric, interactions=_split(interactions),
                                     reviewers=_split(reviewers), gold=gold, name=name, actor=acting_user(as_user))
        session_id, people = created.id, len(created.participants)
    console.print(f"Calibration session {session_id}: {people} participants, "
                  f"{len(_split(interactions))} interactions each (see `qa review queue`)")


@calibrate_app.command("report")
def calibrate_report(
    session_id: Annotated[int, typer.Argument(help="Calibration session id.")],
    overall_tolerance: Annotated[float, typer.Option(help="Overall scores agree within ± this many "
                                                     "points.")] = 10.0,
    criterion_tolerance: Annotated[float, typer.Option(help="Criterion values agree within this many "
                                                       "scale points.")] = 1.0,
    calibrated_at: Annotated[float, typer.Option(help="Percent agreement that counts as calibrated.")] = 85.0,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print the per-reviewer rows as CSV.")] = False,
    db: DbOption = None,
    as_user: AsUserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Deviation from the gold, percent agreement and Krippendorff's alpha per criterion.

    Example:

        qa review calibrate report 1 --json
    """
    from qa_toolkit.review.calibration import Tolerance
    from qa_toolkit.services import calibration

    tolerance = Tolerance(overall_tolerance, criterion_tolerance, calibrated_at)
    with opened(db) as database, database.session() as session:
        result = calibration.report(session, session_id, tolerance=tolerance, actor=acting_user(as_user))
    if as_json:
        print_json(result.as_dict())
        return
    if as_csv:
        from qa_toolkit.reports.csvsafe import Writer

        writer = Writer(sys.stdout)
        writer.writerow(["reviewer", "evaluations", "mean_deviation", "mean_abs_deviation", "overall_agreement",
                         "criterion_agreement", "calibrated"])
        for r in result.reviewers:
            writer.writerow([r.reviewer, r.evaluations, r.mean_deviation, r.mean_abs_deviation,
                             r.overall_agreement, r.criterion_agreement, r.calibrated])
        return
    print_table(f"Calibration session {session_id}: reviewers against the gold ({result.gold})",
                ["reviewer", "evaluations", "mean dev.", "mean |dev.|", f"overall ±{overall_tolerance:g}",
                 f"criteria ±{criterion_tolerance:g}", "calibrated"],
                [(r.reviewer, r.evaluations, _fmt(r.mean_deviation), _fmt(r.mean_abs_deviation),
                  _fmt(r.overall_agreement, " %"), _fmt(r.criterion_agreement, " %"), "yes" if r.calibrated else "no")
                 for r in result.reviewers])
    print_table("Criteria, most disagreement first", ["criterion", "level", "alpha", "agreement", "mean |dev.|"],
                [(c.key, c.level, "n/a" if c.alpha is None else f"{c.alpha:.3f}", _fmt(c.agreement, " %"),
                  _fmt(c.mean_abs_deviation)) for c in result.criteria])
    verdict = "calibrated" if result.calibrated else "not calibrated"
    console.print(f"Team: overall agreement {_fmt(result.overall_agreement, ' %')}, criterion agreement "
                  f"{_fmt(result.criterion_agreement, ' %')} → {verdict} (threshold {calibrated_at:g} %)")


@app.command("reviewers")
def reviewers(
    reviewer: Annotated[str | None, typer.Option(help="Only this reviewer.")] = None,
    db: DbOption = None,
    as_user: AsUserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Grading the graders: each reviewer's agreement with the gold across calibration sessions.

    Example:

        qa review reviewers --reviewer maria
    """
    from qa_toolkit.services import calibration

    with opened(db) as database, database.session() as session:
        rows = calibration.alignment(session, reviewer=reviewer, actor=acting_user(as_user))
    if as_json:
        print_json([r.as_dict() for r in rows])
        return
    print_table("Reviewer alignment over time", ["reviewer", "session", "date", "overall agreement",
                                                 "criterion agreement", "mean |dev.|", "calibrated"],
                [(r.reviewer, r.session_id if not r.session else f"{r.session_id} {r.session}", r.date,
                  _fmt(r.overall_agreement, " %"), _fmt(r.criterion_agreement, " %"), _fmt(r.mean_abs_deviation),
                  "yes" if r.calibrated else "no") for r in rows])


@app.command("dispute")
def dispute(
    evaluation: Annotated[int, typer.Argument(help="Evaluation id (see `qa review evaluations`).")],
    reason: Annotated[str, typer.Option(help="Why the score is wrong.")],
    db: DbOption = None,
    as_user: AsUserOption = None,
) -> None:
    """Dispute an evaluation (agents: their own).

    Example:

        qa review dispute 42 --reason "I did verify identity in turn 3" --as dana
    """
    from qa_toolkit.services import disputes

    with opened(db) as database, database.session() as session:
        raised = disputes.raise_dispute(session, evaluation, reason, actor=acting_user(as_user))
        dispute_id = raised.id
    console.print(f"Dispute {dispute_id} opened on evaluation {evaluation}")


@app.command("disputes")
def list_disputes(
    status: Annotated[str | None, typer.Option(help="open, accepted, partial or rejected.")] = None,
    db: DbOption = None,
    as_user: AsUserOption = None,
    as_json: JsonOption = False,
) -> None:
    """List disputes (agents: on their own evaluations).

    Example:

        qa review disputes --status open
    """
    from qa_toolkit.services import disputes

    with opened(db) as database, database.session() as session:
        rows = [disputes.dispute_as_dict(d) for d in disputes.list_disputes(session, status=status,
                                                                           actor=acting_user(as_user))]
    if as_json:
        print_json(rows)
        return
    print_table("Disputes", ["id", "evaluation", "interaction", "raised by", "status", "reason", "new evaluation"],
                [(r["id"], r["evaluation"], r["interaction"], r["raised_by"], r["status"], r["reason"],
                  r["new_evaluation"]) for r in rows])


@app.command("resolve")
def resolve(
    dispute_id: Annotated[int, typer.Argument(help="Dispute id.")],
    accept: Annotated[bool, typer.Option("--accept", help="The agent is right: re-score.")] = False,
    partial: Annotated[bool, typer.Option("--partial", help="Partly right: re-score.")] = False,
    reject: Annotated[bool, typer.Option("--reject", help="The evaluation stands.")] = False,
    rescore: Annotated[Path | None, typer.Option(help="JSON/YAML scores file with the corrected criteria "
                                                 "(needed to accept).")] = None,
    comment: Annotated[str | None, typer.Option(help="The resolution, for the agent.")] = None,
    db: DbOption = None,
    as_user: AsUserOption = None,
) -> None:
    """Resolve a dispute; accepting creates a new evaluation version (the old one stays in history).

    Example:

        qa review resolve 3 --accept --rescore fix.yaml --comment "Identity was verified in turn 3"
    """
    from qa_toolkit.services import disputes

    chosen = [name for name, flag in (("accepted", accept), ("partial", partial), ("rejected", reject)) if flag]
    if len(chosen) != 1:
        raise QAError("choose exactly one of --accept, --partial, --reject")
    with opened(db) as database, database.session() as session:
        done = disputes.resolve(session, dispute_id, chosen[0], rescore=rescore, comment=comment,
                                actor=acting_user(as_user))
        new = done.new_evaluation_id
    console.print(f"Dispute {dispute_id} {chosen[0]}" + (f": new evaluation {new}" if new else ""))
