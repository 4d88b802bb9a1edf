"""What one task's part of a reply says: percent, done, blocked, dates, note, sections."""

from __future__ import annotations

import re
from datetime import date

from .clauses import DONE_MARKS, EVENT_DONE_RE, NOTE, classify
from .dates import find_dates
from .deadlines import clause_at, find_expected, find_extension
from .numbers import PercentMatch, find_percents
from .sections import MARKER_RE, joined, split_sections
from .text import EMOJI_RE, is_cjk, mask_quoted, tidy, trim
from .vocab import Grammar

TYPE_CHECKING = False
if TYPE_CHECKING:  # type checkers see a dataclass; record.py builds the same, cheaper
    from dataclasses import dataclass as record
else:
    from .record import record

_REASON_RE = re.compile(
    r"(?:原因是|原因为|原因在于|原因|理由是|理由为|理由|因为|由于|鉴于|因(?![此而素]))\s*:?\s*"
    r"(?P<r>[^,;。\n]+?)\s*(?=[,;。\n]"
    r"|(?:需要?|申请|拟|故|所以|只能|只好|特|现)\s*(?:将)?\s*(?:延期|延后|推迟|顺延|延长)|$)"
)
_BLOCK_NEG_RE = re.compile(
    r"(?:未|没有?|无|不|并未|并无|暂无|避免|防止|不存在|不会)(?:出现|发生|受到|遇到)?\s*$"
)
# Each word is spelt one way only from the others (现在 is 现 then 在, 汇报如下 is 汇报
# then 如下; 嗯嗯 is 嗯 twice): two spellings of a word made a long run of it backtrack
# through every split before failing (bench/fuzz.py). The language is unchanged.
_FILLER_RE = re.compile(
    r"(?:目前|当前|现|已|了|的|进度|进展|情况|均|都|任务|工作|本周|本月|汇报|报告|如下|更新|"
    r"状态|约|截至目前|截止目前|到目前|目前为止|已经|大约|左右|预计|"
    r"计划|将|于|在|前|之前|以前|完成|同意|收到|好的|谢谢|差不多|大概|估计|应该|基本上|总体|整体|"
    r"总|领导|各位领导|您好|你好|有关|汇报一下|更新一下)+"
)
_LIST_MARK_RE = re.compile(r"\(?[0-9一二三四五六七八九十]{1,2}\)?")
_ACK_PIECE_RE = re.compile(
    r"(?:好的|收到|谢谢|嗯|哦|ok|好|辛苦了?|麻烦了?|可以吗|行吗|好吗|行不行|可不可以)+", re.I
)
# A heading or title line: "关于…的汇报", "学会换届推进情况".
_TITLE_RE = re.compile(
    r"关于.{0,40}(?:汇报|报告|情况)|.{0,30}(?:推进|进展|完成|落实|工作)情况(?:汇报)?"
)
_PROGRESS_VERB_RE = re.compile(
    r"已(?:经)?(?:完成|办结|启动|开展|召开|印发|起草|报送|提交|部署|落实|形成|组织|举办|培训|对接|推进|"
    r"开始|上报|制定|出台|完成了|建立|成立|签订|开通|征集|收到|审核|评审|发布|举行|完善)|正在|推进|进展|"
    r"初稿|起草|筹备"
)
# Clauses that say work goes on after a part was finished.
_ONGOING_RE = re.compile(
    r"正在|正抓紧|抓紧|加紧|待|尚需|还需|仍需|需进一步|剩余|剩下|其余|尚未|还未|还没|仍未|未完成|没完成|"
    r"即将|近期将|拟|计划|准备|将于|将在|预计|争取|力争|进行中|推进中|办理中|中$"
)
# Shares that are not the task's progress ("公民比例为13.21%").
_OTHER_RATE_RE = re.compile(
    r"比例|占比|比重|增长|增幅|提高|提升|下降|降低|同比|环比|覆盖率|参与率|达标率|合格率|满意度|通过率|"
    r"知晓率|普及率|使用率|利用率|出勤率|增加|减少|高于|低于|率"
)
_OVERALL_RE = re.compile(r"总|整体|综合|整个|目前进度|当前进度|目前完成|目前已完成")
_NONE_RE = re.compile(r"(?:暂|目前|尚)?(?:无|没有|没|暂无)(?:问题|困难)?|/|-")
_NOISE_RE = re.compile(
    "|".join(f"(?:{p.pattern})" for p in (_FILLER_RE, _ACK_PIECE_RE, _LIST_MARK_RE)), re.I
)
_PARTICLES = "了啦啊呀哈嘛呢哦噢吧~"
_PLANNED = "\x01"  # marks where a planned date was taken out of a clause
_NOTE_PARTICLES = "啦啊呀哈嘛呢哦噢吧~!"
# A first line with any of these says something; it is no title.
_TITLE_STOP_RE = re.compile(r"[0-9%,;。!?:]|已|未|没|正在|预计|计划|拟|延|推迟|受阻|暂停|卡")
_SPLIT_RE = re.compile(r"[,;。!?\n]+|(?<=验收|通过|办结|完毕|竣工|完工|结题|结项)(?=并)")


