"""Wilson intervals, correlations, KPI formulas and periods against hand-computed values (pure, no database)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from qa_toolkit.errors import QAError
from qa_toolkit.reports import kpis
from qa_toolkit.reports.period import Period, parse_period, trailing_periods
from qa_toolkit.reports.records import Contact
from qa_toolkit.reports.stats import lift, phi_coefficient, wilson_interval


@pytest.mark.parametrize(("k", "n", "low", "high"), [
    # p̂ = 0.8, z² = 3.8416: centre 0.99208/1.38416 = 0.71674, half-width 0.31362/1.38416 = 0.22658
    (8, 10, 0.4902, 0.9433),
    # k = 0: centre = half-width = (z²/2n)/(1 + z²/n) = 0.19208/1.38416 = 0.13877
    (0, 10, 0.0, 0.2775),
    (10, 10, 0.7225, 1.0),
    # p̂ = 0.5, n = 100: centre 0.5, half-width 1.96·sqrt(0.0025 + 0.00009604)/1.038416 = 0.09617
    (50, 100, 0.4038, 0.5962),
    (1, 1, 0.2065, 1.0),
])
def test_wilson_interval_matches_hand_computed_values(k: int, n: int, low: float, high: float) -> None:
    interval = wilson_interval(k, n)
    assert interval is not None
    assert interval.estimate == pytest.approx(k / n)
    assert (interval.low, interval.high) == (pytest.approx(low, abs=5e-4), pytest.approx(high, abs=5e-4))


def test_wilson_interval_of_nothing_is_none_and_bad_counts_are_rejected() -> None:
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError, match="0 <= successes <= trials"):
        wilson_interval(3, 2)


def test_phi_coefficient_by_hand() -> None:
    # n11=3, n10=1, n01=1, n00=3 → (9 − 1)/sqrt(4·4·4·4) = 0.5
    xs = [True, True, True, True, False, False, False, False]
    ys = [True, True, True, False, True, False, False, False]
    assert phi_coefficient(xs, ys) == pytest.approx(0.5)
    assert phi_coefficient(xs, xs) == pytest.approx(1.0)
    assert phi_coefficient([True, True], [True, False]) is None  # x constant: undefined
    # P(y|x) = 3/4, P(y|not x) = 1/4
    assert lift(xs, ys) == pytest.approx(0.5)


def _at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 10, day, hour, tzinfo=timezone.utc)


def test_csat_nps_ces_by_hand() -> None:
    assert kpis.csat([5, 4, 3, 1, None]) == (50.0, 4)  # 2 of 4 answers are 4–5
    # promoters 9, 10, 10 (3); passives 7, 8 (2); detractors 0, 6 (2); 7 answers → (3 − 2)/7
    value, n = kpis.nps([9, 10, 10, 7, 8, 0, 6, None])
    assert (value, n) == (pytest.approx(100 / 7), 7)
    assert kpis.average([2, 3, None, 7]) == (4.0, 3)
    assert kpis.csat([None]) == (None, 0)
    assert kpis.nps([]) == (None, 0)


def test_fcr_counts_repeats_of_the_same_customer_and_topic_within_the_window() -> None:
    contacts = [
        Contact(1, "c:1", customer="cust-a", topic="refund", started_at=_at(1)),
        Contact(2, "c:2", customer="cust-a", topic="refund", started_at=_at(6)),   # repeat of 1 (5 days)
        Contact(3, "c:3", customer="cust-a", topic="refund", started_at=_at(20)),  # 14 days after 2: not a repeat
        Contact(4, "c:4", customer="cust-a", topic="login", started_at=_at(2)),    # other topic
        Contact(5, "c:5", customer="cust-b", queue="billing", started_at=_at(3)),  # queue stands for the topic
        Contact(6, "c:6", customer="cust-b", queue="billing", started_at=_at(10, 8)),  # 6 days 23 h later
        Contact(7, "c:7", customer=None, topic="refund", started_at=_at(4)),       # no customer: not counted
    ]
    repeats = kpis.repeat_contacts(contacts, days=7)
    assert repeats == {1: True, 2: False, 3: False, 4: False, 5: True, 6: False}
    assert kpis.fcr(contacts, repeats) == (pytest.approx(100 * 4 / 6), 6)
    assert kpis.repeat_contacts(contacts, days=3)[1] is False


def test_handle_time_is_talk_plus_hold_plus_after_call_work() -> None:
    assert kpis.handle_time(300, {}) == 300
    assert kpis.handle_time(300, {"acw_s": 45}) == 345
    assert kpis.handle_time(300, {"talk_s": 200, "hold_s": 60, "after_call_work_s": 30}) == 290
    assert kpis.handle_time(None, {"hold_s": 10}) is None


def test_compute_kpis_groups_and_total() -> None:
    contacts = [
        Contact(1, "c:1", agent="a-1", agent_name="Ann", team="billing", csat=5, nps=10, escalated=False,
                resolved=True, started_at=_at(1, 9), resolved_at=_at(1, 10), handle_s=300, quality=80),
        Contact(2, "c:2", agent="a-1", agent_name="Ann", team="billing", csat=2, nps=3, escalated=True,
                resolved=False, started_at=_at(2), handle_s=500, quality=60, review_quality=70),
        Contact(3, "c:3", agent="a-2", agent_name="Bob", team="tech", csat=4, escalated=None, resolved=True,
                started_at=_at(3, 9), resolved_at=_at(3, 9), handle_s=None),
    ]
    rows = kpis.compute_kpis(contacts, by="agent")
    assert [(r.group, r.label) for r in rows] == [("a-1", "Ann"), ("a-2", "Bob"), ("all", "All")]
    ann, bob, total = rows
    assert (ann.csat, ann.nps, ann.escalation_rate, ann.aht_s, ann.ttr_min, ann.iqs, ann.review_iqs) == (
        50.0, 0.0, 50.0, 400.0, 60.0, 70.0, 70.0)
    assert (bob.csat, bob.escalation_rate, bob.escalation_n, bob.aht_s, bob.ttr_min) == (100.0, None, 0, None, 0.0)
    assert (total.contacts, total.csat, total.csat_n, total.ttr_min, total.ttr_n) == (
        3, pytest.approx(200 / 3), 3, 30.0, 2)
    with pytest.raises(ValueError, match="unknown grouping"):
        kpis.compute_kpis(contacts, by="moon")


def test_periods_parse_and_step_back() -> None:
    october = parse_period("2026-10")
    assert october == Period(date(2026, 10, 1), date(2026, 10, 31))
    assert october.previous() == Period(date(2026, 9, 1), date(2026, 9, 30))
    assert parse_period("2026-10-01..2026-10-14").previous() == Period(date(2026, 9, 17), date(2026, 9, 30))
    assert [str(p) for p in trailing_periods(october, 3)] == [
        "2026-08-01..2026-08-31", "2026-09-01..2026-09-30", "2026-10-01..2026-10-31"]
    assert october.contains(datetime(2026, 10, 31, 23, 59)) and not october.contains(datetime(2026, 11, 1))
    with pytest.raises(QAError, match="invalid period 'last week'"):
        parse_period("last week")
    with pytest.raises(QAError, match="ends before it starts"):
        parse_period("2026-10-05..2026-10-01")
