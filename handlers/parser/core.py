"""Orchestration: commands, task segments, one Update (or a Clarify) per task."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from .commands import (
    APPROVE_BODY_RE,
    APPROVE_PRE_RE,
    BODY_APPROVE_RE,
    BODY_REJECT_RE,
    INSTRUCTION_RE,
    REJECT_NOTE_HEAD_RE,
    REJECT_PRE_RE,
    SHOW_BODY_RE,
    SHOW_PRE_RE,
    UNDO_RE,
    is_ack,
    is_question,
    squeeze,
)
from .dates import standalone_date
from .intents import command_of, period_of
from .models import UNKNOWN, Clarify, ParseResult, TaskRef, Update
from .numbers import find_percents, to_int
from .status import Body, parse_body
from .tasks import Ref, TaskIndex, find_refs
from .text import normalize, trim
from .vocab import DEFAULT, Grammar, grammar

_DECIDED_RE = re.compile(r"批|审批|同意|通过|答复|回复")
# "同意T4延期到5月底": the leader approves, naming the date asked for.
_APPROVE_DATED_RE = re.compile(
    r"(?:的)?(?:延期|推迟|延后|顺延)(?:至|到)(?P<date>.+?)(?:的)?(?:申请|请求)?"
)
_LEAD_IN_RE = re.compile(r"(?:关于|至于|对于|另外|此外|还有|其中)\s*$")
_GLUE_RE = re.compile(r"[\s,;。、:和及与跟同&+~—至到-]|以及|(?:任务|号)(?=$)")
_BODY_HEAD_RE = re.compile(r"^(?:号任务|任务|号|项)?[\s:,;、。)-]*")
_CLAUSE_SEP_RE = re.compile(r"[,;。\n]")
# "请问T6什么时候开班": a message that opens by asking is a question however it ends.
_ASKING_RE = re.compile(r"(?:请问|想问一下|想问下|想问|问一下|问下|我想问一下|我想问)")


def parse(
    text: str, today: date, tasks: Sequence[TaskRef], g: Grammar | None = None
) -> ParseResult:
    g = g or grammar(DEFAULT)
    norm = normalize(text)
    if not norm:
        return UNKNOWN
    if all(ch == "?" for ch in norm):
        return ParseResult(kind="command", command="help")
    core = squeeze(norm)
    command = command_of(core, g)
    if command is not None:
        period = period_of(core) if command == "summary" else None
        return ParseResult(kind="command", command=command, period=period)
    index = _index(tuple(tasks))
    refs = find_refs(norm, index)
    if refs:
        return _with_refs(norm, refs, index, today, g)
    return _without_refs(norm, index, today, g)


@lru_cache(maxsize=16)
def _index(tasks: tuple[TaskRef, ...]) -> TaskIndex:
    """The same tasks come with every message: their index is built once."""
    return TaskIndex(tasks)


def _clarify(reason: str, candidates: Sequence[str], detail: str | None = None) -> ParseResult:
    return ParseResult(kind="clarify", clarify=Clarify(reason, tuple(candidates), detail))


def _unknown_task(ref: Ref, index: TaskIndex) -> ParseResult:
    return _clarify("unknown_task", index.own_open, ref.raw)


def _is_query(text: str, pre: str, body: str, g: Grammar) -> bool:
    """A question about the task, not a report: "T3 怎么样了", "查询T10办理情况"."""
    if not SHOW_PRE_RE.fullmatch(pre):
        return False
    core = squeeze(body)
    if SHOW_BODY_RE.fullmatch(core):
        return True
    single = not _CLAUSE_SEP_RE.search(trim(body))
    if not single or not (is_question(text) or _ASKING_RE.fullmatch(pre)):
        return False
    # "T4 能否延期到5月底？" asks for a new deadline; "T4延期申请批了没有" asks about one.
    return g.extension.search(body) is None or _DECIDED_RE.search(body) is not None


def _single_ref_command(text: str, ref: Ref, index: TaskIndex, g: Grammar) -> ParseResult | None:
    pre = squeeze(text[: ref.start])
    body = trim(text[ref.end :])
    core = squeeze(body)
    result: ParseResult | None = None
    dated = _APPROVE_DATED_RE.fullmatch(core)
    approves = bool(dated and standalone_date(dated["date"], date.min))
    if pre and APPROVE_PRE_RE.fullmatch(pre) and (approves or APPROVE_BODY_RE.fullmatch(core)):
        result = ParseResult(kind="command", command="approve", task=ref.task)
    elif pre and REJECT_PRE_RE.fullmatch(pre):
        note = trim(REJECT_NOTE_HEAD_RE.sub("", body, count=1)) or None
        result = ParseResult(kind="command", command="reject", task=ref.task, note=note)
    elif not pre and core and BODY_APPROVE_RE.fullmatch(core):
        result = ParseResult(kind="command", command="approve", task=ref.task)
    elif not pre and core and BODY_REJECT_RE.match(core):
        m = BODY_REJECT_RE.match(body.replace(" ", ""))
        note = (
            trim(REJECT_NOTE_HEAD_RE.sub("", body.replace(" ", "")[m.end() :], count=1))
            if m
            else ""
        )
        result = ParseResult(kind="command", command="reject", task=ref.task, note=note or None)
    elif (pre and UNDO_RE.fullmatch(pre) and not core) or (not pre and UNDO_RE.fullmatch(core)):
        result = ParseResult(kind="command", command="undo", task=ref.task)
    elif _is_query(text, pre, text[ref.end :], g):
        result = ParseResult(kind="command", command="show", task=ref.task)
    if result is not None and ref.task is None:
        return _unknown_task(ref, index)
    return result


def _with_refs(
    text: str, refs: list[Ref], index: TaskIndex, today: date, g: Grammar
) -> ParseResult:
    if len(refs) == 1:
        command = _single_ref_command(text, refs[0], index, g)
        if command is not None:
            return command
    else:
        pre = squeeze(text[: refs[0].start])
        if pre and (APPROVE_PRE_RE.fullmatch(pre) or REJECT_PRE_RE.fullmatch(pre)):
            return _clarify("too_many_tasks", [r.task or r.raw for r in refs])
        if refs[0].task is not None and _is_query(text, pre, text[refs[-1].end :], g):
            # "T3和T4现在什么进度": a question, never an update; the first task answers.
            return ParseResult(kind="command", command="show", task=refs[0].task)
    for ref in refs:
        if ref.task is None:
            return _unknown_task(ref, index)

    groups: list[tuple[list[Ref], str]] = []
    pending: list[Ref] = []
    for i, ref in enumerate(refs):
        stop = refs[i + 1].start if i + 1 < len(refs) else len(text)
        body = text[ref.end : stop]
        if i + 1 < len(refs):  # "…；关于T4：" — the words before the next id are its own
            body = _LEAD_IN_RE.sub("", body)
        pending.append(ref)
        if _GLUE_RE.sub("", body) or i + 1 == len(refs):
            groups.append((pending, _BODY_HEAD_RE.sub("", body, count=1)))
            pending = []
    if len(groups) == 1 and not trim(groups[0][1]):
        prefix = text[: refs[0].start]
        groups = [(groups[0][0], prefix)]

    updates: list[Update] = []
    for group, body in groups:
        bodies = _shared(body, len(group))
        for ref, own in zip(group, bodies, strict=True):
            assert ref.task is not None
            outcome = _update(ref.task, own, index, today, g)
            if isinstance(outcome, Clarify):
                return ParseResult(kind="clarify", clarify=outcome)
            updates.append(outcome)
    return ParseResult(kind="update", updates=tuple(updates))


# "T5、T6两项任务均已完成": the count names the tasks just listed, not a part of each.
_GROUP_SUBJECT_RE = re.compile(
    r"^[\s:,]*(?:这|以上|上述|前述)?\s*[两二三四五六七八九十0-9]+\s*(?:项|个)\s*(?:任务|工作|事项)?"
)


def _shared(body: str, count: int) -> list[str]:
    """The body of each of ``count`` tasks that share it: "分别完成五成和六成" gives each
    its own share, in order."""
    if count == 1:
        return [body]
    body = _GROUP_SUBJECT_RE.sub("", body, count=1)
    if "分别" in body:
        shares = find_percents(body)
        if len(shares) == count:
            head = body[: shares[0].start].replace("分别", "")
            tail = body[shares[-1].end :]
            return [head + body[p.start : p.end] + tail for p in shares]
    return [body] * count


_DECISION_RE = re.compile(
    r"\s*(?P<verb>(?:请)?(?:不同意|不批准|不予批准|驳回|同意|批准))\s*(?P<rest>.*)", re.DOTALL
)


def _decision_without_task(text: str) -> ParseResult | None:
    """`同意`, `同意延期`, `不同意，原因：…`: a leader answering the one request before them."""
    match = _DECISION_RE.fullmatch(text)
    if match is None:
        return None
    if APPROVE_PRE_RE.fullmatch(match["verb"]):
        if not APPROVE_BODY_RE.fullmatch(squeeze(match["rest"])):
            return None
        return ParseResult(kind="command", command="approve")
    note = trim(REJECT_NOTE_HEAD_RE.sub("", match["rest"].strip(), count=1)) or None
    return ParseResult(kind="command", command="reject", note=note)


def _without_refs(text: str, index: TaskIndex, today: date, g: Grammar) -> ParseResult:
    decision = _decision_without_task(text)
    if decision is not None:
        return decision
    if is_ack(text) or INSTRUCTION_RE.search(text):
        return UNKNOWN
    own = index.own_open
    task = own[0] if len(own) == 1 else None
    deadline = index.deadlines.get(task) if task else None
    body = parse_body(text, today, deadline, g, index.titles.get(task, "") if task else "")
    if not body.looks_like_report():
        return UNKNOWN
    if is_question(text) and not body.extension and body.percent is None:
        return ParseResult(kind="command", command="list")  # "进展如何？": their tasks
    if not own:
        return _clarify("no_tasks", ())
    if task is None:
        return _clarify("missing_task", own)
    outcome = _from_body(task, body, text)
    if isinstance(outcome, Clarify):
        return ParseResult(kind="clarify", clarify=outcome)
    return ParseResult(kind="update", updates=(outcome,))


# "T9 科普资源库建设运营：进展顺利": the task's own name as a heading before a colon.
_NAME_HEAD_RE = re.compile(r"\s*(?P<name>[^\s:,;。!?\n]{2,24})\s*:")


def _without_name(body: str, title: str) -> str:
    m = _NAME_HEAD_RE.match(body)
    if m is None or not title or m["name"] not in title or len(m["name"]) * 2 < len(title):
        return body
    return body[m.end() :]


def _update(task: str, body: str, index: TaskIndex, today: date, g: Grammar) -> Update | Clarify:
    text = _without_name(body, index.titles.get(task, "")).strip()
    if text.isascii() and text.isdigit() and len(text) <= 4:
        text += "%"  # "T3 80" reads as 80 percent
    elif ("十" in text or "百" in text) and (to_int(text) or 0) > 0:
        text = f"{to_int(text)}%"  # and "T3 八十" too
    b = parse_body(text, today, index.deadlines.get(task), g, index.titles.get(task, ""))
    return _from_body(task, b, body)


def _from_body(task: str, b: Body, raw: str) -> Update | Clarify:
    if b.percent is not None and b.percent > 100:
        return Clarify("percent_over_100", (task,), f"{b.percent}%")
    if b.extension:
        if b.new_deadline is None:
            return Clarify("missing_date", (task,), None)
        return Update(
            task,
            "extend",
            percent=b.percent,
            new_deadline=b.new_deadline,
            note=b.reason or b.note,
            problems=b.problems,
            next_steps=b.next_steps,
        )
    if b.done or b.percent == 100:
        return Update(
            task, "done", percent=100, note=b.note, problems=b.problems, next_steps=b.next_steps
        )
    if b.blocked:
        problems = b.problems or b.note
        return Update(
            task,
            "blocked",
            percent=b.percent,
            expected_date=b.expected,
            note=b.note if b.problems else None,
            problems=problems,
            next_steps=b.next_steps,
        )
    if not b.understood() and b.note is None:
        return Clarify("empty_update", (task,), trim(raw) or None)
    percent = b.percent if b.percent is not None else (0 if b.not_started else None)
    return Update(
        task,
        "progress",
        percent=percent,
        expected_date=b.expected,
        note=b.note,
        problems=b.problems,
        next_steps=b.next_steps,
    )
