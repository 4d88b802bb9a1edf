"""What reminders are due at a send time: a pure function of the snapshot and the rules.

`plan` looks at every open task once and says, for each person, which of their tasks need
a word today and why; the shell enqueues one digest per person. The rules are written
out in docs/rules.md; every count of days is in working days (scheduler.calendar).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from domain import rules
from domain.memory import without_collection
from domain.rules import (
    BEFORE,
    ESCALATE,
    MONTHLY,
    NODE,
    OVERDUE,
    STALE,
    Node,
    WorkDays,
    deciders,
    profile_nodes,
    responsible,
)
from domain.snapshot import Snapshot, TaskView
from scheduler.calendar import day_of_month

_DUE_RULES = frozenset({BEFORE, OVERDUE, NODE, ESCALATE})  # reasons dated by what falls due


@dataclass(frozen=True)
class ReminderRules:
    """[reminders] in the config, with the office's time zone."""

    time: time = time(9, 10)
    days_before: tuple[int, ...] = (3, 1)
    overdue_every: int = 1
    escalate_after: int = 3
    stale_after: int = 10  # 0: never
    monthly_report_day: int | None = None
    monthly_window: int = 3
    catch_up_hours: int = 12
    timezone: tzinfo = field(default=ZoneInfo("Asia/Shanghai"))


@dataclass(frozen=True)
class Reason:
    """Why a task is in a person's digest today."""

    rule: str
    node: str  # "deadline", "milestone:<n>", "deploy", "report", "settle", "2027-03", "quiet"
    date: date  # the date the rule is about (the deadline, a milestone, the last report…)
    title: str  # what falls due then
    workdays: int  # working days from today to `date`; negative once it has passed


@dataclass(frozen=True)
class Entry:
    """One task in one person's digest."""

    task: TaskView
    light: str
    workdays: int  # Standing.workdays_left
    reasons: tuple[Reason, ...]
    escalation: bool  # for a leader to press, not for the person to do

    @property
    def urgency(self) -> tuple[bool, date, int]:
        """Red first, then the nearest date something falls due: a deadline or milestone
        being reminded, else the task's deadline (a stale nudge's date is the last report,
        the monthly window's the report day: neither says how soon the task is due)."""
        due = [r.date for r in self.reasons if r.rule in _DUE_RULES]
        nearest = min(due) if due else self.task.deadline
        return (self.light != rules.RED, nearest, self.task.position)


@dataclass(frozen=True)
class PlannedNotice:
    """One person's digest at one send time."""

    to: str  # userid
    day: date
    entries: tuple[Entry, ...]  # their own tasks first, then escalations; each most urgent first

    def keys(self) -> list[str]:
        """One dedupe key per item: (person, rule, task, node, day)."""
        return [
            item_key(self.to, r.rule, e.task.id, r.node, self.day)
            for e in self.entries
            for r in e.reasons
        ]

    @property
    def dedupe_key(self) -> str:
        digest = hashlib.sha1("\n".join(sorted(self.keys())).encode()).hexdigest()[:16]
        return f"remind:{self.to}:{self.day.isoformat()}:{digest}"

    @property
    def single(self) -> Entry | None:
        """The one task of a digest about a single own task (it can be a card)."""
        if len(self.entries) == 1 and not self.entries[0].escalation:
            return self.entries[0]
        return None


def item_key(to: str, rule: str, task_id: str, node: str, day: date) -> str:
    return f"{to}|{rule}|{task_id}|{node}|{day.isoformat()}"


def send_day(moment: datetime, reminders: ReminderRules) -> date:
    return moment.astimezone(reminders.timezone).date()


def not_a_send_time(moment: datetime, reminders: ReminderRules, calendar: WorkDays) -> str | None:
    """Why no reminders go out at `moment` (None: it is a send time)."""
    local = moment.astimezone(reminders.timezone)
    day = local.date()
    if not calendar.is_workday(day):
        what = "周末" if day.weekday() >= 5 else "法定节假日"
        return f"{day.month}月{day.day}日为{what}，不发送提醒"
    if (local.hour, local.minute) != (reminders.time.hour, reminders.time.minute):
        return (
            f"{local:%H:%M} 不是提醒时间：提醒在每个工作日 {reminders.time:%H:%M} 发送"
            "（[reminders].time）"
        )
    return None


