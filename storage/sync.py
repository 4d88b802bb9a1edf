"""Apply the config's directory to the database: create, update, archive — never delete."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.directory import DepartmentSpec, DirectorySpec, PersonSpec, TaskSpec
from storage.models import AuditEntry, Base, Department, Milestone, Person, Task


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.archived or self.restored)


Row = TypeVar("Row", bound=Base)
Spec = TypeVar("Spec")


def sync_directory(session: Session, spec: DirectorySpec, *, now: datetime) -> SyncReport:
    """Make the database match `spec`. A second run with the same spec changes nothing."""
    report = SyncReport()
    _sync(session, Department, spec.departments, lambda d: d.id, _department_fields, report, "部门")
    _sync(session, Person, spec.people, lambda p: p.userid, _person_fields, report, "人员")
    _sync(
        session,
        Task,
        spec.tasks,
        lambda t: t.id,
        lambda spec, row: _task_fields(spec, row, now),
        report,
        "任务",
        _sync_milestones,
    )
    for action, items in (
        ("created", report.created),
        ("updated", report.updated),
        ("archived", report.archived),
        ("restored", report.restored),
    ):
        for item in items:
            session.add(AuditEntry(at=now, actor="config", action=f"sync.{action}", target=item))
    session.flush()
    return report


def _sync(
    session: Session,
    model: type[Row],
    specs: Sequence[Spec],
    key: Callable[[Spec], str],
    fields: Callable[[Spec, Row | None], dict[str, Any]],
    report: SyncReport,
    label: str,
    children: Callable[[Row, Spec], bool] = lambda _row, _spec: False,
) -> None:
    existing: dict[str, Row] = {_primary_key(row): row for row in session.scalars(select(model))}
    wanted = {key(spec): spec for spec in specs}
    for position, (ident, spec) in enumerate(wanted.items()):
        row = existing.get(ident)
        values = fields(spec, row)
        if hasattr(model, "position"):
            values["position"] = position
        if row is None:
            row = model(**values, archived=False)
            session.add(row)
            children(row, spec)
            report.created.append(f"{label} {ident}")
            continue
        if getattr(row, "archived", False):
            row.archived = False  # type: ignore[attr-defined]
            report.restored.append(f"{label} {ident}")
        if _assign(row, values) | children(row, spec):
            report.updated.append(f"{label} {ident}")
    for ident, row in existing.items():
        if ident not in wanted and not getattr(row, "archived", False):
            row.archived = True  # type: ignore[attr-defined]
            report.archived.append(f"{label} {ident}")
    session.flush()


def _primary_key(row: Base) -> str:
    (value,) = row.__mapper__.primary_key_from_instance(row)
    return str(value)


def _assign(row: Base, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _listed(values: Iterable[str] | None) -> list[str] | None:
    return None if values is None else list(values)


def _department_fields(spec: DepartmentSpec, _row: Department | None) -> dict[str, Any]:
    return {
        "id": spec.id,
        "name": spec.name,
        "leader": spec.leader,
        "contacts": _listed(spec.contacts),
        "deciders": list(spec.deciders) or None,
    }


def _person_fields(spec: PersonSpec, _row: Person | None) -> dict[str, Any]:
    return {
        "userid": spec.userid,
        "name": spec.name,
        "department_id": spec.department,
        "role": spec.role,
    }


def _task_fields(spec: TaskSpec, row: Task | None, now: datetime) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": spec.id,
        "title": spec.title,
        "department_id": spec.department,
        "partners": list(spec.partners),
        "contacts": _listed(spec.contacts),
        "config_deadline": spec.deadline,
        "assigned": spec.assigned,
        "profile": spec.profile,
        "major": spec.major,
        "reminders": spec.reminders.to_json(),
    }
    if row is None:
        values["created_at"] = now
    # The admin's new deadline wins; otherwise keep the one an approved extension set.
    if row is None or row.config_deadline != spec.deadline:
        values["deadline"] = spec.deadline
    return values


def _sync_milestones(task: Task, spec: TaskSpec) -> bool:
    wanted = [(m.date, m.title) for m in spec.milestones]
    if [(m.date, m.title) for m in task.milestones] == wanted:
        return False
    task.milestones.clear()
    # Flush the removals first so (task, position) stays unique.
    session = Session.object_session(task)
    if session is not None:
        session.flush()
    task.milestones.extend(
        Milestone(position=i, date=d, title=t) for i, (d, t) in enumerate(wanted)
    )
    return True
