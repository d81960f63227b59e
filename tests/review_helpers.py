"""Shared set-up for the peer-review tests: a team, chats with turns, a published test rubric."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from qa_toolkit.services import people, rubrics
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import CriterionResult, Evaluation, Interaction, RubricVersion, Turn

DATA = Path(__file__).parent / "data" / "review"
RUBRIC = DATA / "review-test.yaml"
START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


def seed_team(db: Database, *, chats_per_agent: int = 4) -> None:
    """Agents a-1..a-3, users lee (lead), maria and tom (reviewers; tom is agent a-3), dana (agent a-1),
    ada (admin), chats c-1.. with turns, and the test rubric published."""
    with db.session() as session:
        for n, name in ((1, "Dana Park"), (2, "Eli Moreau"), (3, "Tom Reyes")):
            people.add_agent(session, f"a-{n}", name, team="billing")
        people.add_user(session, "ada", "admin")
        people.add_user(session, "lee", "lead", actor="ada")
        people.add_user(session, "maria", "reviewer", actor="ada")
        people.add_user(session, "tom", "reviewer", agent_external_id="a-3", actor="ada")
        people.add_user(session, "dana", "agent", agent_external_id="a-1", actor="ada")
        people.add_user(session, "tina", "trainer", actor="ada")
        agents = {a.external_id: a for a in people.list_agents(session)}
        number = 0
        for external in ("a-1", "a-2", "a-3"):
            for i in range(chats_per_agent):
                number += 1
                started = START + timedelta(hours=number)
                interaction = Interaction(
                    source="test", external_id=f"c-{number}", channel="chat", agent=agents[external],
                    started_at=started, queue="billing" if i % 2 else "tech", csat=5 - i % 5,
                    escalated=i == 3)
                interaction.turns = [
                    Turn(index=0, speaker="customer", at=started, text="I was charged twice for my order"),
                    Turn(index=1, speaker="agent", at=started + timedelta(seconds=20),
                         text="Hello, I'm sorry about that. Card on file is [CARD], right?"),
                    Turn(index=2, speaker="customer", at=started + timedelta(seconds=75), text="Yes, thanks"),
                    Turn(index=3, speaker="agent", at=started + timedelta(seconds=90),
                         text="I refunded the second charge. Anything else?"),
                ]
                session.add(interaction)
        rubrics.publish_file(session, RUBRIC, actor="lee")


def version(session) -> RubricVersion:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    return session.scalar(select(RubricVersion).where(RubricVersion.name == "review-test"))


def add_auto_evaluation(db: Database, external_id: str, *, greeting: float = 1.0, score: float = 90.0,
                        critical_failed: bool = False) -> int:
    """An automated evaluation as the scoring helper writes it (greeting decided by its check)."""
    from sqlalchemy import select

    with db.session() as session:
        interaction = session.scalar(select(Interaction).where(Interaction.external_id == external_id))
        evaluation = Evaluation(
            interaction=interaction, rubric_version=version(session), kind="auto", score=score,
            critical_failed=critical_failed, category_scores={}, created_by="qa score auto",
            results=[CriterionResult(criterion_key="greeting", category="communication", value=greeting,
                                     normalized=100.0 * greeting, status="pass" if greeting else "fail",
                                     message="greeting found", evidence=[{"turn": 1, "quote": "Hello"}],
                                     decided_by="auto")])
        session.add(evaluation)
        session.flush()
        return evaluation.id
