"""Errors written for users: the CLI shows their message on one line and exits with their code."""

from __future__ import annotations

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3


def located(file: object, line: int, field: str, reason: str) -> str:
    """Where bad input is and what is wrong with it, the way compilers say it: ``file:line: field: reason``."""
    return f"{file}:{line}: {field}: {reason}"


class QAError(Exception):
    """Something the user can fix: bad input, a missing record, a database to upgrade.

    The message is shown as it is, so it says what was wrong, where, and what to do.
    """

    exit_code: int = EXIT_USER_ERROR


class NotFoundError(QAError):
    """A record named by the user does not exist."""


class AlreadyExistsError(QAError):
    """A record with the same unique key exists already."""


class DatabaseError(QAError):
    """The database cannot be reached, does not exist, or is not at the expected revision."""
