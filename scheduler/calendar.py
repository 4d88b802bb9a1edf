"""Working days in mainland China: statutory holidays, make-up working days (调休), overrides.

chinese-calendar carries the official schedule but lags each new year's announcement; the
config's [calendar] fills the gap, and a year nobody knows falls back to Monday–Friday.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable
from datetime import date, timedelta
from itertools import accumulate
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


# Working days are counted from here; any year will do, before or after it.
_ANCHOR_YEAR = 2000


class WorkCalendar:
    """Working days, with each year's days looked up once and counted in constant time:
    the planner asks about every task on every tick (see bench/plan.py)."""

    def __init__(self, holidays: Iterable[date] = (), workdays: Iterable[date] = ()) -> None:
        self.holidays = frozenset(holidays)
        self.workdays = frozenset(workdays)
        # year -> (its first day's ordinal, is a working day, working days so far this
        # year), the lists by day of the year
        self._years: dict[int, tuple[int, list[bool], list[int]]] = {}
        self._bases: dict[int, int] = {_ANCHOR_YEAR: 0}  # working days before each year
        self._counts: dict[int, int] = {}  # ordinal -> working days from the anchor through it

    def is_workday(self, day: date) -> bool:
        first, flags, _counts = self._year(day.year)
        return flags[day.toordinal() - first]

    def _decide(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        if day.year in KNOWN_YEARS:
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5

    def _year(self, year: int) -> tuple[int, list[bool], list[int]]:
        known = self._years.get(year)
        if known is None:
            first = date(year, 1, 1)
            length = (date(year + 1, 1, 1) - first).days
            flags = [self._decide(first + timedelta(days=n)) for n in range(length)]
            known = self._years[year] = (first.toordinal(), flags, list(accumulate(flags)))
        return known

    def _base(self, year: int) -> int:
        """Working days from the anchor year's first day up to `year`'s (negative before)."""
        base = self._bases.get(year)
        if base is None:
            if year > _ANCHOR_YEAR:
                base = self._base(year - 1) + self._year(year - 1)[2][-1]
            else:
                base = self._base(year + 1) - self._year(year)[2][-1]
            self._bases[year] = base
        return base

    def _through(self, day: date) -> int:
        """Working days from the anchor up to and including `day`."""
        ordinal = day.toordinal()
        count = self._counts.get(ordinal)
        if count is None:
            first, _flags, counts = self._year(day.year)
            base = self._base(day.year)
            self._counts.update((first + i, base + c) for i, c in enumerate(counts))
            count = self._counts[ordinal]
        return count

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
            return self._through(end) - self._through(start)
        day = timedelta(days=1)
        return -(self._through(start - day) - self._through(end - day))

    def add_workdays(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (before it, for a negative count)."""
        step = timedelta(days=1 if count >= 0 else -1)
        remaining = abs(count)
        while remaining:
            day += step
            remaining -= self.is_workday(day)
        return day


def day_of_month(year: int, month: int, wanted: int) -> date:
    """The `wanted` day of the month, or its last day when the month is shorter (a report
    "on the 31st" falls on 30 April and 28 February)."""
    return date(year, month, min(wanted, monthrange(year, month)[1]))
