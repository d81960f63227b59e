"""The one adapter between the scoring tables (revision 0003) and the reports' plain records.

Everything reports know about how evaluations and rubric versions are stored lives here:
only current auto and peer-review evaluations are read (calibration ones never count).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, case, func, literal, select, true
from sqlalchemy.orm import Session

from qa_toolkit.errors import NotFoundError
from qa_toolkit.reports.period import Period
from qa_toolkit.reports.records import (
    EVALUATION_KINDS,
    CheckAccuracy,
    CriterionInfo,
    CriterionResult,
    Evaluation,
    Quote,
    RubricInfo,
    TrainingModule,
)
from qa_toolkit.services.report_data import interaction_ref
from qa_toolkit.storage import models as m
from qa_toolkit.storage import verdict_rollups


def _label(raw: dict[str, Any], key: str) -> str:
    for field in ("label", "title", "name", "question"):
        value = raw.get(field)
        if isinstance(value, str) and value and value != key:
            return value
    return key.replace("_", " ").capitalize()


def _items(raw: Any) -> list[dict[str, Any]]:
    """A rubric section written as a list of dicts or as a mapping key -> dict."""
    if isinstance(raw, dict):
        return [{"key": key, **(value or {})} for key, value in raw.items()]
    return [item for item in raw or [] if isinstance(item, dict)]


def _training(raw: Any) -> tuple[TrainingModule, ...]:
    modules = []
    for item in raw or []:
        if isinstance(item, str):
            modules.append(TrainingModule(item, item))
        elif isinstance(item, dict):
            key = str(item.get("key") or item.get("id") or item.get("title") or item.get("name"))
            modules.append(TrainingModule(key, str(item.get("title") or item.get("name") or key), item.get("url")))
    return tuple(modules)


def rubric_info(name: str, body: dict[str, Any]) -> RubricInfo:
    """A stored rubric body (the validated YAML) as :class:`RubricInfo`."""
    categories: dict[str, str] = {}
    criteria: dict[str, CriterionInfo] = {}
    measured = (body.get("measured") or {}).get("criteria") or {}
    for category in _items(body.get("categories")):
        category_key = str(category.get("key") or category.get("name"))
        categories[category_key] = _label(category, category_key)
        for criterion in _items(category.get("criteria")):
            key = str(criterion["key"])
            training = criterion.get("training_modules", criterion.get("training"))
            accuracy = None
            if criterion.get("check") and (criterion.get("mode") or "auto") != "manual":
                figures = measured.get(key) or {}
                accuracy = CheckAccuracy(str(criterion["check"]), figures.get("f1"), figures.get("accuracy"),
                                         int(figures.get("n") or 0))
            criteria[key] = CriterionInfo(key, category_key, _label(criterion, key),
                                          criterion.get("critical") not in (None, False, "none"),
                                          _training(training), accuracy)
    return RubricInfo(name, categories, criteria)


def load_rubric(session: Session, name: str | None = None) -> RubricInfo:
    """The latest published version of rubric ``name`` (the most used one when None).

    Raises:
        NotFoundError: no such rubric, or nothing published yet.
    """
    query = select(m.RubricVersion).order_by(m.RubricVersion.version.desc())
    if name is None:
        names = _names_by_use(session)
        if not names:
            raise NotFoundError("no rubric has been published yet: publish one with `qa rubric publish FILE`")
        name = names[0]
    version = session.scalars(query.where(m.RubricVersion.name == name).limit(1)).first()
    if version is None:
        raise NotFoundError(f"unknown rubric {name!r}: publish it with `qa rubric publish FILE`")
    return rubric_info(name, version.body)


def _names_by_use(session: Session) -> list[str]:
    """Rubric names, the most evaluated first (counted on the evaluations' rubric-version index alone; with
    a single rubric published there is nothing to count)."""
    names = list(session.scalars(select(m.RubricVersion.name).distinct().limit(2)))
    if len(names) < 2:
        return names
    counts = dict(session.execute(select(m.Evaluation.rubric_version_id, func.count())
                                  .group_by(m.Evaluation.rubric_version_id)).all())
    used: dict[str, int] = {}
    for version_id, name in session.execute(select(m.RubricVersion.id, m.RubricVersion.name)):
        used[name] = used.get(name, 0) + counts.get(version_id, 0)
    return sorted(used, key=lambda name: (-used[name], name))


@dataclass(frozen=True)
class _Turn:
    speaker: str
    text: str
    start_s: float | None
    at: datetime | None


def _quote(item: dict[str, Any], turns: dict[int, _Turn]) -> Quote | None:
    index = item.get("turn", item.get("turn_index", item.get("index")))
    turn = turns.get(index) if isinstance(index, int) else None
    quoted = item.get("text") or item.get("quote")
    text, match = quoted, None
    if turn is not None and (not quoted or str(quoted) in turn.text):
        text, match = turn.text, (str(quoted) if quoted and quoted != turn.text else None)
    if not text:
        return None
    start = item.get("start_s", turn.start_s if turn else None)
    return Quote(turn=index if isinstance(index, int) else None,
                 speaker=str(item.get("speaker") or (turn.speaker if turn else "")),
                 text=str(text), start_s=start if isinstance(start, (int, float)) else None,
                 at=turn.at if turn else None, match=match)


def _filtered(query: Select[Any], rubric: str | None, period: Period | None, agents: Sequence[str] | None) -> Select[Any]:
    query = (query.join(m.Interaction, m.Evaluation.interaction_id == m.Interaction.id)
             .join(m.Agent, m.Interaction.agent_id == m.Agent.id)
             .join(m.RubricVersion, m.Evaluation.rubric_version_id == m.RubricVersion.id)
             .where(m.Evaluation.kind.in_(EVALUATION_KINDS), m.Evaluation.is_current.is_(True)))
    if rubric is not None:
        query = query.where(m.RubricVersion.name == rubric)
    if period is not None:
        query = query.where(m.Interaction.started_at >= period.start_at, m.Interaction.started_at < period.end_at)
    if agents is not None:
        query = query.where(m.Agent.external_id.in_(list(agents)))
    return query


def load_evaluations(session: Session, *, rubric: str | None = None, period: Period | None = None,
                     agents: Sequence[str] | None = None, with_evidence: bool = True,
                     with_results: bool = True, with_criteria: bool = True) -> list[Evaluation]:
    """Current auto and peer-review evaluations, as plain :class:`Evaluation` records.

    Args:
        rubric: only evaluations against versions of this rubric.
        period: only evaluations of interactions that started in it.
        agents: only these agents (external ids).
        with_evidence: read the evidence and quoted turns (coaching needs them, KPIs and gaps do not).
        with_results: read the criterion results and category scores (a score trend needs only the scores).
        with_criteria: read the criterion results (without them: the category scores only; a team's failure
            counts come from :func:`failure_counts`, summed in the database).
    """
    connection = session.connection()  # plain rows: no ORM loading for these column queries
    E, CR = m.Evaluation, m.CriterionResult  # noqa: N806
    heads = connection.execute(_filtered(
        select(E.id, E.kind, E.score, E.critical_failed, E.category_scores if with_results else literal(None),
               E.comment, E.created_at,
               m.Interaction.id, m.Interaction.source, m.Interaction.external_id, m.Interaction.started_at,
               m.Agent.external_id, m.RubricVersion.name, m.User.name)
        .outerjoin(m.User, E.reviewer_id == m.User.id), rubric, period, agents)
        .order_by(m.Interaction.started_at, E.id)).all()
    results: dict[int, list[Any]] = {}
    for row in [] if not (with_results and with_criteria) else connection.execute(_filtered(
            select(CR.evaluation_id, CR.criterion_key, CR.normalized, CR.status, CR.comment)
            .join(E, CR.evaluation_id == E.id), rubric, period, agents).order_by(CR.id)).all():
        results.setdefault(row[0], []).append(row)
    found: dict[tuple[int, str], tuple[str | None, list[Any]]] = {}
    if with_evidence and with_results and with_criteria:  # the JSON evidence of failed criteria only: the rest is never quoted
        for eid, key, message, evidence in connection.execute(_filtered(
                select(CR.evaluation_id, CR.criterion_key, CR.message, CR.evidence)
                .join(E, CR.evaluation_id == E.id).where(CR.status == "fail"), rubric, period, agents)).all():
            found[(eid, key)] = (message, evidence or [])
    interaction_of = {head[0]: head[7] for head in heads}
    wanted = {interaction_of[eid] for eid, _ in found if eid in interaction_of}
    turns = _turns(connection, wanted)
    evaluations = []
    for (eid, kind, score, critical, categories, comment, created, iid, source, external, started, agent,
         rubric_name, reviewer) in heads:
        its_turns = turns.get(iid, {})
        criteria = []
        for _, key, normalized, status, reviewer_note in results.get(eid, []):
            if status == "fail" and (eid, key) in found:
                message, evidence = found[(eid, key)]
                quotes = tuple(q for q in (_quote(e, its_turns) for e in evidence if isinstance(e, dict)) if q)
                criteria.append(CriterionResult(key, normalized, True, evidence=quotes, note=message,
                                                comment=reviewer_note))
            else:
                criteria.append(CriterionResult(key, normalized, None if status == "na" else status == "fail",
                                                comment=reviewer_note))
        evaluations.append(Evaluation(
            id=eid, kind=kind, rubric=rubric_name, agent=agent, interaction_id=iid,
            interaction_ref=interaction_ref(source, external), at=started or created, score=score,
            critical_failed=bool(critical),
            categories={k: (float(v) if isinstance(v, (int, float)) else None) for k, v in (categories or {}).items()},
            criteria=tuple(criteria), reviewer=reviewer, comment=comment))
    return evaluations


@dataclass(frozen=True)
class EvaluationRow:
    """One line of an agent's list of evaluations: the evaluation, its interaction and the criteria it failed."""

    id: int
    interaction_id: int
    interaction: str  # the interaction's external id
    at: datetime | None
    rubric: str
    kind: str
    reviewer: str | None
    score: float | None
    critical_failed: bool
    failed: tuple[str, ...]


