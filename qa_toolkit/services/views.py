"""What each page of the web view (and its JSON twin under /api) shows, as plain data, after the role checks.

The web view is a second face over the same services as the CLI: these functions call the report,
review, calibration and scoring services and decide who sees what through :mod:`roles` only. Every
function takes the logged-in :class:`User` and raises :class:`NotAllowedError` (a page the role may
not see) or :class:`NotFoundError` (an id that does not exist, or one the user may not see: other
agents' interactions are "not found", so ids tell nothing).
"""

from __future__ import annotations

import mimetypes
from urllib.parse import quote
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from qa_toolkit.errors import NotFoundError, QAError
from qa_toolkit.reports.coaching import CoachingReport
from qa_toolkit.reports.period import Period, parse_period
from qa_toolkit.review.session import timestamp
from qa_toolkit.services import (
    calibration,
    dashboard,
    evaluation_source,
    page_cache,
    reports,
    review,
    roles,
    scoring,
)
from qa_toolkit.services.people import get_agent
from qa_toolkit.storage.models import (
    Agent,
    CalibrationSession,
    Evaluation,
    Interaction,
    PIISpan,
    Recording,
    User,
)

PAGES = {  # page -> roles that open it (agents and reviewers have their own start pages)
    "overview": roles.SEE_OVERVIEW,
    "training-gaps": roles.SEE_GAPS,
    "queue": roles.REVIEW,
    "calibration": roles.SEE_CALIBRATION,
}


def home(user: User) -> str:
    """Where a user lands after logging in: leads, trainers and admins the overview, reviewers their
    queue, agents their own page."""
    if user.role in roles.SEE_OVERVIEW:
        return "/"
    if user.role == "agent":
        return f"/agents/{user.agent.external_id}" if user.agent else "/no-access"
    return "/queue"


def menu(user: User) -> list[tuple[str, str]]:
    """The navigation links this user's role opens: (path, label)."""
    links = []
    if user.role in roles.SEE_OVERVIEW:
        links.append(("/", "Overview"))
    if user.role == "agent" and user.agent:
        links.append((f"/agents/{user.agent.external_id}", "My evaluations"))
    if user.role in roles.SEE_GAPS:
        links.append(("/training-gaps", "Training gaps"))
    if user.role in roles.REVIEW:
        links.append(("/queue", "Review queue"))
    if user.role in roles.SEE_CALIBRATION:
        links.append(("/calibration", "Calibration"))
    return links


def period_of(session: Session, text: str | None) -> Period:
    """``?period=``: ``YYYY-MM`` or ``A..B``; empty means the month of the latest interaction.

    Raises:
        QAError: not a period (the message shows the forms).
    """
    if text:
        return parse_period(text)
    return reports.latest_month(session)


def _scope_note(scope: roles.Scope) -> str | None:
    if scope.everyone:
        return None
    if scope.team is not None:
        return f"team {scope.team}"
    if scope.nobody:
        return "no team: ask an admin to set yours (`qa users set-team NAME TEAM`)"
    return None


# ---------------------------------------------------------------- overview

def overview(session: Session, user: User, period: Period) -> dict[str, Any]:
    """IQS, pass rate and KPIs of the period by team and queue, for the user's agents."""
    roles.require_page(user, PAGES["overview"], "the overview")
    scope = roles.scope(user)
    data = dashboard.overview(session, scope, period, hidden=frozenset(roles.hidden_from(session, user)))
    agents = [{"id": external_id, "name": name, "team": team or dashboard.NO_TEAM,
               "href": f"/agents/{quote(external_id, safe='/')}"}  # as urlencode would
              for external_id, name, team in session.execute(
                  select(Agent.external_id, Agent.name, Agent.team).where(scope.agent_condition()))]
    agents.sort(key=lambda a: (a["team"], a["name"].lower(), a["id"]))
    return {"scope": _scope_note(scope), **data.as_dict(), "agents": agents}


WARM_UP_PERIODS = (Period(date(1, 7, 1), date(1, 7, 31)), Period(date(1, 1, 1), date(1, 12, 31)))  # a day- and a week-trend


