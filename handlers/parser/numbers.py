"""Chinese numerals and percentages (``80%``, ``百分之六十``, ``七成五``, ``过半``)."""

from __future__ import annotations

import re

CN_DIGIT = "零〇一二两三四五六七八九"
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGITS.update({"五": 5, "六": 6, "七": 7, "八": 8, "九": 9})
_UNITS = {"十": 10, "百": 100, "千": 1000}


def to_int(token: str) -> int | None:
    """``"12"``, ``"十二"``, ``"廿三"``, ``"二零二七"`` → int; anything else → None."""
    token = token.strip()
    if not token:
        return None
    if token.isascii():
        return int(token) if token.isdigit() else None
    if token[0] == "廿":
        rest = to_int(token[1:]) if len(token) > 1 else 0
        return None if rest is None or rest > 9 else 20 + rest
    if all(ch in _DIGITS for ch in token):
        value = 0
        for ch in token:
            value = value * 10 + _DIGITS[ch]
        return value
    total = current = 0
    for ch in token:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
        else:
            return None
    return total + current


class PercentMatch:
    __slots__ = ("end", "start", "value")

    def __init__(self, start: int, end: int, value: int) -> None:
        self.start, self.end, self.value = start, end, value

    def __repr__(self) -> str:
        return f"PercentMatch({self.start}, {self.end}, {self.value})"


_CN = "[零〇一二两三四五六七八九十百]"
# Words that belong to a percentage and should leave the note with it.
_PREFIX = (
    r"(?:(?:(?![0-9_])\w){1,8}?(?=(?:总|工作|完成)?(?:进度|完成率|完成度)|(?:总体|整体)(?:完成|进度)))?"
    r"(?:(?:目前|当前|现在|现|总体|整体|总|该任务|任务|工作)\s*)?"
    r"(?:(?:已经|已|均已|共|已有)?\s*(?:完成率|完成度|完成进度|工作进度|总进度|进度|进展|完成了|完成|"
    r"推进到|推进至|推进了|达到|已达|达|约|大约|约为|超过|接近|将近|弄到|搞到|做到|干到|写到|进行到|写了|做了|"
    r"弄了|搞了|干了|占)\s*(?:(?:年度|全年|总|计划|既定)?(?:目标任务|目标|任务量|任务|计划|工作量)的?)?"
    r"(?:了|为|是|约|达|到|达到|至|在|:|都是|均为|均是|都|均)?\s*(?:约|大约|近|超过|逾|接近|将近)?\s*)?"
)
# One pattern (compiled once, at import) for every written form of a share.
_PERCENT_RE = re.compile(
    _PREFIX
    + r"(?:(?P<n>[0-9]{1,5}(?:\.[0-9]+)?)\s*%"
    + r"|百分之\s*(?P<cn>"
    + _CN
    + r"{1,4}|[0-9]{1,4})"
    + r"|(?<![零〇一二两三四五六七八九十])(?P<a>[一二两三四五六七八九十])成"
    + r"(?P<b>[一二三四五六七八九])?(?![功立果员绩本熟为效型都就])"
    + r"|(?:已经?)?(?P<half>过半|一半)"
    + r"|(?P<den>[二三四五六七八九十])分之(?P<num>[一二三四五六七八九]))"
    + r"(?:\s*(?:以上|左右|多|上下))?"
)
_PROGRESS_NUM_RE = re.compile(
    r"(?:(?:目前|当前|现在|总体|整体)\s*)?(?:工作进度|总进度|完成进度|完成率|完成度|进度)\s*"
    r"(?:为|是|达|达到|到|约|在|:)?\s*(?P<n>[0-9]{1,4})(?![0-9.%])"
    r"(?!\s*(?:月|日|号|天|周|个|年|项|名|人|场|次|期|家|篇|万))"
)
_TRIGGER_RE = re.compile(r"[%成半分0-9]")


def _round(value: float) -> int:
    return int(value + 0.5)


def _value(m: re.Match[str]) -> int | None:
    if m.group("n") is not None:
        return _round(float(m.group("n")))
    if m.group("cn") is not None:
        return to_int(m.group("cn"))
    if m.group("a") is not None:
        tens = to_int(m.group("a")) or 0
        ones = to_int(m.group("b")) if m.group("b") else 0
        return tens * 10 + (ones or 0)
    if m.group("half") is not None:
        return 50
    den, num = to_int(m.group("den")) or 1, to_int(m.group("num")) or 0
    return _round(num * 100 / den) if num <= den else None


def find_percents(text: str) -> list[PercentMatch]:
    """Every percentage in ``text`` in order of position (values may exceed 100)."""
    if not _TRIGGER_RE.search(text):
        return []
    found: list[PercentMatch] = []
    for m in _PERCENT_RE.finditer(text):
        value = _value(m)
        if value is not None:
            found.append(PercentMatch(m.start(), m.end(), value))
    if "进度" in text or "完成" in text:
        for m in _PROGRESS_NUM_RE.finditer(text):
            found.append(PercentMatch(m.start(), m.end(), int(m.group("n"))))
    found.sort(key=lambda p: (p.start, -p.end))
    result: list[PercentMatch] = []
    last_end = -1
    for p in found:
        if p.start >= last_end:
            result.append(p)
            last_end = p.end
    return result
