"""The overview's rollups, kept in the transaction that changes the data they sum (revision 0015).

Database triggers on interactions, evaluations, agents and rubric versions note each change in
``rollup_changes`` (whatever writes it: the ORM, a bulk Core insert, a cascade, plain SQL). Before a
session commits, :func:`refresh` folds the noted changes in: each touched interaction's row of
``overview_facts`` (its UTC day, team, queue and sums: contacts, CSAT, NPS, escalation, resolution,
current automated and review scores, passes) is computed again from the tables (one INSERT ... SELECT per
2,000 interactions: a bulk import's batch costs a few statements, no rows through Python), and every
``overview_rollups`` group (day, team, queue) it left or joined is summed again from the facts. So the
rollups always equal what grouping the tables would give, and the overview reads a few thousand
group rows instead of every interaction. ``rollup_state.version`` counts the refreshes: with the
changes still pending it is the web view's cache stamp, read in one round-trip.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Date, case, cast, delete, event, func, insert, literal, select, text, tuple_, update
from sqlalchemy.orm import Session, sessionmaker

from qa_toolkit.storage import verdict_rollups
from qa_toolkit.storage.models import (
    Agent,
    Evaluation,
    Interaction,
    OverviewFact,
    OverviewRollup,
    OverviewWeek,
    RollupChange,
    RollupState,
    RubricVersion,
)

DEFAULT_PASS_MARK = 80.0
NO_TEAM = "(no team)"
NO_QUEUE = "(no queue)"
CONTACT_SUMS = ("contacts", "csat_n", "csat_hits", "nps_n", "promoters", "detractors", "escalation_n", "escalated",
                "resolved_n", "resolved")
SCORE_SUMS = ("scored", "score_sum", "passed", "reviewed", "review_sum")
SUMS = CONTACT_SUMS + SCORE_SUMS
LOCK_KEY = 180015  # PostgreSQL advisory lock: one refresh at a time, each seeing the one before it
CHUNK = 2000
GROUP_CHUNK = 300
WEEK_CHUNK = 40  # weeks regrouped per statement (seven days each)


def pass_marks(connection: Connection | Session) -> dict[int, float]:
    """Rubric version id -> its pass mark (``pass_mark`` in the body, else 80)."""
    marks = {}
    for version_id, body in connection.execute(select(RubricVersion.id, RubricVersion.body)):
        mark = (body or {}).get("pass_mark")
        marks[version_id] = float(mark) if isinstance(mark, (int, float)) else DEFAULT_PASS_MARK
    return marks


def monday(day: str) -> str:
    """The Monday of an ISO day's week, as ISO text."""
    start = date.fromisoformat(day)
    return (start - timedelta(days=start.weekday())).isoformat()


def monday_sql(dialect: str, day: Any) -> Any:
    """:func:`monday` of an ISO text day column, in SQL."""
    if dialect == "postgresql":
        return func.to_char(func.date_trunc("week", cast(day, Date)), "YYYY-MM-DD")
    return func.date(day, "-6 days", "weekday 1")


def _chunks(values: Iterable[Any], size: int) -> Iterator[list[Any]]:
    items = sorted(values)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _flag(condition: Any) -> Any:
    return case((condition, 1), else_=0)


def _day(connection: Connection) -> Any:
    """The UTC calendar day of an interaction's start as ISO text, in SQL."""
    if connection.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", Interaction.started_at), "YYYY-MM-DD")
    return func.substr(Interaction.started_at, 1, 10)  # SQLite stores UTC timestamps as naive ISO text


def facts_query(connection: Connection, interaction_ids: list[int], marks: dict[int, float]) -> Any:
    """The ``overview_facts`` rows of these interactions computed from the tables in one grouped query (those
    without a start have none): the columns of :data:`FACT_COLUMNS`, in that order."""
    I, E = Interaction, Evaluation  # noqa: N806
    mark = case(marks, value=E.rubric_version_id, else_=DEFAULT_PASS_MARK) if marks else literal(DEFAULT_PASS_MARK)
    auto = (E.kind == "auto") & E.score.is_not(None)
    review = (E.kind == "review") & E.score.is_not(None)
    scores = (select(E.interaction_id.label("iid"), func.sum(_flag(auto)).label("scored"),
                     func.sum(case((auto, E.score), else_=0.0)).label("score_sum"),
                     func.sum(_flag(auto & (E.score >= mark))).label("passed"),
                     func.sum(_flag(review)).label("reviewed"),
                     func.sum(case((review, E.score), else_=0.0)).label("review_sum"))
              .where(E.interaction_id.in_(interaction_ids), E.is_current.is_(True), E.kind.in_(("auto", "review")))
              .group_by(E.interaction_id).subquery())
    return (select(I.id, _day(connection), func.coalesce(Agent.team, literal(NO_TEAM)),
                   func.coalesce(I.queue, literal(NO_QUEUE)), I.agent_id, literal(1),
                   _flag(I.csat.is_not(None)), _flag(I.csat >= 4), _flag(I.nps.is_not(None)), _flag(I.nps >= 9),
                   _flag(I.nps <= 6), _flag(I.escalated.is_not(None)), _flag(I.escalated.is_(True)),
                   _flag(I.resolved.is_not(None)), _flag(I.resolved.is_(True)),
                   func.coalesce(scores.c.scored, 0), func.coalesce(scores.c.score_sum, 0.0),
                   func.coalesce(scores.c.passed, 0), func.coalesce(scores.c.reviewed, 0),
                   func.coalesce(scores.c.review_sum, 0.0))
            .outerjoin(Agent, I.agent_id == Agent.id).outerjoin(scores, scores.c.iid == I.id)
            .where(I.id.in_(interaction_ids), I.started_at.is_not(None)))


