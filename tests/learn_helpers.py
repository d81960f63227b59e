"""A small team for the review-learning tests: chats scored by real keyword checks, reviewed through the
review services (assignments submitted, a calibration session with a gold reviewer)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import select

from qa_toolkit.review.criteria import Scoresheet
from qa_toolkit.services import calibration, people, review, review_scoring, rubrics, scoring
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import Interaction, ReviewAssignment, Turn, User

RUBRIC = Path(__file__).parent / "data" / "learn" / "learn-test.yaml"
START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


def seed_chats(db: Database, count: int = 12) -> None:
    """Chats c-1..c-N: odd ones open with a greeting, even ones do not; the agent of c-1..c-6 is in team
    billing, of the rest in team cards. Users: ada (admin), lee (lead, the gold), maria and tom (reviewers)."""
    with db.session() as session:
        people.add_agent(session, "a-1", "Dana Park", team="billing")
        people.add_agent(session, "a-2", "Eli Moreau", team="cards")
        people.add_user(session, "ada", "admin")  # the first user is an admin, who adds the others
        for name, role in (("lee", "lead"), ("maria", "reviewer"), ("tom", "reviewer")):
            people.add_user(session, name, role, actor="ada")
        agents = {a.external_id: a for a in people.list_agents(session)}
        for n in range(1, count + 1):
            started = START + timedelta(days=n)
            opening = "Hello, thanks for contacting us." if n % 2 else "Your parcel left the depot on Monday."
            interaction = Interaction(source="test", external_id=f"c-{n}", channel="chat",
                                      agent=agents["a-1" if n <= count // 2 else "a-2"], started_at=started)
            interaction.turns = [
                Turn(index=0, speaker="customer", at=started, text="Where is my parcel?"),
                Turn(index=1, speaker="agent", at=started + timedelta(seconds=20), text=opening),
                Turn(index=2, speaker="customer", at=started + timedelta(seconds=60), text="Ok thanks"),
                Turn(index=3, speaker="agent", at=started + timedelta(seconds=80),
                     text="Is there anything else I can help you with?"),
            ]
            session.add(interaction)
        rubrics.publish_file(session, RUBRIC, actor="lee")
    scoring.score_auto(db, rubric="learn-test", workers=1)


def _assignment(session: Any, external: str, reviewer: str) -> ReviewAssignment:
    interaction = session.scalar(select(Interaction).where(Interaction.external_id == external))
    user = session.scalar(select(User).where(User.name == reviewer))
    item = ReviewAssignment(interaction=interaction, rubric_version=review_scoring.latest_version(session, "learn-test"),
                            reviewer=user, status="assigned")
    session.add(item)
    session.flush()
    return item


def submit_review(db: Database, external: str, reviewer: str, values: dict[str, Any],
                  comments: dict[str, str] | None = None, at: datetime | None = None) -> int:
    """A peer review submitted through the review service; ``at`` back-dates it (a simulated history)."""
    with db.session() as session:
        item = _assignment(session, external, reviewer)
        evaluation = review.submit(session, item.id, Scoresheet(dict(values), dict(comments or {})), actor=reviewer)
        if at is not None:
            evaluation.created_at = at
        return evaluation.id


def run_calibration(db: Database, interactions: list[str], answers: dict[str, dict[str, dict[str, Any]]],
                    comments: dict[str, dict[str, str]] | None = None) -> int:
    """A calibration session (gold: lee) on ``interactions``; ``answers[reviewer][interaction]`` are the values."""
    with db.session() as session:
        created = calibration.create(session, rubric="learn-test", interactions=interactions,
                                     reviewers=[r for r in answers if r != "lee"], gold="lee", actor="lee")
        session_id = created.id
        for item in session.scalars(select(ReviewAssignment).where(
                ReviewAssignment.calibration_session_id == session_id)):
            who = item.reviewer.name
            values = answers[who][item.interaction.external_id]
            note = (comments or {}).get(who, {}).get(item.interaction.external_id)
            review.submit(session, item.id, Scoresheet(dict(values), {"greeting": note} if note else {}), actor=who)
    return session_id
