"""Reports as plain data: KPIs, training gaps and coaching summaries, and writing their files.

Each function reads the database once (through :mod:`report_data` and the one adapter to the
scoring tables, :mod:`evaluation_source`) and hands plain records to the pure functions in
:mod:`qa_toolkit.reports`.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_toolkit.errors import NotFoundError, QAError
from qa_toolkit.reports import kpis as kpi
from qa_toolkit.reports.coaching import CoachingReport, TeamContext, coaching_report, team_context
from qa_toolkit.reports.gaps import GapReport, training_gaps
from qa_toolkit.reports.period import Period, later, month_of, trailing_periods
from qa_toolkit.reports.records import AgentInfo, Contact, Evaluation
from qa_toolkit.services import evaluation_source as source
from qa_toolkit.services import page_cache, review_eval
from qa_toolkit.services.report_data import load_agents, load_contacts, repeat_flags
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import Interaction

TREND_PERIODS = 6


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while tens of thousands of rows become small records:
    its repeated passes over the growing heap took a third of the reading and computing time of
    a 200-agent coaching run. Memory is freed as usual (reference counting); any cycles are
    collected once it is back on. Also usable as a decorator."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def latest_month(session: Session) -> Period:
    """The calendar month of the latest interaction (the default reporting period).

    Raises:
        QAError: there are no interactions yet.
    """
    # Interactions dated years ahead (a stored 9999-12-31) do not pick the month: the latest one before
    # then does, when there is one.
    soon = later(datetime.now(timezone.utc), timedelta(days=3653))
    latest = (session.scalar(select(func.max(Interaction.started_at)).where(Interaction.started_at <= soon))
              or session.scalar(select(func.max(Interaction.started_at))))
    if latest is None:
        raise QAError("no interactions to report on yet: import chats or transcribe calls first")
    return month_of(latest.date())


def _contacts(session: Session, period: Period | None, days: int,
              quality: dict[int, tuple[float | None, float | None]] | None = None,
              agents: list[str] | None = None) -> tuple[list[Contact], dict[int, bool]]:
    """The period's contacts (of ``agents`` only, when given) and, for each, whether a repeat contact
    followed within ``days`` (a repeat handled by any other agent counts too: for some agents the database
    decides it through the customer index; for everyone, contacts are read up to ``days`` after the period
    so that repeats just after it count)."""
    if agents is not None:
        return (load_contacts(session, period, quality=quality, agents=agents),
                repeat_flags(session, period, agents, days))
    wider = load_contacts(session, period, extend_days=days, quality=quality)
    repeats = kpi.repeat_contacts(wider, days)
    return ([c for c in wider if period.contains(c.started_at)] if period is not None else wider), repeats


@_gc_paused()
def kpi_report(session: Session, *, period: Period | None = None, by: str | None = None,
               fcr_days: int = kpi.FCR_DAYS) -> list[kpi.KpiRow]:
    """KPI rows per agent, team or queue (or just the total) for the interactions of ``period``.

    Raises:
        QAError: unknown grouping.
    """
    if by is not None and by not in kpi.GROUPINGS:
        raise QAError(f"cannot group KPIs by {by!r}: choose one of {', '.join(kpi.GROUPINGS)}")
    quality = source.quality_by_interaction(source.load_evaluations(session, period=period, with_evidence=False))
    contacts, repeats = _contacts(session, period, fcr_days, quality)
    return kpi.compute_kpis(contacts, by=by, repeats=repeats)


@_gc_paused()
def training_gap_report(session: Session, *, period: Period | None = None, rubric: str | None = None,
                        team: str | None = None, fcr_days: int = kpi.FCR_DAYS, on: date | None = None) -> GapReport:
    """The training-gap summary of ``period`` (default: the latest month) for one rubric.

    Raises:
        NotFoundError: unknown rubric or team, or nothing published yet.
    """
    period = period or latest_month(session)
    info = review_eval.mark_unreliable(session, source.load_rubric(session, rubric))
    agents = {a.id: a for a in load_agents(session, team=team)}
    if team is not None and not agents:
        raise NotFoundError(f"no agents in team {team!r}")
    try:
        previous: Period | None = period.previous()
    except QAError:  # a period at the start of year 1: nothing before it
        previous = None
    ids = list(agents)
    contacts, repeats = _contacts(session, period, fcr_days)
    contacts = [c for c in contacts if team is None or c.agent in agents]
    return training_gaps(
        evaluations=source.load_evaluations(session, rubric=info.name, period=period, agents=ids,
                                            with_evidence=False),
        previous=source.load_evaluations(session, rubric=info.name, period=previous, agents=ids,
                                         with_evidence=False) if previous is not None else [],
        rubric=info, agents=agents, contacts=contacts, repeats=repeats,
        period=str(period), previous_period=str(previous or "none"), on=on or period.end, team=team)


@dataclass
class CoachingBatch:
    """What one coaching run produced: a report per agent with evaluations, and the agents skipped."""

    period: Period
    rubric: str
    reports: list[CoachingReport] = field(default_factory=list)
    skipped: list[AgentInfo] = field(default_factory=list)


def _select_agents(session: Session, agent: str | None, team: str | None) -> list[AgentInfo]:
    if agent is not None:
        found = load_agents(session, ids=[agent])
        if not found:
            raise NotFoundError(f"unknown agent {agent!r}: add it with `qa agents add {agent} NAME`")
        return found
    found = load_agents(session, team=team)
    if team is not None and not found:
        raise NotFoundError(f"no agents in team {team!r}: see `qa agents list`")
    return found


@_gc_paused()
def coaching_reports(session: Session, *, agent: str | None = None, team: str | None = None,
                     period: Period | None = None, rubric: str | None = None,
                     trend_periods: int = TREND_PERIODS, fcr_days: int = kpi.FCR_DAYS,
                     stamp: tuple[Any, ...] | None = None) -> CoachingBatch:
    """Coaching summaries of one agent, one team, or everyone (both None) for ``period``.

    Agents without evaluations in the period are listed in ``skipped`` (no report). With a ``stamp``
    (:func:`page_cache.data_stamp`), each team's side of the reports (scores, trend, category means,
    failure counts, KPIs: numbers only) is kept in :mod:`page_cache` while the data is unchanged, so the
    next agent of the same team reads only their own evaluations and contacts.

    Raises:
        NotFoundError: unknown agent, team or rubric.
    """
    chosen = _select_agents(session, agent, team)
    period = period or latest_month(session)
    loaded = None
    if rubric is None and stamp is not None:  # the most used rubric: a count over every evaluation
        rubric = page_cache.get(("most-used-rubric",), stamp)
        if rubric is None:
            loaded = source.load_rubric(session)
            rubric = loaded.name
            page_cache.put(("most-used-rubric",), stamp, rubric)
    info = review_eval.mark_unreliable(session, loaded or source.load_rubric(session, rubric))
    periods = trailing_periods(period, trend_periods)
    window = Period(periods[0].start, period.end)
    team_cache: dict[str | None, tuple[TeamContext, kpi.KpiRow]] = {}
    for name in {a.team for a in chosen} if stamp is not None else ():
        found = page_cache.get(_team_key(name, period, info.name, periods, fcr_days), stamp)  # type: ignore[arg-type]
        if found is not None:
            team_cache[name] = found
    teams = {a.team for a in chosen if a.team not in team_cache}
    team_members = load_agents(session, teams=teams) if teams else []
    members_by_team: dict[str | None, list[str]] = defaultdict(list)
    for member in team_members:
        members_by_team[member.team].append(member.id)
    chosen_ids = {a.id for a in chosen}
    ids = sorted(chosen_ids | {a.id for a in team_members})
    teammates = [i for i in ids if i not in chosen_ids]
    summed = agent is not None  # one agent: the team's side is summed in the database, no teammate's evaluation read
    current = source.load_evaluations(session, rubric=info.name, period=period, agents=sorted(chosen_ids))
    if teammates and not summed:  # their rates and scores count, but only the chosen agents' evidence is quoted
        current += source.load_evaluations(session, rubric=info.name, period=period, agents=teammates,
                                           with_evidence=False, with_criteria=False)
    earlier = []
    earlier_sums: dict[tuple[str, int], tuple[float, int]] = {}
    if window.start < period.start:  # the chosen agents' scores before the period; their teams' trend in SQL
        before = Period(window.start, period.start - timedelta(days=1))
        earlier = source.load_evaluations(session, rubric=info.name, period=before, agents=sorted(chosen_ids),
                                          with_results=False)
        if team_members and not summed:
            earlier_sums = source.verdict_sums(session, rubric=info.name, periods=periods[:-1],
                                               agents=[a.id for a in team_members])
    evaluations = earlier + current
    by_agent: dict[str, list[Evaluation]] = defaultdict(list)
    for evaluation in evaluations:
        by_agent[evaluation.agent].append(evaluation)
    narrow = agent is not None or team is not None  # only the chosen agents' teams: not every contact
    contacts, repeats = _contacts(session, period, fcr_days, agents=ids if narrow else None)
    contacts_by_agent: dict[str | None, list[Contact]] = defaultdict(list)
    for contact in contacts:
        contacts_by_agent[contact.agent].append(contact)

    batch = CoachingBatch(period, info.name)
    for person in chosen:
        if person.team not in team_cache:
            members = members_by_team[person.team]
            team_contacts = [c for i in members for c in contacts_by_agent.get(i, [])]
            context = _summed_team(session, info.name, periods, members) if summed else team_context([e for i in members for e in by_agent.get(i, [])], period=period, rubric=info,
                                   size=len(members), trend_periods=periods,
                                   earlier_trend=_team_trend(earlier_sums, members, len(periods) - 1))
            if not summed:  # teammates' criteria were not loaded: the team's failure counts are summed in the database
                context = replace(context, verdicts=(),
                                  failures=source.failure_counts(session, (e.id for e in context.verdicts)))
            team_cache[person.team] = (context, kpi.kpi_row("team", person.team or "", person.team or "",
                                                            team_contacts, repeats))
            if stamp is not None:
                page_cache.put(_team_key(person.team, period, info.name, periods, fcr_days), stamp,
                               team_cache[person.team])
        team, team_kpis = team_cache[person.team]
        mine = contacts_by_agent.get(person.id, [])
        report = coaching_report(
            person, period=period, rubric=info, evaluations=by_agent.get(person.id, []), team=team,
            trend_periods=periods, kpis=kpi.kpi_row("agent", person.id, person.name, mine, repeats),
            team_kpis=team_kpis)
        if report is None:
            batch.skipped.append(person)
        else:
            batch.reports.append(report)
    return batch


def _summed_team(session: Session, rubric: str, periods: list[Period], members: list[str]) -> TeamContext:
    """A team's side of a coaching report (what :func:`team_context` computes) from the members' daily verdict
    sums (revision 0018): the verdicts' scores per member and trend period, the period's category scores and
    failures; no evaluation is read (``verdicts`` stays empty)."""
    sums = source.rolled_verdict_sums(session, rubric=rubric, periods=periods, agents=members)
    trend = _team_trend(sums, members, len(periods))
    categories, failures = source.rolled_verdict_breakdown(session, rubric=rubric, period=periods[-1], agents=members)
    last = len(periods) - 1
    return TeamContext(verdicts=(), score=trend[-1], trend=tuple(trend), failures=failures, size=len(members),
                       agent_scores={a: (total / n if n else None) for (a, index), (total, n) in sums.items()
                                     if index == last},
                       categories={key: total / n for key, (total, n) in categories.items() if n})


def _team_trend(sums: dict[tuple[str, int], tuple[float, int]], members: list[str],
                periods: int) -> list[float | None]:
    """A team's mean verdict score in each of the first ``periods`` trend periods, from :func:`source.verdict_sums`."""
    trend: list[float | None] = []
    for index in range(periods):
        total = sum(sums.get((member, index), (0.0, 0))[0] for member in members)
        count = sum(sums.get((member, index), (0.0, 0))[1] for member in members)
        trend.append(total / count if count else None)
    return trend


