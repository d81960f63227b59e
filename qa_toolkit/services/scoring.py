"""Automated scoring of stored interactions, stored evaluations, and what peer review and reports read.

* :func:`score_auto` scores every matching interaction that has no automated evaluation for the
  rubric version yet (idempotent; a new version adds evaluations, never overwrites), in batches.
* :func:`record_evaluation` stores a reviewer's (or calibration) evaluation from manual values,
  keeping automated verdicts for criteria the reviewer left alone; disputes pass ``supersedes``.
* :func:`evaluations` and :func:`quality` give reports an agent's or team's evaluations and IQS.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, Text, cast, exists, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from qa_toolkit.errors import NotFoundError, QAError
from qa_toolkit.rubrics import Rubric
from qa_toolkit.scoring import formula
from qa_toolkit.scoring.engine import Outcome, ScoringPlan, Verdict, manual_verdicts, outcome
from qa_toolkit.scoring.view import ContactRef, InteractionView, PiiSpan, TurnView
from qa_toolkit.services import audit, embedding_cache, verdict_cache
from qa_toolkit.services.rubrics import get_version, latest_versions, rubric_of
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import (
    Agent,
    CriterionResult,
    Evaluation,
    Interaction,
    PIISpan,
    RubricVersion,
    Turn,
    User,
    utcnow,
)

FILTER_FIELDS = {
    "channel": Interaction.channel, "queue": Interaction.queue, "topic": Interaction.topic,
    "source": Interaction.source, "id": Interaction.external_id, "customer": Interaction.customer_external_id,
    "language": Interaction.language,
}


# ---------------------------------------------------------------- selecting interactions

def parse_query(query: str | None) -> list[Any]:
    """``queue=billing,agent=a-17,id=c-1|c-2`` as SQL conditions (fields: agent, team, tag and
    channel, queue, topic, source, id, customer, language; ``|`` separates alternatives).

    Raises:
        QAError: a malformed condition or unknown field.
    """
    conditions: list[Any] = []
    for part in filter(None, (p.strip() for p in (query or "").split(","))):
        field_name, sep, value = part.partition("=")
        field_name = field_name.strip()
        values = [v.strip() for v in value.split("|") if v.strip()]
        if not sep or not values:
            raise QAError(f"--interactions: {part!r} is not FIELD=VALUE (e.g. queue=billing,agent=a-17)")
        if field_name in FILTER_FIELDS:
            conditions.append(FILTER_FIELDS[field_name].in_(values))
        elif field_name == "agent":
            conditions.append(Interaction.agent_id.in_(select(Agent.id).where(Agent.external_id.in_(values))))
        elif field_name == "team":
            conditions.append(Interaction.agent_id.in_(select(Agent.id).where(Agent.team.in_(values))))
        elif field_name == "tag":
            as_text = cast(Interaction.tags, Text())
            conditions.append(or_(*(as_text.like(f'%"{v}"%') for v in values)))
        else:
            from qa_toolkit.rubrics.model import suggest

            known = [*FILTER_FIELDS, "agent", "team", "tag"]
            raise QAError(f"--interactions: unknown field {field_name!r}{suggest(field_name, known)}; "
                          f"use {', '.join(known)}")
    return conditions


def _pending(version: RubricVersion, rubric: Rubric, since: datetime | None, conditions: list[Any]) -> Select[Any]:
    done = exists().where(Evaluation.interaction_id == Interaction.id, Evaluation.rubric_version_id == version.id,
                          Evaluation.kind == "auto")
    query = select(Interaction.id).where(Interaction.channel.in_(rubric.channels), ~done, *conditions)
    if rubric.queues:
        query = query.where(Interaction.queue.in_(rubric.queues))
    if since is not None:
        query = query.where(Interaction.started_at >= since)
    return query


# ---------------------------------------------------------------- views

def load_views(session: Session, ids: Sequence[int]) -> dict[int, InteractionView]:
    """Interaction views for these interaction ids: turns the customer saw (internal notes left out),
    stored PII spans of redacted interactions, and other contacts of the same customers (for FCR)."""
    meta_rows = session.execute(select(
        Interaction.id, Interaction.external_id, Interaction.channel, Interaction.started_at, Interaction.queue,
        Interaction.topic, Interaction.customer_external_id, Interaction.meta, Interaction.pii_redacted)
        .where(Interaction.id.in_(ids))).all()
    turns: dict[int, list[TurnView]] = defaultdict(list)
    for iid, index, speaker, text, start_s, end_s, at in session.execute(
            select(Turn.interaction_id, Turn.index, Turn.speaker, Turn.text, Turn.start_s, Turn.end_s, Turn.at)
            .where(Turn.interaction_id.in_(ids), Turn.internal.is_not(True))
            .order_by(Turn.interaction_id, Turn.index)):
        turns[iid].append(TurnView(index, speaker, text, start_s, end_s, at))
    spans: dict[int, list[PiiSpan]] = defaultdict(list)
    redacted = [row.id for row in meta_rows if row.pii_redacted]
    if redacted:
        for iid, kind, turn, start, end, speaker in session.execute(
                select(PIISpan.interaction_id, PIISpan.kind, PIISpan.turn_index, PIISpan.start, PIISpan.end,
                       PIISpan.speaker).where(PIISpan.interaction_id.in_(redacted)).order_by(PIISpan.id)):
            spans[iid].append(PiiSpan(kind, turn, start, end, speaker))
    customers = {row.customer_external_id for row in meta_rows if row.customer_external_id}
    contacts: dict[str, list[tuple[int, ContactRef]]] = defaultdict(list)
    if customers:
        for oid, ext, cust, started, queue, topic in session.execute(
                select(Interaction.id, Interaction.external_id, Interaction.customer_external_id,
                       Interaction.started_at, Interaction.queue, Interaction.topic)
                .where(Interaction.customer_external_id.in_(customers))):
            contacts[cust].append((oid, ContactRef(ext, started, queue, topic)))
    views = {}
    for row in meta_rows:
        others = tuple(ref for oid, ref in contacts.get(row.customer_external_id or "", []) if oid != row.id)
        stored = tuple(spans[row.id]) if row.pii_redacted else None
        views[row.id] = InteractionView(row.external_id, row.channel, tuple(turns[row.id]), row.started_at, row.queue,
                                        row.topic, row.customer_external_id, row.meta or {}, stored, others)
    return views


# ---------------------------------------------------------------- automated scoring

@dataclass
class RubricRun:
    """What one rubric version's automated scoring did."""

    rubric: str
    version: int
    matched: int = 0
    scored: int = 0
    skipped: int = 0  # scored meanwhile by another run at the same time (stored once, by that run)
    changed: int = 0  # new evaluations whose score differs from the previous rubric version's
    no_score: int = 0
    critical_failed: int = 0
    score_sum: float = 0.0
    statuses: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def mean_score(self) -> float | None:
        """The mean of the new evaluations' scores."""
        count = self.scored - self.no_score
        return round(self.score_sum / count, 2) if count else None

    def add_summary(self, score: float | None, critical_failed: bool, statuses: list[str],
                    changed: bool = False) -> None:
        """Count one new evaluation from its score, critical flag and ``key:status`` verdicts."""
        self.scored += 1
        self.changed += changed
        if score is None:
            self.no_score += 1
        else:
            self.score_sum += score
        self.critical_failed += critical_failed
        for item in statuses:
            key, _, status = item.rpartition(":")
            counts = self.statuses.setdefault(key, {"pass": 0, "fail": 0, "na": 0})
            counts[status] += 1

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {"rubric": self.rubric, "version": self.version, "scored": self.scored, "no_score": self.no_score,
                "critical_failed": self.critical_failed, "mean_score": self.mean_score, "skipped": self.skipped,
                "changed": self.changed, "criteria": self.statuses}

    def counts(self) -> dict[str, Any]:
        """What the run's audit event records."""
        return {"rubric": self.rubric, "version": self.version, "matched": self.matched, "scored": self.scored,
                "no_score": self.no_score, "critical_failed": self.critical_failed, "mean_score": self.mean_score,
                "skipped": self.skipped, "changed": self.changed}