def evaluation_page(session: Session, *, agent: str, period: Period, limit: int,
                    offset: int = 0) -> tuple[int, list[EvaluationRow]]:
    """An agent's current auto and review evaluations of ``period``, newest first: how many there are, and
    ``limit`` of them from ``offset`` (two indexed queries and one for their failed criteria, whatever the
    number of evaluations)."""
    E, I, CR = m.Evaluation, m.Interaction, m.CriterionResult  # noqa: N806
    connection = session.connection()
    total = connection.scalar(_filtered(select(func.count(E.id)), None, period, [agent]))
    heads = connection.execute(_filtered(
        select(E.id, I.id, I.external_id, I.started_at, E.created_at, m.RubricVersion.name, E.kind, m.User.name,
               E.score, E.critical_failed).outerjoin(m.User, E.reviewer_id == m.User.id), None, period, [agent])
        .order_by(I.started_at.desc(), E.id.desc()).limit(limit).offset(offset)).all()
    failed: dict[int, list[str]] = {}
    if heads:
        for eid, key in connection.execute(select(CR.evaluation_id, CR.criterion_key).where(
                CR.evaluation_id.in_([h[0] for h in heads]), CR.status == "fail").order_by(CR.id)):
            failed.setdefault(eid, []).append(key)
    return int(total or 0), [
        EvaluationRow(eid, iid, external, started or created, rubric_name, kind, reviewer, score, bool(critical),
                      tuple(failed.get(eid, ())))
        for eid, iid, external, started, created, rubric_name, kind, reviewer, score, critical in heads]


