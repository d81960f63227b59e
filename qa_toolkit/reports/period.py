"""Reporting periods: ``2026-10-01..2026-10-31`` (inclusive dates) or a month ``2026-10``."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from functools import cached_property
from datetime import date, datetime, time, timedelta, timezone

from qa_toolkit.errors import QAError


@dataclass(frozen=True)
class Period:
    """An inclusive range of days, compared in UTC."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise QAError(f"period {self.start}..{self.end} ends before it starts")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @cached_property
    def start_at(self) -> datetime:
        """The first instant of the period (UTC)."""
        return datetime.combine(self.start, time.min, tzinfo=timezone.utc)

    @cached_property
    def end_at(self) -> datetime:
        """The first instant after the period (UTC), exclusive."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=timezone.utc)

    @cached_property
    def _naive(self) -> tuple[datetime, datetime]:
        return self.start_at.replace(tzinfo=None), self.end_at.replace(tzinfo=None)

    def contains(self, moment: datetime | None) -> bool:
        """Whether a moment falls in the period (naive datetimes are taken as UTC)."""
        if moment is None:
            return False
        if moment.tzinfo is None:
            start, end = self._naive
            return start <= moment < end
        return self.start_at <= moment < self.end_at

    def previous(self) -> Period:
        """The period of the same length just before this one (a month before a month)."""
        if self.start.day == 1 and self.end == _month_end(self.end) and self.start.month == self.end.month:
            before = self.start - timedelta(days=1)
            return Period(before.replace(day=1), before)
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def as_utc(moment: datetime) -> datetime:
    """A timezone-aware datetime in UTC (naive ones are taken as UTC, as SQLite returns them)."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def parse_period(text: str) -> Period:
    """Parse ``A..B`` (inclusive ISO dates) or ``YYYY-MM`` (a whole month).

    Raises:
        QAError: not a period; the message shows the expected forms.
    """
    value = text.strip()
    try:
        if ".." in value:
            first, last = value.split("..", 1)
            return Period(date.fromisoformat(first.strip()), date.fromisoformat(last.strip()))
        if len(value) == 7:
            start = date.fromisoformat(value + "-01")
            return Period(start, _month_end(start))
        day = date.fromisoformat(value)
        return Period(day, day)
    except ValueError:
        raise QAError(
            f"invalid period {text!r}: use START..END with ISO dates (2026-10-01..2026-10-31) or a month (2026-10)"
        ) from None


def trailing_periods(period: Period, count: int) -> list[Period]:
    """``count`` consecutive periods ending with ``period``, oldest first."""
    periods = [period]
    while len(periods) < count:
        periods.insert(0, periods[0].previous())
    return periods
