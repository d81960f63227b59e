"""Passwords for the web view: set with ``qa users set-password``, checked at log-in (argon2id).

Only the argon2 hash is stored; a user without one cannot log in. Checking an unknown name costs
as much as checking a wrong password, so response times do not tell which names exist.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_toolkit.errors import QAError
from qa_toolkit.services import audit, roles
from qa_toolkit.services.people import get_user
from qa_toolkit.storage.models import User

MIN_LENGTH = 10


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id, RFC 9106 low-memory profile


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash("not a password anyone has")


def check_strength(password: str) -> None:
    """Raise :class:`QAError` for a password too short to be safe (the message never repeats it)."""
    if len(password) < MIN_LENGTH:
        raise QAError(f"the password is too short: use at least {MIN_LENGTH} characters")
    if not password.strip():
        raise QAError("the password is blank")


def set_password(session: Session, name: str, password: str, *, actor: str | None) -> User:
    """Store the argon2 hash of a user's password (admins set anyone's, users their own).

    Raises:
        NotFoundError: unknown user. NotAllowedError: someone else's password, not an admin.
        QAError: a password shorter than :data:`MIN_LENGTH`.
    """
    target = get_user(session, name)
    acting_user = roles.acting(session, actor)
    if acting_user.id != target.id and acting_user.role != "admin":
        raise roles.NotAllowedError(f"{acting_user.name} ({acting_user.role}) may not set {name}'s password: "
                                    "only admins set other users' passwords")
    check_strength(password)
    had = target.password_hash is not None
    target.password_hash = _hasher().hash(password)
    session.flush()
    audit.record(session, actor=acting_user.name, action="user.password", entity_type="user", entity_id=name,
                 before={"password": "set" if had else "none"}, after={"password": "set"})
    return target


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The user when ``password`` is theirs, else None (unknown name, no password set, wrong password).

    A hash made with older parameters is replaced by a current one on success.
    """
    user = session.scalar(select(User).where(User.name == name))
    stored = user.password_hash if user is not None else None
    try:
        _hasher().verify(stored or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or stored is None:
        return None
    if _hasher().check_needs_rehash(stored):
        user.password_hash = _hasher().hash(password)
    return user


def session_tag(user: User) -> str:
    """A short fingerprint of the user's password hash: a log-in stays valid only while it matches,
    so changing a password ends every session opened with the old one."""
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]
