"""The overview a lead opens first: quality and customer KPIs of a period, by team and queue, with a trend.

Read from the rollups (sums per UTC day, team and queue, kept in the same transaction as the data,
see :mod:`qa_toolkit.storage.rollups`), so the page reads a few thousand group rows whatever the number of
interactions; :func:`scan_overview` groups the tables themselves and gives the same figures (a lead of
an unusual scope, and the tests that compare the two). The formulas are those of
:mod:`qa_toolkit.reports.kpis` (CSAT, NPS, escalation rate) and of the score formula (IQS = mean
automated evaluation score, pass rate = share at or above the rubric's pass mark). FCR and handle time need every contact of a customer and the
metadata of each call: the agent page and ``qa report kpis`` show them.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, literal, or_, select, text
from sqlalchemy.orm import Session

from qa_toolkit.reports.period import Period
from qa_toolkit.services import page_cache
from qa_toolkit.services.roles import Scope
from qa_toolkit.storage import rollups
from qa_toolkit.storage.models import Agent, Evaluation, Interaction, OverviewFact, OverviewRollup, OverviewWeek

DEFAULT_PASS_MARK = rollups.DEFAULT_PASS_MARK
NO_TEAM = rollups.NO_TEAM
NO_QUEUE = rollups.NO_QUEUE
WORK_MEM = "64MB"  # PostgreSQL's memory for the overview's grouping (the default 4MB sorts 100k rows on disk)


@dataclass
class Tally:
    """Sums over a group of interactions, from which every KPI of the overview follows."""

    contacts: int = 0
    scored: int = 0
    score_sum: float = 0.0
    passed: int = 0
    reviewed: int = 0
    review_sum: float = 0.0
    csat_n: int = 0
    csat_hits: int = 0
    nps_n: int = 0
    promoters: int = 0
    detractors: int = 0
    escalation_n: int = 0
    escalated: int = 0
    resolved_n: int = 0
    resolved: int = 0

    @staticmethod
    def _pct(hits: float, n: int) -> float | None:
        return 100.0 * hits / n if n else None

    @property
    def iqs(self) -> float | None:
        """Mean automated evaluation score (0–100)."""
        return self.score_sum / self.scored if self.scored else None

    @property
    def pass_rate(self) -> float | None:
        """% of automated evaluations at or above their rubric's pass mark."""
        return self._pct(self.passed, self.scored)

    @property
    def review_iqs(self) -> float | None:
        """Mean peer-review score (0–100)."""
        return self.review_sum / self.reviewed if self.reviewed else None

    @property
    def csat(self) -> float | None:
        """% of CSAT answers that are 4 or 5."""
        return self._pct(self.csat_hits, self.csat_n)

    @property
    def nps(self) -> float | None:
        """% promoters − % detractors."""
        return self._pct(self.promoters - self.detractors, self.nps_n)

    @property
    def escalation_rate(self) -> float | None:
        """% escalated of the interactions where it is known."""
        return self._pct(self.escalated, self.escalation_n)

    @property
    def resolution_rate(self) -> float | None:
        """% resolved of the interactions where it is known."""
        return self._pct(self.resolved, self.resolved_n)

    def as_dict(self) -> dict[str, Any]:
        """The KPIs with the counts they come from."""
        return {"contacts": self.contacts, "iqs": self.iqs, "iqs_n": self.scored, "pass_rate": self.pass_rate,
                "review_iqs": self.review_iqs, "review_n": self.reviewed, "csat": self.csat, "csat_n": self.csat_n,
                "nps": self.nps, "nps_n": self.nps_n, "escalation_rate": self.escalation_rate,
                "escalation_n": self.escalation_n, "resolution_rate": self.resolution_rate,
                "resolution_n": self.resolved_n}


@dataclass(frozen=True)
class TrendPoint:
    """One day or week of the trend: its first day and the KPIs of the interactions started in it."""

    start: date
    tally: Tally


@dataclass(frozen=True)
class Overview:
    """The overview of one period for the user's scope."""

    period: Period
    total: Tally
    by_team: dict[str, Tally] = field(default_factory=dict)
    by_queue: dict[str, Tally] = field(default_factory=dict)
    trend: tuple[TrendPoint, ...] = ()
    trend_step: str = "day"

    def as_dict(self) -> dict[str, Any]:
        """Plain data for the JSON API."""
        return {"period": str(self.period), "total": self.total.as_dict(),
                "by_team": [{"team": k, **v.as_dict()} for k, v in self.by_team.items()],
                "by_queue": [{"queue": k, **v.as_dict()} for k, v in self.by_queue.items()],
                "trend_step": self.trend_step,
                "trend": [{"start": p.start.isoformat(), **p.tally.as_dict()} for p in self.trend]}