_WORKER: dict[str, Any] = {}


def _init_worker(url: str, body: dict[str, Any]) -> None:
    import os

    from qa_toolkit.storage.database import open_database

    os.environ.setdefault("QA_EMBEDDING_THREADS", "1")  # one torch thread per worker process (semantic checks)
    _WORKER["plan"] = ScoringPlan(Rubric.model_validate(body))
    _WORKER["database"] = open_database(url, require_head=False)


Summary = tuple[float | None, bool, list[str], bool]  # score, critical fail, key:status verdicts, score changed


def _summary(out: Outcome, changed: bool) -> Summary:
    return out.score, out.critical_failed, [f"{v.key}:{v.status}" for v in out.verdicts], changed


def _score_ids(version_id: int, ids: list[int], actor: str | None) -> tuple[list[Summary], int]:
    """In a worker process: load, score and store these interactions; the stored ones' summaries and the
    number skipped (scored by another run meanwhile) go back."""
    database: Database = _WORKER["database"]
    plan: ScoringPlan = _WORKER["plan"]
    with database.session() as session:
        views = load_views(session, ids)
    with embedding_cache.persisted(database):
        results = list(zip(ids, verdict_cache.evaluate(database, version_id, plan, ids, [views[iid] for iid in ids])))
    with database.session() as session:
        stored = _store(session, version_id, results, actor)
    return [_summary(out, changed) for _, out, changed in stored], len(results) - len(stored)


