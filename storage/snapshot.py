"""Read the office's state into one frozen Snapshot, in a fixed number of queries.

Six queries whatever the number of tasks: departments, people, tasks with their latest
counting record (one join through tasks.last_record_id), milestones, pending extension
requests, and the reminder history counted per task.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from sqlalchemy import Connection, String, case, func, select, type_coerce
from sqlalchemy.orm import Session

from domain.memory import without_collection
from domain.rules import ESCALATE
from domain.snapshot import (
    Department,
    Milestone,
    PendingExtension,
    Person,
    ReminderOverrides,
    Report,
    Snapshot,
    TaskView,
)
from storage.directory import DirectorySpec
from storage.models import (
    Department as DepartmentRow,
)
from storage.models import (
    ExtensionRequest,
    ProgressRecord,
    ReminderSent,
    Task,
)
from storage.models import (
    Milestone as MilestoneRow,
)
from storage.models import (
    Person as PersonRow,
)


@without_collection
def read_snapshot(session: Session, timezone: tzinfo, *, reminder_counts: bool = True) -> Snapshot:
    """The office as the database holds it now; `timezone` turns stored times into the
    office's dates (a task's start). Without `reminder_counts` the reminder history is not
    counted (it grows all year; the chat's world asks `reminders_of` for one task instead)."""
    connection = session.connection()  # Core rows: no ORM bookkeeping for a read model
    departments = [
        Department(
            row.id,
            row.name,
            row.leader,
            None if row.contacts is None else tuple(row.contacts),
            tuple(row.deciders or ()),
        )
        for row in connection.execute(
            select(
                DepartmentRow.id,
                DepartmentRow.name,
                DepartmentRow.leader,
                DepartmentRow.contacts,
                DepartmentRow.deciders,
            ).order_by(DepartmentRow.position, DepartmentRow.id)
        )
    ]
    people = [
        Person(*row)
        for row in connection.execute(
            select(
                PersonRow.userid,
                PersonRow.name,
                PersonRow.department_id,
                PersonRow.role,
                PersonRow.archived,
            )
        )
    ]
    milestones = _milestones(connection)
    pending = _pending_extensions(connection)
    reminded = _reminder_counts(connection) if reminder_counts else {}
    report = ProgressRecord
    rows = connection.execute(
        select(
            Task.id,
            Task.title,
            Task.department_id,
            raw_column(Task.deadline),
            raw_column(Task.config_deadline),
            raw_column(Task.assigned),
            raw_column(Task.created_at),
            Task.position,
            raw_column(Task.partners),
            raw_column(Task.contacts),
            Task.status,
            Task.percent,
            raw_column(Task.done_at),
            raw_column(Task.last_update_at),
            Task.profile,
            Task.major,
            raw_column(Task.reminders),
            raw_column(report.created_at),
            report.author,
            report.action,
            report.percent,
            raw_column(report.expected_date),
            report.note,
            report.problems,
            report.next_steps,
        )
        .outerjoin(report, report.id == Task.last_record_id)
        .where(Task.archived.is_(False))
        .order_by(Task.position, Task.id)
    ).all()
    no_counts: dict[str, Any] = {}
    tasks = []
    for r in rows:
        (task_id, title, department_id, deadline, config_deadline, assigned, created_at,
         position, partners, contacts, status, percent, done_at, last_update_at, profile,
         major, overrides, report_at, *report_fields) = r  # fmt: skip
        counts = reminded.get(task_id, no_counts)
        deadline, config_deadline = to_date(deadline), to_date(config_deadline)
        if assigned is not None:
            start = to_date(assigned)
        elif created_at is not None:
            start = to_utc(created_at).astimezone(timezone).date()
        else:
            start = config_deadline
        contacts_list = _json(contacts)
        tasks.append(
            TaskView(
                task_id,
                title,
                department_id,
                deadline,
                config_deadline,
                start,
                position,
                tuple(_json(partners) or ()),
                None if contacts_list is None else tuple(contacts_list),
                milestones.get(task_id, ()),
                status,
                percent,
                None if done_at is None else to_utc(done_at),
                None if last_update_at is None else to_utc(last_update_at),
                None if report_at is None else report_row(report_at, report_fields),
                pending.get(task_id),
                profile,
                bool(major),
                ReminderOverrides.from_json(_json(overrides)),
                counts.get("count", 0),
                counts.get("last"),
                counts.get("escalated", 0),
                counts.get("last_escalated"),
            )
        )
    return Snapshot.of(tasks, departments, people)


def raw_column(column: Any) -> Any:
    """A column as the driver gives it, converted here rather than by SQLAlchemy's type
    processors: on SQLite these cost more than the query (bench/plan.py). JSON columns are
    mostly `[]` or null (`_json` decodes only what holds something); dates and times are
    ISO text on SQLite and objects on PostgreSQL (`to_date`, `to_utc`)."""
    return type_coerce(column, String)


def to_date(raw: Any) -> date:
    return date.fromisoformat(raw) if isinstance(raw, str) else raw


def to_utc(raw: Any) -> datetime:
    """Stored naive in UTC (storage.types.UTCDateTime): aware UTC out. (Parsing the offset
    with the text is a third of the cost of replacing the tzinfo afterwards.)"""
    if isinstance(raw, str):
        return datetime.fromisoformat(raw + "+00:00")
    return raw.replace(tzinfo=UTC)


def report_row(at: Any, fields: list[Any]) -> Report:
    author, action, percent, expected, note, problems, next_steps = fields
    expected_date = None if expected is None else to_date(expected)
    return Report(to_utc(at), author, action, percent, expected_date, note, problems, next_steps)


def _json(raw: Any) -> Any:
    if raw is None or raw == "null" or raw == "[]":
        return None if raw != "[]" else []
    return json.loads(raw) if isinstance(raw, str) else raw  # PostgreSQL's driver decodes


def _milestones(connection: Connection) -> dict[str, tuple[Milestone, ...]]:
    grouped: defaultdict[str, list[Milestone]] = defaultdict(list)
    rows = connection.execute(
        select(MilestoneRow.task_id, raw_column(MilestoneRow.date), MilestoneRow.title)
        .join(Task, Task.id == MilestoneRow.task_id)
        .where(Task.archived.is_(False))
        .order_by(MilestoneRow.task_id, MilestoneRow.position)
    )
    parse = date.fromisoformat
    for task_id, day, title in rows.all():
        grouped[task_id].append(Milestone(parse(day) if day.__class__ is str else day, title))
    return {task_id: tuple(items) for task_id, items in grouped.items()}


def _pending_extensions(connection: Connection) -> dict[str, PendingExtension]:
    latest: dict[str, PendingExtension] = {}
    rows = connection.execute(
        select(
            ExtensionRequest.task_id,
            ExtensionRequest.id,
            ExtensionRequest.requested_by,
            ExtensionRequest.requested_at,
            ExtensionRequest.requested_date,
            ExtensionRequest.reason,
        )
        .where(ExtensionRequest.state == "pending")
        .order_by(ExtensionRequest.requested_at, ExtensionRequest.id)
    )
    for task_id, request_id, by, at, day, reason in rows:
        latest[task_id] = PendingExtension(request_id, by, at, day, reason)  # the newest wins
    return latest


def reminders_of(session: Session, task: TaskView) -> TaskView:
    """`task` with its reminder counts (one indexed query, for one task's detail)."""
    counts = _reminder_counts(session.connection(), task.id).get(task.id, {})
    return task._replace(
        reminded=counts.get("count", 0),
        last_reminded=counts.get("last"),
        escalated=counts.get("escalated", 0),
        last_escalated=counts.get("last_escalated"),
    )


def _reminder_counts(
    connection: Connection, task_id: str | None = None
) -> dict[str, dict[str, Any]]:
    """Per task (or for `task_id` alone): on how many days its contacts were reminded and a
    leader asked to press it."""
    escalation = case((ReminderSent.rule == ESCALATE, 1), else_=0)
    query = select(
        ReminderSent.task_id,
        escalation.label("escalation"),
        func.count(func.distinct(ReminderSent.day)),
        func.max(ReminderSent.day),
    ).group_by(ReminderSent.task_id, escalation)
    if task_id is not None:
        query = query.where(ReminderSent.task_id == task_id)
    rows = connection.execute(query)
    counts: defaultdict[str, dict[str, Any]] = defaultdict(dict)
    for task_id, escalated, days, last in rows:
        if escalated:
            counts[task_id].update(escalated=days, last_escalated=last)
        else:
            counts[task_id].update(count=days, last=last)
    return counts


def config_snapshot(spec: DirectorySpec, today: date) -> Snapshot:
    """The office as the config describes it, before anything was recorded (`duban parse`
    and previews without a database): tasks start today, none done."""
    return Snapshot.of(
        [
            TaskView(
                id=t.id,
                title=t.title,
                department_id=t.department,
                deadline=t.deadline,
                config_deadline=t.deadline,
                start=t.assigned or today,
                position=i,
                partners=t.partners,
                contacts=t.contacts,
                milestones=tuple(Milestone(m.date, m.title) for m in t.milestones),
                profile=t.profile,
                major=t.major,
                reminders=t.reminders,
            )
            for i, t in enumerate(spec.tasks)
        ],
        [Department(d.id, d.name, d.leader, d.contacts, d.deciders) for d in spec.departments],
        [Person(p.userid, p.name, p.department, p.role) for p in spec.people],
    )


def report_of(record: ProgressRecord) -> Report:
    return Report(
        at=record.created_at,
        author=record.author,
        action=record.action,
        percent=record.percent,
        expected_date=record.expected_date,
        note=record.note,
        problems=record.problems,
        next_steps=record.next_steps,
    )
