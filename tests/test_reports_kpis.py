"""KPIs through the service and `qa report kpis` on both engines, against hand-computed values."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from typer.testing import CliRunner

from qa_toolkit.cli import app
from qa_toolkit.errors import QAError
from qa_toolkit.reports.period import parse_period
from qa_toolkit.reports.tables import KPI_COLUMNS
from qa_toolkit.services import reports
from qa_toolkit.storage.database import Database
from reports_factory import agent, at, interaction


@pytest.fixture
def contacts(db: Database) -> Database:
    with db.session() as session:
        ann = agent(session, "a-1", "Ann Ødegård", team="billing", hired_at=date(2025, 1, 1))
        bob = agent(session, "a-2", "Bob", team="tech")
        interaction(session, ann, "1", at(1, 9), customer_external_id="c1", queue="cards", csat=5, nps=10, ces=2,
                    resolved=True, escalated=False, ended_at=at(1, 10), duration_s=300, meta={"acw_s": 60})
        interaction(session, ann, "2", at(4, 9), customer_external_id="c1", queue="cards", csat=3, nps=6, ces=5,
                    resolved=True, escalated=True, duration_s=200,
                    meta={"talk_s": 100, "hold_s": 40, "acw_s": 20, "resolved_at": "2026-10-05T09:00:00+00:00"})
        interaction(session, bob, "3", at(28), customer_external_id="c2", queue="tech", csat=4, nps=8,
                    resolved=False, escalated=False, duration_s=500)
        # after October: a repeat of c2 within 7 days still counts against October's FCR
        interaction(session, bob, "4", at(2, month=11), customer_external_id="c2", queue="tech")
    return db


def test_kpis_by_agent(contacts: Database) -> None:
    with contacts.session() as session:
        ann, bob, total = reports.kpi_report(session, period=parse_period("2026-10"), by="agent")
    assert (ann.label, ann.contacts, ann.csat, ann.nps, ann.ces) == ("Ann Ødegård", 2, 50.0, 0.0, 3.5)
    assert ann.fcr == 50.0  # contact 1 was repeated 3 days later by contact 2
    assert ann.aht_s == pytest.approx(((300 + 60) + (100 + 40 + 20)) / 2)
    assert ann.escalation_rate == 50.0
    assert ann.ttr_min == pytest.approx((60 + 24 * 60) / 2)
    assert (bob.fcr, bob.fcr_n) == (0.0, 1)  # contact 4 (2 November) repeats contact 3 (28 October)
    assert total.contacts == 3
    assert total.csat == pytest.approx(100 * 2 / 3)
    assert total.nps == pytest.approx(100 * (1 - 1) / 3)


def test_kpis_by_queue_and_errors(contacts: Database) -> None:
    with contacts.session() as session:
        rows = reports.kpi_report(session, by="queue")
        assert [r.group for r in rows] == ["cards", "tech", "all"]
        with pytest.raises(QAError, match="cannot group KPIs by 'moon'"):
            reports.kpi_report(session, by="moon")


def test_kpis_cli_formats(contacts: Database) -> None:
    table = CliRunner().invoke(app, ["report", "kpis", "--by", "team", "--db", contacts.url])
    assert table.exit_code == 0, table.output
    assert "billing" in table.output and "50 %" in table.output
    as_csv = CliRunner().invoke(app, ["report", "kpis", "--by", "agent", "--period", "2026-10", "--format", "csv",
                                      "--db", contacts.url])
    rows = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert list(rows[0]) == list(KPI_COLUMNS)
    assert [(r["group"], r["csat"]) for r in rows] == [("a-1", "50.0"), ("a-2", "100.0"), ("all", "66.6667")]
    as_json = json.loads(CliRunner().invoke(app, ["report", "kpis", "--format", "json", "--period", "2026-10",
                                                  "--db", contacts.url]).output)
    assert as_json["period"] == "2026-10-01..2026-10-31"
    assert as_json["rows"][0]["nps"] == 0.0
    bad = CliRunner().invoke(app, ["report", "kpis", "--period", "October", "--db", contacts.url])
    assert bad.exit_code == 1 and "invalid period 'October'" in bad.output


def test_repeat_contacts_decided_in_the_database_are_those_of_the_python_rule(db: Database) -> None:
    """`repeat_flags` (one agent's or team's FCR, decided by the database through the customer index) gives
    exactly what `kpis.repeat_contacts` gives over every contact, on random threads with the edges: the same
    start (the later id is the repeat), exactly 7 days apart (a repeat) and a second more (not), an empty topic
    (the queue counts), an empty customer or neither topic nor queue (no FCR), repeats by another agent, a
    contact just before the period, microseconds, a non-UTC offset."""
    import random
    from datetime import timedelta, timezone

    from qa_toolkit.reports import kpis
    from qa_toolkit.services.report_data import load_contacts, repeat_flags

    rng = random.Random(7)
    base = at(1, 0)
    moments = [timedelta(0), timedelta(days=7), timedelta(days=7, seconds=1), timedelta(days=6, hours=23, minutes=59,
               seconds=59, microseconds=999999), timedelta(days=7, microseconds=1), timedelta(hours=5)]
    with db.session() as session:
        ann = agent(session, "a-1", "Ann", team="billing")
        others = [agent(session, f"a-{n}", f"Other {n}", team="tech") for n in (2, 3)]
        n = 0
        for customer in ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", ""]:
            start = base + timedelta(days=rng.randrange(-9, 30), hours=rng.randrange(24))
            for _ in range(rng.randrange(3, 10)):
                n += 1
                start = start + rng.choice(moments)
                topic = rng.choice([None, "", "refund", "refund", "refund", "card"])
                queue = rng.choice([None, "", "billing", "billing", "billing"])
                moment = start.astimezone(timezone(timedelta(hours=rng.choice([0, 0, 2, -5]))))
                interaction(session, rng.choice([ann, ann, *others]), str(n), moment,
                            customer_external_id=customer or rng.choice([None, ""]), topic=topic, queue=queue)
    with db.session() as session:
        everything = load_contacts(session)
        expected = kpis.repeat_contacts(everything)
        october = parse_period("2026-10")
        for agents in (["a-1"], ["a-1", "a-2"], ["a-1", "a-2", "a-3"]):
            found = repeat_flags(session, october, agents, kpis.FCR_DAYS)
            wanted = {c.id: expected[c.id] for c in everything if c.agent in agents and c.id in expected
                      and october.contains(c.started_at)}
            assert found == wanted, agents
        assert 4 < sum(wanted.values()) < len(wanted)