def _ranked_verdicts(rubric: str, periods: Sequence[Period], agents: Sequence[str], categories: bool = False) -> Any:
    """Every current evaluation of these agents' interactions in ``periods`` with its period's index
    (``bucket``) and its rank among its interaction's evaluations (``rank`` 1: the verdict, the latest
    review, else the latest automated one, as :func:`~qa_toolkit.reports.verdicts.verdicts` chooses);
    ``categories``: with the category scores (without, an index holds every column read)."""
    E, I = m.Evaluation, m.Interaction  # noqa: N806
    bucket = case(*[((I.started_at >= p.start_at) & (I.started_at < p.end_at), index)
                    for index, p in enumerate(periods)], else_=None)
    rank = func.row_number().over(partition_by=E.interaction_id,
                                  order_by=(case((E.kind == "review", 1), else_=0).desc(), E.id.desc()))
    return _filtered(select(E.id.label("id"), m.Agent.external_id.label("agent"), bucket.label("bucket"),
                            E.score.label("score"), (E.category_scores if categories else literal(None)).label("categories"),
                            rank.label("rank")),
                     rubric, Period(periods[0].start, periods[-1].end), agents).subquery()


def verdict_sums(session: Session, *, rubric: str, periods: Sequence[Period],
                 agents: Sequence[str]) -> dict[tuple[str, int], tuple[float, int]]:
    """(agent, index in ``periods``) -> (sum, number) of the scores of the verdicts (one evaluation per
    interaction: the latest review, else the latest automated one, as :func:`~qa_toolkit.reports.verdicts.verdicts`
    chooses) of the interactions that started in each period, chosen and summed in the database: a trend
    without loading the evaluations."""
    if not periods or not agents:
        return {}
    ranked = _ranked_verdicts(rubric, periods, agents)
    query = (select(ranked.c.agent, ranked.c.bucket, func.sum(ranked.c.score), func.count(ranked.c.score))
             .where(ranked.c.rank == 1, ranked.c.bucket.is_not(None)).group_by(ranked.c.agent, ranked.c.bucket))
    return {(agent, int(index)): (float(total or 0.0), int(n))
            for agent, index, total, n in session.connection().execute(query)}