FACT_COLUMNS = ("interaction_id", "day", "team", "queue", "agent_id", *SUMS)


def _table_exists(connection: Connection) -> bool:
    if connection.dialect.name == "postgresql":
        return connection.scalar(text("SELECT to_regclass('rollup_changes') IS NOT NULL")) is True
    return connection.scalar(text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rollup_changes'")) == 1


def pending(connection: Connection) -> bool:
    """Whether changes wait to be folded into the rollups (False on a database before revision 0015)."""
    return _table_exists(connection) and connection.scalar(select(RollupChange.id).limit(1)) is not None


def refresh(connection: Connection, weeks: bool = True, verdicts: bool = True) -> int:
    """Fold every pending change into the facts and rollups, in the caller's transaction; the number of
    interactions whose facts were computed again. ``weeks``: the weekly sums too; ``verdicts``: each touched
    agent's daily verdict sums too (:mod:`verdict_rollups`; both False only in the revision 0015 backfill,
    before those tables exist)."""
    if connection.scalar(select(RollupChange.id).limit(1)) is None:
        return 0
    if connection.dialect.name == "postgresql":  # the next refresh waits for this one's commit and sees it
        connection.execute(select(func.pg_advisory_xact_lock(LOCK_KEY)))
    changes = connection.execute(select(RollupChange.id, RollupChange.interaction_id, RollupChange.agent_id)).all()
    if not changes:
        return 0
    top = max(c.id for c in changes)
    touched = {c.interaction_id for c in changes if c.interaction_id is not None}
    agents = sorted({c.agent_id for c in changes if c.agent_id is not None})
    for chunk in _chunks(agents, CHUNK):  # an agent's change (team, removal) moves all their interactions
        touched.update(connection.scalars(select(Interaction.id).where(Interaction.agent_id.in_(chunk))))
        touched.update(connection.scalars(select(OverviewFact.interaction_id).where(OverviewFact.agent_id.in_(chunk))))
    marks = pass_marks(connection)
    groups: set[tuple[str, str, str]] = set()
    agent_days: set[tuple[int, str]] = set()
    F = OverviewFact  # noqa: N806
    for chunk in _chunks(touched, CHUNK):  # the groups each interaction leaves, its facts again, the groups it joins
        for moment in ("before", "after"):
            if moment == "after":
                connection.execute(delete(F).where(F.interaction_id.in_(chunk)))
                connection.execute(insert(F).from_select(list(FACT_COLUMNS), facts_query(connection, chunk, marks)))
            for day, team, queue, agent_id in connection.execute(
                    select(F.day, F.team, F.queue, F.agent_id).where(F.interaction_id.in_(chunk)).distinct()):
                groups.add((day, team, queue))
                if agent_id is not None:
                    agent_days.add((agent_id, day))
    R = OverviewRollup  # noqa: N806
    sums = [func.sum(getattr(F, name)) for name in SUMS]
    for chunk in _chunks(groups, GROUP_CHUNK):
        connection.execute(delete(R).where(tuple_(R.day, R.team, R.queue).in_(chunk)))
        connection.execute(insert(R).from_select(
            ["day", "team", "queue", *SUMS],
            select(F.day, F.team, F.queue, *sums).where(tuple_(F.day, F.team, F.queue).in_(chunk))
            .group_by(F.day, F.team, F.queue)))
    if weeks:
        _refresh_weeks(connection, groups)
    if verdicts:
        verdict_rollups.refresh(connection, agent_days)
    connection.execute(delete(RollupChange).where(RollupChange.id <= top))
    connection.execute(update(RollupState).where(RollupState.id == 1).values(version=RollupState.version + 1))
    return len(touched)


def _refresh_weeks(connection: Connection, groups: set[tuple[str, str, str]]) -> None:
    """Sum again from the daily rollups each (week, team, queue) whose days changed (through the days' key)."""
    R, W = OverviewRollup, OverviewWeek  # noqa: N806
    week = monday_sql(connection.dialect.name, R.day)
    sums = [func.sum(getattr(R, name)) for name in SUMS]
    touched = {(monday(day), team, queue) for day, team, queue in groups}
    for chunk in _chunks(touched, WEEK_CHUNK):
        days = [((date.fromisoformat(first) + timedelta(days=n)).isoformat(), team, queue)
                for first, team, queue in chunk  # the last week of 9999 ends at date.max
                for n in range(min(7, (date.max - date.fromisoformat(first)).days + 1))]
        connection.execute(delete(W).where(tuple_(W.week, W.team, W.queue).in_(chunk)))
        connection.execute(insert(W).from_select(
            ["week", "team", "queue", *SUMS],
            select(week, R.team, R.queue, *sums).where(tuple_(R.day, R.team, R.queue).in_(days))
            .group_by(week, R.team, R.queue)))


def stamp_columns() -> list[Any]:
    """What the rollups (and every figure computed from the same tables) depend on, as scalar subqueries to
    read in one round-trip: the refresh count, and the changes still pending (none after a session's commit)."""
    return [select(RollupState.version).where(RollupState.id == 1).scalar_subquery(),
            select(func.count(RollupChange.id)).scalar_subquery(),
            select(func.max(RollupChange.id)).scalar_subquery()]


def _before_commit(session: Session) -> None:
    session.flush()  # commit flushes after this hook: the triggers must have seen everything first
    connection = session.connection()
    if pending(connection):
        refresh(connection)


def keep_current(sessions: sessionmaker[Session]) -> None:
    """Refresh the rollups before each commit of a session from ``sessions`` that changed what they sum."""
    event.listen(sessions, "before_commit", _before_commit)