@record(slots=True)
class Body:
    percent: int | None = None
    done: bool = False
    blocked: bool = False
    not_started: bool = False
    in_progress: bool = False
    extension: bool = False
    new_deadline: date | None = None
    expected: date | None = None
    planned: bool = False
    progress_verb: bool = False
    has_sections: bool = False
    note: str | None = None
    problems: str | None = None
    next_steps: str | None = None
    reason: str | None = None

    def _has_status(self) -> bool:
        return (
            self.percent is not None
            or self.done
            or self.blocked
            or self.not_started
            or self.in_progress
            or self.extension
            or self.has_sections
        )

    def understood(self) -> bool:
        """True when anything besides free text was recognised."""
        return self._has_status() or self.expected is not None

    def looks_like_report(self) -> bool:
        """Strict test for a reply that names no task: a status, not just a date."""
        return (
            self._has_status() or (self.expected is not None and self.planned) or self.progress_verb
        )


def _strip_dates(piece: str, today: date) -> str:
    out: list[str] = []
    pos = 0
    for match in find_dates(piece, today):
        head = piece[pos : match.start]
        if head.endswith(("于", "在")):
            head = head[:-1]
        out.append(head)
        pos = match.end
    out.append(piece[pos:])
    return "".join(out)


def _pieces(text: str) -> list[str]:
    """Clauses of ``text``; a space between two Chinese characters also separates."""
    result: list[str] = []
    for part in _SPLIT_RE.split(text):
        start = 0
        for i, ch in enumerate(part):
            if ch == " " and 0 < i < len(part) - 1 and is_cjk(part[i - 1]) and is_cjk(part[i + 1]):
                result.append(part[start:i])
                start = i + 1
        result.append(part[start:])
    return result


def _mask(text: str, spans: list[tuple[int, int]], fill: str) -> str:
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            chars[i] = fill
    return "".join(chars)


def _choose_percent(text: str) -> PercentMatch | None:
    """The task's progress among the shares in ``text``: the overall one if one says so."""
    chosen: PercentMatch | None = None
    for p in find_percents(text):
        start = clause_at(text, p.start)[0]
        before, own = text[start : p.start], text[p.start : p.end]
        if _OTHER_RATE_RE.search(before) and not re.search("进度|完成", own):
            continue
        if _OVERALL_RE.search(text[max(start, p.start - 6) : p.end]):
            return p
        if chosen is None:
            chosen = p
    return chosen


def parse_body(
    body: str, today: date, deadline: date | None, grammar: Grammar, title: str = ""
) -> Body:
    result = Body()
    main, sections = split_sections(body)
    result.has_sections = bool(sections)
    result.problems = joined([p for p in sections.get("problems", ()) if not _none(p)])
    result.next_steps = joined(sections.get("next", []))
    result.reason = joined(sections.get("reason", []))
    probe = mask_quoted(main)  # document titles and quotations are read as words only
    removed: list[tuple[int, int]] = []
    heading = _title_line(probe, grammar)
    if heading:
        removed.append((0, heading))

    extension = find_extension(probe, today, deadline, grammar)
    if extension is not None:
        removed.extend(extension.spans)
    elif sections:  # "问题：…需延期至5月下旬": a new date counts wherever it is
        parts = "\n".join(v for vs in sections.values() for v in vs)
        extension = find_extension(mask_quoted(parts), today, deadline, grammar, dated_only=True)
    if extension is not None:
        result.extension, result.new_deadline = True, extension.new_deadline
    if result.extension and result.reason is None:
        m = _REASON_RE.search(probe)
        if m:
            result.reason = trim(main[m.start("r") : m.end("r")]) or None
            removed.append((m.start(), m.end()))

    masked = _mask(probe, removed, " ")
    percent = _choose_percent(masked)
    if percent is not None:
        result.percent = percent.value
        removed.append((percent.start, percent.end))
        masked = _mask(probe, removed, " ")

    result.expected, result.planned = find_expected(masked, today, removed)
    if result.extension and result.new_deadline is None and result.expected is not None:
        result.new_deadline, result.expected = result.expected, None

    for text in (probe, result.problems or ""):
        if grammar.blocked_chars.isdisjoint(text):
            continue
        for m in grammar.blocked.finditer(text):
            if not _BLOCK_NEG_RE.search(text[max(0, m.start() - 6) : m.start()]):
                result.blocked = True
                break
    result.progress_verb = _PROGRESS_VERB_RE.search(probe) is not None
    residual = _mask(main, removed, ",")
    if result.planned and result.expected is not None:
        # The rest of a planned clause ("预计10月底前|完成结题") is a plan, not a status.
        start, end = removed[-1] if removed else (0, 0)
        residual = residual[:start] + _PLANNED * (end - start) + residual[end:]
    _read_clauses(residual, today, grammar, title, result)
    return result


