"""Working days in mainland China: statutory holidays, make-up working days (调休), overrides.

chinese-calendar carries the official schedule but lags each new year's announcement; the
config's [calendar] fills the gap, and a year nobody knows falls back to Monday–Friday.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Literal

import chinese_calendar

from scheduler.holiday_notice import FESTIVALS

# The years the installed chinese-calendar has the State Council's schedule for.
KNOWN_YEARS = frozenset(day.year for day in chinese_calendar.holidays)

# Where a day's status comes from: the config's [calendar], the built-in chinese-calendar, or
# the Monday-to-Friday fallback for a year neither knows.
Source = Literal["config", "builtin", "weekdays"]
# A day the schedule marks: a day off (放假) or a weekend day worked in lieu (调休上班).
Special = Literal["holiday", "makeup"]


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

    def source(self, day: date) -> Source:
        """Who decides whether `day` is a working day (the config wins over the built-in)."""
        if day in self.workdays or day in self.holidays:
            return "config"
        return "builtin" if day.year in KNOWN_YEARS else "weekdays"

    def special(self, day: date) -> Special | None:
        """A day off by the schedule (weekend days inside a holiday included) is "holiday", a
        weekend working day "makeup"; an ordinary working day or weekend is None."""
        if self.is_workday(day):
            return "makeup" if day.weekday() >= 5 else None
        if day in self.holidays or day.weekday() < 5:
            return "holiday"
        builtin = self.source(day) == "builtin" and day in chinese_calendar.holidays
        return "holiday" if builtin else None

    def festival(self, day: date) -> str | None:
        """The built-in calendar's festival for a built-in holiday or make-up day, e.g. "春节"."""
        if self.source(day) != "builtin":
            return None
        _, name = chinese_calendar.get_holiday_detail(day)
        if not name:
            return None
        short = chinese_calendar.Holiday(name).chinese  # "清明": the notice says "清明节"
        return next((f for f in FESTIVALS if f.startswith(short)), short)

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