def warm_up(session: Session) -> None:
    """Run the overview's and the agent page's queries once, as an admin and as a lead would, over periods of
    the year 1 (no data), so that a new server's engine has compiled its statements before the first request
    (a new engine compiles each again: more CPU than the queries). Nothing computed here is kept."""
    admin, lead = User(id=0, name="(warm-up)", role="admin"), User(id=0, name="(warm-up)", role="lead", team="")
    agent = session.scalar(select(Agent.external_id).order_by(Agent.id).limit(1))
    try:
        for period in WARM_UP_PERIODS:
            for user in (admin, lead):
                overview(session, user, period)
        if agent is not None:
            agent_page(session, admin, agent, WARM_UP_PERIODS[0])
    finally:
        page_cache.clear()


# ---------------------------------------------------------------- agent page

def _agent_in_scope(session: Session, user: User, external_id: str) -> Any:
    try:
        agent = get_agent(session, external_id)
    except NotFoundError:
        agent = None
    if agent is None or not roles.scope(user).sees_agent(agent):
        raise NotFoundError(f"no agent {external_id!r} among those you may see")
    return agent


def _blind_note(session: Session, user: User, agent_id: int | None = None,
                hidden: set[int] | None = None) -> str | None:
    """Why scores are withheld: the user holds open blind reviews (of this agent's interactions, when
    given); None when nothing is withheld. ``hidden``: :func:`roles.hidden_from`, when already read."""
    hidden = roles.hidden_from(session, user) if hidden is None else hidden
    if agent_id is not None and hidden:
        hidden = set(session.scalars(select(Interaction.id).where(Interaction.id.in_(hidden),
                                                                  Interaction.agent_id == agent_id)))
    if not hidden:
        return None
    refs = sorted(session.scalars(select(Interaction.external_id).where(Interaction.id.in_(hidden))))
    return (f"{user.name} holds open blind reviews ({', '.join(refs[:5])}{', ...' if len(refs) > 5 else ''}): "
            "these scores stay hidden until you submit (`qa review submit`)")


def coaching(session: Session, user: User, external_id: str, period: Period,
             rubric: str | None = None) -> CoachingReport | None:
    """The coaching report of one agent the user may see (None: no evaluations in the period).

    Raises:
        NotAllowedError: the user holds open blind reviews of this agent's interactions (the report's
            scores would include them).
    """
    agent = _agent_in_scope(session, user, external_id)
    note = _blind_note(session, user, agent.id)
    if note:
        raise roles.NotAllowedError(note)
    return _coaching_report(session, external_id, agent.id, period, rubric)


def _coaching_report(session: Session, external_id: str, agent_id: int, period: Period,
                     rubric: str | None) -> CoachingReport | None:
    """:func:`coaching` after its scope and blind checks (cached by data stamp)."""
    stamp = page_cache.data_stamp(session)
    key = ("coaching", agent_id, str(period), rubric)
    found = page_cache.get(key, stamp)
    if found is not None:
        return found[0]  # type: ignore[no-any-return]
    batch = reports.coaching_reports(session, agent=external_id, period=period, rubric=rubric, stamp=stamp)
    report = batch.reports[0] if batch.reports else None
    page_cache.put(key, stamp, (report,))
    return report


EVALUATIONS_PER_PAGE = 50  # the agent page lists the newest evaluations, this many per page


