"""What one clause says about the task: finished, not started, going on, or just a note.

A status may stand alone ("已完成", "还没开始呢") or follow a subject ("汇编工作已按期完成",
"培训工作尚未启动"). A subject that names the task's work as a whole keeps the status;
one that names a part of it ("方案初稿", "中期检查", "12家学会评估") makes the clause a
note about that part. Adverbs before the verb say how sure it is: "全部/按期/圆满" settle
it, "基本/即将/预计/未" take it back.
"""

from __future__ import annotations

import re

from .vocab import STRONG_DONE_WORDS, Grammar

TYPE_CHECKING = False
if TYPE_CHECKING:  # type checkers see a dataclass; record.py builds the same, cheaper
    from dataclasses import dataclass as record
else:
    from .record import record

# Read right to left from the verb: adverbs between the subject and the verb.
_STRONG = (
    "全部",
    "全面",
    "圆满",
    "按期",
    "按时",
    "如期",
    "顺利",
    "提前",
    "全数",
    "彻底",
    "都",
    "成功",
    "胜利",
)
_NEUTRAL = (
    "已经",
    "已",
    "均已",
    "都已",
    "业已",
    "也已",
    "现已",
    "亦已",
    "均",
    "也",
    "全都",
    "现",
    "于",
    "目前",
    "现在",
    "今天",
    "今日",
    "昨天",
    "刚刚",
    "刚",
    "终于",
    "总算",
    "按计划",
    "按要求",
    "高质量",
    "保质保量",
    "全",
    "给",
    "基本上",
)
_HEDGE = (
    "基本",
    "大部分",
    "大体",
    "初步",
    "即将",
    "快要",
    "快",
    "接近",
    "尚未",
    "还未",
    "仍未",
    "未",
    "没有",
    "没",
    "还没",
    "预计",
    "计划",
    "争取",
    "力争",
    "将",
    "拟",
    "待",
    "需要",
    "需",
    "要",
    "能够",
    "能",
    "可以",
    "可",
    "才能",
    "确保",
    "务必",
    "正在",
    "未能",
    "不能",
    "无法",
    "不",
    "难以",
    "有望",
    "应该",
    "应",
    "估计",
    "可能",
    "或将",
    "方能",
    "后",
    "再",
    "如何",
    "是否",
    "何时",
    "差不多",
    "马上",
    "马上就",
    "就要",
    "抓紧",
    "加紧",
    "加快",
    "尽快",
    "全力",
    "努力",
    "启动",
    "开始",
    "着手",
)
_KIND = {w: "strong" for w in _STRONG} | {w: "neutral" for w in _NEUTRAL}
_KIND |= {w: "hedge" for w in _HEDGE}
_ADVERB_END_RE = re.compile("(?:" + "|".join(sorted(_KIND, key=lambda w: (-len(w), w))) + r")\s*$")
# A subject that is the task itself ("该项工作", "任务", "各项任务").
_GENERIC_RE = re.compile(
    r"(?:该|此|本|这|这个|这项|该项|此项|本项|各项|全部|所有|相关|整体|总体|整个|我们的?|我部|我处|"
    r"我会|我单位|我馆|我部门)?"
    r"(?:项|个)?(?:任务|工作|事项|事情|活儿?|东西|内容|督办事项|督办任务)?(?:目前|现在|现)?"
)
# Subjects that name a part or a stage of the work.
_PART_RE = re.compile(
    r"部分|个别|其中|大部分|大部|多数|一部分|少部分|剩余|阶段|初稿|初审|初步|初验|初选|中期|前期"
    r"|[一二三四首]期|首批|第[一二三四五六七八九十0-9]+(?:批|期|轮|次|步|项|部分|阶段)"
    r"|[0-9一二三四五六七八九十两百千万余多]+\s*(?:家|个|项|场|次|名|人|篇|批|所|份|处|件|条|本|套"
    r"|台|座|户|村|县|市|校|期|轮|场次|人次)"
)
# Work that prepares the task rather than finishes it; a strong adverb still settles it.
_PREP_RE = re.compile(r"方案|草案|框架|大纲|提纲|筹备|准备|试点|调研|开题|摸底|征集|申报|报名|起草")
DONE_MARKS = ("✅", "✔", "☑", "🆗", "👌")


@record(frozen=True, slots=True)
class Verdict:
    kind: str  # done | not_started | in_progress | plan_start | note
    bare: bool = True  # nothing but the status: the clause is no note
    strong: bool = False  # a whole-task word ("全部完成", "办结")
    part: bool = False  # the subject names a part or a stage


NOTE = Verdict("note", bare=False)
# "差不多完成了", "尚未完成": about finishing, but not finished: work going on, kept as a note.
HEDGED = Verdict("in_progress", bare=False)
# "拟于4月启动": not started, when nothing else in the reply says what was done.
PLAN_START = Verdict("plan_start", bare=False)


