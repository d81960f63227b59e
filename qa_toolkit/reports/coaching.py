"""Coaching summaries: one agent's period, against their team, as plain data.

Pure: the PDF renderer only lays out a :class:`CoachingReport`. Scores use one verdict per
interaction (the latest peer review, else the automated evaluation, see
:mod:`~qa_toolkit.reports.verdicts`); the quality score is the mean of those verdicts' scores.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from qa_toolkit.reports.kpis import KpiRow
from qa_toolkit.reports.period import Period
from qa_toolkit.reports.records import AgentInfo, CheckAccuracy, Evaluation, Quote, RubricInfo, TrainingModule
from qa_toolkit.reports.verdicts import mean_score, verdicts

TOP_GAPS = 3
STRENGTH_MIN_PASS = 80.0  # a criterion passed at least this often (%) can be a strength
EVIDENCE_PER_GAP = 2


@dataclass(frozen=True)
class TrendPoint:
    """Quality score of the agent and of the team in one period."""

    period: str
    agent: float | None
    team: float | None


@dataclass(frozen=True)
class CategoryScore:
    """A category's mean score for the agent and the team (0–100)."""

    key: str
    label: str
    agent: float | None
    team: float | None


@dataclass(frozen=True)
class Evidence:
    """A failed evaluation's quoted turns: which interaction, when, what was said."""

    interaction: str
    at: datetime
    quotes: tuple[Quote, ...]
    note: str | None


@dataclass(frozen=True)
class CriterionStanding:
    """How the agent does on one criterion: failures, rates against the team, evidence."""

    key: str
    label: str
    category: str
    critical: bool
    evaluations: int
    failures: int
    failure_pct: float
    team_failure_pct: float | None
    evidence: tuple[Evidence, ...] = ()
    training: tuple[TrainingModule, ...] = ()
    accuracy: CheckAccuracy | None = None  # the automated check's measured accuracy (None: scored by people)


@dataclass(frozen=True)
class CriticalFail:
    """A critical criterion that failed in one interaction."""

    interaction: str
    at: datetime
    criterion: str
    quote: Quote | None


@dataclass(frozen=True)
class ReviewerComment:
    """A peer reviewer's comment on an interaction (or on one criterion of it)."""

    reviewer: str
    interaction: str
    at: datetime
    criterion: str | None
    text: str


@dataclass(frozen=True)
class CoachingReport:
    """Everything a coaching PDF shows for one agent and period."""

    agent: AgentInfo
    period: str
    rubric: str
    auto_evaluations: int
    review_evaluations: int
    interactions: int
    score: float | None
    auto_score: float | None
    review_score: float | None
    team_score: float | None
    team_size: int
    team_rank: int | None
    trend: tuple[TrendPoint, ...]
    categories: tuple[CategoryScore, ...]
    strengths: tuple[CriterionStanding, ...]
    gaps: tuple[CriterionStanding, ...]
    critical_fails: tuple[CriticalFail, ...]
    comments: tuple[ReviewerComment, ...]
    kpis: KpiRow | None
    team_kpis: KpiRow | None
    training: tuple[tuple[TrainingModule, tuple[str, ...]], ...]  # module, the gap criteria it fixes


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _in(period: Period, evaluations: Sequence[Evaluation]) -> list[Evaluation]:
    return [e for e in evaluations if period.contains(e.at)]


def category_means(chosen: Sequence[Evaluation]) -> dict[str, float]:
    """Category key -> mean category score over the evaluations that scored it."""
    values: dict[str, list[float]] = defaultdict(list)
    for evaluation in chosen:
        for key, value in evaluation.categories.items():
            if value is not None:
                values[key].append(value)
    return {key: sum(v) / len(v) for key, v in values.items()}