@without_collection
def plan(
    snapshot: Snapshot,
    now: datetime,
    reminders: ReminderRules,
    calendar: WorkDays,
    lights: rules.LightRules = rules.DEFAULT_LIGHTS,
) -> list[PlannedNotice]:
    """Every digest due on `now`'s day, one per person, in a stable order.

    Working days only; the caller ticks at the send time (or catches a missed one up).
    """
    day = send_day(now, reminders)
    if not calendar.is_workday(day):
        return []
    today = _Today(day, reminders, calendar)
    own: defaultdict[str, list[Entry]] = defaultdict(list)
    pressed: defaultdict[str, list[Entry]] = defaultdict(list)
    contacts: dict[str, tuple[str, ...]] = {}  # a department's, for tasks that name none
    leaders: dict[str, tuple[str, ...]] = {}
    for task in snapshot.tasks.values():
        if task.done or task.reminders.quiet or day < task.start:
            continue
        if _reported_on(task, day, reminders.timezone):
            continue  # a task that got a report today is not nagged today
        mine, theirs = _reasons(task, today)
        if not (mine or theirs):
            continue
        standing = rules.standing(task, day, calendar, lights)
        if mine:
            entry = Entry(task, standing.light, standing.workdays_left, tuple(mine), False)
            if task.contacts is None:
                if task.department_id not in contacts:
                    contacts[task.department_id] = responsible(task, snapshot)
                to = contacts[task.department_id]
            else:
                to = responsible(task, snapshot)
            for userid in to:
                own[userid].append(entry)
        if theirs:
            entry = Entry(task, standing.light, standing.workdays_left, tuple(theirs), True)
            if task.department_id not in leaders:
                leaders[task.department_id] = deciders(task.department_id, snapshot)
            for userid in leaders[task.department_id]:
                pressed[userid].append(entry)
    departments = {d: i for i, d in enumerate(snapshot.departments)}
    notices = []
    for userid in sorted(own.keys() | pressed.keys()):
        mine_sorted = sorted(own.get(userid, ()), key=lambda e: e.urgency)
        # A leader reads escalations by department, the most urgent first within each.
        theirs_sorted = sorted(
            pressed.get(userid, ()),
            key=lambda e: (departments.get(e.task.department_id, len(departments)), e.urgency),
        )
        notices.append(PlannedNotice(userid, day, tuple(mine_sorted + theirs_sorted)))
    return notices


def _reported_on(task: TaskView, day: date, timezone: tzinfo) -> bool:
    last = task.last_update_at
    return last is not None and last.astimezone(timezone).date() == day


class _Today:
    """What every task's rules share on one send day, worked out once."""

    def __init__(self, day: date, reminders: ReminderRules, calendar: WorkDays) -> None:
        self.day = day
        self.reminders = reminders
        self.calendar = calendar
        self.offsets = frozenset(reminders.days_before) | {0}
        self.reach = self._reach(self.offsets)
        self._reaches: dict[tuple[int, ...], tuple[frozenset[int], date]] = {}
        self.monthly: Reason | None = None  # today is in the monthly report window
        if reminders.monthly_report_day is not None:
            target = day_of_month(day.year, day.month, reminders.monthly_report_day)
            ahead = calendar.workdays_until(day, target)
            if day <= target and ahead <= reminders.monthly_window:
                self.monthly = Reason(MONTHLY, f"{day:%Y-%m}", target, "月度进展报送", ahead)

    def own(self, days_before: tuple[int, ...]) -> tuple[frozenset[int], date]:
        """A task's own offsets and how far they reach, worked out once per set."""
        known = self._reaches.get(days_before)
        if known is None:
            offsets = frozenset(days_before) | {0}
            known = self._reaches[days_before] = (offsets, self._reach(offsets))
        return known

    def _reach(self, offsets: frozenset[int]) -> date:
        """The last date at most max(offsets) working days away: beyond it, nothing is due
        before its date, so most tasks need no counting."""
        return self.calendar.add_workdays(self.day, max(offsets) + 1) - timedelta(days=1)