def _adverbs(prefix: str) -> tuple[str, set[str]]:
    """Split the adverbs off the end of ``prefix``: (subject, their kinds)."""
    kinds: set[str] = set()
    while prefix and (m := _ADVERB_END_RE.search(prefix)) is not None:
        kinds.add(_KIND[m.group(0).strip()])
        prefix = prefix[: m.start()].rstrip()
    return prefix, kinds


_IN_PROGRESS_RE = re.compile(
    r"(?:目前|当前|现在?|正)?(?:都|均|也)?(?:正在|仍在|还在|已经|已|在)?"
    r"(?:有序|稳步|积极|加快|加紧|抓紧|持续|全力|正常|按计划|按原计划|顺利|紧张)?"
    r"(?:推进|进行|办理|实施|开展|落实|启动|开始|筹备|对接|弄|搞|做|办|跟进)(?:中|当中|着呢|着)?"
    r"|进展顺利|进度正常|正常推进|按计划推进|在弄了|在搞了|在做了|在办了|弄着呢|搞着呢"
)


# An event held ("活动已于3月10日圆满举办", "发布仪式成功举行"): the task is done when a
# strong adverb says so and the subject is the task's event, not a part or a preparation.
EVENT_DONE_RE = re.compile(r"(?:举办|举行|召开)(?:了)?(?:[了啦]|!)*$")
# Events that open or steer the work rather than are it ("开班仪式", "推进会").
_OPENING_RE = re.compile(
    r"开班|开幕|启动|开题|动员|部署|推进|座谈|调度|专题|协调|对接|评审|论证|培训会"
)
# A plan to start ("该项工作拟于二季度启动", "拟于4月上旬启动方案起草工作"): not started yet.
_PLAN_START_RE = re.compile(
    r"(?P<subject>.*?)(?:拟|计划|准备|打算)(?:于|在)?(?P<when>.{0,12}?)(?:正式)?"
    r"(?:启动|开始|着手)(?P<object>.*)"
)


def _event_done(clause: str, title: str) -> Verdict | None:
    event = EVENT_DONE_RE.search(clause)
    if event is None:
        return None
    subject, kinds = _adverbs(clause[: event.start()])
    if kinds != {"strong"} and kinds != {"strong", "neutral"}:
        return None
    if _GENERIC_RE.fullmatch(subject):
        return Verdict("done")
    if _PART_RE.search(subject) or _PREP_RE.search(subject) or _OPENING_RE.search(subject):
        return NOTE
    return Verdict("done", bare=False, strong=True)


# "已按要求完成编印工作", "顺利通过省级文明单位复查": finishing the work the task's title
# names is finishing the task.
_DONE_OBJECT_RE = re.compile(
    r"(?P<head>.*?)(?:完成|办结|通过)(?:了)?(?P<obj>.{2,12}?)(?P<work>工作|任务)?"
)


def _done_object(clause: str, title: str) -> Verdict | None:
    m = _DONE_OBJECT_RE.fullmatch(clause)
    if m is None or not title or m["obj"] not in title:
        return None
    if m["work"] is None and m["obj"] != title:  # "已完成资格审查" may be a stage of it
        return None
    subject, kinds = _adverbs(m["head"])
    if "hedge" in kinds or not _GENERIC_RE.fullmatch(subject):
        return None
    return Verdict("done", bare=False, strong="strong" in kinds)


def _plan_to_start(whole: str, title: str) -> bool:
    m = _PLAN_START_RE.fullmatch(whole)
    if m is None or "已" in whole or _PART_RE.search(whole):
        return False
    subject, obj = m["subject"], m["object"]
    if not (_GENERIC_RE.fullmatch(subject) or subject.removesuffix("工作") in title):
        return False
    prep = _PREP_RE.search(obj)
    return bool(_GENERIC_RE.fullmatch(obj) or prep or obj.removesuffix("工作") in title)


def classify(clause: str, whole: str, grammar: Grammar, title: str = "") -> Verdict:
    """The verdict on one clause: ``whole`` as written (emoji and particles trimmed), and
    ``clause`` the same without its dates ("已于3月12日全部完成" is done)."""
    if clause.lower() in grammar.pure_done:
        return Verdict("done")
    done = grammar.done_tail.search(clause)
    if done is not None:
        subject, kinds = _adverbs(clause[: done.start()])
        if "hedge" in kinds:
            return HEDGED
        if _GENERIC_RE.fullmatch(subject):
            return Verdict("done")
        strong = "strong" in kinds or done.group("verb") in STRONG_DONE_WORDS
        prep = _PREP_RE.search(subject)
        part = _PART_RE.search(subject) is not None or (
            prep is not None and prep.group(0) not in title and not strong
        )
        return Verdict("done", bare=False, strong=strong, part=part)
    started = grammar.not_started_tail.search(whole)
    if started is not None:
        subject = whole[: started.start()]
        return Verdict("not_started", bare=_GENERIC_RE.fullmatch(subject) is not None)
    if _IN_PROGRESS_RE.fullmatch(whole):
        return Verdict("in_progress")
    event = _event_done(clause, title) or _done_object(clause, title)
    if event is not None:
        return event
    if _plan_to_start(whole, title):
        return PLAN_START
    return NOTE
