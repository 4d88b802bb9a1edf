"""Festival days of the Chinese calendar, 2000–2060, for "春节前", "端午后" and the like.

The parser is pure and has no lunar calendar: the lunar festivals and Qingming are read
from this table (computed with a lunar-calendar library and checked against
chinese-calendar's holiday names). Conventions: docs/dates.md.
"""

from __future__ import annotations

from datetime import date, timedelta

FIRST_YEAR = 2000
# Per year, from 2000: Spring Festival, Qingming, Dragon Boat, Mid-Autumn, each as MMDD.
_LUNAR = " ".join(
    (
        "0205040406060912 0124040506251001 0212040506150921 0201040506040911 0122040406220928",
        "0209040506110918 0129040505311006 0218040506190925 0207040406080914 0126040405281003",
        "0214040506160922 0203040506060912 0123040406230930 0210040406120919 0131040506020908",
        "0219040506200927 0208040406090915 0128040405301004 0216040506180924 0205040506070913",
        "0125040406251001 0212040406140921 0201040506030910 0122040506220929 0210040406100917",
        "0129040405311006 0217040506190925 0206040506090915 0126040405281003 0213040406160922",
        "0203040506050912 0123040506241001 0211040406120919 0131040406010908 0219040506200927",
        "0208040506100916 0128040405301004 0215040406180924 0204040506070913 0124040505271002",
        "0212040406140920 0201040406030910 0122040406220928 0210040506110917 0130040405311005",
        "0217040406190925 0206040406080915 0126040505291004 0214040406150922 0202040406040911",
        "0123040406230930 0211040506130919 0201040406010907 0219040406200926 0208040406100916",
        "0128040505301005 0215040406170924 0204040406060913 0124040406251002 0212040506140921",
        "0202040406030909",
    )
).split()
_LUNAR_INDEX = {"春节": 0, "清明": 1, "端午": 2, "中秋": 3}
_FIXED = {"元旦": (1, 1), "五一": (5, 1), "国庆": (10, 1)}
_ALIASES = {"劳动节": "五一", "十一": "国庆", "国庆节": "国庆", "年": "春节"}
_ALIASES.update({"清明节": "清明", "端午节": "端午", "中秋节": "中秋", "新年": "元旦"})
# "X后" is the first day after the usual days off: 国庆 7, 五一 5, 春节 7 (正月初八).
_DAYS_OFF = {"国庆": 7, "五一": 5, "春节": 7}


def festival_day(name: str, year: int) -> date | None:
    """The festival's day in ``year``, or None outside the table."""
    name = _ALIASES.get(name, name)
    if name in _FIXED:
        month, day = _FIXED[name]
        return date(year, month, day)
    index = year - FIRST_YEAR
    if name not in _LUNAR_INDEX or not 0 <= index < len(_LUNAR):
        return None
    code = _LUNAR[index][_LUNAR_INDEX[name] * 4 :][:4]
    return date(year, int(code[:2]), int(code[2:]))


def around_festival(name: str, year: int, after: bool) -> date | None:
    """The day before the festival ("X前"), or the first day after its days off ("X后")."""
    day = festival_day(name, year)
    if day is None:
        return None
    if not after:
        return day - timedelta(days=1)
    return day + timedelta(days=_DAYS_OFF.get(_ALIASES.get(name, name), 1))
