"""The score formula: criterion → category → evaluation, as QA teams know it (Zendesk QA's IQS).

* A criterion's value is normalised to 0–100: ``100 × (value − scale min) / (scale max − scale min)``.
* A category's score is the weighted mean of its non-N/A criteria; bonus criteria are not in the
  mean but add up to their ``bonus`` points on top of it (a category never exceeds 100).
* The evaluation score is the weighted mean of the categories that have any scored criterion,
  so N/A never lowers a score; when everything is N/A there is no score (None, not 0).
* A critical criterion scored below its threshold (default 50 %) makes the evaluation 0 with
  ``critical_failed`` ("fail all"), or only its category 0 ("fail section").
* An agent's quality score (IQS) is the mean of evaluation scores; the pass rate is the share of
  evaluations at or above the pass mark (default 80).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

Critical = Literal["none", "fail_all", "fail_section"]


@dataclass(frozen=True, slots=True)
class CriterionInput:
    """One criterion's value (None = N/A) with what the formula needs from the rubric."""

    key: str
    category: str
    value: float | None
    scale_min: float = 0.0
    scale_max: float = 1.0
    weight: float = 1.0
    critical: Critical = "none"
    threshold: float = 50.0
    bonus: float = 0.0


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """An evaluation's score (None when all N/A), category scores, normalised values, critical fails."""

    score: float | None
    critical_failed: bool
    categories: dict[str, float | None] = field(default_factory=dict)
    normalized: dict[str, float | None] = field(default_factory=dict)
    critical_failures: tuple[str, ...] = ()


def normalize(value: float | None, scale_min: float, scale_max: float) -> float | None:
    """``value`` on 0–100 (None stays None); values outside the scale are clamped."""
    if value is None:
        return None
    if scale_max == scale_min:
        return 100.0
    return min(100.0, max(0.0, 100.0 * (value - scale_min) / (scale_max - scale_min)))


def _weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    total = weights = 0.0
    for value, weight in pairs:
        total += value * weight
        weights += weight
    return total / weights if weights > 0 else None


def score(criteria: Sequence[CriterionInput], category_weights: Mapping[str, float] | None = None) -> ScoreResult:
    """Score an evaluation (pure; see the module docstring for the rules).

    Args:
        criteria: every criterion of the rubric with its value (None for N/A).
        category_weights: weight per category key (missing: 1).
    """
    weights = category_weights or {}
    normalized = {c.key: normalize(c.value, c.scale_min, c.scale_max) for c in criteria}
    order: list[str] = list(dict.fromkeys([*weights, *(c.category for c in criteria)]))
    categories: dict[str, float | None] = {}
    for category in order:
        members = [c for c in criteria if c.category == category]
        base = _weighted_mean((normalized[c.key], c.weight) for c in members  # type: ignore[misc]
                              if not c.bonus and normalized[c.key] is not None)
        if base is not None:
            extra = sum(c.bonus * normalized[c.key] / 100 for c in members  # type: ignore[operator]
                        if c.bonus and normalized[c.key] is not None)
            base = min(100.0, base + extra)
        categories[category] = base
    failures = [c for c in criteria
                if c.critical != "none" and normalized[c.key] is not None and normalized[c.key] < c.threshold]  # type: ignore[operator]
    for c in failures:
        if c.critical == "fail_section":
            categories[c.category] = 0.0
    fail_all = any(c.critical == "fail_all" for c in failures)
    overall = _weighted_mean((s, weights.get(k, 1.0)) for k, s in categories.items() if s is not None)
    if fail_all:
        overall = 0.0
    elif overall is not None:
        overall = min(100.0, overall)
    return ScoreResult(overall, fail_all, categories, normalized, tuple(c.key for c in failures))


def quality_score(scores: Iterable[float | None]) -> float | None:
    """IQS: the mean of the evaluation scores that exist (None when there are none)."""
    values = [s for s in scores if s is not None]
    return sum(values) / len(values) if values else None


def pass_rate(scores: Iterable[float | None], pass_mark: float = 80.0) -> float | None:
    """The share (0–1) of scored evaluations at or above ``pass_mark`` (None when there are none)."""
    values = [s for s in scores if s is not None]
    return sum(1 for s in values if s >= pass_mark) / len(values) if values else None
