"""Run-level locks: two runs of the same command on one database take turns instead of interleaving.

PostgreSQL: a transaction-level advisory lock (released at commit or rollback). SQLite: the database's
write lock taken at the start of the transaction (a write that changes nothing), so the second run's
reads wait for the first to commit instead of working from what it read before. Either way the second
run waits (SQLite: up to its 30 s busy timeout) and then sees everything the first one stored.
"""

from __future__ import annotations

import zlib

from sqlalchemy import text
from sqlalchemy.orm import Session


def lock_key(name: str) -> int:
    """A stable 31-bit key for an advisory lock name."""
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def serialize(session: Session, name: str, *, table: str) -> None:
    """Hold the lock ``name`` until the session's transaction ends (``table``: any table of the
    schema, written to with no effect on SQLite to take the write lock)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(name)})
    else:
        session.execute(text(f"UPDATE {table} SET id = id WHERE 1 = 0"))
