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
        """The first instant after the period (UTC), exclusive (the last instant there is, for a period
        ending on 9999-12-31)."""
        return later(datetime.combine(self.end, time.min, tzinfo=timezone.utc), timedelta(days=1))

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
        """The period of the same length just before this one (a month before a month).

        Raises:
            QAError: it would start before 0001-01-01.
        """
        try:
            if self.start.day == 1 and self.end == _month_end(self.end) and self.start.month == self.end.month:
                before = self.start - timedelta(days=1)
                return Period(before.replace(day=1), before)
            return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))
        except OverflowError:
            raise QAError(f"no period before {self}: dates start at 0001-01-01") from None

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


LAST_INSTANT = datetime.max.replace(tzinfo=timezone.utc)


def later(moment: datetime, delta: timedelta) -> datetime:
    """``moment + delta``, or the last instant there is when that passes the year 9999 (a stored
    9999-12-31 must not stop a report)."""
    try:
        return moment + delta
    except OverflowError:
        return LAST_INSTANT if moment.tzinfo is not None else LAST_INSTANT.replace(tzinfo=None)


def month_of(day: date) -> Period:
    """The calendar month ``day`` falls in."""
    start = day.replace(day=1)
    return Period(start, _month_end(start))


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
        try:
            periods.insert(0, periods[0].previous())
        except QAError:  # none before 0001-01-01: a shorter trend
            break
    return periods