def _store(session: Session, version_id: int, results: list[tuple[int, Outcome]],
           actor: str | None) -> list[tuple[int, Outcome, bool]]:
    """Insert evaluations and their criterion results with two Core executemany statements.

    An interaction that another run scored meanwhile is left as that run stored it (the partial unique
    index ``uq_evaluations_current_auto`` allows one current automated evaluation per interaction and
    rubric version). A new evaluation whose score differs from the interaction's automated score under
    the rubric's previous version gets an ``evaluation.score_change`` audit event, and the batch one
    ``score.auto.batch`` event with its counts, in the same transaction: a run killed midway leaves what it
    stored audited (its ``score.auto`` event, written at its end, is then missing).

    Returns:
        The stored results, each with whether its score changed.
    """
    if not results:
        return []
    now = utcnow()
    rows = [{"interaction_id": iid, "rubric_version_id": version_id, "kind": "auto", "score": out.score,
             "critical_failed": out.critical_failed, "category_scores": out.categories, "created_at": now,
             "created_by": actor, "version": 1, "is_current": True} for iid, out in results]
    connection = session.connection()
    evaluations = Evaluation.__table__
    insert = (postgresql.insert(evaluations) if connection.dialect.name == "postgresql"
              else sqlite.insert(evaluations))
    ids = dict(connection.execute(insert.on_conflict_do_nothing().returning(
        evaluations.c.interaction_id, evaluations.c.id), rows).all())
    stored = [(iid, out) for iid, out in results if iid in ids]
    if not stored:
        return []
    connection.execute(CriterionResult.__table__.insert(), [
        {"evaluation_id": ids[iid], "criterion_key": v.key, "category": v.category, "value": v.value,
         "normalized": v.normalized, "status": v.status, "message": v.message, "evidence": v.evidence,
         "confidence": v.confidence, "comment": None, "decided_by": "auto"}
        for iid, out in stored for v in out.verdicts])
    previous = _previous_scores(session, version_id, [iid for iid, _ in stored])
    changed = []
    for iid, out in stored:
        before = previous.get(iid)
        differs = before is not None and before[2] != out.score
        if differs:
            audit.record(session, actor=actor, action="evaluation.score_change", entity_type="evaluation",
                         entity_id=ids[iid], before={"evaluation": before[0], "rubric_version": before[1],
                                                     "score": before[2]},
                         after={"evaluation": ids[iid], "rubric_version": version_id, "score": out.score,
                                "critical_failed": out.critical_failed})
        changed.append((iid, out, differs))
    audit.record(session, actor=actor, action="score.auto.batch", entity_type="scoring_run", entity_id=None,
                 after={"rubric_version": version_id, "scored": len(stored), "skipped": len(results) - len(stored),
                        "changed": sum(differs for _, _, differs in changed)})
    return changed


