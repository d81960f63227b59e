"""Small statistics for reports: Wilson score intervals and correlation of binary outcomes.

Pure functions, no storage: they take counts or paired 0/1 observations.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Z_95 = 1.959963984540054  # the 97.5th percentile of the standard normal distribution


@dataclass(frozen=True)
class Interval:
    """A proportion with its confidence interval, all in 0..1."""

    estimate: float
    low: float
    high: float


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> Interval | None:
    """The Wilson score interval for ``successes`` out of ``trials`` (95 % by default).

    ``p̂ = k/n``; centre ``(p̂ + z²/2n) / (1 + z²/n)``; half-width
    ``z·sqrt(p̂(1−p̂)/n + z²/4n²) / (1 + z²/n)``. Unlike the normal approximation it stays inside
    0..1 and behaves at 0 % and 100 %. Returns None when there are no trials.
    """
    if trials < 0 or not 0 <= successes <= trials:
        raise ValueError(f"need 0 <= successes <= trials, got {successes} of {trials}")
    if trials == 0:
        return None
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half))


def phi_coefficient(xs: Sequence[bool], ys: Sequence[bool]) -> float | None:
    """The phi coefficient (Pearson correlation of two 0/1 variables), -1..1.

    ``(n11·n00 − n10·n01) / sqrt(n1·· n0·· n·1 n·0)``. None when either variable is constant
    (the correlation is undefined) or the sequences are empty.
    """
    if len(xs) != len(ys):
        raise ValueError(f"need paired observations, got {len(xs)} and {len(ys)}")
    n11 = n10 = n01 = n00 = 0
    for x, y in zip(xs, ys):
        if x and y:
            n11 += 1
        elif x:
            n10 += 1
        elif y:
            n01 += 1
        else:
            n00 += 1
    row1, row0, col1, col0 = n11 + n10, n01 + n00, n11 + n01, n10 + n00
    if 0 in (row1, row0, col1, col0):
        return None
    return (n11 * n00 - n10 * n01) / math.sqrt(row1 * row0 * col1 * col0)


def lift(xs: Sequence[bool], ys: Sequence[bool]) -> float | None:
    """How much more often the outcome ``y`` happens when ``x`` does: P(y | x) − P(y | not x), -1..1.

    None when ``x`` is always or never true.
    """
    with_x = [y for x, y in zip(xs, ys) if x]
    without_x = [y for x, y in zip(xs, ys) if not x]
    if not with_x or not without_x:
        return None
    return sum(with_x) / len(with_x) - sum(without_x) / len(without_x)


def mean(values: Sequence[float]) -> float | None:
    """The arithmetic mean, or None for no values."""
    return sum(values) / len(values) if values else None
