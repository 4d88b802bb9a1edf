"""Reads the shell and the handlers share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from storage.models import Department, Person, Task, WorldRevision


@dataclass(frozen=True, slots=True)
class DepartmentInfo:
    id: str
    name: str
    leader: str | None
    contacts: list[str] | None
    deciders: list[str] | None


@dataclass(frozen=True, slots=True)
class PersonInfo:
    userid: str
    name: str
    department_id: str | None
    role: str
    archived: bool


def active_tasks(session: Session) -> Sequence[Task]:
    """Tasks in config order (milestones load on first access: most callers never look)."""
    return session.scalars(
        select(Task).where(Task.archived.is_(False)).order_by(Task.position)
    ).all()


# The directory is read for every message and never changed by one: plain rows, no ORM
# identity tracking, cost a fraction of mapped objects.


def departments_by_id(session: Session) -> dict[str, DepartmentInfo]:
    rows = session.execute(
        select(
            Department.id,
            Department.name,
            Department.leader,
            Department.contacts,
            Department.deciders,
        )
    )
    return {row.id: DepartmentInfo(*row) for row in rows}


def people_by_id(session: Session) -> dict[str, PersonInfo]:
    rows = session.execute(
        select(Person.userid, Person.name, Person.department_id, Person.role, Person.archived)
    )
    return {row.userid: PersonInfo(*row) for row in rows}


_REVISION_TABLE: Table = WorldRevision.__table__  # type: ignore[assignment]
_REVISION = select(_REVISION_TABLE.c.value).where(_REVISION_TABLE.c.id == 1)


def world_revision(session: Session) -> int:
    """The counter the database bumps on any change to the world (see WorldRevision)."""
    return int(session.connection().scalar(_REVISION) or 0)
