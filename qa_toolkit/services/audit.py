"""The audit trail: who changed what, when, with the record before and after."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_toolkit.storage.models import AuditEvent


def record(
    session: Session,
    *,
    actor: str | None,
    action: str,
    entity_type: str,
    entity_id: str | int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the session's transaction (stored with the change it describes)."""
    event = AuditEvent(
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=None if entity_id is None else str(entity_id),
        before=before,
        after=after,
    )
    session.add(event)
    return event


def events(session: Session, *, entity_type: str | None = None, entity_id: str | None = None,
           limit: int = 100, actor: str | None = None) -> list[AuditEvent]:
    """The newest audit events first, optionally for one kind of entity, one entity, or one actor."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    if entity_type:
        query = query.where(AuditEvent.entity_type == entity_type)
    if entity_id:
        query = query.where(AuditEvent.entity_id == entity_id)
    if actor:
        query = query.where(AuditEvent.actor == actor)
    return list(session.scalars(query))
