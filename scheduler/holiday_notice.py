"""Read the State Council's yearly holiday notice (《国务院办公厅关于20XX年部分节假日安排的通知》).

Text in, a `Schedule` or a list of `NoticeProblem`s out; pure, standard library only. Every
fact the notice states is cross-checked (weekday annotations, 共N天, make-up days on
weekends), so a mistyped notice is refused rather than turned into a wrong calendar. The
format rules relied on are written down in docs/holiday-notice.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

# Every notice since 2008 covers these seven, some combined in one item (中秋节、国庆节).
FESTIVALS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
WEEKDAYS = "一二三四五六日"

_NAME = r"(?:元旦|春节|清明节?|劳动节|端午节?|中秋节?|国庆节?)"
# An item starts at its festival names and a colon: 「二、春节：」「六、中秋节、国庆节：」.
_HEADER = re.compile(rf"(?P<names>{_NAME}(?:[、,和与及]{_NAME})*)(?::|(?=\d))")


def _date(tag: str) -> str:
    """A date as notices write it: 2022年12月31日, 2月15日, 23日; then an optional (周日)."""
    return (
        rf"(?:(?P<{tag}y>\d{{4}})年)?(?:(?P<{tag}m>\d{{1,2}})月)?(?P<{tag}d>\d{{1,2}})日"
        rf"(?:\((?P<{tag}note>[^()]*)\))?"
    )


_DATE = re.compile(_date(""))
_ONE = r"(?:\d{4}年)?(?:\d{1,2}月)?\d{1,2}日(?:\([^()]*\))?"
_LIST = rf"{_ONE}(?:(?:、|,|和|及){_ONE})*"
_COUNT = r"\d+|[一二两三四五六七八九十]{1,3}"
# 「2月15日（周日）至23日（周一）放假调休，共9天」「1月1日（周三）放假1天」「6月10日放假」
_OFF = re.compile(
    rf"{_date('a')}(?:(?:至|到|—|-|~){_date('b')})?放假(?:调休)?"
    rf"(?:(?P<n1>{_COUNT})天)?(?:,?(?:共计|一共|合计|共)(?P<n2>{_COUNT})天)?"
)
# What is left of a stated day count the pattern above did not take: never dropped unread.
_STRAY_COUNT = re.compile(rf"(?:共计|一共|合计|共)\s*(?:{_COUNT}|\S{{1,3}})\s*天")
# 「2月14日（周六）、2月28日（周六）上班」; before 2018 also 「1月2日（星期一）补休」.
_ON = re.compile(rf"(?P<list>{_LIST})(?:调休)?上班")
_IN_LIEU = re.compile(rf"(?P<list>{_LIST})补休")
_YEAR = re.compile(r"(\d{4})年(?=(?:部分)?节假日|元旦)")
_WEEKDAY_NOTE = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])")


@dataclass(frozen=True)
class NoticeProblem:
    item: str  # the festival(s) as the notice names them, or "" for the notice as a whole
    message: str

    def __str__(self) -> str:
        return f"{self.item}：{self.message}" if self.item else self.message


@dataclass(frozen=True)
class Item:
    """One numbered item of the notice: its festival(s), days off and make-up working days."""

    names: tuple[str, ...]
    holidays: tuple[date, ...]
    workdays: tuple[date, ...]

    @property
    def title(self) -> str:
        return "、".join(self.names)


@dataclass(frozen=True)
class Schedule:
    year: int
    items: tuple[Item, ...]

    @property
    def holidays(self) -> list[date]:
        return sorted(d for item in self.items for d in item.holidays)

    @property
    def workdays(self) -> list[date]:
        return sorted(d for item in self.items for d in item.workdays)


def normalize(text: str) -> str:
    """Half-width punctuation and digits, and no whitespace: a PDF copy breaks lines anywhere."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def parse_notice(text: str, year: int | None = None) -> Schedule | list[NoticeProblem]:
    """The schedule the notice states, or every problem found in it."""
    text = normalize(text)
    stated = sorted({int(y) for y in _YEAR.findall(text)})
    if len(stated) > 1:
        years = "、".join(map(str, stated))
        return [NoticeProblem("", f"通知里出现了不止一个年份（{years}），请只粘贴一份通知")]
    if year is not None and stated and stated != [year]:
        return [NoticeProblem("", f"这是 {stated[0]} 年的通知，与 --year {year} 不符")]
    if year is None and not stated:
        return [NoticeProblem("", "看不出是哪一年的安排（通知标题里有年份），请用 --year 指定")]
    year = year if year is not None else stated[0]
    headers = list(_HEADER.finditer(text))
    if not headers:
        return [
            NoticeProblem(
                "", "没有找到节日安排（如「一、元旦：1月1日放假」），请粘贴通知的全文或正文"
            )
        ]
    problems: list[NoticeProblem] = []
    items: list[Item] = []
    for header, after in zip(headers, [*headers[1:], None], strict=True):
        body = text[header.end() : after.start() if after else len(text)]
        item = _item(_names(header["names"]), body, year, problems)
        if item:
            items.append(item)
    problems += _across_items(items, [n for h in headers for n in _names(h["names"])])
    return problems or Schedule(year, tuple(items))


