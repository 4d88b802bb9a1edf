"""Reads the shell and the handlers share."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from storage.models import Department, Person, Task


def active_tasks(session: Session) -> Sequence[Task]:
    """Tasks in config order, milestones loaded."""
    return session.scalars(
        select(Task)
        .where(Task.archived.is_(False))
        .order_by(Task.position)
        .options(selectinload(Task.milestones))
    ).all()


def departments_by_id(session: Session) -> dict[str, Department]:
    return {d.id: d for d in session.scalars(select(Department))}


def people_by_id(session: Session) -> dict[str, Person]:
    return {p.userid: p for p in session.scalars(select(Person))}
