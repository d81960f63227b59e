"""The verdict cache in the database (revision 0019, ``verdict_cache``): scoring a batch reads each interaction's
kept check results first and runs only the steps it has none for (a new rubric version whose criterion kept its
check and parameters reads the old result back; one whose parameters changed runs again), then keeps what ran.

A kept result is used only while the interaction's content hash matches (what the checks read is unchanged) and
its step key matches (same check, parameters, embedding model, code and PII settings), so scores and evidence are
the same as without the cache. ``QA_VERDICT_CACHE=0`` leaves the table alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from qa_toolkit.config import get_settings
from qa_toolkit.scoring.engine import Known, Outcome, ScoringPlan
from qa_toolkit.scoring.verdict_cache import Decided, view_hash
from qa_toolkit.scoring.view import InteractionView
from qa_toolkit.services import llm_cache
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import VerdictCacheEntry

LOOKUP_CHUNK = 500  # interactions per SELECT ... IN (...)


def _settings_key() -> str:
    """The settings a check reads (the PII detector's, on interactions stored unredacted)."""
    settings = get_settings()
    return repr((settings.phone_regions, settings.pii_card_keep_last, settings.pii_account_patterns))


def evaluate(database: Database, version_id: int, plan: ScoringPlan, ids: Sequence[int],
             views: Sequence[InteractionView]) -> list[Outcome]:
    """Score a batch (``ids``: the views' interaction ids) with ``plan``, reading and filling the verdict cache."""
    if not get_settings().verdict_cache:
        return llm_cache.evaluate(database, version_id, plan, views)
    keys = plan.step_keys(_settings_key())
    steps: dict[bytes, list[int]] = {}
    for i, key in enumerate(keys):
        if key is not None:
            steps.setdefault(key, []).append(i)
    hashes = [view_hash(view) for view in views]
    position = {iid: n for n, iid in enumerate(ids)}
    known: list[dict[int, Decided]] = [{} for _ in views]
    if steps:
        table = VerdictCacheEntry
        with database.session() as session:
            for start in range(0, len(ids), LOOKUP_CHUNK):
                for iid, step, content, result in session.execute(
                        select(table.interaction_id, table.step, table.content, table.result)
                        .where(table.interaction_id.in_(ids[start:start + LOOKUP_CHUNK]),
                               table.step.in_(list(steps)))):
                    n = position[iid]
                    if bytes(content) == hashes[n]:
                        decided = Decided.decode(result)
                        for i in steps[bytes(step)]:
                            known[n][i] = decided
    found: Sequence[Known] = known
    outcomes = llm_cache.evaluate(database, version_id, plan, views, found)
    fresh: dict[tuple[int, bytes], dict[str, object]] = {}
    for n, (iid, out) in enumerate(zip(ids, outcomes)):
        for i, decided in enumerate(out.decided):
            key = keys[i]
            if decided is not None and key is not None:
                fresh.setdefault((iid, key), {"interaction_id": iid, "step": key, "content": hashes[n],
                                              "result": decided.encode()})
    if fresh:
        _save(database, [fresh[k] for k in sorted(fresh)])
    return outcomes


def _save(database: Database, rows: list[dict[str, object]]) -> None:
    """Keep these results (an interaction's older result for the same step is replaced: its content changed);
    rows in key order, so two processes saving the same keys never wait on each other in a cycle."""
    table = VerdictCacheEntry.__table__
    insert = (postgresql.insert(table) if database.engine.dialect.name == "postgresql" else sqlite.insert(table))
    upsert = insert.on_conflict_do_update(index_elements=[table.c.interaction_id, table.c.step],
                                          set_={"content": insert.excluded.content, "result": insert.excluded.result})
    with database.session() as session:
        session.execute(upsert, rows)
