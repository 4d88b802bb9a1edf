"""Read the office's state into one frozen Snapshot, in a fixed number of queries.

Six queries whatever the number of tasks: departments, people, tasks with their latest
counting record (one join through tasks.last_record_id), milestones, pending extension
requests, and the reminder history counted per task.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, tzinfo
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

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

ESCALATE = "escalate"  # the reminder rule that asks a leader to press a task (催办)


def read_snapshot(session: Session, timezone: tzinfo) -> Snapshot:
    """The office as the database holds it now; `timezone` turns stored times into the
    office's dates (a task's start)."""
    departments = [
        Department(
            row.id,
            row.name,
            row.leader,
            None if row.contacts is None else tuple(row.contacts),
        )
        for row in session.execute(
            select(
                DepartmentRow.id, DepartmentRow.name, DepartmentRow.leader, DepartmentRow.contacts
            ).order_by(DepartmentRow.position, DepartmentRow.id)
        )
    ]
    people = [
        Person(*row)
        for row in session.execute(
            select(
                PersonRow.userid,
                PersonRow.name,
                PersonRow.department_id,
                PersonRow.role,
                PersonRow.archived,
            )
        )
    ]
    milestones = _milestones(session)
    pending = _pending_extensions(session)
    reminded = _reminder_counts(session)
    report = ProgressRecord
    rows = session.execute(
        select(
            Task.id,
            Task.title,
            Task.department_id,
            Task.deadline,
            Task.config_deadline,
            Task.assigned,
            Task.created_at,
            Task.position,
            Task.partners,
            Task.contacts,
            Task.status,
            Task.percent,
            Task.done_at,
            Task.last_update_at,
            Task.profile,
            Task.major,
            Task.reminders,
            report.created_at,
            report.author,
            report.action,
            report.percent,
            report.expected_date,
            report.note,
            report.problems,
            report.next_steps,
        )
        .outerjoin(report, report.id == Task.last_record_id)
        .where(Task.archived.is_(False))
        .order_by(Task.position, Task.id)
    )
    tasks = []
    for r in rows:
        last = None
        if r[17] is not None:
            last = Report(*tuple(r)[17:25])
        counts = reminded.get(r.id, {})
        start = r.assigned or (
            r.created_at.astimezone(timezone).date() if r.created_at else r.config_deadline
        )
        tasks.append(
            TaskView(
                id=r.id,
                title=r.title,
                department_id=r.department_id,
                deadline=r.deadline,
                config_deadline=r.config_deadline,
                start=start,
                position=r.position,
                partners=tuple(r.partners or ()),
                contacts=None if r.contacts is None else tuple(r.contacts),
                milestones=milestones.get(r.id, ()),
                status=r.status,
                percent=r.percent,
                done_at=r.done_at,
                last_update_at=r.last_update_at,
                last_report=last,
                pending_extension=pending.get(r.id),
                profile=r.profile,
                major=bool(r.major),
                reminders=ReminderOverrides.from_json(r.reminders),
                reminded=counts.get("count", 0),
                last_reminded=counts.get("last"),
                escalated=counts.get("escalated", 0),
                last_escalated=counts.get("last_escalated"),
            )
        )
    return Snapshot.of(tasks, departments, people)


def _milestones(session: Session) -> dict[str, tuple[Milestone, ...]]:
    grouped: defaultdict[str, list[Milestone]] = defaultdict(list)
    rows = session.execute(
        select(MilestoneRow.task_id, MilestoneRow.date, MilestoneRow.title)
        .join(Task, Task.id == MilestoneRow.task_id)
        .where(Task.archived.is_(False))
        .order_by(MilestoneRow.task_id, MilestoneRow.position)
    )
    for task_id, day, title in rows:
        grouped[task_id].append(Milestone(day, title))
    return {task_id: tuple(items) for task_id, items in grouped.items()}


def _pending_extensions(session: Session) -> dict[str, PendingExtension]:
    latest: dict[str, PendingExtension] = {}
    rows = session.execute(
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


def _reminder_counts(session: Session) -> dict[str, dict[str, Any]]:
    """Per task: on how many days its contacts were reminded and a leader asked to press it."""
    escalation = case((ReminderSent.rule == ESCALATE, 1), else_=0)
    rows = session.execute(
        select(
            ReminderSent.task_id,
            escalation.label("escalation"),
            func.count(func.distinct(ReminderSent.day)),
            func.max(ReminderSent.day),
        ).group_by(ReminderSent.task_id, escalation)
    )
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
        [Department(d.id, d.name, d.leader, d.contacts) for d in spec.departments],
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
