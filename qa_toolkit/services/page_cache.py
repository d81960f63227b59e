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

from qa_toolkit.storage.models import Agent, Evaluation, Interaction, RubricVersion, Turn

SIZE = 128
_ENTRIES: OrderedDict[tuple[Any, ...], tuple[tuple[Any, ...], Any]] = OrderedDict()
_LOCK = threading.Lock()


def data_stamp(session: Session) -> tuple[Any, ...]:
    """What the cached numbers depend on, in a few cheap aggregates read in one round-trip (index lookups
    and index-only counts): interactions (count, newest id, latest update), evaluations (count, newest id:
    a review, re-score or dispute adds one and only then retires the one it replaces), the newest rubric version and turn (stored
    turns are replaced, never edited), and every agent's id, name, team and hire date. Equal stamps mean
    equal data."""
    I, E = Interaction, Evaluation  # noqa: N806
    counts = session.execute(select(
        select(func.count()).select_from(I).scalar_subquery(), select(func.max(I.id)).scalar_subquery(),
        select(func.max(I.updated_at)).scalar_subquery(), select(func.count()).select_from(E).scalar_subquery(),
        select(func.max(E.id)).scalar_subquery(),
        select(func.max(RubricVersion.id)).scalar_subquery(), select(func.max(Turn.id)).scalar_subquery())).one()
    agents = hash(tuple(session.execute(select(Agent.id, Agent.external_id, Agent.name, Agent.team, Agent.hired_at)
                                        .order_by(Agent.id)).all()))
    return (session.get_bind().url.render_as_string(), tuple(counts), agents)


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