def verdict_breakdown(session: Session, *, rubric: str, period: Period, agents: Sequence[str]
                      ) -> tuple[dict[str, tuple[float, int]], dict[str, tuple[int, int]]]:
    """Over the verdicts of these agents' interactions in ``period``, summed in the database: category key ->
    (sum, number) of its numeric scores, and criterion key -> (failures, verdicts that are not N/A) (what
    :func:`~qa_toolkit.reports.coaching.category_means` and ``failure_counts`` compute from loaded evaluations):
    the scan that :func:`rolled_verdict_breakdown` reads from the daily sums (tests compare the two)."""
    if not agents:
        return {}, {}
    ranked = _ranked_verdicts(rubric, [period], agents, categories=True)
    connection = session.connection()
    each, number, value = verdict_rollups.json_numbers(connection.dialect.name, ranked.c.categories)
    categories = {key: (float(total), int(n)) for key, total, n in connection.execute(
        select(each.c.key, func.sum(value), func.count()).select_from(ranked.join(each, true()))
        .where(ranked.c.rank == 1, number).group_by(each.c.key))}
    CR = m.CriterionResult  # noqa: N806
    failures = {key: (int(fails or 0), int(total)) for key, fails, total in connection.execute(
        select(CR.criterion_key, func.sum(case((CR.status == "fail", 1), else_=0)), func.count())
        .join(ranked, CR.evaluation_id == ranked.c.id).where(ranked.c.rank == 1, CR.status != "na")
        .group_by(CR.criterion_key))}
    return categories, failures


def _rolled(agents: Sequence[str], rubric: str, kinds: tuple[str, ...], first: Period, last: Period) -> list[Any]:
    V = m.VerdictRollup  # noqa: N806
    members = select(m.Agent.id).where(m.Agent.external_id.in_(list(agents)))
    return [V.agent_id.in_(members), V.rubric == rubric, V.kind.in_(kinds), V.day >= first.start.isoformat(),
            V.day <= last.end.isoformat()]


