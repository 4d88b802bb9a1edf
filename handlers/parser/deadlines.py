"""When: deadlines asked to move, and dates a reply expects to finish by (docs/dates.md).

Pure helpers of status.py: what a date in a clause means — past, an event, a plan, a
target — and which deadline-moving words ask for a new deadline.
"""

from __future__ import annotations

import re
from datetime import date

from .dates import DURATION_RE, DateMatch, Duration, date_at, duration_from, find_dates, make_date
from .text import trim
from .vocab import Grammar


class Extension:
    """A request to move the deadline: to `new_deadline` (None: it must be asked), said
    in `spans` of the text."""

    __slots__ = ("new_deadline", "spans")

    def __init__(self, new_deadline: date | None, spans: list[tuple[int, int]]) -> None:
        self.new_deadline, self.spans = new_deadline, spans


_NEGATION_RE = re.compile(
    r"(?:无需|无须|不需要?|不用|不必|不会|没有|未|不|无|暂不|暂无|避免|防止|杜绝|不存在|不再|不予|"
    r"不得|不能|是否)\s*(?:申请)?\s*$"
)
# "延期风险" names a risk, not a request.
_NOT_A_REQUEST_RE = re.compile(r"\s*(?:的)?(?:风险|隐患|趋势|情况说明|问题)")
_DEADLINE_HINT_RE = re.compile(r"申请|时限|期限|截止|完成时间|办结时间|延期|推迟")
# The deadline named as such ("完成时限延长至7月31日") beats an event moved
# ("论坛延期至7月中旬举办").
_DEADLINE_NAMED_RE = re.compile(r"时限|期限|截止|完成时间|办结时间")
_DURATION_GLUE_RE = re.compile(r"\s*(?:了|为|个)?\s*")
_EXT_TAIL_RE = re.compile(
    r"\s*(?:之前|以前|前|左右)?\s*(?:再|才能|能)?\s*"
    r"(?:完成|办结|举办|召开|开展|举行|启动|进行|实施|开馆|上线)?(?:的申请|申请)?(?=\s*(?:[,;。!?\n]|$))"
)
_PLAN_WORDS = (
    r"预计|计划|争取|力争|确保|有望|预期|拟|将|可|能|会|要|需要|需|准备|打算|可以|能够|估计"
)
_PLAN_BEFORE_RE = re.compile(
    r"(?:(?:" + _PLAN_WORDS + r")\s*)+(?:于|在|到)?\s*$|(?<!已)(?:于|在)\s*$"
)
_PLAN_WORD_RE = re.compile(r"(?:" + _PLAN_WORDS + r")\s*(?:于|在)?\s*$")
_PLAN_AFTER_RE = re.compile(
    r"\s*(?:之前|以前|前后|前|左右|为止)?(?:\s*(?:应该|估计|大概|争取|可能)?\s*"
    r"(?:能|可|可以|将|会|要|必须|能够)?\s*(?:全部|全面|如期|按期|圆满)?"
    r"(?:完成|办结|完工|结束|交付|到位|完毕|上线|竣工|验收|弄完|搞定|做完|弄好|搞完|干完|完|给|交|"
    r"报送|提交|上报|交稿)(?:任务)?(?:了|吧|哈)?(?=\s*(?:[,;。!?\n]|$)))?"
)
_EVENT_AFTER_RE = re.compile(
    r"\s*(?:后|以后|之后)?\s*(?:正式)?(?:开展|启动|开始|实施|召开|举办|举行|组织|开工|动工|进场|部署|开班|开课|开幕)"
)
_PAST_BEFORE_RE = re.compile(r"(?:已经?|业已|均已|都已)\s*(?:于|在)?\s*$|(?:截至|截至到|自|从)\s*$")
_PAST_AFTER_RE = re.compile(r"\s*(?:前|之前|以前)?\s*(?:已|均已|都已|就已|便已)")
_DEADLINE_AFTER_RE = re.compile(r"\s*(?:之前|以前|前|为止|止)")
_CLAUSE_END_RE = re.compile(r"[,;。!?\n]")


def clause_at(text: str, pos: int) -> tuple[int, int]:
    start = max(text.rfind(ch, 0, pos) for ch in ",;。!?\n") + 1
    end = _CLAUSE_END_RE.search(text, pos)
    return start, end.start() if end else len(text)


