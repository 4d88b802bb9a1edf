"""The leaders' summary of a period: a pure function of the snapshot and the period's history.

Lights come from domain.rules (one definition for chat, summary and ledger); the ranking,
the on-time rate and the rest are defined here and in docs/rules.md ("汇总").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

from domain import rules
from domain.memory import without_collection
from domain.rules import LightRules, WorkDays
from domain.snapshot import Snapshot, TaskView
from storage.history import History, Record

WEEK, MONTH = "week", "month"


@dataclass(frozen=True)
class Period:
    kind: str  # week | month
    start: date
    end: date  # inclusive

    @classmethod
    def of(cls, kind: str, day: date) -> Period:
        """The week (Monday to Sunday) or the month that holds `day`."""
        if kind == WEEK:
            start = day - timedelta(days=day.weekday())
            return cls(WEEK, start, start + timedelta(days=6))
        start = day.replace(day=1)
        return cls(MONTH, start, rules.add_months(start, 1) - timedelta(days=1))

    @classmethod
    def sent_on(cls, kind: str, day: date) -> Period:
        """The period a summary sent on `day` reports: the week (month) holding `day`, but
        the one before when `day` is its first day (a Monday or the 1st), when nothing has
        happened in the new one yet."""
        current = cls.of(kind, day)
        return cls.of(kind, day - timedelta(days=1)) if day == current.start else current

    def following(self) -> Period:
        return Period.of(self.kind, self.end + timedelta(days=1))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True)
class Counts:
    total: int = 0
    done: int = 0
    green: int = 0
    yellow: int = 0
    red: int = 0
    on_time: int = 0  # done by the deadline in force
    due: int = 0  # done, or past the deadline: what the on-time rate is out of

    @property
    def on_time_rate(self) -> float | None:
        """Done by the deadline / (done + overdue); None while nothing was due."""
        return None if self.due == 0 else self.on_time / self.due


@dataclass(frozen=True)
class DepartmentLine:
    id: str
    name: str
    counts: Counts
    reported: bool  # any report on its tasks in the period, or nothing open to report on
    report_rate: float  # share of its open tasks reported on in the period (1.0 with none)
    rank: int = 0
    tied: bool = False  # shares its rank with another department

    @property
    def owes_reports(self) -> bool:
        """Has open tasks: a department whose tasks are all done has nothing to report."""
        return self.counts.done < self.counts.total


@dataclass(frozen=True)
class RedLine:
    task: TaskView
    overdue_days: int  # working days
    reminded: int
    last_report: date | None
    last_text: str


@dataclass(frozen=True)
class Change:
    task: TaskView
    before: int | None
    after: int


@dataclass(frozen=True)
class Problem:
    task: TaskView
    day: date
    text: str


@dataclass(frozen=True)
class ExtensionLine:
    task: TaskView
    requested_date: date
    state: str
    requester: str
    decider: str


@dataclass(frozen=True)
class Due:
    task: TaskView
    day: date
    what: str  # 截止, or the milestone's title


@dataclass(frozen=True)
class Summary:
    title: str  # the scope's name, e.g. 党组成员群 or 全部部门
    period: Period
    day: date  # what the lights are as of
    headline: Counts
    departments: tuple[DepartmentLine, ...]  # ranked
    completed: tuple[TaskView, ...]
    changes: tuple[Change, ...]
    problems: tuple[Problem, ...]
    extensions: tuple[ExtensionLine, ...]
    escalations: tuple[tuple[TaskView, int], ...]  # task, days pressed in the period
    not_reported: tuple[tuple[str, tuple[TaskView, ...]], ...]  # department name, its tasks
    red: tuple[RedLine, ...]
    next: tuple[Due, ...]
    next_period: Period


@without_collection
def summarize(
    snapshot: Snapshot,
    history: History,
    period: Period,
    day: date,
    *,
    scope: Sequence[str] | None,
    title: str,
    calendar: WorkDays,
    lights: LightRules,
    timezone: tzinfo,
) -> Summary:
    """The summary of `period` for the departments in `scope` (None: all), lights as of `day`."""
    wanted = set(scope) if scope is not None else set(snapshot.departments)
    tasks = [t for t in snapshot.tasks.values() if t.department_id in wanted]
    ids = {t.id for t in tasks}
    standing = {t.id: rules.standing(t, day, calendar, lights) for t in tasks}
    records = [r for r in history.records if r.task_id in ids]
    reported = {r.task_id for r in records}
    by_department: dict[str, list[TaskView]] = {}
    for task in tasks:
        by_department.setdefault(task.department_id, []).append(task)
    lines = [
        DepartmentLine(
            department.id,
            department.name,
            _counts(by_department[department.id], standing, timezone),
            _reported(by_department[department.id], reported),
            _report_rate(by_department[department.id], reported),
        )
        for department in snapshot.departments.values()
        if department.id in by_department
    ]
    return Summary(
        title=title,
        period=period,
        day=day,
        headline=_counts(tasks, standing, timezone),
        departments=_ranked(lines),
        completed=_completed(tasks, records),
        changes=_changes(tasks, records, history),
        problems=_problems(snapshot, records, timezone),
        extensions=_extensions(snapshot, history, ids),
        escalations=tuple(
            (t, history.escalations[t.id]) for t in tasks if history.escalations.get(t.id)
        ),
        not_reported=tuple(
            (snapshot.department_name(d), tuple(missing))
            for d, items in by_department.items()
            if (missing := [t for t in items if not t.done and t.id not in reported])
        ),
        red=tuple(
            _red_line(t, standing[t.id], timezone)
            for t in sorted(tasks, key=lambda t: (t.deadline, t.position))
            if standing[t.id].light == rules.RED
        ),
        next=_due_in(tasks, period.following()),
        next_period=period.following(),
    )


def _counts(
    tasks: Iterable[TaskView], standing: dict[str, rules.Standing], timezone: tzinfo
) -> Counts:
    lights = {rules.DONE: 0, rules.GREEN: 0, rules.YELLOW: 0, rules.RED: 0}
    on_time = total = 0
    for task in tasks:
        total += 1
        lights[standing[task.id].light] += 1
        if task.done and task.done_at is not None:
            on_time += task.done_at.astimezone(timezone).date() <= task.deadline
    return Counts(
        total,
        lights[rules.DONE],
        lights[rules.GREEN],
        lights[rules.YELLOW],
        lights[rules.RED],
        on_time,
        lights[rules.DONE] + lights[rules.RED],
    )


def _reported(tasks: list[TaskView], reported: set[str]) -> bool:
    """Not to be flagged 未报送: a report on any of its tasks in the period, or no open task
    (nothing to report on)."""
    return all(t.done for t in tasks) or any(t.id in reported for t in tasks)


def _report_rate(tasks: list[TaskView], reported: set[str]) -> float:
    open_tasks = [t for t in tasks if not t.done]
    if not open_tasks:
        return 1.0
    return sum(t.id in reported for t in open_tasks) / len(open_tasks)


def _ranked(lines: list[DepartmentLine]) -> tuple[DepartmentLine, ...]:
    """On-time rate (a department with nothing due yet counts as 100 %), then fewest
    overdue, then the share of open tasks reported on in the period. Equal keys share a
    rank (1, 2, 2, 4) and are marked tied."""

    def key(line: DepartmentLine) -> tuple[float, int, float]:
        rate = line.counts.on_time_rate
        return (-(1.0 if rate is None else rate), line.counts.red, -line.report_rate)

    ordered = sorted(lines, key=key)
    keys = [key(line) for line in ordered]
    ranked = []
    for i, line in enumerate(ordered):
        rank = next(j for j in range(i + 1) if keys[j] == keys[i]) + 1
        tied = keys.count(keys[i]) > 1
        ranked.append(
            DepartmentLine(
                line.id, line.name, line.counts, line.reported, line.report_rate, rank, tied
            )
        )
    return tuple(ranked)


def _completed(tasks: list[TaskView], records: list[Record]) -> tuple[TaskView, ...]:
    done_in_period = {r.task_id for r in records if r.report.action == "done"}
    return tuple(t for t in tasks if t.done and t.id in done_in_period)


def _changes(tasks: list[TaskView], records: list[Record], history: History) -> tuple[Change, ...]:
    last: dict[str, int] = {}
    for record in records:
        if record.report.percent is not None:
            last[record.task_id] = record.report.percent
    changes = []
    for task in tasks:
        after = last.get(task.id)
        before = history.percent_before.get(task.id)
        if after is not None and after != before:
            changes.append(Change(task, before, after))
    return tuple(changes)


def _problems(snapshot: Snapshot, records: list[Record], timezone: tzinfo) -> tuple[Problem, ...]:
    found = []
    for record in records:
        report = record.report
        text = report.problems or (report.note if report.action == "blocked" else None)
        if text:
            task = snapshot.tasks[record.task_id]
            found.append(Problem(task, report.at.astimezone(timezone).date(), text))
    return tuple(found)


def _extensions(snapshot: Snapshot, history: History, ids: set[str]) -> tuple[ExtensionLine, ...]:
    return tuple(
        ExtensionLine(
            snapshot.tasks[e.task_id],
            e.requested_date,
            e.state,
            snapshot.person_name(e.requested_by),
            snapshot.person_name(e.decided_by),
        )
        for e in history.extensions
        if e.task_id in ids
    )


def _red_line(task: TaskView, standing: rules.Standing, timezone: tzinfo) -> RedLine:
    last = task.last_report
    text = ""
    if last is not None:
        text = (
            last.problems or last.note or (f"{last.percent}%" if last.percent is not None else "")
        )
    return RedLine(
        task,
        standing.overdue_workdays,
        task.reminded,
        last.at.astimezone(timezone).date() if last is not None else None,
        text,
    )


def _due_in(tasks: list[TaskView], period: Period) -> tuple[Due, ...]:
    due = []
    for task in tasks:
        if task.done:
            continue
        if task.deadline in period:
            due.append(Due(task, task.deadline, "截止"))
        for milestone in task.milestones:
            if milestone.date in period:
                due.append(Due(task, milestone.date, milestone.title))
    return tuple(sorted(due, key=lambda d: (d.day, d.task.position)))
