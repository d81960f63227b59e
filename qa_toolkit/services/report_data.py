"""Reading agents and interactions (the core tables) into the plain records reports use."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from qa_toolkit.reports.period import Period, later
from qa_toolkit.reports.kpis import handle_time
from qa_toolkit.reports.records import AgentInfo, Contact
from qa_toolkit.storage.models import Agent, Interaction


def interaction_ref(source: str, external_id: str) -> str:
    """How reports name an interaction: ``source:external_id``."""
    return f"{source}:{external_id}"


def _resolved_at(meta: dict[str, Any], ended_at: datetime | None) -> datetime | None:
    value = meta.get("resolved_at")
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    return ended_at


def load_agents(session: Session, *, ids: Iterable[str] | None = None, team: str | None = None,
                teams: Iterable[str | None] | None = None) -> list[AgentInfo]:
    """Agents as :class:`AgentInfo`, by external id; optionally only some ids, one team, or these teams
    (None in ``teams``: the agents without a team). Plain columns, no ORM objects."""
    query = select(Agent.external_id, Agent.name, Agent.team, Agent.hired_at).order_by(Agent.external_id)
    if ids is not None:
        query = query.where(Agent.external_id.in_(list(ids)))
    if team is not None:
        query = query.where(Agent.team == team)
    if teams is not None:
        wanted = set(teams)
        named = Agent.team.in_(sorted(t for t in wanted if t is not None))
        query = query.where(or_(named, Agent.team.is_(None)) if None in wanted else named)
    return [AgentInfo(*row) for row in session.execute(query)]


def load_contacts(session: Session, period: Period | None = None, *, extend_days: int = 0,
                  quality: dict[int, tuple[float | None, float | None]] | None = None,
                  agents: Iterable[str] | None = None) -> list[Contact]:
    """Interactions as :class:`Contact` rows.

    Args:
        period: only interactions that started in it (all when None); ``extend_days`` widens the end
            (to see repeat contacts just after the period).
        quality: interaction id -> (auto score, review score), from the evaluations.
        agents: only these agents' interactions (external ids).
    """
    I = Interaction  # noqa: N806 - plain columns, not ORM objects: a period holds tens of thousands
    query = (select(I.id, I.source, I.external_id, I.customer_external_id, I.channel, I.queue, I.topic, I.started_at,
                    I.ended_at, I.duration_s, I.meta, I.csat, I.nps, I.ces, I.resolved, I.escalated,
                    Agent.external_id, Agent.name, Agent.team)
             .outerjoin(Agent, I.agent_id == Agent.id).order_by(I.id))
    if period is not None:
        query = query.where(Interaction.started_at >= period.start_at,
                            Interaction.started_at < later(period.end_at, timedelta(days=extend_days)))
    if agents is not None:  # by agent id, so the (agent, start) index serves it, not the outer join
        query = query.where(I.agent_id.in_(select(Agent.id).where(Agent.external_id.in_(list(agents)))))
    quality = quality or {}
    contacts = []
    for (iid, source, external, customer, channel, queue, topic, started, ended, duration, meta, csat, nps, ces,
         resolved, escalated, agent_id, agent_name, team) in session.execute(query):
        meta = meta or {}
        auto, review = quality.get(iid, (None, None))
        contacts.append(Contact(
            id=iid, ref=interaction_ref(source, external), agent=agent_id, agent_name=agent_name,
            team=team, queue=queue, topic=topic, customer=customer, channel=channel,
            started_at=started, resolved_at=_resolved_at(meta, ended), handle_s=handle_time(duration, meta),
            csat=csat, nps=nps, ces=ces, resolved=resolved, escalated=escalated,
            quality=auto, review_quality=review))
    return contacts


def _topic(table: Any) -> Any:
    """:func:`~qa_toolkit.reports.kpis.topic_key` in SQL: the topic, else the queue (empty counts as none)."""
    return func.coalesce(func.nullif(table.topic, ""), func.nullif(table.queue, ""))


def _days_before(session: Session, column: Any, days: int) -> Any:
    """``column - days`` in SQL, exactly (on SQLite the stored text's form, microseconds kept; on PostgreSQL
    in hours, so a change of daylight saving time in the session's zone moves nothing)."""
    if session.get_bind().dialect.name == "postgresql":
        return column - func.make_interval(0, 0, 0, 0, days * 24)
    return func.datetime(column, f"-{int(days)} days").concat(func.substr(column, 20))


def repeat_flags(session: Session, period: Period | None, agents: Iterable[str], days: int) -> dict[int, bool]:
    """For each interaction of ``agents`` started in ``period`` that has a customer and a topic (else a queue):
    whether a later contact of the same customer on the same topic started within ``days`` days, by any
    agent (:func:`~qa_toolkit.reports.kpis.repeat_contacts`' answer, decided in the database through the
    customer index: no contacts read)."""
    I, J = Interaction, aliased(Interaction)  # noqa: N806
    follows = (select(J.id).where(J.customer_external_id == I.customer_external_id, _topic(J) == _topic(I),
                                  or_(J.started_at > I.started_at, and_(J.started_at == I.started_at, J.id > I.id)),
                                  _days_before(session, J.started_at, days) <= I.started_at).exists())
    query: Select[Any] = select(I.id, follows).where(
        I.customer_external_id.is_not(None), I.customer_external_id != "", _topic(I).is_not(None),
        I.started_at.is_not(None), I.agent_id.in_(select(Agent.id).where(Agent.external_id.in_(list(agents)))))
    if period is not None:
        query = query.where(I.started_at >= period.start_at, I.started_at < period.end_at)
    return {iid: bool(repeated) for iid, repeated in session.execute(query)}