def failure_counts(chosen: Sequence[Evaluation]) -> dict[str, tuple[int, int]]:
    """Criterion key -> (failures, evaluations with a verdict)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for evaluation in chosen:
        for result in evaluation.criteria:
            if result.failed is not None:
                counts[result.key][0] += result.failed
                counts[result.key][1] += 1
    return {key: (fails, total) for key, (fails, total) in counts.items()}


@dataclass(frozen=True)
class TeamContext:
    """What every report of one team shares, computed once per team (see :func:`team_context`)."""

    verdicts: tuple[Evaluation, ...]  # the team's verdicts in the period
    score: float | None
    agent_scores: dict[str, float | None]
    trend: tuple[float | None, ...]
    categories: dict[str, float]
    failures: dict[str, tuple[int, int]]
    size: int


def team_context(team_evaluations: Sequence[Evaluation], *, period: Period, rubric: RubricInfo, size: int,
                 trend_periods: Sequence[Period] = (), earlier_trend: Sequence[float | None] | None = None) -> TeamContext:
    """The team's verdicts, scores, trend, category means and failure counts for ``period``.

    Args:
        earlier_trend: the team's scores in the trend periods before ``period``, computed elsewhere (in the
            database); None: from ``team_evaluations``, which must then cover every trend period.
    """
    mine = [e for e in team_evaluations if e.rubric == rubric.name]
    periods = list(trend_periods or [period])
    by_period: dict[Period, list[Evaluation]] = defaultdict(list)
    for evaluation in mine:
        for candidate in periods:
            if candidate.contains(evaluation.at):
                by_period[candidate].append(evaluation)
                break
    chosen = verdicts(by_period.get(period, []) if period in periods else _in(period, mine))
    per_agent: dict[str, list[Evaluation]] = defaultdict(list)
    for evaluation in chosen:
        per_agent[evaluation.agent].append(evaluation)
    return TeamContext(
        verdicts=tuple(chosen), score=mean_score(chosen),
        agent_scores={agent: mean_score(items) for agent, items in per_agent.items()},
        trend=(tuple(mean_score(verdicts(by_period.get(p, []))) for p in periods) if earlier_trend is None
               else (*earlier_trend, mean_score(chosen))),
        categories=category_means(chosen), failures=failure_counts(chosen), size=size)


def coaching_report(
    agent: AgentInfo,
    *,
    period: Period,
    rubric: RubricInfo,
    evaluations: Sequence[Evaluation],
    team: TeamContext,
    trend_periods: Sequence[Period] = (),
    kpis: KpiRow | None = None,
    team_kpis: KpiRow | None = None,
) -> CoachingReport | None:
    """The coaching summary of ``agent`` in ``period``, or None when they have no evaluations in it.

    Args:
        evaluations: the agent's evaluations of ``rubric`` (any period in ``trend_periods``).
        team: the agent's team in the same period (:func:`team_context` over the same trend periods).
        trend_periods: consecutive periods ending with ``period`` for the trend line.
    """
    own = [e for e in evaluations if e.rubric == rubric.name]
    current = _in(period, own)
    if not current:
        return None
    chosen = verdicts(current)
    score = mean_score(chosen)
    ranked = [s for who, s in team.agent_scores.items() if s is not None and who != agent.id]  # the others
    team_rank = 1 + sum(1 for s in ranked if s > score) if score is not None else None

    periods = list(trend_periods or [period])
    trend = tuple(TrendPoint(str(p), mean_score(verdicts(_in(p, own))), team_score)
                  for p, team_score in zip(periods, team.trend))

    mine = category_means(chosen)
    categories = tuple(CategoryScore(key, label, mine.get(key), team.categories.get(key))
                       for key, label in rubric.categories.items() if key in mine or key in team.categories)

    standings = _standings(chosen, team.failures, rubric)
    gaps = tuple(sorted((s for s in standings if s.failures),
                        key=lambda s: (-s.failure_pct, not s.critical,
                                       -(s.failure_pct - (s.team_failure_pct or 0.0)), s.key))[:TOP_GAPS])
    gap_keys = {g.key for g in gaps}
    strengths = tuple(sorted(
        (s for s in standings if s.key not in gap_keys and 100.0 - s.failure_pct >= STRENGTH_MIN_PASS
         and (s.team_failure_pct is None or s.failure_pct <= s.team_failure_pct)),
        key=lambda s: (s.failure_pct - (s.team_failure_pct or 0.0), s.failure_pct, -s.evaluations, s.key))[:3])
    gaps = tuple(_with_evidence(g, chosen) for g in gaps)

    modules: dict[str, tuple[TrainingModule, list[str]]] = {}
    for gap in gaps:
        for module in gap.training:
            modules.setdefault(module.key, (module, []))[1].append(gap.label)

    return CoachingReport(
        agent=agent, period=str(period), rubric=rubric.name,
        auto_evaluations=sum(1 for e in current if e.kind == "auto"),
        review_evaluations=sum(1 for e in current if e.kind == "review"),
        interactions=len(chosen), score=score,
        auto_score=mean_score(e for e in current if e.kind == "auto"),
        review_score=mean_score(e for e in current if e.kind == "review"),
        team_score=team.score, team_size=team.size, team_rank=team_rank,
        trend=trend, categories=categories, strengths=strengths, gaps=gaps,
        critical_fails=_critical_fails(chosen, rubric), comments=_comments(current, rubric),
        kpis=kpis, team_kpis=team_kpis,
        training=tuple((module, tuple(labels)) for module, labels in modules.values()))


def _standings(chosen: Sequence[Evaluation], theirs: Mapping[str, tuple[int, int]],
               rubric: RubricInfo) -> list[CriterionStanding]:
    mine = failure_counts(chosen)
    standings = []
    for key, (fails, total) in mine.items():
        info = rubric.criteria.get(key)
        if info is None or not total:
            continue
        team_fails, team_total = theirs.get(key, (0, 0))
        standings.append(CriterionStanding(
            key=key, label=info.label, category=rubric.categories.get(info.category, info.category),
            critical=info.critical, evaluations=total, failures=fails, failure_pct=100.0 * fails / total,
            team_failure_pct=100.0 * team_fails / team_total if team_total else None, training=info.training,
            accuracy=info.accuracy))
    return standings


def _with_evidence(gap: CriterionStanding, chosen: Sequence[Evaluation]) -> CriterionStanding:
    evidence = []
    for evaluation in sorted(chosen, key=lambda e: e.at, reverse=True):
        for result in evaluation.criteria:
            if result.key == gap.key and result.failed and (result.evidence or result.note or result.comment):
                evidence.append(Evidence(evaluation.interaction_ref, evaluation.at, result.evidence[:3],
                                         result.comment or result.note))
        if len(evidence) >= EVIDENCE_PER_GAP:
            break
    return replace(gap, evidence=tuple(evidence[:EVIDENCE_PER_GAP]))


def _critical_fails(chosen: Sequence[Evaluation], rubric: RubricInfo) -> tuple[CriticalFail, ...]:
    fails = []
    for evaluation in chosen:
        for result in evaluation.criteria:
            info = rubric.criteria.get(result.key)
            if result.failed and (result.critical_failed or (info is not None and info.critical)):
                fails.append(CriticalFail(evaluation.interaction_ref, evaluation.at,
                                          info.label if info else result.key,
                                          result.evidence[0] if result.evidence else None))
    return tuple(fails)


def _comments(current: Sequence[Evaluation], rubric: RubricInfo) -> tuple[ReviewerComment, ...]:
    comments = []
    for evaluation in current:
        if evaluation.kind != "review":
            continue
        reviewer = evaluation.reviewer or "reviewer"
        if evaluation.comment:
            comments.append(ReviewerComment(reviewer, evaluation.interaction_ref, evaluation.at, None,
                                            evaluation.comment))
        for result in evaluation.criteria:
            if result.comment:
                info = rubric.criteria.get(result.key)
                comments.append(ReviewerComment(reviewer, evaluation.interaction_ref, evaluation.at,
                                                info.label if info else result.key, result.comment))
    return tuple(comments)

