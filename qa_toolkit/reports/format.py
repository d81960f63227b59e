"""Formatting numbers and times the same way in every renderer."""

from __future__ import annotations

from datetime import datetime


def score(value: float | None, digits: int = 1) -> str:
    """A 0–100 score, or an en dash when unknown."""
    return "–" if value is None else f"{value:.{digits}f}"


def pct(value: float | None, digits: int = 0) -> str:
    """A percentage, or an en dash when unknown."""
    return "–" if value is None else f"{value:.{digits}f} %"


def signed(value: float | None, digits: int = 1, unit: str = "") -> str:
    """A difference with its sign (+4.2, −1.0), or an en dash."""
    if value is None:
        return "–"
    return f"{'+' if value >= 0 else '−'}{abs(value):.{digits}f}{unit}"


def duration(seconds: float | None) -> str:
    """Seconds as ``m:ss`` (or ``h:mm:ss``)."""
    if seconds is None:
        return "–"
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def minutes(value: float | None) -> str:
    """Minutes as ``12 min`` or ``3.4 h``."""
    if value is None:
        return "–"
    return f"{value:.0f} min" if value < 120 else f"{value / 60:.1f} h"


def when(moment: datetime | None) -> str:
    """A timestamp as ``2026-10-14 09:12``."""
    return "–" if moment is None else moment.strftime("%Y-%m-%d %H:%M")


def offset(seconds: float | None) -> str:
    """A position in a recording as ``[m:ss]``; empty when unknown."""
    return "" if seconds is None else f"[{duration(seconds)}]"