def _reasons(task: TaskView, today: _Today) -> tuple[list[Reason], list[Reason]]:
    """(reasons to remind the task's contacts, reasons to ask its leader to press it)."""
    day, reminders, calendar = today.day, today.reminders, today.calendar
    mine: list[Reason] = []
    theirs: list[Reason] = []
    own = task.reminders.days_before
    offsets, far = (today.offsets, today.reach) if own is None else today.own(own)
    pending = task.pending_extension is not None  # asked for more time: the leader decides
    if day <= task.deadline:
        for node in _nodes_ahead(task, day):
            if node.date > far:
                continue
            left = calendar.workdays_until(day, node.date)
            if left in offsets:
                mine.append(Reason(BEFORE, node.key, node.date, node.title, left))
    else:
        over = calendar.workdays_until(task.deadline, day)  # working days late
        if over >= 1 and (over - 1) % reminders.overdue_every == 0:
            late = Reason(OVERDUE, "deadline", task.deadline, "截止", -over)
            if not pending:
                mine.append(late)
            if over > reminders.escalate_after:
                theirs.append(Reason(ESCALATE, "deadline", task.deadline, "截止", -over))
    if task.profile == rules.PROFILE_13710:
        node_mine, node_theirs = _profile_13710(task, day, reminders, calendar)
        mine += node_mine
        theirs += node_theirs
    if not mine and not pending and day <= task.deadline:
        mine += _stale(task, day, reminders, calendar)
        if today.monthly is not None and not _reported_this_month(task, day, reminders.timezone):
            mine.append(today.monthly)
    return mine, theirs


def _nodes_ahead(task: TaskView, day: date) -> Iterable[Node]:
    yield Node("deadline", task.deadline, "截止")
    for n, milestone in enumerate(task.milestones):
        if day <= milestone.date < task.deadline:
            yield Node(f"milestone:{n}", milestone.date, milestone.title)


def _last_report_day(task: TaskView, timezone: tzinfo) -> date | None:
    last = task.last_update_at
    return last.astimezone(timezone).date() if last is not None else None


def _stale(task: TaskView, day: date, reminders: ReminderRules, calendar: WorkDays) -> list[Reason]:
    """No report for `stale_after` working days (counted from the start when never): a nudge,
    then another every `stale_after` working days of silence."""
    if reminders.stale_after <= 0:
        return []
    since = _last_report_day(task, reminders.timezone) or task.start
    if (day - since).days < reminders.stale_after:
        return []  # fewer calendar days than the working days it waits for
    quiet = calendar.workdays_until(since, day)
    if quiet < reminders.stale_after or quiet % reminders.stale_after:
        return []
    return [Reason(STALE, f"since:{since.isoformat()}", since, "上次填报", -quiet)]


def _reported_this_month(task: TaskView, day: date, timezone: tzinfo) -> bool:
    """The monthly window asks each open task without a report this month for one."""
    last = _last_report_day(task, timezone)
    return last is not None and (last.year, last.month) == (day.year, day.month)


def _profile_13710(
    task: TaskView, day: date, reminders: ReminderRules, calendar: WorkDays
) -> tuple[list[Reason], list[Reason]]:
    """13710: while a node is unmet, remind on its day and the working day before; on the
    first working day after it passed unmet, ask the leader to press the task.

    Deploy is met by any report since the task was assigned, report by a report after
    the deploy node, settle by the task being done.
    """
    mine: list[Reason] = []
    theirs: list[Reason] = []
    last = _last_report_day(task, reminders.timezone)
    deploy, report, settle = profile_nodes(task.start, task.major, calendar)
    if task.deadline != task.config_deadline:  # an approved extension moves the settle node
        settle = replace(settle, date=task.deadline)
    met = {
        deploy.key: last is not None and last >= task.start,
        report.key: last is not None and last > deploy.date,
        settle.key: task.done,
    }
    for node in (deploy, report, settle):
        if met[node.key]:
            continue
        left = calendar.workdays_until(day, node.date)
        reminded_by_deadline = node is settle and node.date == task.deadline
        if day <= node.date and left <= 1 and not reminded_by_deadline:
            mine.append(Reason(NODE, node.key, node.date, node.title, left))
        if day > node.date and calendar.workdays_until(node.date, day) == 1:
            theirs.append(Reason(ESCALATE, node.key, node.date, node.title, -1))
    return mine, theirs
