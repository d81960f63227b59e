"""Who may do what: the acting user (``--as`` or ``$QA_USER``) and the roles each action needs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.orm import Session

from qa_toolkit.errors import NotFoundError, QAError
from qa_toolkit.storage.models import Agent, Interaction, ReviewAssignment, User

MANAGE = ("lead", "admin")
REVIEW = ("reviewer", "lead", "trainer", "admin")
READ_REPORTS = ("reviewer", "lead", "trainer", "admin")


class NotAllowedError(QAError):
    """The acting user's role does not allow this action."""


def acting(session: Session, name: str | None) -> User:
    """The acting user.

    Raises:
        QAError: nobody named (no ``--as``, no ``$QA_USER``). NotFoundError: unknown user.
    """
    if not name:
        raise QAError("this command needs to know who you are: pass --as USER or set QA_USER")
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFoundError(f"unknown user {name!r}: add it with `qa users add {name} --role ROLE`")
    return user


def require(session: Session, name: str | None, roles: tuple[str, ...], action: str) -> User:
    """The acting user, if their role is one of ``roles``.

    Raises:
        NotAllowedError: the role may not do ``action`` (the message names the roles that may).
    """
    user = acting(session, name)
    if user.role not in roles:
        raise NotAllowedError(f"{user.name} ({user.role}) may not {action}: only {', '.join(roles)} may")
    return user


# ---------------------------------------------------------------- who may change what (CLI and services)

ADMIN = ("admin",)
PUBLISH = ("lead", "trainer", "admin")


def has_users(session: Session) -> bool:
    """Whether any user exists: until then the database is a single-user set-up and needs no ``--as``."""
    return session.scalar(select(User.id).limit(1)) is not None


def authorize(session: Session, name: str | None, roles: tuple[str, ...], action: str) -> User | None:
    """The user allowed to make a change: once users exist, a known user (``--as``, checked against the
    users table) whose role is one of ``roles``. A database without users is a single-user set-up: a
    change needs nobody (None; a ``--as`` name is only recorded in the audit trail).

    Raises:
        QAError: nobody named. NotFoundError: unknown user. NotAllowedError: the role may not do ``action``.
    """
    if not has_users(session):
        return None
    return require(session, name, roles, action)


def reader(session: Session, name: str | None) -> User | None:
    """The user reading: once users exist, a known user (``--as``) is needed; before, nobody (None)."""
    if not has_users(session):
        return None
    return acting(session, name)


# ---------------------------------------------------------------- what each user may read (CLI and web view)

SEE_EVERYONE = ("admin", "trainer")
SEE_OVERVIEW = ("lead", "trainer", "admin")
SEE_GAPS = ("lead", "trainer", "admin")
SEE_CALIBRATION = ("reviewer", "lead", "trainer", "admin")
OPEN_ASSIGNMENT = ("assigned", "draft")


@dataclass(frozen=True)
class Scope:
    """Whose agents' interactions and evaluations a user may read.

    ``everyone`` for admins and trainers; a lead's ``team`` (set with ``qa users add --team``, else
    the team of the agent they are); an agent user's own ``agent_id``; reviewers none (they see the
    interactions assigned to them, see :func:`may_see_interaction`).
    """

    user: User
    everyone: bool = False
    team: str | None = None
    agent_id: int | None = None

    @property
    def nobody(self) -> bool:
        """True when the scope holds no agent at all."""
        return not self.everyone and self.team is None and self.agent_id is None

    def agent_condition(self) -> ColumnElement[bool]:
        """A SQL condition on :class:`Agent` rows that keeps the visible agents only."""
        if self.everyone:
            return true()
        if self.team is not None:
            return Agent.team == self.team
        if self.agent_id is not None:
            return Agent.id == self.agent_id
        return false()

    def sees_agent(self, agent: Agent | None) -> bool:
        """Whether this agent (None: an interaction with no agent) is in the scope."""
        if self.everyone:
            return True
        if agent is None:
            return False
        return (self.team is not None and agent.team == self.team) or (
            self.agent_id is not None and agent.id == self.agent_id)


