"""Test data for the report tests: agents, interactions with turns, a rubric version and evaluations,
inserted directly with the ORM (the way the scoring and review services store them)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy.orm import Session

from qa_toolkit.storage.models import (
    Agent,
    CriterionResult,
    Evaluation,
    Interaction,
    RubricVersion,
    Turn,
    User,
)

RUBRIC: dict[str, Any] = {
    "name": "support-chat-test",
    "title": "Support chat (tests)",
    "channels": ["chat"],
    "pass_mark": 80,
    "categories": [
        {"key": "empathy", "name": "Empathy", "weight": 1, "criteria": [
            {"key": "acknowledge", "question": "Acknowledges the customer's frustration", "scale": "binary",
             "critical": "none", "training": ["Empathy in writing"]}]},
        {"key": "compliance", "name": "Compliance", "weight": 1, "criteria": [
            {"key": "verify_identity", "question": "Verifies identity before account details", "scale": "binary",
             "critical": "fail_all", "training": ["Identity verification"]},
            {"key": "disclosure", "name": None, "question": "Gives the recording disclosure", "scale": "binary",
             "critical": "none", "training": []}]},
        {"key": "resolution", "name": "Resolution", "weight": 1, "criteria": [
            {"key": "confirm_resolution", "question": "Confirms the issue is resolved", "scale": "binary",
             "critical": "none", "training": ["Closing the loop", "Empathy in writing"]},
            {"key": "greeting", "question": "Greets the customer by name", "scale": "binary",
             "critical": "none", "training": []}]},
    ],
}
CATEGORY_OF = {c["key"]: cat["key"] for cat in RUBRIC["categories"] for c in cat["criteria"]}
CRITICAL = {"verify_identity"}


def at(day: int, hour: int = 10, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=timezone.utc)


def publish(session: Session, body: dict[str, Any] = RUBRIC, version: int = 1) -> RubricVersion:
    row = RubricVersion(name=body["name"], version=version, content_hash=f"{body['name']}-{version}".ljust(64, "0"),
                        channels=body["channels"], body=body, source="(test)")
    session.add(row)
    session.flush()
    return row


def agent(session: Session, external_id: str, name: str, team: str | None = "billing",
          hired_at: date | None = date(2025, 1, 1)) -> Agent:
    row = Agent(external_id=external_id, name=name, team=team, hired_at=hired_at)
    session.add(row)
    session.flush()
    return row


def interaction(session: Session, who: Agent, external_id: str, started_at: datetime, *,
                turns: list[tuple[str, str]] = (), **fields: Any) -> Interaction:  # type: ignore[assignment]
    row = Interaction(source="test", external_id=external_id, channel=fields.pop("channel", "chat"), agent=who,
                      started_at=started_at, **fields)
    for index, (speaker, text) in enumerate(turns):
        row.turns.append(Turn(index=index, speaker=speaker, text=text, start_s=float(15 * index),
                              at=started_at + timedelta(seconds=15 * index)))
    session.add(row)
    session.flush()
    return row


def score_of(statuses: dict[str, str]) -> tuple[float | None, bool, dict[str, float | None]]:
    """Pass = 100, fail = 0; category = mean; evaluation = mean of categories; a critical fail → 0."""
    categories: dict[str, list[float]] = {}
    for key, status in statuses.items():
        if status != "na":
            categories.setdefault(CATEGORY_OF[key], []).append(100.0 if status == "pass" else 0.0)
    means: dict[str, float | None] = {k: sum(v) / len(v) for k, v in categories.items()}
    critical = any(statuses.get(k) == "fail" for k in CRITICAL)
    overall = sum(means.values()) / len(means) if means else None  # type: ignore[arg-type]
    return (0.0 if critical else overall), critical, means


def evaluate(session: Session, version: RubricVersion, of: Interaction, statuses: dict[str, str], *,
             kind: str = "auto", evidence: dict[str, list[int]] | None = None, reviewer: User | None = None,
             comment: str | None = None, notes: dict[str, str] | None = None,
             criterion_comments: dict[str, str] | None = None) -> Evaluation:
    """An evaluation with one result per criterion; ``evidence`` maps a criterion to quoted turn indexes."""
    score, critical, categories = score_of(statuses)
    row = Evaluation(interaction=of, rubric_version=version, kind=kind, reviewer=reviewer, score=score,
                     critical_failed=critical, category_scores=categories, comment=comment,
                     created_by=reviewer.name if reviewer else "auto")
    texts = {t.index: t for t in of.turns}
    for key, status in statuses.items():
        quoted = [{"turn": i, "text": texts[i].text, "start_s": texts[i].start_s}
                  for i in (evidence or {}).get(key, [])]
        row.results.append(CriterionResult(
            criterion_key=key, category=CATEGORY_OF[key], value=None if status == "na" else float(status == "pass"),
            normalized=None if status == "na" else (100.0 if status == "pass" else 0.0), status=status,
            message=(notes or {}).get(key), evidence=quoted, comment=(criterion_comments or {}).get(key),
            decided_by="user" if kind != "auto" else "auto"))
    session.add(row)
    session.flush()
    return row


def statuses(**overrides: str) -> dict[str, str]:
    """All criteria passing, with some overridden."""
    base = {key: "pass" for key in CATEGORY_OF}
    base.update(overrides)
    return base
