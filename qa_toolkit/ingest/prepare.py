"""A canonical conversation as the rows to store: PII redacted, timestamps in UTC, a content hash.

The hash covers exactly what is stored (after redaction), so re-importing an unchanged conversation
is recognised as unchanged and an edited one as changed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

from qa_toolkit.ingest import pii
from qa_toolkit.ingest.model import AgentRef, Conversation


@dataclass(slots=True)
class PreparedConversation:
    """Rows for one conversation: the interaction (without source/agent ids), turns and PII spans."""

    external_id: str
    agent: AgentRef
    interaction: dict[str, Any]
    turns: list[dict[str, Any]]
    spans: list[dict[str, Any]] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        return self.interaction["content_hash"]

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled compactly, as plain values with timestamps as text: worker processes send these back.
        agent = self.agent
        turns = [(t["index"], t["speaker"], _iso(t["at"]), t["start_s"], t["end_s"], t["text"], t["internal"])
                 for t in self.turns]
        return _unpickle, (self.external_id, agent.id, agent.name, agent.team, {k: _iso(v) for k, v in self.interaction.items()},
                           turns, [tuple(s.values()) for s in self.spans])


_SPAN_KEYS = ("turn_index", "speaker", "kind", "start", "end")


@lru_cache(maxsize=4096)
def _agent(agent_id: str, name: str | None, team: str | None) -> AgentRef:
    return AgentRef.model_construct(id=agent_id, name=name, team=team)


def _unpickle(external_id: str, agent_id: str, name: str | None, team: str | None, interaction: dict[str, Any],
              turns: list[tuple[Any, ...]], spans: list[tuple[Any, ...]]) -> PreparedConversation:
    for key in ("started_at", "ended_at"):
        if interaction[key] is not None:
            interaction[key] = datetime.fromisoformat(interaction[key])
    fromiso = datetime.fromisoformat
    return PreparedConversation(
        external_id, _agent(agent_id, name, team), interaction,
        [{"index": i, "speaker": s, "at": at if at is None else fromiso(at), "start_s": b, "end_s": e, "text": x,
          "internal": n} for i, s, at, b, e, x, n in turns],
        [dict(zip(_SPAN_KEYS, span)) for span in spans])


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(timezone.utc) if value is not None else None


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _redact_values(value: Any) -> Any:
    """Every string inside ``value`` (dicts and lists walked) with PII replaced by placeholders."""
    if isinstance(value, str):
        return pii.redact(value).text
    if isinstance(value, dict):
        return {key: _redact_values(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_redact_values(item) for item in value]
    return value


def prepare(conversation: Conversation, *, redact: bool = True) -> PreparedConversation:
    """Redact (unless ``redact`` is False) and flatten a conversation into rows, with its content hash."""
    turns: list[dict[str, Any]] = []
    spans: list[dict[str, Any]] = []
    for index, turn in enumerate(conversation.turns):
        text = turn.text
        if redact:
            result = pii.redact(text)
            if result.spans:
                text = result.text
                spans.extend({"turn_index": index, "speaker": turn.speaker, "kind": s.kind, "start": s.start, "end": s.end}
                             for s in result.spans)
        turns.append({"index": index, "speaker": turn.speaker, "at": _utc(turn.at), "start_s": turn.start_s,
                      "end_s": turn.end_s, "text": text, "internal": turn.internal})
    first_at = next((t["at"] for t in turns if t["at"] is not None), None)
    last_at = next((t["at"] for t in reversed(turns) if t["at"] is not None), None)
    started = _utc(conversation.started_at) or first_at
    ended = _utc(conversation.ended_at) or last_at
    duration = (ended - started).total_seconds() if started and ended and ended >= started else None
    agent = conversation.agent
    interaction: dict[str, Any] = {
        "external_id": conversation.id,
        "channel": conversation.channel,
        "customer_external_id": conversation.customer.id if conversation.customer else None,
        "started_at": started,
        "ended_at": ended,
        "duration_s": duration,
        "queue": conversation.queue,
        "topic": conversation.topic,
        "language": conversation.language,
        "csat": conversation.csat,
        "nps": conversation.nps,
        "ces": conversation.ces,
        "resolved": conversation.resolved,
        "escalated": conversation.escalated,
        "tags": conversation.tags,
        # Free-form fields can hold PII too (a hand label quoting a card number): never stored raw.
        "metadata": _redact_values(conversation.metadata) if redact and conversation.metadata else conversation.metadata,
        "labels": _redact_values(conversation.labels) if redact and conversation.labels else conversation.labels,
        "pii_redacted": redact,
    }
    # JSON with sorted keys for the fields (metadata key order must not matter), repr for the turns (fast).
    digest = hashlib.sha256(json.dumps([{k: _iso(v) for k, v in interaction.items()}, [agent.id, agent.name, agent.team]],
                                       sort_keys=True, ensure_ascii=False, default=str).encode())
    digest.update(repr([(t["speaker"], t["at"], t["start_s"], t["end_s"], t["text"], t["internal"])
                        for t in turns]).encode("utf-8", "surrogatepass"))
    interaction["content_hash"] = digest.hexdigest()
    return PreparedConversation(conversation.id, agent, interaction, turns, spans)
