"""Working days in mainland China: statutory holidays, make-up working days (调休), overrides.

chinese-calendar carries the official schedule but lags each new year's announcement; the
config's [calendar] fills the gap, and a year nobody knows falls back to Monday–Friday.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import chinese_calendar

# The years the installed chinese-calendar has the State Council's schedule for.
KNOWN_YEARS = frozenset(day.year for day in chinese_calendar.holidays)


class WorkCalendar:
    def __init__(self, holidays: Iterable[date] = (), workdays: Iterable[date] = ()) -> None:
        self.holidays = frozenset(holidays)
        self.workdays = frozenset(workdays)

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        if day.year in KNOWN_YEARS:
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5

    def knows(self, year: int) -> bool:
        """True when `year`'s holidays are known: built in, or given in the config."""
        return year in KNOWN_YEARS or any(d.year == year for d in self.holidays)

    def workdays_until(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`.

        When `end` is past: minus the working days from `end` up to, not including, `start`,
        so that `workdays_until(d, add_workdays(d, n)) == n` either way.
        """
        if end >= start:
            ahead = (start + timedelta(days=n) for n in range(1, (end - start).days + 1))
            return sum(map(self.is_workday, ahead))
        behind = (end + timedelta(days=n) for n in range((start - end).days))
        return -sum(map(self.is_workday, behind))

    def add_workdays(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (before it, for a negative count)."""
        step = timedelta(days=1 if count >= 0 else -1)
        remaining = abs(count)
        while remaining:
            day += step
            remaining -= self.is_workday(day)
        return day