def agent_page(session: Session, user: User, external_id: str, period: Period,
               rubric: str | None = None, page: int = 1) -> dict[str, Any]:
    """An agent's page: the coaching report's content (trend, categories, strengths, gaps with
    evidence, critical fails, comments, KPIs against the team, training) and their current automated
    and peer-review evaluations of the period, newest first, :data:`EVALUATIONS_PER_PAGE` per ``page``
    (calibration ones never count toward an agent)."""
    agent = _agent_in_scope(session, user, external_id)
    hidden = roles.hidden_from(session, user)
    blind = _blind_note(session, user, agent.id, hidden)
    report = None if blind else _coaching_report(session, external_id, agent.id, period, rubric)
    total, found = evaluation_source.evaluation_page(session, agent=external_id, period=period,
                                                     limit=EVALUATIONS_PER_PAGE,
                                                     offset=(page - 1) * EVALUATIONS_PER_PAGE)
    rows = []
    for evaluation in found:
        secret = evaluation.interaction_id in hidden
        rows.append({
            "id": evaluation.id, "interaction": evaluation.interaction,
            "interaction_id": evaluation.interaction_id, "started_at": evaluation.at, "rubric": evaluation.rubric,
            "kind": evaluation.kind, "reviewer": None if secret else evaluation.reviewer,
            "score": None if secret else evaluation.score,
            "critical_failed": None if secret else evaluation.critical_failed,
            "failed": [] if secret else list(evaluation.failed), "hidden": secret})
    return {"agent": {"id": agent.external_id, "name": agent.name, "team": agent.team,
                      "hired_at": agent.hired_at},
            "period": str(period), "coaching": asdict(report) if report else None, "blind": blind,
            "evaluations": rows, "evaluations_total": total, "page": page,
            "pages": max(1, -(-total // EVALUATIONS_PER_PAGE)), "check_accuracy": None}


def _f1(body: dict[str, Any], key: str) -> float | None:
    """The held-out F1 recorded for an automated criterion's check when its rubric version was tuned."""
    from qa_toolkit.services.rubrics import check_accuracy

    figures = check_accuracy(body, key)
    return None if figures is None else figures.get("f1")


def coaching_pdf(session: Session, user: User, external_id: str, period: Period, out_dir: Path,
                 rubric: str | None = None) -> Path:
    """Write the agent's coaching PDF (the one ``qa report coaching`` writes) into ``out_dir``.

    Raises:
        NotFoundError: unknown agent or not visible. QAError: no evaluations in the period.
    """
    from qa_toolkit.reports.pdf import write_coaching_pdf

    report = coaching(session, user, external_id, period, rubric)
    if report is None:
        raise NotFoundError(f"agent {external_id!r} has no evaluations in {period}: no coaching report")
    return write_coaching_pdf(report, out_dir / reports.coaching_filename(report))


# ---------------------------------------------------------------- interaction page

def _visible_interaction(session: Session, user: User, ref: str) -> Interaction:
    try:
        interaction = scoring.get_interaction(session, ref)
    except NotFoundError:
        interaction = None
    if interaction is None or not roles.may_see_interaction(session, user, interaction):
        raise NotFoundError(f"no interaction {ref!r} among those you may see")
    return interaction


def _segments(text: str, quotes: list[tuple[str, list[str]]]) -> list[dict[str, Any]]:
    """The turn's text cut into plain and highlighted pieces: each quoted string found in it is marked
    with the criteria that quoted it (the whole turn when the evidence quotes no words)."""
    marks: list[tuple[int, int, list[str]]] = []
    for quote, criteria in quotes:
        at = text.find(quote) if quote else -1
        if quote and at >= 0:
            marks.append((at, at + len(quote), criteria))
    if not marks:
        whole = sorted({c for _, criteria in quotes for c in criteria})
        return [_with_verdict({"text": text, "criteria": whole})]
    marks.sort()
    pieces, position = [], 0
    for start, end, criteria in marks:
        if start < position:  # overlapping quotes: extend the previous mark
            pieces[-1]["criteria"] = sorted(set(pieces[-1]["criteria"]) | set(criteria))
            continue
        if start > position:
            pieces.append({"text": text[position:start], "criteria": []})
        pieces.append({"text": text[start:end], "criteria": sorted(set(criteria))})
        position = end
    if position < len(text):
        pieces.append({"text": text[position:], "criteria": []})
    return [_with_verdict(p) for p in pieces]


def _with_verdict(piece: dict[str, Any]) -> dict[str, Any]:
    piece["verdict"] = "fail" if any(c.endswith(":fail") for c in piece["criteria"]) else "pass"
    return piece


def _evidence_turns(evidence: list[Any]) -> list[tuple[int, str]]:
    found = []
    for item in evidence or []:
        if isinstance(item, dict):
            turn = item.get("turn", item.get("turn_index"))
            if isinstance(turn, int):
                quote = item.get("match") or item.get("quote") or item.get("text") or ""
                found.append((turn, str(quote)))
    return found


def interaction_page(session: Session, user: User, ref: str) -> dict[str, Any]:
    """One interaction: its turns with timings, each evaluation's verdicts with their evidence marked in
    the transcript, and whether a (redacted) recording can be played. Blind review holds: a user with an
    open blind assignment on it sees neither the agent nor any score until they submit."""
    interaction = _visible_interaction(session, user, ref)
    blind = roles.blind_to(session, user, interaction.id)
    evaluations: list[Evaluation] = []
    if not blind:
        query = (select(Evaluation).where(Evaluation.interaction_id == interaction.id, Evaluation.is_current.is_(True))
                 .options(selectinload(Evaluation.results), selectinload(Evaluation.rubric_version),
                          selectinload(Evaluation.reviewer))
                 .order_by(Evaluation.created_at.desc(), Evaluation.id.desc()))
        if user.role == "agent":
            query = query.where(Evaluation.kind != "calibration")
        evaluations = list(session.scalars(query))
    marks: dict[int, list[tuple[str, list[str]]]] = {}
    anchored: set[str] = set()
    shown = []
    for evaluation in evaluations:
        results = []
        for result in evaluation.results:
            turns = _evidence_turns(result.evidence)
            if result.status == "fail" or (result.status == "pass" and evaluation.kind == "auto"):
                for turn, quote in turns:
                    marks.setdefault(turn, []).append((quote, [f"{result.criterion_key}:{result.status}"]))
            results.append({"criterion": result.criterion_key, "category": result.category, "status": result.status,
                            "value": result.value, "normalized": result.normalized, "message": result.message,
                            "confidence": result.confidence, "comment": result.comment,
                            "decided_by": result.decided_by, "evidence_turns": sorted({t for t, _ in turns}),
                            "evidence": result.evidence,
                            "check_accuracy": _f1(evaluation.rubric_version.body, result.criterion_key)
                            if result.decided_by == "auto" else None,
                            "anchor": result.criterion_key not in anchored})
            anchored.add(result.criterion_key)
        shown.append({"id": evaluation.id, "kind": evaluation.kind,
                      "rubric": f"{evaluation.rubric_version.name} v{evaluation.rubric_version.version}",
                      "reviewer": evaluation.reviewer.name if evaluation.reviewer else None,
                      "score": evaluation.score, "critical_failed": evaluation.critical_failed,
                      "categories": evaluation.category_scores, "comment": evaluation.comment,
                      "created_at": evaluation.created_at, "version": evaluation.version, "results": results})
    origin = interaction.started_at or next((t.at for t in interaction.turns if t.at is not None), None)
    turns = []
    for turn in interaction.turns:
        turns.append({"index": turn.index, "speaker": turn.speaker, "internal": turn.internal,
                      "time": timestamp(turn.start_s, turn.at, origin), "start_s": turn.start_s, "end_s": turn.end_s,
                      "text": turn.text, "segments": _segments(turn.text, marks.get(turn.index, []))})
    agent = interaction.agent
    audio = _audio(session, interaction)
    return {
        "interaction": {
            "id": interaction.id, "ref": f"{interaction.source}:{interaction.external_id}",
            "external_id": interaction.external_id, "source": interaction.source, "channel": interaction.channel,
            "agent": None if blind or agent is None else {"id": agent.external_id, "name": agent.name,
                                                          "team": agent.team},
            "started_at": interaction.started_at, "duration_s": interaction.duration_s, "queue": interaction.queue,
            "topic": interaction.topic, "csat": interaction.csat, "nps": interaction.nps,
            "resolved": interaction.resolved, "escalated": interaction.escalated, "tags": interaction.tags},
        "blind": blind, "turns": turns, "evaluations": shown,
        "audio": {"available": audio[0] is not None, "redacted": audio[1], "reason": audio[2]}
        if interaction.channel == "call" else None,
    }


def _redacted_copy(interaction: Interaction) -> Path | None:
    """Where the redacted copy of a call's recording is, when ``qa transcribe --redact-audio`` wrote one
    (``redacted_audio`` in the interaction's metadata)."""
    value = (interaction.meta or {}).get("redacted_audio")
    return Path(value) if isinstance(value, str) and value else None


def _audio(session: Session, interaction: Interaction) -> tuple[Path | None, bool, str | None]:
    """(file to play, whether it is redacted, why nothing plays). Never the original where a redacted copy
    exists; an original whose transcript had personal data redacted is withheld until a redacted copy exists."""
    redacted = _redacted_copy(interaction)
    if redacted is not None:
        if redacted.is_file():
            return redacted, True, None
        return None, True, "the redacted recording is missing from its folder"
    recording = session.scalar(select(Recording).where(Recording.interaction_id == interaction.id)
                               .order_by(Recording.id.desc()).limit(1))
    if recording is None:
        return None, False, "no recording is stored for this call"
    has_pii = session.scalar(select(PIISpan.id).where(PIISpan.interaction_id == interaction.id).limit(1))
    if has_pii is not None:
        return None, False, ("personal data was redacted from this call's transcript: its audio plays once a "
                             "redacted copy exists (qa transcribe --redact-audio)")
    original = Path(recording.path)
    if not original.is_file():
        return None, False, "the recording is missing from its folder"
    return original, False, None


def audio_file(session: Session, user: User, ref: str) -> tuple[Path, str]:
    """The audio file of a call the user may see, and its media type (see :func:`_audio`).

    Raises:
        NotFoundError: not visible, not a call, no playable recording, or blind.
    """
    interaction = _visible_interaction(session, user, ref)
    path, _, reason = _audio(session, interaction)
    if path is None:
        raise NotFoundError(f"no audio for interaction {ref!r}: {reason}")
    return path, mimetypes.guess_type(path.name)[0] or "application/octet-stream"


# ---------------------------------------------------------------- training gaps, queue, calibration

def training_gaps(session: Session, user: User, period: Period, rubric: str | None = None) -> dict[str, Any]:
    """The training-gap summary (a lead's of their team; trainers and admins everyone's)."""
    roles.require_page(user, PAGES["training-gaps"], "training gaps")
    scope = roles.scope(user)
    if scope.nobody:
        raise roles.NotAllowedError(f"{user.name} has no team: ask an admin to set it (`qa users set-team`)")
    note = _blind_note(session, user)
    if note:
        raise roles.NotAllowedError(note)
    report = reports.training_gap_report(session, period=period, rubric=rubric,
                                         team=None if scope.everyone else scope.team)
    return {"scope": _scope_note(scope), "period": report.period, "previous_period": report.previous_period,
            "rubric": report.rubric, "team": report.team, "evaluations": report.evaluations,
            "interactions": report.interactions,
            "criteria": [r.as_dict() for r in report.ranked("criterion")],
            "categories": [r.as_dict() for r in report.ranked("category")],
            "cohorts": [r.as_dict() for r in report.rows if r.level == "criterion" and r.cohort_type != "all"],
            "modules": [{"module": asdict(m.module), "criteria": list(m.criteria),
                         "agents": [{"id": a, "name": n, "failure_pct": p} for a, n, p in m.agents]}
                        for m in report.modules]}


def queue(session: Session, user: User) -> dict[str, Any]:
    """The user's review assignments, open first (blind ones without the agent)."""
    roles.require_page(user, PAGES["queue"], "a review queue")
    items = review.queue(session, user.name, include_done=True)
    rows = [review.assignment_as_dict(item, hide_agent=True) for item in items]
    rows.sort(key=lambda r: (r["status"] == "submitted", r["id"]))
    return {"reviewer": user.name, "open": sum(r["status"] != "submitted" for r in rows), "assignments": rows}


def calibrations(session: Session, user: User) -> dict[str, Any]:
    """Calibration sessions the user may read (reviewers: those they took part in and finished)."""
    roles.require_page(user, PAGES["calibration"], "calibration results")
    rows = []
    for item in session.scalars(select(CalibrationSession).order_by(CalibrationSession.id)):
        if not roles.may_see_calibration(session, user, item.id):
            continue
        try:
            result = calibration.build_report(session, item)
        except QAError:
            result = None
        rows.append({"id": item.id, "name": item.name, "rubric": f"{item.rubric_version.name} v{item.rubric_version.version}",
                     "created_at": item.created_at, "participants": [p.user.name for p in item.participants],
                     "overall_agreement": result.overall_agreement if result else None,
                     "calibrated": result.calibrated if result else None, "ready": result is not None})
    return {"sessions": rows}


def calibration_report(session: Session, user: User, session_id: int) -> dict[str, Any]:
    """One calibration session's report: each reviewer against the gold, agreement and alpha per criterion.

    Raises:
        NotFoundError: no such session, or not one the user may read. QAError: the gold has not scored yet.
    """
    roles.require_page(user, PAGES["calibration"], "calibration results")
    item = session.get(CalibrationSession, session_id)
    if item is None or not roles.may_see_calibration(session, user, session_id):
        raise NotFoundError(f"no calibration session {session_id} among those you may see")
    result = calibration.build_report(session, item)
    names = {i.id: i.external_id for i in session.scalars(select(Interaction).where(
        Interaction.id.in_({e.interaction_id for e in result.evaluations})))}
    data = result.as_dict()
    for row in data["evaluations"]:
        row["interaction"] = names.get(row["interaction_id"])
    return {"id": item.id, "name": item.name, "rubric": f"{item.rubric_version.name} v{item.rubric_version.version}",
            **data}


def jsonable(value: Any) -> Any:
    """Dates as ISO strings, recursively (for the JSON API)."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value
