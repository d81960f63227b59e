"""Stored interactions as canonical JSON Lines (``qa export interactions``), the format ``qa import chats`` reads.

One record per interaction, as stored: turns with ``at`` and/or ``start_s``/``end_s``, channel
(``call`` for transcribed calls), the call's ``timing`` block (talk, silences, holds, overtalk),
metadata and hand labels. Text is exported as the database holds it, so redacted personal data
stays redacted. Importing the file and exporting it again gives the same records.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from qa_toolkit.services.scoring import parse_query
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import Interaction

_OPTIONAL = ("ended_at", "queue", "topic", "language", "csat", "nps", "ces", "resolved", "escalated")


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite hands back naive datetimes: they are stored in UTC
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _turn(turn: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"speaker": turn.speaker, "text": turn.text}
    if turn.at is not None:
        out["at"] = _iso(turn.at)
    if turn.start_s is not None:
        out["start_s"] = turn.start_s
    if turn.end_s is not None:
        out["end_s"] = turn.end_s
    if turn.internal:
        out["internal"] = True
    return out


def record(interaction: Interaction) -> dict[str, Any]:
    """One interaction as a canonical conversation record (``timing`` kept at the top level)."""
    meta = dict(interaction.meta or {})
    timing = meta.pop("timing", None)
    agent = interaction.agent
    out: dict[str, Any] = {"id": interaction.external_id, "channel": interaction.channel,
                           "agent": ({"id": agent.external_id, "name": agent.name, "team": agent.team}
                                     if agent else {"id": meta.get("agent_external_id") or "unassigned"})}
    if interaction.customer_external_id:
        out["customer"] = {"id": interaction.customer_external_id}
    if interaction.started_at is not None:
        out["started_at"] = _iso(interaction.started_at)
    for name in _OPTIONAL:
        value = getattr(interaction, name)
        if value is not None:
            out[name] = _iso(value) if isinstance(value, datetime) else value
    if interaction.tags:
        out["tags"] = list(interaction.tags)
    out["turns"] = [_turn(t) for t in interaction.turns]
    if timing is not None:
        out["timing"] = timing
    if meta:
        out["metadata"] = meta
    if interaction.labels:
        out["labels"] = interaction.labels
    return out


def records(session: Session, query: str | None = None, batch_size: int = 500) -> Iterator[dict[str, Any]]:
    """Every matching interaction (``--interactions`` filter) as a record, in id order, a batch at a time."""
    conditions = parse_query(query)
    last = 0
    while True:
        batch = list(session.scalars(
            select(Interaction).where(Interaction.id > last, *conditions).order_by(Interaction.id).limit(batch_size)
            .options(selectinload(Interaction.turns), selectinload(Interaction.agent))))
        if not batch:
            return
        for interaction in batch:
            yield record(interaction)
        last = batch[-1].id
        session.expunge_all()


def export_jsonl(database: Database, out: TextIO, query: str | None = None) -> int:
    """Write matching interactions to ``out`` as JSON Lines; returns how many."""
    count = 0
    with database.session() as session:
        for item in records(session, query):
            out.write(json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n")
            count += 1
    return count
