"""The LLM judge's database cache: judgements kept by (rubric version, criterion, content hash, model,
prompt hash), read before a batch is scored and written after, so a rescore asks the model only about
conversations, questions or models that changed. Unavailable answers are never kept."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from qa_toolkit.scoring.checks import llm
from qa_toolkit.scoring.engine import Known, Outcome, ScoringPlan
from qa_toolkit.scoring.view import InteractionView
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import LlmJudgement


def evaluate(database: Database, version_id: int, plan: ScoringPlan, views: Sequence[InteractionView],
             known: Sequence[Known] | None = None) -> list[Outcome]:
    """Score a batch with ``plan`` (``known``: per view, steps already decided, see
    :meth:`ScoringPlan.evaluate_many`); its LLM judgements come from, and go to, the database cache."""
    if not plan.llm:
        return plan.evaluate_many(views, known)
    endpoint = llm.Endpoint.from_settings()
    model = endpoint.model if endpoint else ""
    criteria = {llm.prompt_hash(params): key for key, params in plan.llm}  # type: ignore[arg-type]
    hashes = sorted({llm.content_hash(view) for view in views})
    with database.session() as session:
        rows = session.execute(select(LlmJudgement).where(
            LlmJudgement.rubric_version_id == version_id, LlmJudgement.model == model,
            LlmJudgement.content_hash.in_(hashes), LlmJudgement.prompt_hash.in_(list(criteria)))).scalars().all()
        llm.remember(((row.model, row.prompt_hash, row.content_hash),
                      llm.Judgement(row.verdict, row.turn, row.quote, row.reason)) for row in rows)
    llm.drain()  # what earlier batches asked is stored already
    outcomes = plan.evaluate_many(views, known)
    fresh = [{"rubric_version_id": version_id, "criterion_key": criteria[prompt], "content_hash": content,
              "model": model_name, "prompt_hash": prompt, **judgement.as_dict()}
             for (model_name, prompt, content), judgement in llm.drain() if prompt in criteria]
    if fresh:
        _insert(database, fresh)
    return outcomes


def _insert(database: Database, rows: list[dict[str, Any]]) -> None:
    """Insert judgements; one another worker stored meanwhile is left as it is."""
    from qa_toolkit.storage.models import utcnow

    now = utcnow()
    table = LlmJudgement.__table__
    dialect = database.engine.dialect.name
    insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    with database.session() as session:
        session.execute(insert.on_conflict_do_nothing(), [{**row, "created_at": now} for row in rows])
