"""Agents and users through the service layer, on both engines."""

from __future__ import annotations

from datetime import date

import pytest

from qa_toolkit.errors import AlreadyExistsError, NotFoundError, QAError
from qa_toolkit.services import audit, people
from qa_toolkit.storage.database import Database


def test_add_agent_stores_fields_and_audits(db: Database) -> None:
    with db.session() as session:
        people.add_agent(session, "a-17", "Dana Park", team="billing", hired_at=date(2025, 3, 1), actor="admin")
    with db.session() as session:
        [agent] = people.list_agents(session)
        assert people.agent_as_dict(agent) == {
            "external_id": "a-17", "name": "Dana Park", "team": "billing", "hired_at": "2025-03-01"}
        [event] = audit.events(session, entity_type="agent")
        assert (event.actor, event.action, event.entity_id) == ("admin", "agent.add", "a-17")
        assert event.after == {"external_id": "a-17", "name": "Dana Park", "team": "billing", "hired_at": "2025-03-01"}


def test_duplicate_agent_is_rejected_and_first_kept(db: Database) -> None:
    with db.session() as session:
        people.add_agent(session, "a-1", "First")
    with pytest.raises(AlreadyExistsError, match="agent 'a-1' already exists"), db.session() as session:
        people.add_agent(session, "a-1", "Second")
    with db.session() as session:
        assert [a.name for a in people.list_agents(session)] == ["First"]


def test_user_linked_to_unknown_agent_is_rejected(db: Database) -> None:
    with db.session() as session:
        people.add_user(session, "ada", "admin")
    with pytest.raises(NotFoundError, match="unknown agent 'ghost'"), db.session() as session:
        people.add_user(session, "maria", "reviewer", agent_external_id="ghost", actor="ada")
    with db.session() as session:
        assert [u.name for u in people.list_users(session)] == ["ada"]


def test_user_roles_are_checked(db: Database) -> None:
    with pytest.raises(QAError, match="unknown role 'boss'"), db.session() as session:
        people.add_user(session, "maria", "boss")


def test_list_filters_by_team_and_role(db: Database) -> None:
    with db.session() as session:
        people.add_agent(session, "a-1", "One", team="billing")
        people.add_agent(session, "a-2", "Two", team="tech")
        people.add_user(session, "ada", "admin")
        people.add_user(session, "lee", "lead", actor="ada")
        people.add_user(session, "rita", "reviewer", agent_external_id="a-2", actor="ada")
    with db.session() as session:
        assert [a.external_id for a in people.list_agents(session, team="tech")] == ["a-2"]
        assert [people.user_as_dict(u) for u in people.list_users(session, role="reviewer")] == [
            {"name": "rita", "role": "reviewer", "agent": "a-2", "team": None, "can_log_in": False}]