def _team_key(team: str | None, period: Period, rubric: str, periods: list[Period], fcr_days: int) -> tuple[str, ...]:
    return ("coaching-team", repr(team), str(period), rubric, ",".join(map(str, periods)), str(fcr_days))


def coaching_filename(report: CoachingReport) -> str:
    """``coaching-<agent id>-<period start>.pdf`` with unsafe characters replaced."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in report.agent.id)
    return f"coaching-{safe}-{report.period.split('..')[0]}.pdf"


def write_coaching_pdfs(database: Database, out_dir: Path, *, agent: str | None = None, team: str | None = None,
                        period: Period | None = None, rubric: str | None = None,
                        progress: Callable[[Iterator[CoachingReport], int], Iterator[CoachingReport]] | None = None,
                        generated: date | None = None) -> tuple[CoachingBatch, list[Path]]:
    """Compute the coaching reports and write one PDF per agent into ``out_dir`` (atomically).

    Raises:
        QAError: ``--agent`` names an agent with no evaluations in the period (nothing is written).
    """
    from qa_toolkit.reports.pdf import write_coaching_pdf

    with database.session() as session:
        batch = coaching_reports(session, agent=agent, team=team, period=period, rubric=rubric)
    if agent is not None and batch.skipped:
        raise QAError(f"agent {agent!r} has no evaluations for rubric {batch.rubric!r} in {batch.period}: "
                      f"no coaching report written (score interactions with `qa score auto` first)")
    items: Iterator[CoachingReport] = iter(batch.reports)
    if progress is not None:
        items = progress(items, len(batch.reports))
    written = [write_coaching_pdf(report, out_dir / coaching_filename(report), generated=generated)
               for report in items]
    return batch, written
