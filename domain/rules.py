"""The office's rules about tasks, one pure function each, shared by every reader.

Chat replies, `duban tasks`, the reminder planner, the summaries and the ledger all ask
these functions — a task's light on a day, who answers for it, who decides for its
department — so that no two places can disagree. Deadlines are counted in working days
everywhere (see docs/rules.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from domain.snapshot import Snapshot, TaskView

RED, YELLOW, GREEN, DONE = "red", "yellow", "green", "done"
LIGHT_ORDER = {RED: 0, YELLOW: 1, GREEN: 2, DONE: 3}


class WorkDays(Protocol):
    """Working-day arithmetic (scheduler.calendar.WorkCalendar is the one implementation)."""

    def is_workday(self, day: date) -> bool: ...
    def workdays_until(self, start: date, end: date) -> int: ...
    def add_workdays(self, day: date, count: int) -> date: ...


@dataclass(frozen=True)
class LightRules:
    """When an open task is yellow rather than green ([summaries] in the config)."""

    warn_days: int = 5  # deadline within this many working days
    behind_margin: int = 20  # percent points behind the elapsed share of its time


DEFAULT_LIGHTS = LightRules()


@dataclass(frozen=True)
class Standing:
    """Where a task stands on a day."""

    light: str  # red | yellow | green | done
    # Working days after the day up to the deadline; once past it, minus the working days
    # after the deadline up to the day.
    workdays_left: int
    why: tuple[str, ...] = ()  # yellow: "near", "behind", "blocked"

    @property
    def overdue_workdays(self) -> int:
        return max(0, -self.workdays_left)


def standing(
    task: TaskView, day: date, calendar: WorkDays, rules: LightRules = DEFAULT_LIGHTS
) -> Standing:
    """The task's light on `day`.

    red: past its deadline in force and not done. yellow: not done, and the deadline is
    within `warn_days` working days, or the reported percent is more than `behind_margin`
    points behind the share of its working days already gone, or its latest report says
    it is blocked. green: otherwise. done: done.
    """
    if day > task.deadline:
        # Overdue by the working days after the deadline up to the day (0 on the weekend
        # after a Friday deadline: red, but no working day lost yet).
        left = -calendar.workdays_until(task.deadline, day)
    else:
        left = calendar.workdays_until(day, task.deadline)
    if task.done:
        return Standing(DONE, left)
    if day > task.deadline:
        return Standing(RED, left)
    why = []
    if left <= rules.warn_days:
        why.append("near")
    if _behind(task, day, calendar, rules.behind_margin):
        why.append("behind")
    if task.last_report is not None and task.last_report.action == "blocked":
        why.append("blocked")
    return Standing(YELLOW if why else GREEN, left, tuple(why))


def _behind(task: TaskView, day: date, calendar: WorkDays, margin: int) -> bool:
    if task.percent is None or day <= task.start:
        return False
    total = calendar.workdays_until(task.start, task.deadline)
    if total <= 0:
        return False
    elapsed = calendar.workdays_until(task.start, day)
    return task.percent + margin < 100 * elapsed / total


def responsible(task: TaskView, snapshot: Snapshot) -> tuple[str, ...]:
    """Who answers for the task, and so is reminded of it: the task's own contacts, else
    its department's contacts, else the department's staff. Only people still on record."""
    department = snapshot.departments.get(task.department_id)
    if task.contacts is not None:
        named: tuple[str, ...] = task.contacts
    elif department is not None and department.contacts is not None:
        named = department.contacts
    else:
        named = snapshot.staff.get(task.department_id, ())
    return tuple(u for u in dict.fromkeys(named) if snapshot.active_person(u) is not None)


def deciders(department_id: str, snapshot: Snapshot) -> tuple[str, ...]:
    """Who decides for a department (extensions; escalations reach them): its leader and
    any configured deciders; a department with neither falls to every leader."""
    department = snapshot.departments.get(department_id)
    named: tuple[str, ...] = ()
    if department is not None:
        named = ((department.leader,) if department.leader else ()) + department.deciders
    active = tuple(u for u in dict.fromkeys(named) if snapshot.active_person(u) is not None)
    if active:
        return active
    return tuple(
        sorted(p.userid for p in snapshot.people.values() if p.role == "leader" and not p.archived)
    )


def led_by(userid: str, snapshot: Snapshot) -> tuple[str, ...]:
    """The departments `userid` decides for (a leader's summary covers these)."""
    return tuple(d for d in snapshot.departments if userid in deciders(d, snapshot))


# Reminder rules, as they appear in dedupe keys, the reminder history and the templates
# (the planner decides them; storage counts escalations; one spelling for both).
BEFORE = "before"  # the deadline or a milestone is near (or today)
OVERDUE = "overdue"  # past the deadline, not done
STALE = "stale"  # no report for a while
MONTHLY = "monthly"  # the monthly report window (月调度)
NODE = "node"  # a 13710 node is near and not yet met
ESCALATE = "escalate"  # to a leader: press this task (催办)

PROFILE_13710 = "13710"


@dataclass(frozen=True)
class Node:
    """A date a task must meet: a 13710 node, a milestone or the deadline."""

    key: str  # "deploy" | "report" | "settle" | "milestone:<n>" | "deadline"
    date: date
    title: str


def profile_nodes(assigned: date, major: bool, calendar: WorkDays) -> tuple[Node, Node, Node]:
    """The 13710 work rule's nodes for a matter assigned on `assigned`: research and
    deploy within 1 working day, report back within 3, settle within 7 — a major matter
    within a month (the same day next month)."""
    settle = add_months(assigned, 1) if major else calendar.add_workdays(assigned, 7)
    return (
        Node("deploy", calendar.add_workdays(assigned, 1), "研究部署"),
        Node("report", calendar.add_workdays(assigned, 3), "反馈进展"),
        Node("settle", settle, "办结"),
    )


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day when it is shorter."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")
