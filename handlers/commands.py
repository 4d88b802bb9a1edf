"""Queries in chat: my tasks, one task, the summary and the overdue list."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from domain import rules
from domain.snapshot import TaskView
from handlers.auth import Actor, may_query_all, may_update, may_view
from handlers.inbound import Context, Reply
from handlers.lookup import World
from storage import records
from storage.snapshot import reminders_of

LIST_LIMIT = 10


def row(task: TaskView, world: World, context: Context) -> dict[str, Any]:
    s = context.standing(task)
    return {
        "id": task.id,
        "title": task.title,
        "department": world.department_name(task.department_id),
        "deadline": task.deadline,
        "percent": task.percent,
        "light": s.light,
        "workdays_left": s.workdays_left,
    }


def list_tasks(actor: Actor, world: World, context: Context) -> Reply:
    today = context.today
    own = [t for t in world.tasks.values() if may_update(actor, t, world.snapshot)]
    if own or not may_query_all(actor):
        rows = [row(t, world, context) for t in own]
        return Reply("task_list", {"scope": "mine", "rows": rows, "more": 0, "today": today})
    # Leaders and admins without tasks of their own: open tasks, the most urgent first.
    open_tasks = [t for t in world.tasks.values() if not t.done]
    open_tasks.sort(key=lambda t: (t.deadline, t.position))
    rows = [row(t, world, context) for t in open_tasks[:LIST_LIMIT]]
    more = max(0, len(open_tasks) - LIST_LIMIT)
    return Reply("task_list", {"scope": "all", "rows": rows, "more": more, "today": today})


def show_task(
    session: Session, actor: Actor, world: World, task_id: str | None, context: Context
) -> Reply:
    task = world.tasks.get(task_id or "")
    if task is None:
        return Reply("clarify", {"reason": "unknown_task", "detail": task_id or "", "items": []})
    if not may_view(actor, task, world.snapshot):
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
    pending = task.pending_extension
    counted = reminders_of(session, task)  # the world does not count reminders
    return Reply(
        "task_detail",
        {
            **row(task, world, context),
            "milestones": [{"date": m.date, "title": m.title} for m in task.milestones],
            "records": latest,
            "pending_date": pending.requested_date if pending is not None else None,
            "reminded": counted.reminded,
            "last_reminded": counted.last_reminded,
            "today": context.today,
        },
    )


# The summary views a leader may ask for in chat (汇总, 逾期, 未报送).
SUMMARY, OVERDUE, NOT_REPORTED = "summary", "overdue", "not_reported"


def summary(
    actor: Actor, world: World, context: Context, *, view: str, period: str | None
) -> Reply:
    """What a leader asked for, to be computed by the shell from the summary data (the same
    as the group's summary): for a leader, the departments they decide for; for an admin,
    or a leader who decides for none, every department."""
    if not may_query_all(actor):
        return Reply("not_allowed", {"action": view})
    scope = rules.led_by(actor.userid, world.snapshot) if actor.role == "leader" else ()
    return Reply(
        "summary",
        {
            "view": view,
            "period": period or "week",
            "scope": list(scope) or None,
            "name": world.person_name(actor.userid),
        },
    )
