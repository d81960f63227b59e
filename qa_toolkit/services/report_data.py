"""Reading agents and interactions (the core tables) into the plain records reports use."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_toolkit.reports.period import Period
from qa_toolkit.reports.kpis import handle_time
from qa_toolkit.reports.records import AgentInfo, Contact
from qa_toolkit.storage.models import Agent, Interaction


def interaction_ref(source: str, external_id: str) -> str:
    """How reports name an interaction: ``source:external_id``."""
    return f"{source}:{external_id}"


def _resolved_at(row: Interaction) -> datetime | None:
    value = (row.meta or {}).get("resolved_at")
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    return row.ended_at


def load_agents(session: Session, *, ids: Iterable[str] | None = None, team: str | None = None) -> list[AgentInfo]:
    """Agents as :class:`AgentInfo`, by external id; optionally only some ids or one team."""
    query = select(Agent).order_by(Agent.external_id)
    if ids is not None:
        query = query.where(Agent.external_id.in_(list(ids)))
    if team is not None:
        query = query.where(Agent.team == team)
    return [AgentInfo(a.external_id, a.name, a.team, a.hired_at) for a in session.scalars(query)]


def load_contacts(session: Session, period: Period | None = None, *, extend_days: int = 0,
                  quality: dict[int, tuple[float | None, float | None]] | None = None,
                  agents: Iterable[str] | None = None, customers: Iterable[str] | None = None) -> list[Contact]:
    """Interactions as :class:`Contact` rows.

    Args:
        period: only interactions that started in it (all when None); ``extend_days`` widens the end
            (to see repeat contacts just after the period).
        quality: interaction id -> (auto score, review score), from the evaluations.
        agents: only these agents' interactions (external ids).
        customers: only these customers' interactions (read in slices of 500 ids).
    """
    query = (select(Interaction, Agent.external_id, Agent.name, Agent.team)
             .outerjoin(Agent, Interaction.agent_id == Agent.id).order_by(Interaction.id))
    if period is not None:
        query = query.where(Interaction.started_at >= period.start_at,
                            Interaction.started_at < period.end_at + timedelta(days=extend_days))
    if agents is not None:
        query = query.where(Agent.external_id.in_(list(agents)))
    if customers is not None:
        wanted = sorted(set(customers))
        queries = [query.where(Interaction.customer_external_id.in_(wanted[i:i + 500]))
                   for i in range(0, len(wanted), 500)]
    else:
        queries = [query]
    quality = quality or {}
    contacts = []
    for one in queries:
        for row, agent_id, agent_name, team in session.execute(one):
            meta: dict[str, Any] = row.meta or {}
            auto, review = quality.get(row.id, (None, None))
            contacts.append(Contact(
                id=row.id, ref=interaction_ref(row.source, row.external_id), agent=agent_id, agent_name=agent_name,
                team=team, queue=row.queue, topic=row.topic, customer=row.customer_external_id, channel=row.channel,
                started_at=row.started_at, resolved_at=_resolved_at(row), handle_s=handle_time(row.duration_s, meta),
                csat=row.csat, nps=row.nps, ces=row.ces, resolved=row.resolved, escalated=row.escalated,
                quality=auto, review_quality=review))
    return contacts
