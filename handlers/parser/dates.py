"""Date expressions resolved against ``today`` (see DESIGN.md, "Date conventions")."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from .festivals import around_festival
from .numbers import to_int

_M = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_D = (
    r"(?:3[01]|[12][0-9]|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?"
    r"|廿[一二三四五六七八九]?|[一二三四五六七八九])"
)
_MD = r"(?:1[0-2]|0?[1-9])"
_DD = r"(?:3[01]|[12][0-9]|0?[1-9])"
_Y4 = r"(?:19|20)[0-9]{2}"
_YEAR = r"(?:(?P<y>" + _Y4 + r")\s*年|(?P<ry>明年|今年|来年|去年))"
_NOT_NUM_BEFORE = r"(?<![0-9一二三四五六七八九十])"
_PART = r"(?P<part>中下旬|上中旬|上旬|中旬|下旬|月初|月中|月底|月末|初|中|底|末|内|前|份)"
_AFTER_DAY = r"(?=\s*(?:之前|以前|前|左右|截止|到期|完成|办结|[,;。!?\n ]|$))"

_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAYS.update({"1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6})


class DateMatch:
    __slots__ = ("day", "end", "explicit_year", "start", "value")

    def __init__(
        self, start: int, end: int, value: date, explicit_year: bool, day: bool = False
    ) -> None:
        self.start, self.end, self.value, self.explicit_year = start, end, value, explicit_year
        self.day = day  # a month and a day were written ("4月2日", "4.2")

    def __repr__(self) -> str:
        return f"DateMatch({self.start}, {self.end}, {self.value}, {self.explicit_year})"


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _MONTH_DAYS[month - 1]


def make_date(year: int, month: int, day: int) -> date | None:
    if not (1 <= year <= 9999 and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    if day > days_in_month(year, month):
        return None
    return date(year, month, day)


def month_end(year: int, month: int) -> date | None:
    if not (1 <= year <= 9999 and 1 <= month <= 12):
        return None
    return date(year, month, days_in_month(year, month))


def add_months(base: date, months: int) -> date | None:
    """Same day ``months`` later, clamped to the month's last day."""
    index = base.year * 12 + base.month - 1 + months
    year, month = divmod(index, 12)
    end = month_end(year, month + 1)
    if end is None:
        return None
    return end.replace(day=min(base.day, end.day))


def add_days(base: date, days: int) -> date | None:
    try:
        return base + timedelta(days=days)
    except OverflowError:
        return None


def add_working_days(base: date, days: int) -> date | None:
    """Skip Saturdays and Sundays only: the parser is pure and knows no holidays."""
    current: date | None = base
    for _ in range(min(days, 400)):
        current = add_days(current, 1) if current else None
        while current is not None and current.weekday() >= 5:
            current = add_days(current, 1)
    return current


def _part_day(year: int, month: int, part: str | None) -> date | None:
    if part in ("上旬", "月初", "初"):
        return make_date(year, month, 10)
    if part in ("中旬", "月中", "中", "上中旬"):
        return make_date(year, month, 20)
    return month_end(year, month)


def _year_base(m: re.Match[str], today: date) -> int | None:
    """The explicit year of a match, or None when the text gives none."""
    y = m.groupdict().get("y")
    if y:
        return int(y)
    ry = m.groupdict().get("ry")
    if ry in ("明年", "来年"):
        return today.year + 1
    if ry == "今年":
        return today.year
    if ry == "去年":
        return today.year - 1
    return None


def _nearest(today: date, build: Callable[[int], date | None]) -> date | None:
    """The first ``build(year)`` on or after today, trying this year then the next."""
    for year in (today.year, today.year + 1):
        value = build(year)
        if value is not None and value >= today:
            return value
    return None


def _with_year(m: re.Match[str], today: date, build: Callable[[int], date | None]) -> date | None:
    year = _year_base(m, today)
    if year is not None:
        return build(year)
    return _nearest(today, build)


def _r_ymd(m: re.Match[str], today: date) -> date | None:
    return make_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))


def _r_md(m: re.Match[str], today: date) -> date | None:
    month, day = to_int(m.group("m")), to_int(m.group("d"))
    if month is None or day is None:
        return None
    return _with_year(m, today, lambda y: make_date(y, month, day))