def _title_line(text: str, grammar: Grammar) -> int:
    """The end of a first line that only names the work ("科普资源库建设运营\n…"), else 0."""
    lead = len(text) - len(text.lstrip())
    end = text.find("\n", lead)
    if end < 0 or not text[end:].strip():
        return 0
    line = text[lead:end].strip()
    if not line or len(line) > 24 or _TITLE_STOP_RE.search(line):
        return 0
    if line.endswith(("进展", "情况", "汇报", "报告")):
        return end
    if _PROGRESS_VERB_RE.search(line) or grammar.done_tail.search(line):
        return 0
    if grammar.blocked.search(line) or grammar.not_started_tail.search(line):
        return 0
    return end


def _none(section: str) -> bool:
    return _NONE_RE.fullmatch(trim(section)) is not None


def _read_clauses(residual: str, today: date, grammar: Grammar, title: str, result: Body) -> None:
    """Each clause: a status (done, not started, going on) or a note, or both."""
    notes: list[str] = []
    subject_done: list[tuple[bool, bool]] = []  # (strong, part)
    subject_not_started = False
    ongoing = result.percent is not None and result.percent < 100
    evidence = result.percent is not None  # some work was done
    marked = False  # a ✅ or 👌 on its own
    plan_start = False
    for raw in _pieces(residual):
        planned = _PLANNED in raw
        piece = tidy(MARKER_RE.sub("", tidy(raw.replace(_PLANNED, "").strip()), count=1))
        text = tidy(EMOJI_RE.sub("", piece))
        bare = trim(text.rstrip(_PARTICLES))
        if not any(ch.isalnum() for ch in bare):
            marked = marked or any(mark in piece for mark in DONE_MARKS)
            continue
        if bare == title:
            continue  # the task's own name, as a report's first line
        if text.lower().rstrip("~!") in grammar.pure_done:
            result.done = True
            continue
        # "已于3月12日全部完成": a status verb reads through dates (only then are they cut).
        dateless = bare
        if grammar.done_word.search(bare) is not None or EVENT_DONE_RE.search(bare):
            dateless = trim(_strip_dates(bare, today)).rstrip(_PARTICLES)
        verdict = NOTE if planned else classify(dateless, bare, grammar, title)
        if verdict.kind == "done":
            if verdict.bare:
                result.done = True
            else:
                subject_done.append((verdict.strong, verdict.part))
        elif verdict.kind == "not_started":
            if verdict.bare:
                result.not_started = True
            else:
                subject_not_started = True
            ongoing = True
        elif verdict.kind == "plan_start":
            plan_start = True
        elif verdict.kind == "in_progress":
            result.in_progress = ongoing = evidence = True
        else:
            ongoing = ongoing or _ONGOING_RE.search(bare) is not None
            evidence = evidence or _PROGRESS_VERB_RE.search(bare) is not None
        if not verdict.bare and not _NOISE_RE.fullmatch(bare) and not _TITLE_RE.fullmatch(bare):
            notes.append(tidy(text.rstrip(_NOTE_PARTICLES)))
    low = result.percent is not None and result.percent < 100
    if marked and not low:  # "T3 80%👌" acknowledges the percent, it does not finish
        result.done = True
    for strong, part in subject_done:
        if not part and not low and (strong or not ongoing):
            result.done = True
    if subject_not_started and not (evidence or result.done or subject_done):
        result.not_started = True
    if plan_start and len(notes) == 1 and result.percent is None and not result.in_progress:
        result.not_started = True  # the plan is all the reply says
    # A status after a subject ("第一批课题已结题") is a report even when it is a part.
    result.progress_verb = result.progress_verb or bool(subject_done) or subject_not_started
    result.note = "，".join(notes) or None
