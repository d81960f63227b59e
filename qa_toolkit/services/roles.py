"""Who may do what: the acting user (``--as`` or ``$QA_USER``) and the roles each action needs."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_toolkit.errors import NotFoundError, QAError
from qa_toolkit.storage.models import User

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
