"""The State Council's holiday notice → holidays and make-up days, cross-checked.

The fixtures in notices/ are the published notices as the government website shows them;
chinese-calendar is the oracle for the years it knows.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.holiday_notice import Schedule, parse_notice

NOTICES = Path(__file__).parent / "notices"


def notice(year: int) -> str:
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


def parsed(text: str, year: int | None = None) -> Schedule:
    result = parse_notice(text, year)
    assert isinstance(result, Schedule), [str(p) for p in result]
    return result


def problems(text: str, year: int | None = None) -> list[str]:
    result = parse_notice(text, year)
    assert not isinstance(result, Schedule), "expected the notice to be refused"
    return [str(p) for p in result]


def days_of(year: int) -> list[date]:
    return [
        date(year, 1, 1) + timedelta(days=n)
        for n in range((date(year + 1, 1, 1) - date(year, 1, 1)).days)
    ]


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_the_published_notice_equals_chinese_calendar_day_by_day(year):
    schedule = parsed(notice(year))
    assert schedule.year == year
    assert {d for d in chinese_calendar.holidays if d.year == year} == set(schedule.holidays)
    assert {d for d in chinese_calendar.workdays if d.year == year} == set(schedule.workdays)
    # As duban uses it for a year chinese-calendar does not know: Monday to Friday, overridden.
    holidays, workdays = set(schedule.holidays), set(schedule.workdays)
    for day in days_of(year):
        ours = day in workdays or (day not in holidays and day.weekday() < 5)
        assert ours == chinese_calendar.is_workday(day), day


@pytest.mark.parametrize("year", [2017, 2023, 2024, 2025, 2026])
def test_every_day_is_filed_under_the_festival_chinese_calendar_names(year):
    for item in parsed(notice(year)).items:
        for day in (*item.holidays, *item.workdays):
            _, name = chinese_calendar.get_holiday_detail(day)
            short = chinese_calendar.Holiday(name).chinese  # 清明, 端午, 中秋: no 节
            assert any(n.startswith(short) for n in item.names), (day, item.names)


@pytest.mark.parametrize("year", [2017, 2023])
def test_older_forms_a_range_across_the_year_and_a_day_off_in_lieu(year):
    schedule = parsed(notice(year))
    holidays, workdays = set(schedule.holidays), set(schedule.workdays)
    for day in days_of(year):
        ours = day in workdays or (day not in holidays and day.weekday() < 5)
        assert ours == chinese_calendar.is_workday(day), day
    if year == 2023:  # 「元旦：2022年12月31日至2023年1月2日放假调休，共3天」
        assert schedule.items[0].holidays == (
            date(2022, 12, 31),
            date(2023, 1, 1),
            date(2023, 1, 2),
        )
    else:  # 「元旦：1月1日放假，1月2日（星期一）补休」
        assert schedule.items[0].holidays == (date(2017, 1, 1), date(2017, 1, 2))


def test_items_combined_ranges_across_a_month_and_a_single_day():
    schedule = parsed(notice(2025))
    titles = [item.title for item in schedule.items]
    assert titles == ["元旦", "春节", "清明节", "劳动节", "端午节", "国庆节、中秋节"]
    new_year, spring, *_, dragon_boat, national = schedule.items
    assert new_year.holidays == (date(2025, 1, 1),) and new_year.workdays == ()
    assert spring.holidays[0] == date(2025, 1, 28) and spring.holidays[-1] == date(2025, 2, 4)
    assert spring.workdays == (date(2025, 1, 26), date(2025, 2, 8))
    assert dragon_boat.holidays == (date(2025, 5, 31), date(2025, 6, 1), date(2025, 6, 2))
    assert len(national.holidays) == 8
    # 2024: 「鼓励……安排职工在除夕（2月9日）休息」 is advice, not a holiday.
    assert date(2024, 2, 9) not in parsed(notice(2024)).holidays


def _half_width(text: str) -> str:
    return text.translate(str.maketrans("（）：，。、；", "():,.,;"))


def _xingqi(text: str) -> str:
    return re.sub(r"周([一二三四五六日])", r"星期\1", text)


def _zhou(text: str) -> str:
    return re.sub(r"星期([一二三四五六日])", r"周\1", text)


def _no_notes(text: str) -> str:
    return re.sub(r"（[^（）]*）", "", text)


def _spaced(text: str) -> str:
    return " ".join(text).replace("日 ", "日\n  ")


@pytest.mark.parametrize("year", [2024, 2025, 2026])
@pytest.mark.parametrize(
    "variant",
    [_half_width, _xingqi, _zhou, _no_notes, _spaced, lambda t: _spaced(_half_width(_xingqi(t)))],
    ids=["half-width", "xingqi", "zhou", "no-weekday", "spaces-and-breaks", "all-at-once"],
)
def test_variants_parse_the_same(year, variant):
    assert parsed(variant(notice(year))) == parsed(notice(year))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 1), st.sampled_from(["\n", " ", "\r\n", "\u3000", "\t"])),
        max_size=40,
    )
)
def test_line_breaks_anywhere_change_nothing(breaks):
    text = notice(2026)
    for where, space in sorted(breaks, reverse=True):
        at = int(where * len(text))
        text = text[:at] + space + text[at:]
    assert parsed(text) == parsed(notice(2026))


def test_the_body_alone_with_year_given():
    body = notice(2026)
    body = body[body.index("一、元旦") : body.index("节假日期间")]
    assert parsed(body, 2026) == parsed(notice(2026))
    assert problems(body) == ["看不出是哪一年的安排（通知标题里有年份），请用 --year 指定"]
    assert problems(notice(2026), 2027) == ["这是 2026 年的通知，与 --year 2027 不符"]


def test_a_wrong_weekday_annotation_names_the_item():
    text = notice(2026).replace("2月14日（周六）", "2月14日（周五）")
    assert problems(text) == ["春节：2月14日标注为周五，实为周六"]
    text = notice(2025).replace("（农历除夕、周二）", "（农历除夕、周三）")
    assert problems(text) == ["春节：1月28日标注为周三，实为周二"]


def test_a_wrong_day_count_names_the_item():
    text = notice(2026).replace("共9天", "共10天")
    assert problems(text) == ["春节：2月15日至23日是 9 天，通知写的是共10天"]
    text = notice(2025).replace("放假1天", "放假2天")
    assert problems(text) == ["元旦：1月1日是 1 天，通知写的是共2天"]


@pytest.mark.parametrize("count", ["共九天", "共计9天", "一共9天", "合计九天", "共 9 天"])
def test_a_day_count_in_other_words_is_read_and_checked(count):
    assert parsed(notice(2026).replace("共9天", count)) == parsed(notice(2026))
    wrong = count.replace("九", "八").replace("9", "8")
    assert problems(notice(2026).replace("共9天", wrong)) == [
        "春节：2月15日至23日是 9 天，通知写的是共8天"
    ]


def test_a_day_count_that_cannot_be_read_is_refused():
    (problem,) = problems(notice(2026).replace("共9天", "共约9天"))
    assert problem.startswith("春节：看不懂这一句")


def test_a_make_up_day_on_a_weekday_names_the_item():
    text = notice(2026).replace("5月9日（周六）上班", "5月8日上班")
    assert problems(text) == ["劳动节：5月8日是周五，本来就上班，不会是调休上班日"]


def test_every_problem_is_reported_at_once():
    text = (
        notice(2026)
        .replace("2月14日（周六）", "2月14日（周五）")
        .replace("共7天", "共8天")
        .replace("9月20日（周日）", "9月21日")
    )
    assert problems(text) == [
        "春节：2月14日标注为周五，实为周六",
        "国庆节：10月1日至7日是 7 天，通知写的是共8天",
        "国庆节：9月21日是周一，本来就上班，不会是调休上班日",
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("六、中秋节：9月25日（周五）至27日（周日）放假，共3天。", ""),
            "缺少中秋节的安排（通知包括全部七个节日），请确认复制完整",
        ),
        (("2月28日（周六）", "2月30日（周六）"), "春节：「2月30日」这一天不存在"),
        (
            ("4月4日（周六）至6日", "4月6日（周一）至4日"),
            "清明节：放假从4月6日到4月4日，结束早于开始",
        ),
        (
            ("6月19日（周五）至21日（周日）放假", "6月19日（周五）起放假三天"),
            "端午节：看不懂这一句：「6月19日(周五)起放假三天,共3天」",
        ),
        (("5月9日（周六）上班", "5月2日（周六）上班"), "劳动节：5月2日既写了放假又写了上班"),
        (("9月20日（周日）、", "9月26日（周六）、"), "国庆节：9月26日也出现在中秋节里"),
        (("三、清明节：", "三、端午节："), "端午节出现了不止一次"),
    ],
)
def test_other_inconsistencies_are_refused(change, expected):
    text = notice(2026).replace(*change)
    assert text != notice(2026)
    assert expected in problems(text)


def test_text_that_is_not_a_notice():
    assert problems("会议纪要：下周一开会。", 2027) == [
        "没有找到节日安排（如「一、元旦：1月1日放假」），请粘贴通知的全文或正文"
    ]
    assert problems("\n".join(notice(y) for y in (2025, 2026))) == [
        "通知里出现了不止一个年份（2025、2026），请只粘贴一份通知"
    ]


def test_short_festival_names_and_other_list_separators():
    text = (
        notice(2026)
        .replace("三、清明节：", "三、清明：")
        .replace("五、端午节：", "五、端午：")
        .replace("2月14日（周六）、2月28日（周六）上班", "2月14日（周六）和28日（周六）上班")
    )
    assert parsed(text) == parsed(notice(2026))


def test_a_day_off_in_lieu_must_be_a_weekday_and_dates_stay_near_the_year():
    text = notice(2017).replace("1月2日（星期一）补休", "1月7日补休")
    assert problems(text) == ["元旦：1月7日是周六，本来就休息，不会是补休日"]
    text = notice(2026).replace("5月9日（周六）上班", "2028年5月6日（周六）上班")
    assert problems(text) == ["劳动节：「2028年5月6日」不在 2026 年的安排之内"]
