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
