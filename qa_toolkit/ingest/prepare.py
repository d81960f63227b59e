"""A canonical conversation as the rows to store: PII redacted, timestamps in UTC, a content hash.

The hash covers exactly what is stored (after redaction), so re-importing an unchanged conversation
is recognised as unchanged and an edited one as changed. The hash format is versioned: format 2 is
``2:`` and 62 hex digits (BLAKE2b of the values as orjson writes them); the first format, 64 hex
digits (SHA-256 of JSON and ``repr`` text), took four times longer. Importing into a database that
still holds first-format hashes asks for those too (``legacy_hash=True``), so its conversations are
recognised as unchanged and get the new hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

import orjson

from qa_toolkit.ingest import pii
from qa_toolkit.ingest.model import AgentRef, Conversation


INTERACTION_FIELDS = ("external_id", "channel", "customer_external_id", "started_at", "ended_at", "duration_s", "queue",
                      "topic", "language", "csat", "nps", "ces", "resolved", "escalated", "tags", "metadata", "labels",
                      "pii_redacted", "content_hash")
TURN_FIELDS = ("index", "speaker", "at", "start_s", "end_s", "text", "internal")
SPAN_FIELDS = ("turn_index", "speaker", "kind", "start", "end")
_SHORT_FIELDS = ("customer_external_id", "queue", "topic")  # redacted like turn text, as tags are


@dataclass(slots=True)
class PreparedConversation:
    """One conversation as the values to store: the interaction's in :data:`INTERACTION_FIELDS` order (the
    source and agent row ids are added when it is stored), its turns and PII spans by column, one tuple per
    field of :data:`TURN_FIELDS` and :data:`SPAN_FIELDS` (``spans`` is empty when there are none). Columns,
    not rows: fewer objects to send between processes, and each column is bound with one ``map``.
    ``legacy_hash`` is the content hash in the first format, when asked for."""

    external_id: str
    agent: AgentRef
    content_hash: str
    interaction: tuple[Any, ...]
    turns: tuple[tuple[Any, ...], ...]
    spans: tuple[tuple[Any, ...], ...] = ()
    legacy_hash: str | None = None

    def fields(self) -> dict[str, Any]:
        """The interaction's values by field name."""
        return dict(zip(INTERACTION_FIELDS, self.interaction))

    def turn_rows(self) -> list[tuple[Any, ...]]:
        """The turns as rows (values in :data:`TURN_FIELDS` order)."""
        return list(zip(*self.turns))

    def span_rows(self) -> list[tuple[Any, ...]]:
        """The PII spans as rows (values in :data:`SPAN_FIELDS` order)."""
        return list(zip(*self.spans))

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as plain values (worker processes send these back): a pydantic model pickles slowly.
        agent = self.agent
        return _unpickle, (self.external_id, agent.id, agent.name, agent.team, self.content_hash, self.interaction,
                           self.turns, self.spans, self.legacy_hash)


@lru_cache(maxsize=4096)
def _agent(agent_id: str, name: str | None, team: str | None) -> AgentRef:
    return AgentRef.model_construct(id=agent_id, name=name, team=team)


def _unpickle(external_id: str, agent_id: str, name: str | None, team: str | None, content_hash: str,
              interaction: tuple[Any, ...], turns: tuple[tuple[Any, ...], ...],
              spans: tuple[tuple[Any, ...], ...], legacy_hash: str | None) -> PreparedConversation:
    return PreparedConversation(external_id, _agent(agent_id, name, team), content_hash, interaction, turns, spans,
                                legacy_hash)


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(timezone.utc) if value is not None else None


def _json_default(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else str(value)


_HASH_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=_json_default)
HASH_PREFIX = "2:"  # content hash format 2; first-format hashes are 64 hex digits


