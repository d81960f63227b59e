"""A small in-process cache of what the web view computes, valid while the database's data is unchanged.

Each entry is stored with the :func:`data_stamp` of the moment it was computed and used only while the
stamp is the same, so the first request after any import, scoring run, review, dispute or agent change
computes afresh (in this process or another: the stamp is read from the database). Entries live in this
process's memory only (a coaching report quotes stored, already redacted turns, as the page does).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_toolkit.storage import rollups
from qa_toolkit.storage.models import Turn

SIZE = 128
_ENTRIES: OrderedDict[tuple[Any, ...], tuple[tuple[Any, ...], Any]] = OrderedDict()
_LOCK = threading.Lock()


def data_stamp(session: Session) -> tuple[Any, ...]:
    """What the cached numbers depend on, read in one round-trip whatever the size of the data: the
    rollups' refresh count and pending changes (triggers note every write to interactions, evaluations,
    agents and rubric versions, see :mod:`qa_toolkit.storage.rollups`) and the newest turn (stored turns
    are replaced with their interaction, never edited). Equal stamps mean equal data."""
    values = session.execute(select(*rollups.stamp_columns(), select(func.max(Turn.id)).scalar_subquery())).one()
    return (session.get_bind().url.render_as_string(), *values)


def get(key: tuple[Any, ...], stamp: tuple[Any, ...]) -> Any | None:
    """The value stored under ``key`` if it was computed at ``stamp``, else None."""
    with _LOCK:
        found = _ENTRIES.get(key)
        if found is None or found[0] != stamp:
            return None
        _ENTRIES.move_to_end(key)
        return found[1]


def put(key: tuple[Any, ...], stamp: tuple[Any, ...], value: Any) -> None:
    """Store ``value`` under ``key``, computed at ``stamp`` (the least recently used entries go first)."""
    with _LOCK:
        _ENTRIES[key] = (stamp, value)
        _ENTRIES.move_to_end(key)
        while len(_ENTRIES) > SIZE:
            _ENTRIES.popitem(last=False)


def clear() -> None:
    """Forget everything (the benchmark's cold requests)."""
    with _LOCK:
        _ENTRIES.clear()