def _r_month(m: re.Match[str], today: date) -> date | None:
    month = to_int(m.group("m"))
    if month is None:
        return None
    part = m.group("part")
    return _with_year(m, today, lambda y: _part_day(y, month, part))


def _r_rel_month(m: re.Match[str], today: date) -> date | None:
    word = m.group("rm")
    offset = 2 if word.startswith("下下") else 1 if word[0] in "下次" else 0
    first = add_months(today.replace(day=1), offset)
    if first is None:
        return None
    if m.group("d"):
        day = to_int(m.group("d"))
        return make_date(first.year, first.month, day) if day else None
    return _part_day(first.year, first.month, m.group("part"))


def _r_this_month_part(m: re.Match[str], today: date) -> date | None:
    part = m.group("part")
    if part == "月内":
        return month_end(today.year, today.month)
    for offset in (0, 1):
        first = add_months(today.replace(day=1), offset)
        if first is None:
            return None
        value = _part_day(first.year, first.month, part)
        if value is not None and value >= today:
            return value
    return None


def _r_year_only(m: re.Match[str], today: date) -> date | None:
    year = _year_base(m, today)
    return make_date(year, 12, 31) if year is not None else None


def _r_year_end(m: re.Match[str], today: date) -> date | None:
    return make_date(today.year, 12, 31)


def _r_half(m: re.Match[str], today: date) -> date | None:
    month = 6 if m.group("h") == "上半年" else 12
    return _with_year(m, today, lambda y: month_end(y, month))


def _r_quarter(m: re.Match[str], today: date) -> date | None:
    q = to_int(m.group("q") or m.group("q2"))
    if q is None or not 1 <= q <= 4:
        return None
    return _with_year(m, today, lambda y: month_end(y, q * 3))


def _r_holiday(m: re.Match[str], today: date) -> date | None:
    """Festivals: "国庆前" → Sep 30, "春节后" → the first day after the days off.

    See docs/dates.md."""
    name, after = m.group("hol"), m.group("before") is None
    return _with_year(m, today, lambda y: around_festival(name, y, after))


def _week_offset(word: str | None) -> int | None:
    if not word:
        return None
    if word.startswith("下下"):
        return 2
    if word[0] == "下":
        return 1
    if word[0] == "上":
        return -1
    return 0


def _r_weekday(m: re.Match[str], today: date) -> date | None:
    weekday = _WEEKDAYS[m.group("wd")]
    offset = _week_offset(m.group("wk"))
    if offset is None:
        return add_days(today, (weekday - today.weekday()) % 7)
    return add_days(today, offset * 7 + weekday - today.weekday())


def _r_week(m: re.Match[str], today: date) -> date | None:
    offset = _week_offset(m.group("wk")) or 0
    # The working week ends on Friday; 周末 means its Sunday.
    weekday = 6 if m.group("wp") == "末" else 4
    return add_days(today, offset * 7 + weekday - today.weekday())


def _r_weekend(m: re.Match[str], today: date) -> date | None:
    return add_days(today, 6 - today.weekday())


def _r_day(m: re.Match[str], today: date) -> date | None:
    day = to_int(m.group("d"))
    if day is None:
        return None
    for offset in range(0, 3):
        first = add_months(today.replace(day=1), offset)
        if first is None:
            return None
        value = make_date(first.year, first.month, day)
        if value is not None and value >= today:
            return value
    return None


_REL_DAYS = {"今天": 0, "今日": 0, "当天": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3}


def _r_rel_day(m: re.Match[str], today: date) -> date | None:
    return add_days(today, _REL_DAYS[m.group("rel")])


class Duration:
    __slots__ = ("amount", "unit")

    def __init__(self, amount: int, unit: str) -> None:
        self.amount = amount
        self.unit = unit  # "day", "workday", "week", "month"

    def after(self, base: date) -> date | None:
        if self.unit == "month":
            return add_months(base, self.amount)
        if self.unit == "week":
            return add_days(base, 7 * self.amount)
        if self.unit == "workday":
            return add_working_days(base, self.amount)
        return add_days(base, self.amount)


