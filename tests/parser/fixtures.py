"""Fixed tasks, senders and dates shared by the parser tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from handlers.parser import TaskRef

# (id, title, deadline, done, owner)
_TASKS = (
    ("T1", "筹备召开省科协第十次代表大会", date(2027, 6, 30), False, "off"),
    ("T2", "编印年度重点工作和工作要点", date(2027, 3, 31), False, "off"),
    ("T3", "十大代表资格审查", date(2027, 5, 31), False, "org"),
    ("T4", "院士专家地方行活动", date(2027, 4, 30), False, "org"),
    ("T5", "省级文明单位复查", date(2027, 4, 15), False, "party"),
    ("T6", "党务干部集中培训", date(2027, 5, 20), False, "party"),
    ("T7", "一流学会建设", date(2027, 9, 30), False, "acad"),
    ("T8", "全国科普日活动方案", date(2027, 9, 15), False, "pop"),
    ("T9", "科普资源库建设运营", date(2027, 8, 31), False, "pop"),
    ("T10", "河南科技智库课题研究", date(2027, 11, 30), False, "res"),
    ("T11", "最美科技工作者发布仪式", date(2027, 3, 20), True, "res"),
    ("T12", "新馆工程建设", date(2027, 12, 31), False, "mus"),
    ("3.1", "科创中原论坛", date(2027, 6, 30), False, "acad"),
    ("3.2", "全省学会秘书长沙龙", date(2027, 1, 31), False, "acad"),
)

SENDERS = ("off", "org", "party", "acad", "pop", "res", "mus", "lead")


def tasks_for(sender: str) -> list[TaskRef]:
    return [
        TaskRef(id=i, title=t, deadline=d, done=done, mine=owner == sender)
        for i, t, d, done, owner in _TASKS
    ]


TASKS = {s: tasks_for(s) for s in SENDERS}

# Wednesday in March; Thursday in April; a Monday in late December; a Monday on Jan 31.
MAR17 = date(2027, 3, 17)
APR22 = date(2027, 4, 22)
DEC20 = date(2027, 12, 20)
JAN31 = date(2028, 1, 31)

KEYS = ("kind", "command", "task", "note", "updates", "clarify")
UPDATE_KEYS = (
    "task",
    "action",
    "percent",
    "expected_date",
    "new_deadline",
    "note",
    "problems",
    "next_steps",
)


def U(
    task: str,
    action: str,
    percent: int | None = None,
    expected: str | None = None,
    new: str | None = None,
    note: str | None = None,
    problems: str | None = None,
    next_steps: str | None = None,
) -> dict[str, Any]:
    return {
        "task": task,
        "action": action,
        "percent": percent,
        "expected_date": expected,
        "new_deadline": new,
        "note": note,
        "problems": problems,
        "next_steps": next_steps,
    }
