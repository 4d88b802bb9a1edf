"""What the config says the office looks like, as plain data the storage layer can apply."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from domain.snapshot import NO_OVERRIDES, ReminderOverrides


@dataclass(frozen=True)
class DepartmentSpec:
    id: str
    name: str
    leader: str | None = None
    contacts: tuple[str, ...] | None = None
    deciders: tuple[str, ...] = ()


@dataclass(frozen=True)
class PersonSpec:
    userid: str
    name: str
    department: str | None = None
    role: str = "staff"


@dataclass(frozen=True)
class MilestoneSpec:
    date: date
    title: str


@dataclass(frozen=True)
class TaskSpec:
    id: str
    title: str
    department: str
    deadline: date
    partners: tuple[str, ...] = ()
    contacts: tuple[str, ...] | None = None
    milestones: tuple[MilestoneSpec, ...] = ()
    assigned: date | None = None
    profile: str | None = None
    major: bool = False
    reminders: ReminderOverrides = NO_OVERRIDES


@dataclass(frozen=True)
class DirectorySpec:
    departments: tuple[DepartmentSpec, ...] = ()
    people: tuple[PersonSpec, ...] = ()
    tasks: tuple[TaskSpec, ...] = field(default=())