def _canonical(name: str) -> str:
    return name if name in FESTIVALS else name + "节"


def _names(names: str) -> tuple[str, ...]:
    return tuple(_canonical(n) for n in re.split(r"[、,和与及]", names))


def _item(
    names: tuple[str, ...], body: str, year: int, problems: list[NoticeProblem]
) -> Item | None:
    title = "、".join(names)
    found: list[NoticeProblem] = []
    off: set[date] = set()
    on: set[date] = set()
    january = "元旦" in names  # its December dates without a year are the previous year's
    for sentence in re.split(r"[。;.]", body):
        if not re.search(r"放假|上班|补休", sentence) or not _DATE.search(sentence):
            continue  # 「鼓励……在除夕（2月9日）休息」, 「与周末连休」: nothing to record
        used: list[tuple[int, int]] = []
        for match in _OFF.finditer(sentence):
            used.append(match.span())
            off |= _range(match, year, january, title, found)
        for pattern, into, weekend in ((_ON, on, True), (_IN_LIEU, off, False)):
            for match in pattern.finditer(sentence):
                used.append(match.span())
                days = _listed(match["list"], year, january, title, found)
                into.update(days)
                found += _weekend_checks(days, weekend, title)
        stray = [m for m in _DATE.finditer(sentence) if not _within(m.span(), used)]
        stray += [m for m in _STRAY_COUNT.finditer(sentence) if not _within(m.span(), used)]
        if stray:
            found.append(NoticeProblem(title, f"看不懂这一句：「{sentence}」"))
    if not off and not found:
        found.append(NoticeProblem(title, "没有找到放假日期"))
    for day in sorted(off & on):
        found.append(NoticeProblem(title, f"{_md(day)}既写了放假又写了上班"))
    problems += found
    return None if found else Item(names, tuple(sorted(off)), tuple(sorted(on)))


def _within(span: tuple[int, int], used: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in used)


def _range(
    match: re.Match[str], year: int, january: bool, title: str, found: list[NoticeProblem]
) -> set[date]:
    first = _day(match, "a", year, january, None, title, found)
    last = _day(match, "b", year, january, first, title, found) if match["bd"] else first
    if first is None or last is None:
        return set()
    if last < first:
        found.append(NoticeProblem(title, f"放假从{_md(first)}到{_md(last)}，结束早于开始"))
        return set()
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    for count in {_count(match["n1"]), _count(match["n2"])} - {None}:
        if count != len(days):
            span = spans(days, year)
            found.append(NoticeProblem(title, f"{span}是 {len(days)} 天，通知写的是共{count}天"))
    return set(days)


_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")} | {"两": 2}


def _count(text: str | None) -> int | None:
    """A stated number of days: 9, 九, 十, 十一 (a holiday is never twenty days long)."""
    if text is None:
        return None
    if text.isdigit():
        return int(text)
    tens, _, ones = text.rpartition("十")
    if "十" not in text:
        return _DIGITS.get(text, -1)
    return (_DIGITS.get(tens, -1) if tens else 1) * 10 + (_DIGITS.get(ones, -1) if ones else 0)


