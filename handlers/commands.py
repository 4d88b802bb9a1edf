"""Queries in chat: my tasks, one task, the summary and the overdue list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from handlers.auth import Actor, may_query_all, may_update, may_view
from handlers.inbound import Context, Reply
from handlers.lookup import World
from storage import records
from storage.models import Task

NEAR_DAYS = 7
LIST_LIMIT = 10


@dataclass(frozen=True)
class Standing:
    """Where an open task stands against its deadline."""

    days_left: int
    light: str  # done | overdue | near | on_track


def standing(task: Task, today: date) -> Standing:
    left = (task.deadline - today).days
    if task.status == "done":
        return Standing(left, "done")
    if left < 0:
        return Standing(left, "overdue")
    if left <= NEAR_DAYS:
        return Standing(left, "near")
    return Standing(left, "on_track")


def row(task: Task, world: World, today: date) -> dict[str, Any]:
    s = standing(task, today)
    return {
        "id": task.id,
        "title": task.title,
        "department": world.department_name(task.department_id),
        "deadline": task.deadline,
        "percent": task.percent,
        "light": s.light,
        "days_left": s.days_left,
    }


def list_tasks(actor: Actor, world: World, context: Context) -> Reply:
    today = context.today
    own = [t for t in world.tasks.values() if may_update(actor, world.facts[t.id])]
    if own or not may_query_all(actor):
        rows = [row(t, world, today) for t in own]
        return Reply("task_list", {"scope": "mine", "rows": rows, "more": 0, "today": today})
    # Leaders and admins without tasks of their own: open tasks, the most urgent first.
    open_tasks = [t for t in world.tasks.values() if t.status != "done"]
    open_tasks.sort(key=lambda t: (t.deadline, t.position))
    rows = [row(t, world, today) for t in open_tasks[:LIST_LIMIT]]
    more = max(0, len(open_tasks) - LIST_LIMIT)
    return Reply("task_list", {"scope": "all", "rows": rows, "more": more, "today": today})


def show_task(
    session: Session, actor: Actor, world: World, task_id: str | None, context: Context
) -> Reply:
    task = world.tasks.get(task_id or "")
    if task is None:
        return Reply("clarify", {"reason": "unknown_task", "detail": task_id or "", "items": []})
    if not may_view(actor, world.facts[task.id]):
        return Reply(
            "not_allowed",
            {"action": "view", "id": task.id, "owner": world.department_name(task.department_id)},
        )
    latest = [
        {
            "at": context.local_date(r.created_at),
            "author": world.person_name(r.author),
            "action": r.action,
            "percent": r.percent,
            "expected_date": r.expected_date,
            "note": r.note,
            "problems": r.problems,
        }
        for r in records.recent_records(session, task.id, 3)
    ]
    pending = records.pending_extension(session, task.id)
    return Reply(
        "task_detail",
        {
            **row(task, world, context.today),
            "milestones": [{"date": m.date, "title": m.title} for m in task.milestones],
            "records": latest,
            "pending_date": pending.requested_date if pending is not None else None,
            "today": context.today,
        },
    )


def summary(actor: Actor, world: World, context: Context) -> Reply:
    if not may_query_all(actor):
        return Reply("not_allowed", {"action": "summary"})
    counts = _counts(list(world.tasks.values()), context.today)
    by_department = []
    for department in world.departments.values():
        tasks = [t for t in world.tasks.values() if t.department_id == department.id]
        if tasks:
            by_department.append({"name": department.name, **_counts(tasks, context.today)})
    return Reply("summary", {**counts, "departments": by_department, "today": context.today})


def _counts(tasks: list[Task], today: date) -> dict[str, int]:
    lights = [standing(t, today).light for t in tasks]
    return {
        "total": len(lights),
        "done": lights.count("done"),
        "on_track": lights.count("on_track"),
        "near": lights.count("near"),
        "overdue": lights.count("overdue"),
    }


def overdue(actor: Actor, world: World, context: Context) -> Reply:
    if not may_query_all(actor):
        return Reply("not_allowed", {"action": "overdue"})
    late = [t for t in world.tasks.values() if standing(t, context.today).light == "overdue"]
    late.sort(key=lambda t: (t.deadline, t.position))
    return Reply(
        "overdue", {"rows": [row(t, world, context.today) for t in late], "today": context.today}
    )
