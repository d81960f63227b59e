"""Each agent's verdicts summed per UTC day and rubric (revision 0018): the team side of an agent page.

A verdict is one evaluation per interaction and rubric: the latest current review, else the latest current
automated evaluation (what :func:`qa_toolkit.reports.verdicts.verdicts` chooses). For each (agent, rubric,
day) the verdicts of the agent's interactions that started that day are summed three ways, one
:class:`~qa_toolkit.storage.models.VerdictRollup` row each: their scores, their numeric category scores
by category, their criterion results by criterion (failures of those not N/A). :func:`refresh` sums an
(agent, day) again from the tables; :mod:`qa_toolkit.storage.rollups` calls it, in the same transaction as
the change, for every (agent, day) whose interactions it touched (their ``overview_facts`` rows give the
day and agent, before and after the change). Criterion results are written with their evaluation and
never edited alone (no trigger watches them). A team's page then sums ~20 agents x 31 days of rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Float, Text, case, cast, delete, func, insert, literal, select, true, tuple_

from qa_toolkit.storage.models import CriterionResult, Evaluation, OverviewFact, RubricVersion, VerdictRollup

CHUNK = 300  # (agent, day) pairs summed again per statement
COLUMNS = ["agent_id", "rubric", "kind", "day", "key", "n", "total"]
KINDS = ("category", "criterion", "score")


def ranked(where: list[Any], categories: bool = False) -> Any:
    """The current auto and review evaluations of the interactions whose facts match ``where``, with their
    agent, day, rubric name and ``rank`` (1: the verdict of that interaction and rubric)."""
    E, F, RV = Evaluation, OverviewFact, RubricVersion  # noqa: N806
    rank = func.row_number().over(partition_by=(E.interaction_id, RV.name),
                                  order_by=(case((E.kind == "review", 1), else_=0).desc(), E.id.desc()))
    return (select(E.id.label("id"), F.agent_id.label("agent_id"), F.day.label("day"), RV.name.label("rubric"),
                   E.score.label("score"), (E.category_scores if categories else literal(None)).label("categories"),
                   rank.label("rank"))
            .join(F, F.interaction_id == E.interaction_id).join(RV, E.rubric_version_id == RV.id)
            .where(*where, F.agent_id.is_not(None), E.is_current.is_(True), E.kind.in_(("auto", "review")))
            .subquery())


def json_numbers(dialect: str, column: Any) -> tuple[Any, Any, Any]:
    """The entries of a JSON object column as a table (``key``, ``value``), the condition that an entry is a
    number, and its value as a float."""
    if dialect == "postgresql":
        each = func.jsonb_each(column).table_valued("key", "value").alias("category")
        return each, func.jsonb_typeof(each.c.value) == "number", cast(cast(each.c.value, Text), Float)
    each = func.json_each(column).table_valued("key", "value", "type").alias("category")
    return each, each.c.type.in_(("integer", "real")), each.c.value


def _sum_into(connection: Connection, where: list[Any]) -> None:
    """Insert the sums of the verdicts of the facts matching ``where`` (three INSERT ... SELECT)."""
    R = ranked(where)  # noqa: N806
    verdict = R.c.rank == 1
    connection.execute(insert(VerdictRollup).from_select(COLUMNS, select(
        R.c.agent_id, R.c.rubric, literal("score"), R.c.day, literal(""), func.count(R.c.score),
        func.coalesce(func.sum(R.c.score), 0.0)).where(verdict).group_by(R.c.agent_id, R.c.rubric, R.c.day)))
    C = ranked(where, categories=True)  # noqa: N806
    each, number, value = json_numbers(connection.dialect.name, C.c.categories)
    connection.execute(insert(VerdictRollup).from_select(COLUMNS, select(
        C.c.agent_id, C.c.rubric, literal("category"), C.c.day, each.c.key, func.count(), func.sum(value))
        .select_from(C.join(each, true())).where(C.c.rank == 1, number)
        .group_by(C.c.agent_id, C.c.rubric, C.c.day, each.c.key)))
    CR = CriterionResult  # noqa: N806
    connection.execute(insert(VerdictRollup).from_select(COLUMNS, select(
        R.c.agent_id, R.c.rubric, literal("criterion"), R.c.day, CR.criterion_key, func.count(),
        func.sum(case((CR.status == "fail", 1.0), else_=0.0)))
        .select_from(R.join(CR, CR.evaluation_id == R.c.id)).where(verdict, CR.status != "na")
        .group_by(R.c.agent_id, R.c.rubric, R.c.day, CR.criterion_key)))


def refresh(connection: Connection, agent_days: Iterable[tuple[int, str]]) -> None:
    """Sum these (agent id, day) pairs again from the tables (those left without verdicts lose their rows),
    in the caller's transaction, after their facts are up to date."""
    pairs = sorted(set(agent_days))
    V, F = VerdictRollup, OverviewFact  # noqa: N806
    rubrics = sorted(set(connection.scalars(select(RubricVersion.name))))
    for start in range(0, len(pairs), CHUNK):
        chunk = pairs[start:start + CHUNK]
        agents, days = {a for a, _ in chunk}, {d for _, d in chunk}
        connection.execute(delete(V).where(  # each key prefix probed (agent, rubric, kind, day), no scan
            V.agent_id.in_(agents), V.rubric.in_(rubrics), V.kind.in_(KINDS), V.day.in_(days),
            tuple_(V.agent_id, V.day).in_(chunk)))
        ids = list(connection.scalars(select(F.interaction_id).where(  # through the (agent, day) index
            F.agent_id.in_(agents), F.day.in_(days), tuple_(F.agent_id, F.day).in_(chunk))))
        if ids:  # their evaluations through the interaction index, not a scan of every evaluation
            _sum_into(connection, [Evaluation.interaction_id.in_(ids)])


def rebuild(connection: Connection) -> None:
    """Every agent's sums afresh from the tables (the revision 0018 backfill)."""
    connection.execute(delete(VerdictRollup))
    _sum_into(connection, [])
