"""Agents (whose interactions are scored) and users (who use the toolkit)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_toolkit.errors import AlreadyExistsError, NotFoundError, QAError
from qa_toolkit.services import audit, roles
from qa_toolkit.storage.models import ROLES, Agent, User


def agent_as_dict(agent: Agent) -> dict[str, Any]:
    """An agent as plain data."""
    return {
        "external_id": agent.external_id,
        "name": agent.name,
        "team": agent.team,
        "hired_at": agent.hired_at.isoformat() if agent.hired_at else None,
    }


def user_as_dict(user: User) -> dict[str, Any]:
    """A user as plain data."""
    return {"name": user.name, "role": user.role, "agent": user.agent.external_id if user.agent else None,
            "team": user.team, "can_log_in": user.password_hash is not None}


def get_agent(session: Session, external_id: str) -> Agent:
    """The agent with this external id.

    Raises:
        NotFoundError: no such agent.
    """
    agent = session.scalar(select(Agent).where(Agent.external_id == external_id))
    if agent is None:
        raise NotFoundError(f"unknown agent {external_id!r}: add it with `qa agents add {external_id} NAME`")
    return agent


def add_agent(session: Session, external_id: str, name: str, *, team: str | None = None,
              hired_at: date | None = None, actor: str | None = None) -> Agent:
    """Add an agent (once users exist: leads and admins).

    Raises:
        AlreadyExistsError: an agent with this external id exists. NotAllowedError: see :func:`roles.authorize`.
    """
    roles.authorize(session, actor, roles.MANAGE, "add agents")
    if session.scalar(select(Agent.id).where(Agent.external_id == external_id)) is not None:
        raise AlreadyExistsError(f"agent {external_id!r} already exists")
    agent = Agent(external_id=external_id, name=name, team=team, hired_at=hired_at)
    session.add(agent)
    session.flush()
    audit.record(session, actor=actor, action="agent.add", entity_type="agent", entity_id=external_id,
                 after=agent_as_dict(agent))
    return agent


def list_agents(session: Session, *, team: str | None = None) -> list[Agent]:
    """Agents ordered by external id, optionally of one team."""
    query = select(Agent).order_by(Agent.external_id)
    if team:
        query = query.where(Agent.team == team)
    return list(session.scalars(query))


def get_user(session: Session, name: str) -> User:
    """The user with this name.

    Raises:
        NotFoundError: no such user.
    """
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFoundError(f"unknown user {name!r}: add it with `qa users add {name} --role ROLE`")
    return user


def add_user(session: Session, name: str, role: str, *, agent_external_id: str | None = None,
             team: str | None = None, actor: str | None = None) -> User:
    """Add a user; ``agent_external_id`` links a user who is also an agent (no self-review); ``team`` is
    the team a lead looks after (in the web view a lead sees that team's agents).

    Raises:
        QAError: unknown role; the first user is not an admin. NotFoundError: unknown agent.
        AlreadyExistsError: name taken. NotAllowedError: once users exist, only admins add users.
    """
    if role not in ROLES:
        raise QAError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    if not roles.has_users(session):
        if role != "admin":
            raise QAError(f"the first user must be an admin (who then adds the others): "
                          f"`qa users add NAME --role admin`, then `qa users add {name} --role {role} --as NAME`")
    else:
        roles.require(session, actor, roles.ADMIN, "add users")
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise AlreadyExistsError(f"user {name!r} already exists")
    agent = get_agent(session, agent_external_id) if agent_external_id else None
    user = User(name=name, role=role, agent=agent, team=team)
    session.add(user)
    session.flush()
    audit.record(session, actor=actor, action="user.add", entity_type="user", entity_id=name,
                 after=user_as_dict(user))
    return user


def list_users(session: Session, *, role: str | None = None) -> list[User]:
    """Users ordered by name, optionally of one role."""
    query = select(User).order_by(User.name)
    if role:
        query = query.where(User.role == role)
    return list(session.scalars(query))


def set_team(session: Session, name: str, team: str | None, *, actor: str | None = None) -> User:
    """Set (None: clear) the team a user looks after (admins only).

    Raises:
        NotFoundError: unknown user. NotAllowedError: not an admin.
    """
    roles.require(session, actor, roles.ADMIN, "set teams")
    user = get_user(session, name)
    before = user_as_dict(user)
    user.team = team
    session.flush()
    audit.record(session, actor=actor, action="user.team", entity_type="user", entity_id=name,
                 before=before, after=user_as_dict(user))
    return user
