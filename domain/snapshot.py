"""The state of the office at one moment, as plain frozen data.

Everything that plans or reports reads this one read model: the chat handlers (through
`handlers.lookup.World`), `duban tasks`, the reminder planner, the summaries and the ledger.
It is built in a bounded number of queries (storage/snapshot.py), never a query per task,
and nothing in it is a live database object: it can be handed around and kept.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from types import MappingProxyType
from typing import Any, NamedTuple


@dataclass(frozen=True, slots=True)
class Department:
    id: str
    name: str
    leader: str | None = None
    # None: the department's staff are its contacts.
    contacts: tuple[str, ...] | None = None
    # Who else decides on its extension requests besides the leader (config `deciders`).
    deciders: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Person:
    userid: str
    name: str
    department_id: str | None = None
    role: str = "staff"  # staff | leader | admin
    archived: bool = False


class Milestone(NamedTuple):
    date: date
    title: str


class Report(NamedTuple):
    """A task's latest record that counts (undone ones do not)."""

    at: datetime
    author: str
    action: str  # progress | done | extend | blocked
    percent: int | None = None
    expected_date: date | None = None
    note: str | None = None
    problems: str | None = None
    next_steps: str | None = None


@dataclass(frozen=True, slots=True)
class PendingExtension:
    id: int
    requested_by: str
    requested_at: datetime
    requested_date: date
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class ReminderOverrides:
    """A task's own reminder rules (config `tasks[].reminders`); None keeps the office's."""

    days_before: tuple[int, ...] | None = None
    quiet: bool = False

    @classmethod
    def from_json(cls, value: Mapping[str, Any] | None) -> ReminderOverrides:
        if not value:
            return NO_OVERRIDES
        days = value.get("days_before")
        return cls(
            days_before=None if days is None else tuple(int(d) for d in days),
            quiet=bool(value.get("quiet", False)),
        )

    def to_json(self) -> dict[str, Any] | None:
        if self == NO_OVERRIDES:
            return None
        data: dict[str, Any] = {"quiet": self.quiet}
        if self.days_before is not None:
            data["days_before"] = list(self.days_before)
        return data


NO_OVERRIDES = ReminderOverrides()


class TaskView(NamedTuple):
    """One active task and everything derived from its records.

    A named tuple rather than a frozen dataclass: a snapshot builds one per task, and a
    tuple is built several times faster (bench/plan.py). Change one with `_replace`.
    """

    id: str
    title: str
    department_id: str
    deadline: date  # in force: moved by approved extensions
    config_deadline: date  # as the config gives it
    start: date  # assigned (下达), else the day the task first reached the database
    position: int = 0
    partners: tuple[str, ...] = ()
    # None: the department's contacts answer for the task.
    contacts: tuple[str, ...] | None = None
    milestones: tuple[Milestone, ...] = ()
    status: str = "open"  # open | done
    percent: int | None = None
    done_at: datetime | None = None
    last_update_at: datetime | None = None
    last_report: Report | None = None
    pending_extension: PendingExtension | None = None
    profile: str | None = None  # "13710": the 1-3-7(-30) day work rule
    major: bool = False  # 13710: a major matter settles within a month
    reminders: ReminderOverrides = NO_OVERRIDES
    reminded: int = 0  # days on which its contacts were reminded
    last_reminded: date | None = None
    escalated: int = 0  # days on which a leader was asked to press it (催办)
    last_escalated: date | None = None

    @property
    def done(self) -> bool:
        return self.status == "done"


def _frozen(items: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(items))


@dataclass(frozen=True)
class Snapshot:
    """Active tasks in config order, and the directory."""

    tasks: Mapping[str, TaskView] = field(default_factory=lambda: _frozen({}))
    departments: Mapping[str, Department] = field(default_factory=lambda: _frozen({}))
    people: Mapping[str, Person] = field(default_factory=lambda: _frozen({}))

    @classmethod
    def of(
        cls,
        tasks: Iterator[TaskView] | list[TaskView] | tuple[TaskView, ...],
        departments: Iterator[Department] | list[Department] | tuple[Department, ...],
        people: Iterator[Person] | list[Person] | tuple[Person, ...],
    ) -> Snapshot:
        return cls(
            _frozen({t.id: t for t in tasks}),
            _frozen({d.id: d for d in departments}),
            _frozen({p.userid: p for p in people}),
        )

    def with_task(self, task: TaskView) -> Snapshot:
        """This snapshot with one task as a handler just wrote it."""
        return Snapshot(_frozen({**self.tasks, task.id: task}), self.departments, self.people)

    @cached_property
    def staff(self) -> Mapping[str, tuple[str, ...]]:
        """Each department's staff (role staff), in directory order: computed once."""
        grouped: dict[str, list[str]] = {}
        for person in self.people.values():
            if person.department_id is not None and person.role == "staff":
                grouped.setdefault(person.department_id, []).append(person.userid)
        return MappingProxyType({d: tuple(users) for d, users in grouped.items()})

    def department_name(self, department_id: str | None) -> str:
        department = self.departments.get(department_id or "")
        return department.name if department is not None else ""

    def person_name(self, userid: str | None) -> str:
        if userid is None:
            return ""
        person = self.people.get(userid)
        return person.name if person is not None else userid

    def active_person(self, userid: str) -> Person | None:
        person = self.people.get(userid)
        return person if person is not None and not person.archived else None