def scope(user: User) -> Scope:
    """The agents ``user`` may read about (see :class:`Scope`)."""
    if user.role in SEE_EVERYONE:
        return Scope(user, everyone=True)
    if user.role == "lead":
        team = user.team or (user.agent.team if user.agent else None)
        return Scope(user, team=team)
    if user.role == "agent":
        return Scope(user, agent_id=user.agent_id)
    return Scope(user)


def require_page(user: User, roles: tuple[str, ...], what: str) -> None:
    """Raise :class:`NotAllowedError` unless the user's role is one of ``roles``."""
    if user.role not in roles:
        raise NotAllowedError(f"{user.name} ({user.role}) may not see {what}: only {', '.join(roles)} may")


def assigned_to(session: Session, user: User, interaction_id: int) -> list[ReviewAssignment]:
    """The user's review assignments (any but cancelled) on an interaction."""
    return list(session.scalars(select(ReviewAssignment).where(
        ReviewAssignment.reviewer_id == user.id, ReviewAssignment.interaction_id == interaction_id,
        ReviewAssignment.status != "cancelled")))


def may_see_interaction(session: Session, user: User, interaction: Interaction) -> bool:
    """An interaction is visible when its agent is in the user's scope or it is assigned to the user."""
    return scope(user).sees_agent(interaction.agent) or bool(assigned_to(session, user, interaction.id))


def blind_to(session: Session, user: User, interaction_id: int) -> bool:
    """Blind review holds: the user has an open blind assignment on this interaction, so the agent, the
    automated verdicts and other people's scores stay hidden until they submit."""
    return any(a.blind and a.status in OPEN_ASSIGNMENT for a in assigned_to(session, user, interaction_id))


def hidden_from(session: Session, user: User) -> set[int]:
    """The interactions the user holds open blind reviews of: their scores (alone or inside aggregates)
    stay hidden from them until they submit."""
    return set(session.scalars(select(ReviewAssignment.interaction_id).where(
        ReviewAssignment.reviewer_id == user.id, ReviewAssignment.blind.is_(True),
        ReviewAssignment.status.in_(OPEN_ASSIGNMENT))))


def check_may_read(session: Session, user: User | None, interaction: Interaction) -> None:
    """Raise unless ``user`` may read this interaction's evaluations (None: a database without users).

    Blind review holds on every read path: a reviewer with an open blind assignment on the interaction
    sees none of its evaluations (nor its agent) until they submit.

    Raises:
        NotAllowedError: an open blind review, or the interaction is outside the user's scope.
    """
    if user is None:
        return
    if blind_to(session, user, interaction.id):
        raise NotAllowedError(f"{user.name} has an open blind review of {interaction.external_id}: its agent and "
                              "evaluations stay hidden until they submit it")
    if not may_see_interaction(session, user, interaction):
        raise NotAllowedError(f"{user.name} ({user.role}) may not see {interaction.external_id}: it is outside "
                              "their scope (leads see their team's agents, agents their own interactions, "
                              "reviewers what is assigned to them)")


def may_see_calibration(session: Session, user: User, calibration_id: int) -> bool:
    """Leads, trainers and admins see every calibration report, reviewers only sessions they took part
    in; nobody while they still have items of the session to score (blind until then)."""
    if user.role not in SEE_CALIBRATION:
        return False
    statuses = list(session.scalars(select(ReviewAssignment.status).where(
        ReviewAssignment.calibration_session_id == calibration_id, ReviewAssignment.reviewer_id == user.id,
        ReviewAssignment.status != "cancelled")))
    if any(s in OPEN_ASSIGNMENT for s in statuses):
        return False
    return user.role in ("lead", "trainer", "admin") or bool(statuses)
