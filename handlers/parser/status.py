"""What one task's part of a reply says: percent, done, blocked, dates, note, sections."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .dates import DURATION_RE, DateMatch, Duration, date_at, duration_from, find_dates
from .numbers import find_percents
from .text import EMOJI_RE, TRIM_CHARS, is_cjk, trim

_LABEL_RE = re.compile(
    r"(?P<label>存在的?问题和困难|存在的?困难和问题|困难和问题|问题和困难|存在的?问题|存在的?困难|"
    r"遇到的?问题|主要问题|问题|困难|"
    r"下一步工作打算|下一步工作计划|下一步打算|下一步计划|下一步工作|下一阶段|下步打算|下步计划|"
    r"下步工作|下一步|下步|"
    r"进展情况|工作进展|目前进展|进展|完成情况|推进情况|工作情况|"
    r"延期原因|原因|理由|备注|说明)\s*(?:是|为|如下)?\s*(?P<colon>:)?"
)
_SECTION_KIND = {"原因": "reason", "理由": "reason", "延期原因": "reason"}
_SECTION_KIND.update({"备注": "main", "说明": "main"})


def _label_kind(label: str) -> str:
    if label in _SECTION_KIND:
        return _SECTION_KIND[label]
    if label.startswith("下"):
        return "next"
    if "问题" in label or "困难" in label:
        return "problems"
    return "main"


_EXT_RE = re.compile(
    r"(?:(?:申请|特申请|现申请|拟|需要|需|请求|建议|要求|希望|想|只能|只好|可能|要)\s*(?:将)?\s*)?"
    r"(?:(?:完成|办结)?(?:时限|期限|时间|截止日期|截止时间)\s*)?"
    r"(?:延期|延后|推迟|顺延|延长|展期|推后|往后推|后延|延迟)"
    r"(?:办理|完成|办结)?\s*(?:了)?\s*(?:时间|期限)?\s*(?:至|到|为|于|到了)?\s*"
    r"|(?:截止(?:日期|时间)?|期限|时限|完成时间|完成时限|办结时间)\s*(?:调整|变更|改)\s*(?:为|至|到)\s*"
)
_NEGATION_RE = re.compile(
    r"(?:无需|不需要?|不用|不必|不会|没有|未|不|无|暂不|暂无)\s*(?:申请)?\s*$"
)
_DURATION_GLUE_RE = re.compile(r"\s*(?:了|为)?\s*")
_EXT_TAIL_RE = re.compile(
    r"\s*(?:之前|以前|前)?\s*(?:完成|办结)?(?:的申请|申请)?(?=\s*(?:[,;。!?\n]|$))"
)
_REASON_RE = re.compile(
    r"(?:原因是|原因为|原因在于|原因|理由是|理由为|理由|因为|由于|因(?![此而素]))\s*:?\s*"
    r"(?P<r>[^;。\n]+?)\s*(?=[;。\n]|,\s*(?:特|现|故|所以|因此|申请|拟|需|延期|推迟|预计)"
    r"|(?:需要?|申请|拟|故|所以|只能|只好|特|现)\s*(?:将)?\s*(?:延期|延后|推迟|顺延|延长)|$)"
)
_PLAN_BEFORE_RE = re.compile(
    r"(?:(?:预计|计划|争取|力争|确保|有望|预期|拟|将|可|能|会|要|需要|需|准备|打算|可以|能够)\s*)+"
    r"(?:于|在)?\s*$|(?<!已)(?:于|在)\s*$"
)
_PLAN_AFTER_RE = re.compile(
    r"\s*(?:之前|以前|前后|前|左右|为止)?(?:\s*(?:能|可|可以|将|会|要|必须|能够)?\s*(?:全部)?"
    r"(?:完成|办结|完工|结束|交付|到位|完毕|上线|竣工|验收)(?:任务)?(?=\s*(?:[,;。!?\n]|$)))?"
)
_PAST_BEFORE_RE = re.compile(r"(?:已经?|业已|均已|都已)\s*(?:于|在)?\s*$|(?:截至|截至到|自|从)\s*$")
_PAST_AFTER_RE = re.compile(r"\s*(?:前|之前|以前)?\s*(?:已|均已|都已|就已|便已)")
_CLAUSE_END_RE = re.compile(r"[,;。!?\n]")
_BLOCKED_RE = re.compile(
    r"受阻|暂停|停滞|卡住|卡壳|卡在|搁置|遇到(?:了)?(?:一些|较大|很大|不少)?(?:困难|问题|阻力|障碍|瓶颈)|"
    r"无法推进|推不动|难以推进|推进困难|无法开展|无法进行|停工|进行不下去|没法推进"
)
_BLOCK_NEG_RE = re.compile(r"(?:未|没有?|无|不|并未)\s*$")
_DONE_RE = re.compile(
    r"(?:该|此|本|这)?(?:项|个)?(?:任务|工作|事项)?(?:目前|现在?|现已)?"
    r"(?:已经|已|均已|都已|业已|也已|均|都|也)?(?:全部|全面|顺利|按期|按时|如期|圆满|提前)?"
    r"(?:完成|办结|完结|结束|完毕|完工|结项|销号|落实到位|完成销号|办理完毕|办理完成|处理完毕)"
    r"(?:了|啦|啊|咯|喽)?(?:任务)?(?:了)?|done"
)
_NOT_STARTED_RE = re.compile(
    r"(?:该?任务|工作|此项)?(?:目前|当前|现在?)?(?:尚|还|仍|暂)?(?:未|没有?|没)(?:有)?"
    r"(?:启动|开始|开展|动工|实施)(?:实施|工作)?(?:了)?"
)
_IN_PROGRESS_RE = re.compile(
    r"(?:目前|当前|现在?|正)?(?:正在|仍在|还在|已经|已|在)?"
    r"(?:有序|稳步|积极|加快|持续|全力|正常|按计划|顺利)?"
    r"(?:推进|进行|办理|实施|开展|落实|启动|开始|筹备|对接)(?:中|当中)?|进展顺利|进度正常"
)
# Each word is spelt one way only from the others (现在 is 现 then 在, 汇报如下 is 汇报
# then 如下; 嗯嗯 is 嗯 twice): two spellings of a word made a long run of it backtrack
# through every split before failing (bench/fuzz.py). The language is unchanged.
_FILLER_RE = re.compile(
    r"(?:目前|当前|现|已|了|的|进度|进展|情况|均|都|任务|工作|本周|本月|汇报|报告|如下|更新|"
    r"状态|约|截至目前|截止目前|到目前|目前为止|已经|大约|左右|预计|"
    r"计划|将|于|在|前|之前|以前|完成|同意|收到|好的|谢谢)+"
)
_LIST_MARK_RE = re.compile(r"\(?[0-9一二三四五六七八九十]{1,2}\)?")
_ACK_PIECE_RE = re.compile(r"(?:好的|收到|谢谢|嗯|哦|ok|好)+", re.I)
_PROGRESS_VERB_RE = re.compile(
    r"已(?:经)?(?:完成|办结|启动|开展|召开|印发|起草|报送|提交|部署|落实|形成|组织|举办|培训|对接|推进|"
    r"开始|上报|制定|出台|完成了)|正在|推进|进展|初稿|起草|筹备"
)
# "问题：无" records no problem.
_NONE_RE = re.compile(r"(?:暂|目前|尚)?(?:无|没有|没|暂无)(?:问题|困难)?|/|-")
# Pieces that are no note: fillers, acknowledgements and list markers such as "2".
_NOISE_RE = re.compile(
    "|".join(f"(?:{p.pattern})" for p in (_FILLER_RE, _ACK_PIECE_RE, _LIST_MARK_RE)), re.I
)
_PARTICLES = "了啦啊呀哈嘛~"
_SPLIT_RE = re.compile(r"[,;。!?\n]+")


@dataclass(slots=True)
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


def _split_sections(body: str) -> tuple[str, dict[str, list[str]]]:
    labels = []
    for m in _LABEL_RE.finditer(body):
        label = m.group("label")
        start = m.start()
        kind = _label_kind(label)
        if start > 0 and body[start - 1] not in " ,;。!?\n、:)":
            continue
        if m.group("colon") is None and kind != "next":
            continue
        labels.append((start, m.end(), kind))
    sections: dict[str, list[str]] = {}
    if not labels:
        return body, sections
    main_parts = [body[: labels[0][0]]]
    for i, (_, end, kind) in enumerate(labels):
        stop = labels[i + 1][0] if i + 1 < len(labels) else len(body)
        content = body[end:stop]
        if kind == "main":
            main_parts.append(content)
        else:
            piece = trim(content)
            if piece:
                sections.setdefault(kind, []).append(piece)
    return ",".join(main_parts), sections


def _is_past(text: str, match: DateMatch, today: date) -> bool:
    before = text[max(0, match.start - 8) : match.start]
    if _PAST_BEFORE_RE.search(before):
        return True
    if _PAST_AFTER_RE.match(text, match.end):
        return True
    if match.explicit_year and match.value < today:
        return True
    clause_end = _CLAUSE_END_RE.search(text, match.end)
    clause = text[match.end : clause_end.start() if clause_end else len(text)]
    return "了" in clause and not _PLAN_BEFORE_RE.search(before)


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


def parse_body(body: str, today: date, deadline: date | None) -> Body:
    result = Body()
    main, sections = _split_sections(body)
    result.has_sections = bool(sections)
    problems = [p for p in sections.get("problems", ()) if not _NONE_RE.fullmatch(p)]
    if problems:
        result.problems = "；".join(problems)
    if "next" in sections:
        result.next_steps = "；".join(sections["next"])
    if "reason" in sections:
        result.reason = "；".join(sections["reason"])
    removed: list[tuple[int, int]] = []

    _find_extension(main, today, deadline, result, removed)
    if result.extension and result.reason is None:
        m = _REASON_RE.search(main)
        if m:
            result.reason = trim(m.group("r")) or None
            removed.append((m.start(), m.end()))

    masked = _mask(main, removed, " ")
    percents = find_percents(masked)
    if percents:
        result.percent = percents[0].value
        removed.extend((p.start, p.end) for p in percents)
        masked = _mask(main, removed, " ")

    for match in find_dates(masked, today):
        if _is_past(masked, match, today):
            continue
        before = _PLAN_BEFORE_RE.search(masked[max(0, match.start - 12) : match.start])
        after = _PLAN_AFTER_RE.match(masked, match.end)
        planned = bool(before and before.group(0).strip()) or bool(after and after.group(0).strip())
        if not planned:
            # "3月15日召开审查会" dates an event; only a date standing alone is a target.
            clause_end = _CLAUSE_END_RE.search(masked, match.end)
            if trim(masked[match.end : clause_end.start() if clause_end else len(masked)]):
                continue
            if result.expected is not None:
                continue
        elif result.expected is not None:
            removed.pop()  # a planned date beats an earlier bare one
        result.expected = match.value
        result.planned = planned
        start = match.start - (len(before.group(0)) if before else 0)
        end = after.end() if after else match.end
        removed.append((start, end))
        if planned:
            break
    if result.extension and result.new_deadline is None and result.expected is not None:
        result.new_deadline, result.expected = result.expected, None

    for m in _BLOCKED_RE.finditer(main):
        if not _BLOCK_NEG_RE.search(main[max(0, m.start() - 3) : m.start()]):
            result.blocked = True
            break
    result.progress_verb = _PROGRESS_VERB_RE.search(main) is not None

    residual = _mask(main, removed, ",")
    notes: list[str] = []
    for raw_piece in _pieces(residual):
        piece = raw_piece.strip(TRIM_CHARS)
        bare = EMOJI_RE.sub("", piece).strip(TRIM_CHARS).rstrip(_PARTICLES).strip(TRIM_CHARS)
        if not any(ch.isalnum() for ch in bare):
            continue
        if _DONE_RE.fullmatch(trim(_strip_dates(bare, today)).rstrip(_PARTICLES)):
            result.done = True
        elif _NOT_STARTED_RE.fullmatch(bare):
            result.not_started = True
        elif _IN_PROGRESS_RE.fullmatch(bare):
            result.in_progress = True
        elif not _NOISE_RE.fullmatch(bare):
            notes.append(piece)
    result.note = "，".join(notes) or None
    return result


def _find_extension(
    main: str,
    today: date,
    deadline: date | None,
    result: Body,
    removed: list[tuple[int, int]],
) -> None:
    for m in _EXT_RE.finditer(main):
        if _NEGATION_RE.search(main[max(0, m.start() - 6) : m.start()]):
            continue
        result.extension = True
        end = m.end()
        target = date_at(main, end, today)
        if target is not None:
            result.new_deadline = target.value
            end = target.end
        else:
            glue = _DURATION_GLUE_RE.match(main, end)
            pos = glue.end() if glue else end
            dm = DURATION_RE.match(main, pos)
            span: Duration | None = duration_from(dm) if dm else None
            if dm is not None and span is not None:
                result.new_deadline = span.after(deadline or today)
                end = dm.end()
        tail = _EXT_TAIL_RE.match(main, end)
        if tail:
            end = tail.end()
        removed.append((m.start(), end))
        return
