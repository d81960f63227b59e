"""Helpers for the scoring tests: put canonical conversations into the database with the ORM."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_toolkit.storage.models import Agent, Interaction, Turn


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def add_conversation(session: Session, record: dict[str, Any], *, source: str = "test") -> Interaction:
    """Store one canonical conversation (the chat-import JSONL shape) as an interaction with turns."""
    agent_ref = record.get("agent") or {"id": "a-1"}
    agent = session.scalar(select(Agent).where(Agent.external_id == agent_ref["id"]))
    if agent is None:
        agent = Agent(external_id=agent_ref["id"], name=agent_ref.get("name") or agent_ref["id"],
                      team=agent_ref.get("team"))
        session.add(agent)
    interaction = Interaction(
        source=source, external_id=record["id"], channel=record.get("channel", "chat"), agent=agent,
        customer_external_id=(record.get("customer") or {}).get("id"), started_at=_dt(record.get("started_at")),
        queue=record.get("queue"), topic=record.get("topic"), resolved=record.get("resolved"),
        escalated=record.get("escalated"), tags=record.get("tags", []), meta=record.get("metadata", {}),
        turns=[Turn(index=i, speaker=t["speaker"], text=t["text"], at=_dt(t.get("at")), start_s=t.get("start_s"),
                    end_s=t.get("end_s")) for i, t in enumerate(record["turns"])])
    session.add(interaction)
    session.flush()
    return interaction


def chat(external_id: str, *turns: tuple[str, str], **fields: Any) -> dict[str, Any]:
    """A canonical chat record from (speaker, text) pairs."""
    return {"id": external_id, "agent": {"id": fields.pop("agent", "a-1"), "team": fields.pop("team", "billing")},
            "turns": [{"speaker": s, "text": t} for s, t in turns], **fields}