def _listed(
    text: str, year: int, january: bool, title: str, found: list[NoticeProblem]
) -> list[date]:
    days: list[date] = []
    previous: date | None = None
    for match in _DATE.finditer(text):
        day = _day(match, "", year, january, previous, title, found)
        if day is not None:
            days.append(day)
            previous = day
    return days


def _day(
    match: re.Match[str],
    tag: str,
    year: int,
    january: bool,
    previous: date | None,
    title: str,
    found: list[NoticeProblem],
) -> date | None:
    """One written date; a date without a month takes the month (and year) of the one before."""
    y, m, d = match[f"{tag}y"], match[f"{tag}m"], int(match[f"{tag}d"])
    written = f"{y + '年' if y else ''}{m + '月' if m else ''}{d}日"
    if m is None and previous is None:
        found.append(NoticeProblem(title, f"「{written}」没有写月份"))
        return None
    month = int(m) if m else previous.month  # type: ignore[union-attr]
    if y:
        in_year = int(y)
    elif m is None and previous is not None:
        in_year = previous.year
    else:
        in_year = year - 1 if january and month == 12 else year
    if in_year not in (year - 1, year):
        found.append(NoticeProblem(title, f"「{written}」不在 {year} 年的安排之内"))
        return None
    try:
        day = date(in_year, month, d)
    except ValueError:
        found.append(NoticeProblem(title, f"「{written}」这一天不存在"))
        return None
    note = _WEEKDAY_NOTE.search(match[f"{tag}note"] or "")
    if note:
        stated = WEEKDAYS.index(note[1].replace("天", "日"))
        if stated != day.weekday():
            found.append(
                NoticeProblem(
                    title,
                    f"{_md(day)}标注为周{WEEKDAYS[stated]}，实为周{WEEKDAYS[day.weekday()]}",
                )
            )
    return day


def _weekend_checks(days: list[date], weekend: bool, title: str) -> list[NoticeProblem]:
    """Make-up working days are weekend days; days off in lieu (补休) are weekdays."""
    if weekend:
        return [
            NoticeProblem(
                title,
                f"{_md(d)}是周{WEEKDAYS[d.weekday()]}，本来就上班，不会是调休上班日",
            )
            for d in days
            if d.weekday() < 5
        ]
    return [
        NoticeProblem(title, f"{_md(d)}是周{WEEKDAYS[d.weekday()]}，本来就休息，不会是补休日")
        for d in days
        if d.weekday() >= 5
    ]


def _across_items(items: list[Item], named: list[str]) -> list[NoticeProblem]:
    problems: list[NoticeProblem] = []
    repeated = sorted({n for n in named if named.count(n) > 1}, key=FESTIVALS.index)
    if repeated:
        problems.append(NoticeProblem("", f"{'、'.join(repeated)}出现了不止一次"))
    missing = [n for n in FESTIVALS if n not in named]
    if missing:
        problems.append(
            NoticeProblem(
                "",
                f"缺少{'、'.join(missing)}的安排（通知包括全部七个节日），请确认复制完整",
            )
        )
    seen: dict[date, str] = {}
    for item in items:
        for day in (*item.holidays, *item.workdays):
            if day in seen and seen[day] != item.title:
                problems.append(NoticeProblem(item.title, f"{_md(day)}也出现在{seen[day]}里"))
            seen.setdefault(day, item.title)
    return problems


def _md(day: date) -> str:
    return f"{day.month}月{day.day}日"


def written(day: date, year: int) -> str:
    """A date as the notice for `year` writes it: 2月15日, or 2022年12月31日 outside that year."""
    return f"{'' if day.year == year else f'{day.year}年'}{day.month}月{day.day}日"


def spans(days: Sequence[date], year: int) -> str:
    """Sorted days as the notice writes them: runs as 2月15日至23日, the rest joined by 、."""
    runs: list[list[date]] = []
    for day in days:
        if runs and day - runs[-1][-1] == timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        first, last = run[0], run[-1]
        if last == first:
            parts.append(written(first, year))
        elif (last.year, last.month) == (first.year, first.month):
            parts.append(f"{written(first, year)}至{last.day}日")
        else:  # across a month, or across the year as 2022年12月31日至2023年1月2日
            end = written(last, year if last.year == first.year else 0)
            parts.append(f"{written(first, year)}至{end}")
    return "、".join(parts)
