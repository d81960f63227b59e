"""One small, hand-checkable month of evaluations shared by the report tests (see each test for the sums)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from qa_toolkit.storage.models import User
from reports_factory import agent, at, evaluate, interaction, publish, statuses

NAME = "Zoë José 李雷"
TRICKY = "Dana <Park> & Co"
ANGRY = "This is ridiculous, I've waited 3 days!"
LEAK = "Your balance is 120 € & the card ends <1234>"
COMMENT = "Greeting used the wrong name & <tag>"


def seed(session: Session) -> None:
    """October 2026: a-1 (5 verdicts, one critical fail, a review), a-2 (4), a-3 in another team, a-4 none."""
    version = publish(session)
    rita = User(name="rita", role="reviewer")
    session.add(rita)
    a1 = agent(session, "a-1", NAME, hired_at=date(2026, 9, 1))
    a2 = agent(session, "a-2", TRICKY, hired_at=date(2024, 1, 1))
    a3 = agent(session, "a-3", "Kim", team="tech", hired_at=date(2025, 6, 1))
    agent(session, "a-4", "Nobody Yet")

    # a-1, September: two clean chats (trend)
    for n, day in enumerate((8, 22)):
        evaluate(session, version, interaction(session, a1, f"s{n}", at(day, month=9), customer_external_id=f"old{n}",
                                               turns=[("agent", "Hello!")]), statuses())
    i1 = interaction(session, a1, "i1", at(2), customer_external_id="c1", topic="billing", queue="billing", csat=2,
                     escalated=True, resolved=False, duration_s=600,
                     turns=[("customer", "What's my balance?"), ("agent", LEAK)])
    evaluate(session, version, i1, statuses(verify_identity="fail"), evidence={"verify_identity": [1]})
    i2 = interaction(session, a1, "i2", at(5), customer_external_id="c1", topic="billing", queue="billing", csat=3,
                     escalated=False, resolved=True, duration_s=300,
                     turns=[("customer", ANGRY), ("agent", "Please hold.")])
    evaluate(session, version, i2, statuses(acknowledge="fail"), evidence={"acknowledge": [0, 1]})
    i3 = interaction(session, a1, "i3", at(9), customer_external_id="c2", queue="billing", csat=4,
                     escalated=False, resolved=True, duration_s=420,
                     turns=[("customer", "Still broken."), ("agent", "Ok.")])
    evaluate(session, version, i3, statuses(acknowledge="fail", confirm_resolution="fail"),
             evidence={"acknowledge": [0], "confirm_resolution": [1]},
             notes={"confirm_resolution": "no resolution confirmed in the last agent turns"})
    i4 = interaction(session, a1, "i4", at(15), customer_external_id="c3", queue="billing", csat=5,
                     escalated=False, resolved=True, duration_s=240, turns=[("agent", "Hi Sam!")])
    evaluate(session, version, i4, statuses())
    evaluate(session, version, i4, statuses(greeting="fail"), kind="review", reviewer=rita, comment=COMMENT)
    evaluate(session, version, i4, {k: "fail" for k in statuses()}, kind="calibration", reviewer=rita)
    i5 = interaction(session, a1, "i5", at(20), customer_external_id="c4", queue="billing", csat=5,
                     escalated=False, resolved=True, duration_s=360,
                     turns=[("customer", "Thanks"), ("agent", "Bye.")])
    evaluate(session, version, i5, statuses(confirm_resolution="fail"), evidence={"confirm_resolution": [1]})

    # a-2, October: three clean chats and one without acknowledgement
    for n in range(4):
        chat = interaction(session, a2, f"j{n}", at(3 + n), customer_external_id=f"d{n}", queue="billing",
                           csat=4, escalated=False, resolved=True, duration_s=300,
                           turns=[("customer", "Hi"), ("agent", "Hello")])
        evaluate(session, version, chat, statuses(acknowledge="fail") if n == 3 else statuses())
    # a-3 in team tech
    for n in range(2):
        chat = interaction(session, a3, f"k{n}", at(10 + n), customer_external_id=f"e{n}", queue="tech",
                           csat=5, escalated=False, resolved=True, turns=[("agent", "Hello")])
        evaluate(session, version, chat, statuses())