_DURATION_BODY = (
    r"(?P<n>[0-9]{1,3}|[一二两三四五六七八九十]{1,3}|半)\s*(?P<ge>个)?\s*"
    r"(?P<u>工作日|天|日|周|星期|礼拜|月)"
)
DURATION_RE = re.compile(_DURATION_BODY)


def duration_from(m: re.Match[str]) -> Duration | None:
    unit_word, n = m.group("u"), m.group("n")
    # "两月" is a span, but a bare "一月"/"十月" names a month.
    if unit_word == "月" and not m.group("ge") and n not in ("半", "两") and not n.isascii():
        return None
    if n == "半":
        if unit_word == "月":
            return Duration(15, "day")
        return None
    amount = to_int(n)
    if amount is None or amount <= 0:
        return None
    if unit_word == "月":
        return Duration(amount, "month")
    if unit_word in ("周", "星期", "礼拜"):
        return Duration(amount, "week")
    if unit_word == "工作日":
        return Duration(amount, "workday")
    return Duration(amount, "day")


def _r_within(m: re.Match[str], today: date) -> date | None:
    span = duration_from(m)
    return span.after(today) if span is not None else None


_Resolver = Callable[[re.Match[str], date], "date | None"]
# Patterns that name a month and a day (the first three) come first.
_DAY_PATTERNS = 3
_SOURCES: tuple[tuple[str, _Resolver], ...] = (
    (
        (
            r"(?<![0-9])(?P<y>" + _Y4 + r")\s*[-/.年]\s*(?P<m>" + _MD + r")\s*[-/.月]\s*"
            r"(?P<d>" + _DD + r")(?![0-9])\s*[日号]?"
        ),
        _r_ymd,
    ),
    (
        (
            r"(?:" + _YEAR + r"\s*)?" + _NOT_NUM_BEFORE + r"(?P<m>" + _M + r")\s*月份?\s*"
            r"(?P<d>" + _D + r")(?:\s*[日号]|" + _AFTER_DAY + r")"
        ),
        _r_md,
    ),
    (
        (
            r"(?<![0-9.])(?P<m>"
            + _MD
            + r")[./](?P<d>"
            + _DD
            + r")(?![0-9.%])\s*[日号]?"
            + _AFTER_DAY
        ),
        _r_md,
    ),
    (
        (
            r"(?:"
            + _YEAR
            + r"\s*)?"
            + _NOT_NUM_BEFORE
            + r"(?P<m>"
            + _M
            + r")\s*月份?\s*"
            + _PART
            + r"?"
        ),
        _r_month,
    ),
    (
        (
            r"(?P<rm>下下个?月|下个?月|本月|这个?月|当月|次月)\s*(?:(?P<d>" + _D + r")\s*[日号]"
            r"|(?P<part>上旬|中旬|下旬|初|中|底|末|内))?"
        ),
        _r_rel_month,
    ),
    ((r"(?P<part>月底|月末|月中|月初|月内|上旬|中旬|下旬)"), _r_this_month_part),
    ((r"(?P<y>" + _Y4 + r")\s*年\s*(?:度|底|末|内)?"), _r_year_only),
    ((r"(?P<ry>明年|今年|来年)\s*(?:年底|年末|底|末|内)"), _r_year_only),
    # "今年" alone ("今年以来") is no deadline, but "明年" alone is.
    ((r"(?P<ry>明年|来年)"), _r_year_only),
    ((r"年底|年末|年内"), _r_year_end),
    ((r"(?:" + _YEAR + r"\s*)?(?P<h>上半年|下半年)"), _r_half),
    (
        (
            r"(?:"
            + _YEAR
            + r"\s*)?(?:第?(?P<q>[一二三四1-4])\s*季度|(?<![A-Za-z])[Qq](?P<q2>[1-4]))"
            r"\s*(?:末|底|内|前|结束前)?"
        ),
        _r_quarter,
    ),
    (
        (
            r"(?:" + _YEAR + r"\s*)?(?P<hol>五一|劳动节|国庆节|国庆|十一|元旦|春节|清明节?|端午节?"
            r"|中秋节?|(?<![0-9一二三四五六七八九十〇零两半多几今明去来当每上下前后新全周历往])年)"
            r"\s*(?:节)?\s*(?:假期|长假|小长假|放假)?\s*(?:(?P<before>(?=之前|以前|前))"
            r"|(?:之后|以后|后)(?![天日]))"
        ),
        _r_holiday,
    ),
    (
        (r"(?P<wk>下下个?|下个?|本|这个?|上个?)?\s*(?:周|星期|礼拜)(?P<wd>[一二三四五六日天1-7])"),
        _r_weekday,
    ),
    ((r"(?P<wk>下下个?|下个?|本|这个?)\s*(?:周|星期|礼拜)\s*(?P<wp>内|末)?"), _r_week),
    ((r"周末"), _r_weekend),
    (
        (
            r"(?<![0-9月./第])(?P<d>" + _D + r")\s*"
            r"(?:号(?![楼院馆厅室门线口位窗文令机箱库台座房码车展会])|日(?![内后]))"
        ),
        _r_day,
    ),
    ((r"(?P<rel>大后天|后天|明天|明日|今天|今日|当天)"), _r_rel_day),
    ((_DURATION_BODY + r"\s*(?:之内|以内|内|之后|以后|后)"), _r_within),
)

