"""Calibration statistics: how far each reviewer is from the gold (calibrator's) scores, and how
reliable each criterion is across the whole group.

What contact centers use: a reviewer's deviation from the gold score in points (per evaluation and
per criterion) and *percent agreement within a tolerance* — overall scores within ±10 points and
criterion values within one scale point by default (binary and other nominal criteria must match
exactly; N/A agrees only with N/A); a group at or above 85 % on both is "calibrated". Beyond that
practice: Krippendorff's alpha per criterion over all participants (gold included), at the level of
measurement that fits the criterion's scale, with the criteria of most disagreement first.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from statistics import fmean
from typing import Any, Literal

from qa_toolkit.errors import QAError

Level = Literal["nominal", "ordinal", "interval"]


@dataclass(frozen=True)
class CriterionScale:
    """A criterion's scale: its points (numeric values) and level of measurement."""

    key: str
    points: tuple[float, ...]
    level: Level = "ordinal"


@dataclass(frozen=True)
class Rating:
    """One participant's evaluation of one interaction: overall score (0–100) and criterion values (None = N/A)."""

    reviewer: str
    interaction_id: int
    overall: float | None
    criteria: dict[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Tolerance:
    """How close counts as agreeing, and the agreement (percent) that counts as calibrated."""

    overall_points: float = 10.0
    criterion_points: float = 1.0
    calibrated_percent: float = 85.0


@dataclass(frozen=True)
class EvaluationDeviation:
    """A reviewer's overall score against the gold score on one interaction."""

    reviewer: str
    interaction_id: int
    overall: float | None
    gold: float | None
    deviation: float | None
    agrees: bool


@dataclass(frozen=True)
class ReviewerSummary:
    """One reviewer against the gold: mean deviations, percent agreement, per-criterion bias."""

    reviewer: str
    evaluations: int
    mean_deviation: float | None
    mean_abs_deviation: float | None
    overall_agreement: float | None
    criterion_agreement: float | None
    criterion_deviation: dict[str, float | None]
    calibrated: bool


@dataclass(frozen=True)
class CriterionSummary:
    """One criterion across participants: alpha, percent agreement with the gold, mean |deviation|."""

    key: str
    level: Level
    alpha: float | None
    agreement: float | None
    mean_abs_deviation: float | None
    ratings: int


@dataclass(frozen=True)
class CalibrationReport:
    """The whole report; ``criteria`` is ordered most disagreement first."""

    gold: str
    tolerance: Tolerance
    overall_agreement: float | None
    criterion_agreement: float | None
    overall_alpha: float | None
    calibrated: bool
    reviewers: list[ReviewerSummary]
    criteria: list[CriterionSummary]
    evaluations: list[EvaluationDeviation]

    def as_dict(self) -> dict[str, Any]:
        """The report as plain data (for JSON)."""
        return asdict(self)


def _percent(hits: int, total: int) -> float | None:
    return None if total == 0 else round(100.0 * hits / total, 2)


def _mean(values: Sequence[float]) -> float | None:
    return None if not values else round(fmean(values), 4)


def krippendorff_alpha(table: Sequence[Sequence[float | None]], level: Level,
                       points: Sequence[float] | None = None) -> float | None:
    """Krippendorff's alpha of a raters × units table (None = missing); None where it is undefined.

    Undefined: fewer than two pairable values, or no variation at all (every value the same).
    """
    import krippendorff
    import numpy as np

    data = np.array([[np.nan if v is None else float(v) for v in row] for row in table], dtype=float)
    pairable = (~np.isnan(data)).sum(axis=0) >= 2
    values = data[:, pairable]
    observed = values[~np.isnan(values)]
    if observed.size < 2 or np.unique(observed).size < 2:
        return None
    domain = sorted(set(points or ()) | set(observed.tolist())) if level != "interval" else None
    alpha = float(krippendorff.alpha(reliability_data=values, level_of_measurement=level, value_domain=domain))
    return None if math.isnan(alpha) else round(alpha, 4)


def _criterion_agrees(value: float | None, gold: float | None, scale: CriterionScale, tolerance: Tolerance) -> bool:
    if value is None or gold is None:
        return value is None and gold is None
    if scale.level == "nominal":
        return value == gold
    return abs(value - gold) <= tolerance.criterion_points + 1e-9


def report(ratings: Sequence[Rating], scales: Sequence[CriterionScale], gold: str,
           tolerance: Tolerance | None = None) -> CalibrationReport:
    """Compare every participant with the gold participant and measure each criterion's reliability.

    Args:
        ratings: everyone's ratings, the gold participant's included (one per participant and interaction).
        scales: the rubric's criteria, in rubric order.
        gold: the name of the gold (calibrator) participant.
        tolerance: what counts as agreeing (defaults: ±10 points overall, one scale point per criterion, 85 %).

    Raises:
        QAError: the gold participant has no ratings.
    """
    tolerance = tolerance or Tolerance()
    by_key = {s.key: s for s in scales}
    gold_of = {r.interaction_id: r for r in ratings if r.reviewer == gold}
    if not gold_of:
        raise QAError(f"the gold participant {gold!r} has not scored any interaction of this session yet")
    others = sorted({r.reviewer for r in ratings if r.reviewer != gold})

    evaluations: list[EvaluationDeviation] = []
    summaries: list[ReviewerSummary] = []
    crit_hits: dict[str, list[bool]] = defaultdict(list)
    crit_devs: dict[str, list[float]] = defaultdict(list)
    for reviewer in others:
        mine = sorted((r for r in ratings if r.reviewer == reviewer and r.interaction_id in gold_of),
                      key=lambda r: r.interaction_id)
        deviations: list[float] = []
        overall_hits: list[bool] = []
        criterion_hits: list[bool] = []
        per_criterion: dict[str, list[float]] = defaultdict(list)
        for rating in mine:
            reference = gold_of[rating.interaction_id]
            deviation = None
            if rating.overall is not None and reference.overall is not None:
                deviation = round(rating.overall - reference.overall, 4)
                deviations.append(deviation)
            agrees = (deviation is not None and abs(deviation) <= tolerance.overall_points + 1e-9) or (
                rating.overall is None and reference.overall is None)
            overall_hits.append(agrees)
            evaluations.append(EvaluationDeviation(reviewer, rating.interaction_id, rating.overall,
                                                   reference.overall, deviation, agrees))
            for key, scale in by_key.items():
                value, expected = rating.criteria.get(key), reference.criteria.get(key)
                hit = _criterion_agrees(value, expected, scale, tolerance)
                criterion_hits.append(hit)
                crit_hits[key].append(hit)
                if value is not None and expected is not None:
                    per_criterion[key].append(value - expected)
                    crit_devs[key].append(abs(value - expected))
        overall_agreement = _percent(sum(overall_hits), len(overall_hits))
        criterion_agreement = _percent(sum(criterion_hits), len(criterion_hits))
        summaries.append(ReviewerSummary(
            reviewer=reviewer,
            evaluations=len(mine),
            mean_deviation=_mean(deviations),
            mean_abs_deviation=_mean([abs(d) for d in deviations]),
            overall_agreement=overall_agreement,
            criterion_agreement=criterion_agreement,
            criterion_deviation={key: _mean(per_criterion[key]) for key in by_key},
            calibrated=_calibrated(overall_agreement, criterion_agreement, tolerance),
        ))

    participants = [gold, *others]
    units = sorted(gold_of)
    table_of = {(r.reviewer, r.interaction_id): r for r in ratings}

    def column(reviewer: str, unit: int, key: str | None) -> float | None:
        rating = table_of.get((reviewer, unit))
        if rating is None:
            return None
        return rating.overall if key is None else rating.criteria.get(key)

    criteria = [
        CriterionSummary(
            key=key,
            level=scale.level,
            alpha=krippendorff_alpha([[column(p, u, key) for u in units] for p in participants],
                                     scale.level, scale.points),
            agreement=_percent(sum(crit_hits[key]), len(crit_hits[key])),
            mean_abs_deviation=_mean(crit_devs[key]),
            ratings=sum(column(p, u, key) is not None for p in participants for u in units),
        )
        for key, scale in by_key.items()
    ]
    criteria.sort(key=lambda c: (c.alpha is None, c.alpha if c.alpha is not None else 0.0,
                                 c.agreement if c.agreement is not None else 100.0))
    all_overall = [e.agrees for e in evaluations]
    all_criteria = [hit for hits in crit_hits.values() for hit in hits]
    overall_agreement = _percent(sum(all_overall), len(all_overall))
    criterion_agreement = _percent(sum(all_criteria), len(all_criteria))
    return CalibrationReport(
        gold=gold,
        tolerance=tolerance,
        overall_agreement=overall_agreement,
        criterion_agreement=criterion_agreement,
        overall_alpha=krippendorff_alpha([[column(p, u, None) for u in units] for p in participants], "interval"),
        calibrated=_calibrated(overall_agreement, criterion_agreement, tolerance),
        reviewers=summaries,
        criteria=criteria,
        evaluations=evaluations,
    )


def _calibrated(overall: float | None, criteria: float | None, tolerance: Tolerance) -> bool:
    return all(value is not None and value >= tolerance.calibrated_percent for value in (overall, criteria))