def is_past(text: str, match: DateMatch, today: date) -> bool:
    before = text[max(0, match.start - 8) : match.start]
    if _PAST_BEFORE_RE.search(before):
        return True
    if _PAST_AFTER_RE.match(text, match.end):
        return True
    if match.explicit_year and match.value < today:
        return True
    if match.day and not match.explicit_year and match.value.year > today.year:
        # "4月2日完成", "于3月15日开班", said after the day: it happened this year.
        this_year = make_date(today.year, match.value.month, match.value.day)
        if (
            this_year
            and (today - this_year).days <= 183
            and not _PLAN_WORD_RE.search(before)
            and not _DEADLINE_AFTER_RE.match(text, match.end)
        ):
            return True
    clause = text[match.end : clause_at(text, match.end)[1]]
    return "了" in clause and not _PLAN_WORD_RE.search(before)


def find_expected(
    masked: str, today: date, removed: list[tuple[int, int]]
) -> tuple[date | None, bool]:
    """The expected date in ``masked`` and whether it was planned ("预计…"); its span goes
    to ``removed`` (the last one there when planned)."""
    expected: date | None = None
    for match in find_dates(masked, today):
        if is_past(masked, match, today):
            continue
        before = _PLAN_BEFORE_RE.search(masked[max(0, match.start - 12) : match.start])
        after = _PLAN_AFTER_RE.match(masked, match.end)
        planned = bool(before and before.group(0).strip()) or bool(after and after.group(0).strip())
        if planned and _EVENT_AFTER_RE.match(masked, after.end() if after else match.end):
            continue  # "拟于4月中旬召开评审会": when it starts, not when the task ends
        if not planned:
            # "3月15日召开审查会" and "3月15日，省委常委会议…" date events; only a date
            # standing alone is a target.
            start, end = clause_at(masked, match.end)
            if trim(masked[match.end : end]) or trim(masked[start : match.start]):
                continue
            if end < len(masked) and masked[end] == "," and trim(masked[end:]):
                continue
            if expected is not None:
                continue
        elif expected is not None:
            removed.pop()  # a planned date beats an earlier bare one
        expected = match.value
        start = match.start - (len(before.group(0)) if before else 0)
        end = after.end() if after else match.end
        removed.append((start, end))
        if planned:
            return expected, True
    return expected, False


def find_extension(
    probe: str, today: date, deadline: date | None, grammar: Grammar, dated_only: bool = False
) -> Extension | None:
    """A deadline-moving request in ``probe``, or None. A verb with a date beats one without
    ("要延期，大概延到5月中"); one without any leaves the date to ask for."""
    undated: list[tuple[int, int]] = []
    dated: list[tuple[int, int, tuple[int, int], date]] = []
    if grammar.extension_chars.isdisjoint(probe):
        return None
    for pattern, needs_date in ((grammar.extension, False), (grammar.extension_dated, True)):
        for m in pattern.finditer(probe):
            if _NEGATION_RE.search(probe[max(0, m.start() - 6) : m.start()]):
                continue
            if _NOT_A_REQUEST_RE.match(probe, m.end()):
                continue
            end = m.end()
            target = date_at(probe, end, today)
            new_deadline: date | None = None
            if target is not None:
                new_deadline, end = target.value, target.end
            else:
                glue = _DURATION_GLUE_RE.match(probe, end)
                dm = DURATION_RE.match(probe, glue.end() if glue else end)
                span: Duration | None = duration_from(dm) if dm else None
                if dm is not None and span is not None:
                    new_deadline, end = span.after(deadline or today), dm.end()
            tail = _EXT_TAIL_RE.match(probe, end)
            found = (m.start(), tail.end() if tail else end)
            if new_deadline is not None:
                # "活动拟调整至5月下旬举办，特申请将完成时限延长至6月15日": the deadline's.
                window = max(0, m.start() - 8), m.end()
                rank = 0 if _DEADLINE_NAMED_RE.search(probe, *window) else 1
                if rank and _DEADLINE_HINT_RE.search(probe, *window) is None:
                    rank = 2
                dated.append((rank, m.start(), found, new_deadline))
            elif not needs_date and not dated_only:
                undated.append(found)
    if dated:
        _, _, found, new_deadline = min(dated)
        return Extension(new_deadline, [*undated, found])
    return Extension(None, undated[:1]) if undated else None