def rolled_verdict_sums(session: Session, *, rubric: str, periods: Sequence[Period],
                        agents: Sequence[str]) -> dict[tuple[str, int], tuple[float, int]]:
    """:func:`verdict_sums` read from the agents' daily verdict sums (revision 0018, see
    :mod:`qa_toolkit.storage.verdict_rollups`): the agents' days of the periods summed in SQL, no evaluation read."""
    if not periods or not agents:
        return {}
    V = m.VerdictRollup  # noqa: N806
    bucket = case(*[((V.day >= p.start.isoformat()) & (V.day <= p.end.isoformat()), index)
                    for index, p in enumerate(periods)], else_=None)
    days = (select(m.Agent.external_id.label("agent"), bucket.label("bucket"), V.n, V.total)
            .join(m.Agent, m.Agent.id == V.agent_id)
            .where(*_rolled(agents, rubric, ("score",), periods[0], periods[-1])).subquery())
    query = (select(days.c.agent, days.c.bucket, func.sum(days.c.total), func.sum(days.c.n))
             .where(days.c.bucket.is_not(None)).group_by(days.c.agent, days.c.bucket))
    return {(agent, int(index)): (float(total or 0.0), int(n or 0))
            for agent, index, total, n in session.connection().execute(query)}


def rolled_verdict_breakdown(session: Session, *, rubric: str, period: Period, agents: Sequence[str]
                             ) -> tuple[dict[str, tuple[float, int]], dict[str, tuple[int, int]]]:
    """:func:`verdict_breakdown` read from the agents' daily verdict sums (revision 0018): one grouped query."""
    if not agents:
        return {}, {}
    V = m.VerdictRollup  # noqa: N806
    categories: dict[str, tuple[float, int]] = {}
    failures: dict[str, tuple[int, int]] = {}
    for kind, key, total, n in session.connection().execute(
            select(V.kind, V.key, func.sum(V.total), func.sum(V.n))
            .where(*_rolled(agents, rubric, ("category", "criterion"), period, period)).group_by(V.kind, V.key)):
        if kind == "category":
            categories[key] = (float(total), int(n))
        else:
            failures[key] = (int(total), int(n))
    return categories, failures


def failure_counts(session: Session, evaluation_ids: Iterable[int]) -> dict[str, tuple[int, int]]:
    """Criterion key -> (failures, verdicts that are not N/A) over these evaluations, summed in the database
    (what :func:`qa_toolkit.reports.coaching.failure_counts` computes from loaded criteria)."""
    CR = m.CriterionResult  # noqa: N806
    ids = sorted(set(evaluation_ids))
    counts: dict[str, list[int]] = {}
    for start in range(0, len(ids), 5000):
        query = (select(CR.criterion_key, func.sum(case((CR.status == "fail", 1), else_=0)), func.count())
                 .where(CR.evaluation_id.in_(ids[start:start + 5000]), CR.status != "na").group_by(CR.criterion_key))
        for key, fails, total in session.connection().execute(query):
            slot = counts.setdefault(key, [0, 0])
            slot[0] += int(fails or 0)
            slot[1] += int(total)
    return {key: (fails, total) for key, (fails, total) in counts.items()}


def _turns(connection: Connection, interaction_ids: Iterable[int]) -> dict[int, dict[int, _Turn]]:
    ids = sorted(interaction_ids)
    found: dict[int, dict[int, _Turn]] = {}
    T = m.Turn  # noqa: N806
    for start in range(0, len(ids), 500):
        query = select(T.interaction_id, T.index, T.speaker, T.text, T.start_s, T.at).where(
            T.interaction_id.in_(ids[start:start + 500]))
        for interaction_id, index, speaker, text, start_s, at in connection.execute(query):
            found.setdefault(interaction_id, {})[index] = _Turn(speaker, text, start_s, at)
    return found


def quality_by_interaction(evaluations: Iterable[Evaluation]) -> dict[int, tuple[float | None, float | None]]:
    """Interaction id -> (mean auto score, mean review score), for the KPIs' IQS."""
    sums: dict[int, list[list[float]]] = {}
    for evaluation in evaluations:
        if evaluation.score is None:
            continue
        slot = sums.setdefault(evaluation.interaction_id, [[], []])
        slot[0 if evaluation.kind == "auto" else 1].append(evaluation.score)
    return {key: (sum(a) / len(a) if a else None, sum(r) / len(r) if r else None) for key, (a, r) in sums.items()}