# Each pattern needs one of these characters; one set test skips it for most texts.
_NEEDS = (
    "-/.年",
    "月",
    "./",
    "月",
    "月",
    "月旬",
    "年",
    "年",
    "年",
    "年",
    "半",
    "季Qq",
    "前后",
    "周期拜",
    "周期拜",
    "周",
    "号日",
    "天日",
    "内后",
)
_compiled: list[tuple[frozenset[str], re.Pattern[str], _Resolver]] = []


def _patterns() -> list[tuple[frozenset[str], re.Pattern[str], _Resolver]]:
    """Compiled at the first date read, not at import: start-up stays cheap (bench/parse.py)."""
    if not _compiled:
        for needs, (source, resolve) in zip(_NEEDS, _SOURCES, strict=True):
            _compiled.append((frozenset(needs), re.compile(source), resolve))
    return _compiled


_TRIGGER_RE = re.compile(r"[0-9年月日号周星礼天旬底末初季今明后国元内一春清端中]")


def find_dates(text: str, today: date) -> list[DateMatch]:
    """Non-overlapping date expressions in ``text``, leftmost-longest first."""
    if not _TRIGGER_RE.search(text):
        return []
    found: list[tuple[int, int, date, bool, bool]] = []
    present = set(text)
    for n, (needs, pattern, resolve) in enumerate(_patterns()):
        if needs.isdisjoint(present):
            continue
        for m in pattern.finditer(text):
            if m.end() == m.start():
                continue
            value = resolve(m, today)
            if value is not None:
                explicit = bool(m.groupdict().get("y") or m.groupdict().get("ry"))
                found.append((m.start(), m.end(), value, explicit, n < _DAY_PATTERNS))
    found.sort(key=lambda f: (f[0], -f[1]))
    result: list[DateMatch] = []
    last_end = -1
    for start, end, value, explicit, day in found:
        if start >= last_end:
            result.append(DateMatch(start, end, value, explicit, day))
            last_end = end
    return result


# No date expression is longer ("2027年12月31日之前" is 13): a date right after a
# word is looked for in this many characters only.
_LONGEST_DATE = 24


def date_at(text: str, pos: int, today: date) -> DateMatch | None:
    """A date expression starting at ``pos`` (after optional spaces), if any."""
    for match in find_dates(text[pos : pos + _LONGEST_DATE], today):
        if text[pos : pos + match.start].strip() == "":
            return DateMatch(
                match.start + pos, match.end + pos, match.value, match.explicit_year, match.day
            )
        break
    return None


_STANDALONE_REST_RE = re.compile(
    r"(?:之前|以前|前|为止|止|截止|到期|完成|办结|底|末|内|左右|[,;。!?、:()\s])*"
)


def standalone_date(text: str, today: date) -> date | None:
    """The one date expression ``text`` consists of (with "前", "完成" around it), or None."""
    found = find_dates(text, today)
    if len(found) != 1:
        return None
    match = found[0]
    head, tail = text[: match.start], text[match.end :]
    if _STANDALONE_REST_RE.fullmatch(head) and _STANDALONE_REST_RE.fullmatch(tail):
        return match.value
    return None