def content_hash(interaction: dict[str, Any], agent: list[str | None], turns: list[tuple[Any, ...]]) -> str:
    """The content hash of a conversation's stored values (``2:`` and 62 hex digits): the interaction's
    fields (before ``content_hash``), the agent's id, name and team, and each turn's values after its index."""
    try:
        data = orjson.dumps([interaction, agent, turns], option=orjson.OPT_SORT_KEYS)
    except TypeError:  # what orjson refuses (integers beyond 64 bits, lone surrogates) as Python's json writes it
        data = _HASH_ENCODER.encode([interaction, agent, turns]).encode("utf-8", "surrogatepass")
    return HASH_PREFIX + hashlib.blake2b(data, digest_size=31).hexdigest()


def legacy_content_hash(interaction: dict[str, Any], agent: list[str | None], turns: list[tuple[Any, ...]]) -> str:
    """The content hash of the same values in the first format (64 hex digits)."""
    # JSON with sorted keys for the fields (metadata key order must not matter), repr for the turns.
    digest = hashlib.sha256(_HASH_ENCODER.encode([interaction, agent]).encode())
    digest.update(repr(turns).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def prepare(conversation: Conversation, *, redact: bool = True, legacy_hash: bool = False,
            phone_regions: Sequence[str] | None = None) -> PreparedConversation:
    """Redact (unless ``redact`` is False) and flatten a conversation into rows, with its content hash
    (and its first-format hash too, with ``legacy_hash``). ``phone_regions``: see :func:`pii.find_pii`."""
    texts = [turn["text"] for turn in conversation.turns]
    spans: list[tuple[Any, ...]] = []
    if redact:
        for index, result in pii.redact_each(texts, regions=phone_regions):
            texts[index] = result.text
            speaker = conversation.turns[index]["speaker"]
            spans.extend((index, speaker, s.kind, s.start, s.end) for s in result.spans)
    utc = timezone.utc
    # Each turn's values after its index (TURN_FIELDS[1:]): what the content hash covers, too.
    turns = [(turn["speaker"], at if (at := turn.get("at")) is None else at.astimezone(utc), turn.get("start_s"),
              turn.get("end_s"), text, turn.get("internal", False))
             for turn, text in zip(conversation.turns, texts)]
    first_at = next((t[1] for t in turns if t[1] is not None), None)
    last_at = next((t[1] for t in reversed(turns) if t[1] is not None), None)
    started = _utc(conversation.started_at) or first_at
    ended = _utc(conversation.ended_at) or last_at
    duration = (ended - started).total_seconds() if started and ended and ended >= started else None
    agent = conversation.agent
    interaction: dict[str, Any] = {
        "external_id": conversation.id,
        "channel": conversation.channel,
        "customer_external_id": conversation.customer.id if conversation.customer else None,  # these four: below
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
        "metadata": (pii.redact_values(conversation.metadata, regions=phone_regions) if redact and conversation.metadata
                     else conversation.metadata),
        "labels": (pii.redact_values(conversation.labels, regions=phone_regions) if redact and conversation.labels
                   else conversation.labels),
        "pii_redacted": redact,
    }
    if redact:  # so can the customer id, queue, topic and tags (an e-mail address as customer id)
        short = [interaction[key] or "" for key in _SHORT_FIELDS] + interaction["tags"]
        for position, result in pii.redact_each(short, regions=phone_regions):
            if position < len(_SHORT_FIELDS):
                interaction[_SHORT_FIELDS[position]] = result.text
            else:
                interaction["tags"] = [*interaction["tags"]]
                interaction["tags"][position - len(_SHORT_FIELDS)] = result.text
    agent_values = [agent.id, agent.name, agent.team]
    old = legacy_content_hash(interaction, agent_values, turns) if legacy_hash else None
    digest = interaction["content_hash"] = content_hash(interaction, agent_values, turns)
    return PreparedConversation(conversation.id, agent, digest, tuple(interaction.values()),
                                (range(len(turns)), *zip(*turns)), tuple(zip(*spans)), old)