def _previous_scores(session: Session, version_id: int,
                     interaction_ids: list[int]) -> dict[int, tuple[int, int, float | None]]:
    """Interaction → (evaluation id, rubric version id, score) of its current automated evaluation under
    the newest earlier version of the same rubric."""
    version = session.get(RubricVersion, version_id)
    if version is None or version.version == 1:
        return {}
    rows = session.execute(
        select(Evaluation.interaction_id, Evaluation.id, Evaluation.rubric_version_id, Evaluation.score)
        .join(RubricVersion, Evaluation.rubric_version_id == RubricVersion.id)
        .where(RubricVersion.name == version.name, RubricVersion.version < version.version,
               Evaluation.kind == "auto", Evaluation.is_current.is_(True),
               Evaluation.interaction_id.in_(interaction_ids))
        .order_by(RubricVersion.version)).all()
    return {iid: (eid, vid, score) for iid, eid, vid, score in rows}  # the newest earlier version wins


def _pending_ids(database: Database, query: Select[Any], batch_size: int) -> Iterator[list[int]]:
    last = 0
    while True:
        with database.session() as session:
            ids = list(session.scalars(query.where(Interaction.id > last).order_by(Interaction.id).limit(batch_size)))
        if not ids:
            return
        last = ids[-1]
        yield ids


def _batches(database: Database, query: Select[Any], batch_size: int) -> Iterator[list[tuple[int, InteractionView]]]:
    for ids in _pending_ids(database, query, batch_size):
        with database.session() as session:
            views = load_views(session, ids)
        yield [(iid, views[iid]) for iid in ids]


def score_auto(database: Database, *, rubric: str | None = None, since: datetime | None = None,
               query: str | None = None, batch_size: int = 1000, workers: int = 1, actor: str | None = None,
               on_start: Callable[[RubricRun, int], None] | None = None,
               on_progress: Callable[[int], None] | None = None) -> list[RubricRun]:
    """Score every matching interaction not yet scored with the latest version of each rubric.

    Without ``rubric``, every published rubric scores the interactions of its channels (and queues).

    Args:
        query: ``--interactions`` filter, see :func:`parse_query`.
        workers: processes that each load, score and store disjoint slices (1: all in this process;
            parallel only from 2 × ``batch_size`` pending interactions).
        on_start: called with each rubric's run and the number of interactions to score.
        on_progress: called with the number of interactions just stored.
    """
    conditions = parse_query(query)
    with database.session() as session:
        versions = [get_version(session, rubric)] if rubric else latest_versions(session)
        if not versions:
            raise NotFoundError("no rubric is published: run `qa rubric publish FILE` first")
        plans = []
        for version in versions:
            model = rubric_of(version)
            pending = _pending(version, model, since, conditions)
            total = session.scalar(select(func.count()).select_from(pending.subquery())) or 0
            plans.append((version.id, version.name, version.version, version.body, model, pending, total))
    runs = []
    for version_id, name, number, body, model, pending, total in plans:
        run = RubricRun(name, number, matched=total)
        runs.append(run)
        if on_start:
            on_start(run, total)
        if not total:
            continue
        if workers > 1 and total >= 2 * batch_size:
            _score_parallel(database, version_id, body, pending, batch_size, workers, run, actor, on_progress)
            continue
        plan = ScoringPlan(model)
        for batch in _batches(database, pending, batch_size):
            with embedding_cache.persisted(database):
                ids = [iid for iid, _ in batch]
                results = list(zip(ids, verdict_cache.evaluate(database, version_id, plan, ids,
                                                               [view for _, view in batch])))
            with database.session() as session:
                stored = _store(session, version_id, results, actor)
            for _, result, changed in stored:
                run.add_summary(*_summary(result, changed))
            run.skipped += len(results) - len(stored)
            if on_progress:
                on_progress(len(results))
    with database.session() as session:
        audit.record(session, actor=actor, action="score.auto", entity_type="scoring_run", entity_id=None,
                     after={"rubric": rubric, "since": since.isoformat() if since else None, "interactions": query,
                            "runs": [run.counts() for run in runs]})
    return runs


