"""Charts drawn on the server as SVG geometry (no JavaScript): the templates only place these numbers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """A line chart: one polyline per unbroken run of values, and the dots."""

    width: int
    height: int
    segments: tuple[str, ...]  # SVG ``points`` attributes
    dots: tuple[tuple[float, float, float], ...]  # x, y, value


def line(values: Sequence[float | None], *, width: int = 640, height: int = 160, low: float = 0.0,
         high: float = 100.0, pad: int = 8) -> Line:
    """Points of ``values`` (None: a gap) across ``width``, scaled from ``low``..``high`` to the height."""
    n = len(values)
    span = (high - low) or 1.0
    step = (width - 2 * pad) / max(1, n - 1)
    segments: list[str] = []
    current: list[str] = []
    dots = []
    for i, value in enumerate(values):
        if value is None:
            if current:
                segments.append(" ".join(current))
            current = []
            continue
        x = pad + i * step if n > 1 else width / 2
        y = height - pad - (min(max(value, low), high) - low) / span * (height - 2 * pad)
        current.append(f"{x:.1f},{y:.1f}")
        dots.append((round(x, 1), round(y, 1), value))
    if current:
        segments.append(" ".join(current))
    return Line(width, height, tuple(segments), tuple(dots))


def bar_width(value: float | None, *, width: int = 240, high: float = 100.0) -> float:
    """The length of a bar for ``value`` on a 0..``high`` scale (0 for None)."""
    if value is None or high <= 0:
        return 0.0
    return round(max(0.0, min(value, high)) / high * width, 1)
