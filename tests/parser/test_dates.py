"""Date expressions and numerals, checked directly against DESIGN.md's conventions."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.parser.dates import add_months, find_dates
from handlers.parser.numbers import find_percents, to_int

WED = date(2027, 3, 17)  # a Wednesday
SUN = date(2027, 3, 21)  # a Sunday
DEC = date(2027, 12, 20)  # a Monday in late December

DATES = [
    (WED, "上旬", "2027-04-10"),
    (WED, "月初", "2027-04-10"),
    (date(2027, 3, 5), "月初", "2027-03-10"),
    (WED, "中旬", "2027-03-20"),
    (WED, "月中", "2027-03-20"),
    (WED, "下旬", "2027-03-31"),
    (WED, "月底", "2027-03-31"),
    (WED, "月末", "2027-03-31"),
    (WED, "6月", "2027-06-30"),
    (WED, "2月", "2028-02-29"),
    (WED, "年底", "2027-12-31"),
    (WED, "年末", "2027-12-31"),
    (WED, "上半年", "2027-06-30"),
    (WED, "二季度末", "2027-06-30"),
    (WED, "第二季度", "2027-06-30"),
    (WED, "一季度末", "2027-03-31"),
    (WED, "三季度末", "2027-09-30"),
    (WED, "五一前", "2027-04-30"),
    (WED, "国庆前", "2027-09-30"),
    (WED, "3月17日", "2027-03-17"),
    (WED, "3月16日", "2028-03-16"),
    (WED, "17号", "2027-03-17"),
    (WED, "16号", "2027-04-16"),
    (date(2027, 1, 31), "30号", "2027-03-30"),
    (WED, "周三", "2027-03-17"),
    (WED, "周二", "2027-03-23"),
    (WED, "星期日", "2027-03-21"),
    (WED, "本周一", "2027-03-15"),
    (WED, "这周五", "2027-03-19"),
    (WED, "下周一", "2027-03-22"),
    (WED, "下周日", "2027-03-28"),
    (SUN, "下周一", "2027-03-22"),
    (SUN, "本周五", "2027-03-19"),
    (WED, "本周内", "2027-03-19"),
    (WED, "3天内", "2027-03-20"),
    (WED, "三天后", "2027-03-20"),
    (WED, "2周内", "2027-03-31"),
    (WED, "一个月内", "2027-04-17"),
    (WED, "明年6月", "2028-06-30"),
    (WED, "明年年底", "2028-12-31"),
    (WED, "2028年1月", "2028-01-31"),
    (WED, "2027.5.1", "2027-05-01"),
    (WED, "2027/5/1", "2027-05-01"),
    (WED, "5.1前", "2027-05-01"),
    (DEC, "1月15日", "2028-01-15"),
    (DEC, "12月15日", "2028-12-15"),
    (DEC, "下月", "2028-01-31"),
    (DEC, "下周二", "2027-12-28"),
    (DEC, "一季度末", "2028-03-31"),
    (DEC, "十二月三十一日", "2027-12-31"),
]


@pytest.mark.parametrize(("today", "text", "iso"), DATES)
def test_date_expression(today: date, text: str, iso: str) -> None:
    found = find_dates(text, today)
    assert [m.value.isoformat() for m in found] == [iso]
    assert found[0].start == 0


@pytest.mark.parametrize("text", ["32号", "13月", "今年以来", "每周", "第6号", "120名", "两周"])
def test_not_a_date(text: str) -> None:
    assert find_dates(text, WED) == []


def test_add_months_clamps() -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2027, 12, 31), 1) == date(2028, 1, 31)
    assert add_months(date(9999, 12, 1), 1) is None


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("十二", 12),
        ("二十", 20),
        ("三十一", 31),
        ("廿三", 23),
        ("一百", 100),
        ("两", 2),
        ("x", None),
    ],
)
def test_to_int(token: str, value: int | None) -> None:
    assert to_int(token) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("80%", 80),
        ("百分之六十", 60),
        ("六成", 60),
        ("七成五", 75),
        ("过半", 50),
        ("一半", 50),
        ("三分之一", 33),
        ("完成率75%", 75),
        ("进度80", 80),
        ("75.5%", 76),
    ],
)
def test_percent(text: str, value: int) -> None:
    assert [p.value for p in find_percents(text)] == [value]


@pytest.mark.parametrize("text", ["完成", "成功", "形成三成果", "120名", "3月"])
def test_not_a_percent(text: str) -> None:
    assert find_percents(text) == []


# docs/dates.md, "节日": "X前" the day before, "X后" the first day after the days off.
FESTIVALS = [
    ("元旦前", "2027-12-31"),
    ("元旦后", "2028-01-02"),
    ("春节前", "2028-01-25"),
    ("年前", "2028-01-25"),
    ("春节后", "2028-02-02"),
    ("年后", "2028-02-02"),
    ("清明前", "2027-04-04"),
    ("清明节后", "2027-04-06"),
    ("五一前", "2027-04-30"),
    ("劳动节后", "2027-05-06"),
    ("端午前", "2027-06-08"),
    ("端午节后", "2027-06-10"),
    ("中秋前", "2027-09-14"),
    ("中秋节后", "2027-09-16"),
    ("国庆前", "2027-09-30"),
    ("十一前", "2027-09-30"),
    ("国庆后", "2027-10-08"),
    ("国庆节假期后", "2027-10-08"),
    ("2028年春节前", "2028-01-25"),
]


@pytest.mark.parametrize(("text", "iso"), FESTIVALS)
def test_festival(text: str, iso: str) -> None:
    (found,) = find_dates(text, WED)
    assert found.value.isoformat() == iso and found.start == 0


@pytest.mark.parametrize("text", ["三年前", "半年后", "2024年前", "新年前夕", "周年"])
def test_not_a_festival(text: str) -> None:
    assert all(m.value.month != 1 or m.value.day not in (25, 26) for m in find_dates(text, WED))


def test_a_festival_outside_the_table_is_not_read() -> None:
    from handlers.parser import parse_reply

    from .fixtures import TASKS

    assert find_dates("春节前", date(2061, 3, 1)) == []
    result = parse_reply("T12 延期至春节前", today=date(2061, 3, 1), tasks=TASKS["mus"])
    assert result.clarify is not None and result.clarify.reason == "missing_date"