def _score_parallel(database: Database, version_id: int, body: dict[str, Any], pending: Select[Any],
                    batch_size: int, workers: int, run: RubricRun, actor: str | None,
                    on_progress: Callable[[int], None] | None) -> None:
    """Worker processes each load, score and store their own slices of interaction ids (disjoint)."""
    import multiprocessing

    import sys

    # a process that has run torch (semantic checks) must not fork: its OpenMP threads deadlock the children
    fork = "fork" in multiprocessing.get_all_start_methods() and "torch" not in sys.modules
    context = multiprocessing.get_context("fork" if fork else "spawn")
    url = database.engine.url.render_as_string(hide_password=False)
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(url, body)) as pool:
        inflight: list[Future[tuple[list[Summary], int]]] = []

        def drain(limit: int) -> None:
            while len(inflight) > limit:
                summary, skipped = inflight.pop(0).result()
                for item in summary:
                    run.add_summary(*item)
                run.skipped += skipped
                if on_progress:
                    on_progress(len(summary) + skipped)

        size = max(1, batch_size // workers)
        for ids in _pending_ids(database, pending, batch_size):
            for i in range(0, len(ids), size):
                inflight.append(pool.submit(_score_ids, version_id, ids[i:i + size], actor))
            drain(2 * workers)
        drain(0)


# ---------------------------------------------------------------- reading evaluations

def get_interaction(session: Session, ref: str) -> Interaction:
    """An interaction by external id (``SOURCE:ID`` when several sources share it) or database id.

    Raises:
        NotFoundError: no such interaction. QAError: the id is ambiguous.
    """
    found = list(session.scalars(select(Interaction).where(Interaction.external_id == ref)))
    if not found and ":" in ref:
        source, _, external = ref.partition(":")
        found = list(session.scalars(select(Interaction).where(Interaction.source == source,
                                                                Interaction.external_id == external)))
    if not found and ref.isdigit():
        one = session.get(Interaction, int(ref))
        found = [one] if one else []
    if not found:
        raise NotFoundError(f"no interaction {ref!r}")
    if len(found) > 1:
        raise QAError(f"interaction id {ref!r} exists in several sources "
                      f"({', '.join(i.source for i in found)}): write SOURCE:{ref}")
    return found[0]


def result_as_dict(result: CriterionResult) -> dict[str, Any]:
    """A criterion result as plain data."""
    return {"criterion": result.criterion_key, "category": result.category, "value": result.value,
            "normalized": result.normalized, "status": result.status, "message": result.message,
            "evidence": result.evidence, "confidence": result.confidence, "comment": result.comment,
            "decided_by": result.decided_by}


def evaluation_as_dict(evaluation: Evaluation) -> dict[str, Any]:
    """An evaluation with its criterion results as plain data."""
    interaction = evaluation.interaction
    return {
        "id": evaluation.id, "interaction": interaction.external_id, "source": interaction.source,
        "channel": interaction.channel, "agent": interaction.agent.external_id if interaction.agent else None,
        "rubric": evaluation.rubric_version.name, "rubric_version": evaluation.rubric_version.version,
        "kind": evaluation.kind, "reviewer": evaluation.reviewer.name if evaluation.reviewer else None,
        "score": evaluation.score, "critical_failed": evaluation.critical_failed,
        "categories": evaluation.category_scores, "comment": evaluation.comment,
        "created_at": evaluation.created_at.isoformat(), "created_by": evaluation.created_by,
        "version": evaluation.version, "supersedes": evaluation.supersedes_id, "is_current": evaluation.is_current,
        "results": [{**result_as_dict(r), "check_accuracy": _accuracy(evaluation, r)} for r in evaluation.results],
    }


def _accuracy(evaluation: Evaluation, result: CriterionResult) -> dict[str, Any] | None:
    """The measured accuracy of the check behind an automated verdict (recorded by ``qa rubric tune``)."""
    from qa_toolkit.services.rubrics import check_accuracy

    return check_accuracy(evaluation.rubric_version.body, result.criterion_key) if result.decided_by == "auto" \
        else None


def _with_everything(query: Select[Any]) -> Select[Any]:
    return query.options(selectinload(Evaluation.results), selectinload(Evaluation.rubric_version),
                         selectinload(Evaluation.reviewer),
                         selectinload(Evaluation.interaction).selectinload(Interaction.agent))


def interaction_evaluations(session: Session, ref: str, *, rubric: str | None = None,
                            include_history: bool = False) -> tuple[Interaction, list[Evaluation]]:
    """An interaction and its evaluations (current ones unless ``include_history``), newest first."""
    interaction = get_interaction(session, ref)
    query = _with_everything(select(Evaluation).where(Evaluation.interaction_id == interaction.id)
                             .order_by(Evaluation.created_at.desc(), Evaluation.id.desc()))
    if rubric:
        query = query.join(RubricVersion).where(RubricVersion.name == rubric)
    if not include_history:
        query = query.where(Evaluation.is_current.is_(True))
    return interaction, list(session.scalars(query))


def evaluations(session: Session, *, agents: Iterable[str] | None = None, team: str | None = None,
                since: datetime | None = None, until: datetime | None = None, kinds: Sequence[str] = ("auto",),
                rubric: str | None = None, current_only: bool = True) -> list[Evaluation]:
    """Evaluations of interactions that started in ``[since, until)``, for reports.

    Args:
        agents: agent external ids (None: all). team: only this team's agents.
        kinds: ``auto`` and/or ``review`` (``calibration`` is never an agent's score; ask for it explicitly).
    """
    query = (_with_everything(select(Evaluation)).join(Evaluation.interaction)
             .where(Evaluation.kind.in_(list(kinds))).order_by(Interaction.started_at, Evaluation.id))
    if current_only:
        query = query.where(Evaluation.is_current.is_(True))
    if agents is not None or team is not None:
        query = query.join(Agent, Interaction.agent_id == Agent.id)
        if agents is not None:
            query = query.where(Agent.external_id.in_(list(agents)))
        if team is not None:
            query = query.where(Agent.team == team)
    if since is not None:
        query = query.where(Interaction.started_at >= since)
    if until is not None:
        query = query.where(Interaction.started_at < until)
    if rubric:
        query = query.join(RubricVersion, Evaluation.rubric_version_id == RubricVersion.id).where(
            RubricVersion.name == rubric)
    return list(session.scalars(query))


@dataclass(frozen=True)
class Quality:
    """IQS and pass rate of a set of evaluations, automated and peer kept apart."""

    auto_score: float | None
    auto_count: int
    review_score: float | None
    review_count: int
    auto_pass_rate: float | None
    review_pass_rate: float | None


def quality(evals: Iterable[Evaluation], pass_mark: float = 80.0) -> Quality:
    """IQS (mean score) and pass rate, separately for automated and review evaluations (calibration ignored)."""
    evals = list(evals)
    auto = [e.score for e in evals if e.kind == "auto"]
    review = [e.score for e in evals if e.kind == "review"]
    return Quality(formula.quality_score(auto), sum(s is not None for s in auto), formula.quality_score(review),
                   sum(s is not None for s in review), formula.pass_rate(auto, pass_mark),
                   formula.pass_rate(review, pass_mark))


# ---------------------------------------------------------------- manual evaluations

def record_evaluation(session: Session, *, interaction: Interaction, version: RubricVersion,
                      values: dict[str, float | None], comments: dict[str, str] | None = None,
                      comment: str | None = None, kind: str = "review", reviewer: User | None = None,
                      actor: str | None = None, supersedes: Evaluation | None = None,
                      keep_auto: bool = True) -> Evaluation:
    """Store a reviewer's evaluation (``kind`` review or calibration) from manual values (None = N/A).

    Criteria the reviewer did not score keep the automated verdict (``decided_by='auto'``) when
    ``keep_auto`` and an automated evaluation exists; those the reviewer scored say ``decided_by='user'``.
    With ``supersedes`` (a dispute), the new evaluation is the next version and the old one stops being current.

    Raises:
        QAError: unknown criterion, value off the scale, N/A not allowed, or an unknown kind.
    """
    if kind not in ("review", "calibration", "auto"):
        raise QAError(f"unknown evaluation kind {kind!r}")
    rubric = rubric_of(version)
    verdicts = manual_verdicts(rubric, values, comments)
    if keep_auto:
        auto = session.scalars(select(Evaluation).where(
            Evaluation.interaction_id == interaction.id, Evaluation.rubric_version_id == version.id,
            Evaluation.kind == "auto", Evaluation.is_current.is_(True)).order_by(Evaluation.id.desc()).limit(1)).first()
        if auto is not None:
            given = set(values)
            verdicts += [Verdict(r.criterion_key, r.category, r.value, r.normalized, r.status, r.message,
                                 list(r.evidence), r.confidence, None, "auto")
                         for r in auto.results if r.criterion_key not in given]
    order = {crit.key: i for i, (_, crit) in enumerate(rubric.criteria())}
    verdicts.sort(key=lambda v: order[v.key])
    result = outcome(rubric, verdicts)
    evaluation = Evaluation(
        interaction_id=interaction.id, rubric_version_id=version.id, kind=kind, reviewer=reviewer,
        score=result.score, critical_failed=result.critical_failed, category_scores=result.categories,
        comment=comment, created_by=actor, version=(supersedes.version + 1) if supersedes else 1,
        supersedes_id=supersedes.id if supersedes else None, is_current=True,
        results=[CriterionResult(criterion_key=v.key, category=v.category, value=v.value, normalized=v.normalized,
                                 status=v.status, message=v.message, evidence=v.evidence, confidence=v.confidence,
                                 comment=v.comment, decided_by=v.decided_by) for v in verdicts])
    if supersedes is not None:
        supersedes.is_current = False
    session.add(evaluation)
    session.flush()
    audit.record(session, actor=actor, action="evaluation.supersede" if supersedes else "evaluation.create",
                 entity_type="evaluation", entity_id=evaluation.id,
                 before={"evaluation": supersedes.id, "score": supersedes.score} if supersedes else None,
                 after={"interaction": interaction.external_id, "rubric": f"{version.name}@{version.version}",
                        "kind": kind, "score": result.score, "critical_failed": result.critical_failed,
                        "values": values})
    return evaluation


def latest_version_for(session: Session, name: str) -> RubricVersion:
    """The latest version of rubric ``name`` (re-exported for peer review)."""
    return get_version(session, name)


# ---------------------------------------------------------------- check accuracy

def check_params(rubric: Rubric) -> dict[str, Any]:
    """Check name → the parameters the rubric's first criterion using that check gives it."""
    params: dict[str, Any] = {}
    for _, crit in rubric.criteria():
        if crit.check and crit.check not in params:
            params[crit.check] = crit.params
    return params


def rubric_check_params(rubric: str | None, db_url: str | None = None) -> dict[str, Any]:
    """The check parameters of ``rubric``: a shipped name, a file, or a rubric published in ``db_url``
    ({} without a rubric: every check's defaults). Several rubrics, comma-separated: the first one that
    uses a check gives its parameters."""
    from qa_toolkit.rubrics import load_rubric
    from qa_toolkit.services.rubrics import resolve_file

    params: dict[str, Any] = {}
    for name in [n.strip() for n in (rubric or "").split(",") if n.strip()]:
        try:
            model = load_rubric(resolve_file(name)).rubric
        except NotFoundError:
            from qa_toolkit.config import get_settings
            from qa_toolkit.storage.database import open_database

            database = open_database(db_url or get_settings().database_url)
            try:
                with database.session() as session:
                    model = rubric_of(get_version(session, name))
            finally:
                database.close()
        params = {**check_params(model), **params}
    return params


def evaluate_labels(path: str, *, rubric: str | None = None, db_url: str | None = None) -> dict[str, Any]:
    """Run ``qa score eval``: the checks against the hand labels in a canonical JSONL file.

    ``rubric`` (a shipped name, a file, or a rubric published in ``db_url``) supplies the checks' parameters.
    """
    from qa_toolkit.scoring.evaluate import evaluate, ignored_labels, read_labelled

    params = rubric_check_params(rubric, db_url)
    items = read_labelled(path)
    reports = evaluate(items, params)
    return {"file": str(path), "rubric": rubric, "conversations": len(items),
            "labels": [r.as_dict() for r in reports], "ignored_labels": ignored_labels(items)}
