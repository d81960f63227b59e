"""The overview's rollups (revision 0015) agree with grouping the tables themselves, on a random database,
after ORM and bulk Core writes, updates, retired and moved evaluations, deleted interactions (with their
evaluations, by cascade), an agent changing team and an agent removed; and the migration backfills them."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import delete, func, insert, inspect, select, update

from qa_toolkit.reports.period import Period
from qa_toolkit.services import dashboard, page_cache
from qa_toolkit.services.roles import Scope
from qa_toolkit.storage import migrate, rollups
from qa_toolkit.storage.database import Database, create_db_engine, open_database
from qa_toolkit.storage.models import (
    Agent,
    CriterionResult,
    Evaluation,
    Interaction,
    OverviewFact,
    OverviewRollup,
    OverviewWeek,
    RollupChange,
    RubricVersion,
    VerdictRollup,
)

START = datetime(2026, 7, 1, tzinfo=timezone.utc)
TEAMS = ["north", "south", "east", None]
QUEUES = ["billing", "cards", "tech", None]
PERIODS = [Period(date(2026, 7, 1), date(2026, 10, 31)),  # weekly trend: whole weeks from the weekly sums
           Period(date(2026, 7, 6), date(2026, 10, 25)),  # whole weeks only (Monday to Sunday)
           Period(date(2026, 7, 8), date(2026, 9, 19)),  # part weeks at both ends
           Period(date(2026, 8, 1), date(2026, 8, 31)),  # daily trend
           Period(date(2026, 9, 13), date(2026, 9, 13))]


def _maybe(rng: random.Random, value: Any, p: float = 0.2) -> Any:
    return None if rng.random() < p else value


def _interaction(rng: random.Random, n: int, agents: list[int]) -> dict[str, Any]:
    started = START + timedelta(minutes=rng.randrange(0, 120 * 24 * 60))
    return {"source": "t", "external_id": f"c-{n}", "channel": "chat", "agent_id": _maybe(rng, rng.choice(agents), 0.05),
            "started_at": _maybe(rng, started, 0.03), "queue": _maybe(rng, rng.choice(QUEUES[:3])),
            "csat": _maybe(rng, rng.randint(1, 5)), "nps": _maybe(rng, rng.randint(0, 10)),
            "escalated": _maybe(rng, rng.random() < 0.3), "resolved": _maybe(rng, rng.random() < 0.7),
            "tags": [], "meta": {}}


def _evaluations(rng: random.Random, iid: int, versions: list[int]) -> list[dict[str, Any]]:
    """Automated ones (one current per rubric version at most, as the unique index wants), retired ones,
    reviews and calibration ones."""
    kinds = [("auto", True, v) for v in versions if rng.random() < 0.6]
    kinds += [("auto", False, v) for v in versions if rng.random() < 0.2]
    kinds += [(kind, rng.random() < 0.8, rng.choice(versions)) for kind, p in (("review", 0.3), ("calibration", 0.1))
              if rng.random() < p]
    return [{"interaction_id": iid, "rubric_version_id": version, "kind": kind,
             "score": _maybe(rng, round(rng.uniform(30, 100), 3), 0.1), "critical_failed": False,
             "category_scores": {k: _maybe(rng, round(rng.uniform(0, 100), 2), 0.3) for k in ("comm", "tone")
                                 if rng.random() < 0.7},
             "version": 1, "is_current": current} for kind, current, version in kinds]


def _results(rng: random.Random, evaluation_ids: list[int]) -> list[dict[str, Any]]:
    """Criterion results (pass, fail, N/A) of some evaluations."""
    return [{"evaluation_id": eid, "criterion_key": key, "category": "comm", "status": rng.choice(["pass", "fail", "na"]),
             "evidence": [], "decided_by": "auto"}
            for eid in evaluation_ids for key in ("greet", "hold", "close") if rng.random() < 0.6]


def _seed(database: Database, rng: random.Random) -> None:
    with database.session() as session:
        agents = []
        for n in range(12):
            agent = Agent(external_id=f"a-{n}", name=f"Agent {n}", team=TEAMS[n % len(TEAMS)])
            session.add(agent)
            agents.append(agent)
        versions = [RubricVersion(name="r", version=1, content_hash="1", body={"pass_mark": 70}, source=""),
                    RubricVersion(name="r", version=2, content_hash="2", body={}, source=""),
                    RubricVersion(name="s", version=1, content_hash="3", body={}, source="")]
        session.add_all(versions)
        session.flush()
        agent_ids, version_ids = [a.id for a in agents], [v.id for v in versions]
        session.execute(insert(Interaction), [_interaction(rng, n, agent_ids) for n in range(240)])  # bulk Core
        ids = list(session.scalars(select(Interaction.id)))
        session.execute(insert(Evaluation), [row for iid in ids for row in _evaluations(rng, iid, version_ids)])
        session.execute(insert(CriterionResult), _results(rng, sorted(session.scalars(select(Evaluation.id)))))
    with database.session() as session:  # and through the ORM
        agent = session.scalars(select(Agent).where(Agent.team == "north")).first()
        for n in range(240, 260):
            row = _interaction(rng, n, agent_ids)
            row["agent_id"] = agent.id if agent else None
            interaction = Interaction(**row)
            session.add(interaction)
            session.flush()
            added = [Evaluation(**row) for row in _evaluations(rng, interaction.id, version_ids)]
            session.add_all(added)
            session.flush()
            session.add_all(CriterionResult(**row) for row in _results(rng, [e.id for e in added]))


def _change(database: Database, rng: random.Random) -> None:
    with database.session() as session:
        ids = sorted(session.scalars(select(Interaction.id)))
        for iid in rng.sample(ids, 30):  # moved in time, queue or agent; outcomes changed
            session.execute(update(Interaction).where(Interaction.id == iid).values(
                started_at=START + timedelta(days=rng.randrange(0, 120)), queue=rng.choice(QUEUES),
                csat=_maybe(rng, rng.randint(1, 5)), escalated=_maybe(rng, True)))
        evaluations = sorted(session.scalars(select(Evaluation.id)))
        session.execute(update(Evaluation).where(Evaluation.id.in_(rng.sample(evaluations, 40)))
                        .values(is_current=False))  # retired by a re-score or a dispute
        moved = session.scalars(select(Evaluation).where(Evaluation.kind == "review")).first()
        assert moved is not None
        moved.interaction_id, moved.score, moved.is_current = rng.choice(ids), 55.5, True
        session.execute(delete(Interaction).where(Interaction.id.in_(rng.sample(ids, 25))))  # evaluations cascade
    with database.session() as session:
        north = session.scalars(select(Agent).where(Agent.team == "north")).first()
        assert north is not None
        north.team = "south"  # every one of their interactions changes team
        session.flush()
        session.execute(update(Agent).where(Agent.team == "north").values(team="west"))
        session.execute(delete(Agent).where(Agent.external_id == "a-1"))  # their interactions: no agent


def _plain(overview: dashboard.Overview) -> Any:
    def rounded(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: rounded(v) for k, v in value.items()}
        if isinstance(value, list):
            return [rounded(v) for v in value]
        return round(value, 9) if isinstance(value, float) else value

    return rounded(overview.as_dict())


def _assert_same(database: Database) -> None:
    with database.session() as session:
        hidden = frozenset(session.scalars(select(Interaction.id).limit(7)))
        for scope in (Scope(None, everyone=True), Scope(None, team="south"), Scope(None, team="east")):  # type: ignore[arg-type]
            for period in PERIODS:
                for blind in (frozenset(), hidden):
                    fast = dashboard.compute_overview(session, scope, period, blind)
                    slow = dashboard.scan_overview(session, scope, period, blind)
                    assert _plain(fast) == _plain(slow), (scope.team, str(period), bool(blind))
        assert session.scalar(select(func.count()).select_from(RollupChange)) == 0
        week = rollups.monday_sql(session.get_bind().dialect.name, OverviewRollup.day)
        sums = [func.sum(getattr(OverviewRollup, name)) for name in rollups.SUMS]
        from_days = {(str(w), t, q): [round(float(v), 6) for v in values] for w, t, q, *values in session.execute(
            select(week, OverviewRollup.team, OverviewRollup.queue, *sums)
            .group_by(week, OverviewRollup.team, OverviewRollup.queue))}
        weeks = {(w, t, q): [round(float(getattr(row, name)), 6) for name in rollups.SUMS]
                 for row in session.scalars(select(OverviewWeek)) for w, t, q in [(row.week, row.team, row.queue)]}
        assert weeks == from_days and weeks  # the weekly sums are the days' sums, no week left over
        _assert_verdicts_same(session)
        facts = session.scalar(select(func.sum(OverviewFact.contacts)))
        assert facts == session.scalar(select(func.sum(OverviewRollup.contacts)))
        assert facts == session.scalar(select(func.count()).select_from(Interaction)
                                       .where(Interaction.started_at.is_not(None)))


MONTHS = [Period(date(2026, m, 1), date(2026, m, 30)) for m in (7, 8, 9, 10)]  # not whole months: edges


def _assert_verdicts_same(session: Any) -> None:
    """Each team's and each agent's daily verdict sums (revision 0018) give what summing the verdicts chosen
    from the tables gives: scores per agent and month, category scores and criterion failures of a month."""
    from qa_toolkit.services import evaluation_source as source

    agents = session.execute(select(Agent.external_id, Agent.team)).all()
    groups = [[a for a, t in agents if t == team] for team in {t for _, t in agents}] + [[a] for a, _ in agents]
    checked = 0
    for members in groups:
        for rubric in ("r", "s"):
            fast = source.rolled_verdict_sums(session, rubric=rubric, periods=MONTHS, agents=members)
            slow = source.verdict_sums(session, rubric=rubric, periods=MONTHS, agents=members)
            assert {k: (round(t, 6), n) for k, (t, n) in fast.items()} == {
                k: (round(t, 6), n) for k, (t, n) in slow.items()}, (members, rubric)
            for month in MONTHS:
                fast_b = source.rolled_verdict_breakdown(session, rubric=rubric, period=month, agents=members)
                slow_b = source.verdict_breakdown(session, rubric=rubric, period=month, agents=members)
                assert fast_b[1] == slow_b[1], (members, rubric, str(month))
                assert {k: (round(t, 6), n) for k, (t, n) in fast_b[0].items()} == {
                    k: (round(t, 6), n) for k, (t, n) in slow_b[0].items()}, (members, rubric, str(month))
                checked += len(slow_b[0]) + len(slow_b[1])
    assert checked > 50  # categories and criteria were there to compare
    kinds = set(session.scalars(select(VerdictRollup.kind).distinct()))
    assert kinds == {"score", "category", "criterion"}


def test_rollups_agree_with_the_tables_after_writes_updates_and_deletes(db: Database) -> None:
    rng = random.Random(15)
    _seed(db, rng)
    _assert_same(db)
    with db.session() as session:
        everyone = dashboard.compute_overview(session, Scope(None, everyone=True), PERIODS[0])  # type: ignore[arg-type]
    assert everyone.total.contacts > 200 and everyone.total.scored > 100 and everyone.total.reviewed > 20
    assert {"north", "south", "east", dashboard.NO_TEAM} <= set(everyone.by_team)
    _change(db, rng)
    _assert_same(db)
    with db.session() as session:
        after = dashboard.compute_overview(session, Scope(None, everyone=True), PERIODS[0])  # type: ignore[arg-type]
    assert "north" not in after.by_team and after.total.contacts < everyone.total.contacts


def test_cache_stamp_changes_with_every_write_and_only_then(db: Database) -> None:
    _seed(db, random.Random(3))
    with db.session() as session:
        first = page_cache.data_stamp(session)
    with db.session() as session:
        assert page_cache.data_stamp(session) == first  # a read changes nothing
    with db.session() as session:
        session.execute(update(Interaction).where(Interaction.id == 1).values(csat=5))
    with db.session() as session:
        second = page_cache.data_stamp(session)
    assert second != first
    with db.engine.begin() as connection:  # a write outside any session: pending, still seen
        connection.execute(update(Evaluation).where(Evaluation.id == 1).values(score=1.0))
    with db.session() as session:
        third = page_cache.data_stamp(session)
        assert third != second
        assert rollups.pending(session.connection())
    _assert_same(db)  # the overview folds what is pending


def test_migration_backfills_rollups_from_existing_data(empty_db_url: str) -> None:
    engine = create_db_engine(empty_db_url, create=True)
    migrate.upgrade(engine, "0014")
    database = Database(url=empty_db_url, engine=engine)
    _seed(database, random.Random(7))  # written before the rollups exist
    migrate.upgrade(engine, "0017")
    assert "verdict_rollups" not in inspect(engine).get_table_names()
    migrate.upgrade(engine, "head")  # 0018 sums the verdicts already there
    engine.dispose()
    database = open_database(empty_db_url)
    try:
        with database.session() as session:
            assert session.scalar(select(func.count()).select_from(OverviewRollup)) > 0
            assert session.scalar(select(func.count()).select_from(VerdictRollup)) > 0
            assert not rollups.pending(session.connection())
        _assert_same(database)
    finally:
        database.close()

