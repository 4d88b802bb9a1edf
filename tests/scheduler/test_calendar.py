"""The working-day calendar: the official schedule, the config's overrides, unknown years."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from scheduler.calendar import KNOWN_YEARS, WorkCalendar

CAL = WorkCalendar()


def test_statutory_holidays_and_make_up_days_of_a_known_year():
    assert 2026 in KNOWN_YEARS
    assert not CAL.is_workday(date(2026, 10, 1))  # National Day, a Thursday
    assert CAL.is_workday(date(2026, 10, 10))  # a Saturday worked in lieu (调休)
    assert CAL.is_workday(date(2026, 12, 1)) and not CAL.is_workday(date(2026, 12, 5))


def test_config_overrides_win():
    cal = WorkCalendar(holidays=[date(2027, 2, 8)], workdays=[date(2027, 2, 20)])
    assert not cal.is_workday(date(2027, 2, 8))  # a Monday declared a holiday
    assert cal.is_workday(date(2027, 2, 20))  # a Saturday declared a working day
    assert cal.knows(2027)
    assert CAL.knows(2027) == (2027 in KNOWN_YEARS)


def test_an_unknown_year_falls_back_to_weekdays():
    year = max(KNOWN_YEARS) + 5
    week = [date(year, 3, 1) + timedelta(days=n) for n in range(7)]
    assert [CAL.is_workday(d) for d in week] == [d.weekday() < 5 for d in week]
    assert not CAL.knows(year)


def test_counting_working_days_across_national_day():
    # Oct 1-7 off; then Thu 8th, Fri 9th, Sat 10th (worked in lieu) and Mon 12th.
    assert CAL.workdays_until(date(2026, 9, 30), date(2026, 10, 12)) == 4
    assert CAL.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert CAL.add_workdays(date(2026, 10, 8), -1) == date(2026, 9, 30)
    assert CAL.workdays_until(date(2026, 10, 8), date(2026, 9, 30)) == -1


@given(st.dates(date(2024, 1, 1), date(2030, 12, 31)), st.integers(-40, 40))
def test_adding_then_counting_working_days_agree(start, count):
    end = CAL.add_workdays(start, count)
    assert CAL.workdays_until(start, end) == count
    assert count == 0 or CAL.is_workday(end)


def test_where_a_days_status_comes_from():
    cal = WorkCalendar(holidays=[date(2026, 2, 16), date(2027, 2, 8)], workdays=[date(2027, 2, 20)])
    assert cal.source(date(2026, 2, 16)) == "config"  # the config wins even in a known year
    assert cal.source(date(2026, 2, 17)) == "builtin"
    assert cal.source(date(2027, 2, 20)) == "config"
    assert cal.source(date(2027, 2, 9)) == "weekdays"
    assert CAL.source(date(2026, 2, 16)) == "builtin"


def test_special_days_and_their_festival():
    # 2026 春节: Sat 14 Feb worked, Sun 15 to Mon 23 off; 清明 Sat 4 Apr to Mon 6 Apr off.
    marks = {d: CAL.special(d) for d in (date(2026, 2, 14), date(2026, 2, 15), date(2026, 2, 16))}
    assert list(marks.values()) == ["makeup", "holiday", "holiday"]
    assert CAL.special(date(2026, 3, 7)) is None  # an ordinary Saturday
    assert CAL.special(date(2026, 3, 9)) is None  # an ordinary Monday
    assert [CAL.festival(date(2026, 2, 14)), CAL.festival(date(2026, 4, 4))] == ["春节", "清明节"]
    assert CAL.festival(date(2026, 3, 9)) is None
    cal = WorkCalendar(holidays=[date(2027, 2, 6), date(2027, 2, 8)], workdays=[date(2027, 2, 20)])
    assert [cal.special(date(2027, 2, d)) for d in (6, 7, 8, 20)] == [
        "holiday",
        None,
        "holiday",
        "makeup",
    ]
    assert cal.festival(date(2027, 2, 8)) is None  # the config gives no names


def test_a_day_of_the_month_beyond_its_end_is_its_last_day():
    from scheduler.calendar import day_of_month

    assert day_of_month(2027, 3, 25) == date(2027, 3, 25)
    assert day_of_month(2027, 4, 31) == date(2027, 4, 30)
    assert day_of_month(2027, 2, 30) == date(2027, 2, 28)
    assert day_of_month(2028, 2, 30) == date(2028, 2, 29)