def _step(session: Session, column: Any, weekly: bool) -> Any:
    """The UTC calendar day (or the Monday of its week) of a timestamp column, in SQL (ISO text on SQLite,
    a timestamp on PostgreSQL: formatting each row with to_char costs more than the grouping)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date_trunc("week" if weekly else "day", func.timezone("UTC", column))
    day = func.substr(column, 1, 10)  # SQLite stores UTC timestamps as ISO text
    return func.date(day, "-6 days", "weekday 1") if weekly else day


def _as_int(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def overview(session: Session, scope: Scope, period: Period, hidden: frozenset[int] = frozenset()) -> Overview:
    """KPIs of the interactions that started in ``period``, of the agents in ``scope``: in total, by
    team, by queue, and a trend (by day for up to 62 days, else by week).

    Computed once per period and scope while the data stays the same (see :func:`page_cache.data_stamp`); the
    next request after any import, scoring run, review or agent change computes it afresh. ``hidden``
    interactions (the viewer's open blind reviews) count as contacts but not in any score."""
    key = ("overview", str(period), scope.everyone, scope.team, scope.agent_id, hidden)
    stamp = page_cache.data_stamp(session)
    cached = page_cache.get(key, stamp)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    result = compute_overview(session, scope, period, hidden)
    page_cache.put(key, stamp, result)
    return result


_CONTACT_SUMS = rollups.CONTACT_SUMS
_SCORE_SUMS = rollups.SCORE_SUMS
_SUMS = rollups.SUMS


def _tally(sums: list[float]) -> Tally:
    return Tally(**{name: (float(v) if name.endswith("_sum") else int(v)) for name, v in zip(_SUMS, sums)})


def compute_overview(session: Session, scope: Scope, period: Period, hidden: frozenset[int] = frozenset()) -> Overview:
    """:func:`overview` without the cache: the period's rollups (everyone's, or one team's) summed in SQL by
    team, by queue and by trend step (grouped queries of a few dozen rows each; the whole weeks of a long
    period from the weekly sums, its first and last days from the daily ones), less the scores of ``hidden``
    interactions; other scopes are scanned (:func:`scan_overview`)."""
    if not (scope.everyone or (scope.team is not None and scope.team != NO_TEAM)):
        return scan_overview(session, scope, period, hidden)
    connection = session.connection()
    rollups.refresh(connection)  # changes written without a session's commit (a bare connection) count too
    R, W, F = OverviewRollup, OverviewWeek, OverviewFact  # noqa: N806
    weekly = period.days > 62
    first, last = period.start.isoformat(), period.end.isoformat()
    dialect = connection.dialect.name
    sources: list[tuple[Any, Any, list[Any]]] = []  # (table, its step column, where)
    if weekly:
        first_monday = period.start + timedelta(days=(7 - period.start.weekday()) % 7)
        last_sunday = period.end - timedelta(days=(period.end.weekday() + 1) % 7)
        if first_monday + timedelta(days=6) <= last_sunday:
            sources.append((W, W.week, [W.week >= first_monday.isoformat(),
                                        W.week <= (last_sunday - timedelta(days=6)).isoformat()]))
            edges = [(R.day >= first) & (R.day < first_monday.isoformat()),
                     (R.day > last_sunday.isoformat()) & (R.day <= last)]
            sources.append((R, rollups.monday_sql(dialect, R.day), [or_(*edges)]))
        else:
            sources.append((R, rollups.monday_sql(dialect, R.day), [R.day >= first, R.day <= last]))
    else:
        sources.append((R, R.day, [R.day >= first, R.day <= last]))
    by_team: dict[str, list[float]] = {}
    by_queue: dict[str, list[float]] = {}
    by_step: dict[str, list[float]] = {}
    for table, step, where in sources:
        if not scope.everyone:
            where = [*where, table.team == scope.team]
        sums = [func.sum(getattr(table, name)) for name in _SUMS]
        for column, target in ((table.team, by_team), (table.queue, by_queue), (step, by_step)):
            for key, *values in connection.execute(select(column, *sums).where(*where).group_by(column)):
                found = target.setdefault(str(key), [0] * len(_SUMS))
                found[:] = map(operator.add, found, (v or 0 for v in values))
    if hidden:  # the viewer's open blind reviews: contacts, but not scores
        offset = len(_CONTACT_SUMS)
        query = (select(F.day, F.team, F.queue, *(getattr(F, name) for name in _SCORE_SUMS))
                 .where(F.interaction_id.in_(sorted(hidden)), F.day >= first, F.day <= last))
        if not scope.everyone:
            query = query.where(F.team == scope.team)
        for day, team_name, queue_name, *values in connection.execute(query):
            for target in (by_team[team_name], by_queue[queue_name], by_step[rollups.monday(day) if weekly else day]):
                target[offset:] = map(operator.sub, target[offset:], values)
    total = [0.0] * len(_SUMS)
    for values in by_team.values():
        total[:] = map(operator.add, total, values)
    return Overview(period, _tally(total), {k: _tally(v) for k, v in sorted(by_team.items())},
                    {k: _tally(v) for k, v in sorted(by_queue.items())},
                    tuple(TrendPoint(date.fromisoformat(k), _tally(v)) for k, v in sorted(by_step.items())),
                    "week" if weekly else "day")


def scan_overview(session: Session, scope: Scope, period: Period, hidden: frozenset[int] = frozenset()) -> Overview:
    """The overview grouped from the tables (no rollups): two grouped queries over the period's
    interactions (by team, queue and trend step, summed from covering indexes), added up here."""
    I, E = Interaction, Evaluation  # noqa: N806
    weekly = period.days > 62
    team = func.coalesce(Agent.team, literal(NO_TEAM))
    queue = func.coalesce(I.queue, literal(NO_QUEUE))
    step = _step(session, I.started_at, weekly)
    where = [I.started_at >= period.start_at, I.started_at < period.end_at]
    if not scope.everyone:  # by agent id, so a team's period is read through the (agent, start) index
        where.append(I.agent_id.in_(select(Agent.id).where(scope.agent_condition())))
    groups: dict[tuple[str, str, Any], list[float]] = {}
    width = len(_SUMS)
    if session.get_bind().dialect.name == "postgresql":  # room to group in a hash table, not an on-disk sort
        session.execute(text(f"SET LOCAL work_mem = '{WORK_MEM}'"))

    contacts = (select(team, queue, step, func.count(), func.count(I.csat), _as_int(I.csat >= 4), func.count(I.nps),
                       _as_int(I.nps >= 9), _as_int(I.nps <= 6), func.count(I.escalated), _as_int(I.escalated),
                       func.count(I.resolved), _as_int(I.resolved))
                .select_from(I).outerjoin(Agent, I.agent_id == Agent.id).where(*where).group_by(team, queue, step))
    for row in session.execute(contacts):
        groups[(row[0], row[1], row[2])] = [v or 0 for v in row[3:]] + [0] * len(_SCORE_SUMS)

    marks = rollups.pass_marks(session)
    mark = case(marks, value=E.rubric_version_id, else_=DEFAULT_PASS_MARK) if marks else literal(DEFAULT_PASS_MARK)
    is_auto = E.kind == "auto"
    scores = (select(team, queue, step, _as_int(is_auto & E.score.is_not(None)),
                     func.sum(case((is_auto, E.score), else_=0.0)), _as_int(is_auto & (E.score >= mark)),
                     _as_int((E.kind == "review") & E.score.is_not(None)),
                     func.sum(case((E.kind == "review", E.score), else_=0.0)))
              .select_from(E).join(I, E.interaction_id == I.id).outerjoin(Agent, I.agent_id == Agent.id)
              .where(*where, E.is_current.is_(True), E.kind.in_(("auto", "review")),
                     *([E.interaction_id.not_in(sorted(hidden))] if hidden else []))
              .group_by(team, queue, step))
    offset = len(_CONTACT_SUMS)
    for row in session.execute(scores):
        sums = groups.setdefault((row[0], row[1], row[2]), [0] * width)
        sums[offset:] = [v or 0 for v in row[3:]]
    return _fold(period, groups, weekly)


def _fold(period: Period, groups: dict[tuple[str, str, Any], list[float]], weekly: bool) -> Overview:
    """The overview from sums per (team, queue, trend step): in total, by team, by queue and by step."""
    width = len(_SUMS)
    total = [0.0] * width
    by_team: dict[str, list[float]] = {}
    by_queue: dict[str, list[float]] = {}
    by_step: dict[str, list[float]] = {}
    for (team_name, queue_name, when), sums in groups.items():
        targets = [total, by_team.setdefault(team_name, [0.0] * width), by_queue.setdefault(queue_name, [0.0] * width)]
        if when is not None:
            targets.append(by_step.setdefault(str(when)[:10], [0.0] * width))
        for target in targets:
            target[:] = map(operator.add, target, sums)
    return Overview(period, _tally(total), {k: _tally(v) for k, v in sorted(by_team.items())},
                    {k: _tally(v) for k, v in sorted(by_queue.items())},
                    tuple(TrendPoint(date.fromisoformat(k), _tally(v)) for k, v in sorted(by_step.items())),
                    "week" if weekly else "day")
