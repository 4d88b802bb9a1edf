"""Progress updates: authorize, record, derive the task's state, file extension requests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from domain import rules
from domain.snapshot import PendingExtension, TaskView
from handlers.auth import Actor, may_update
from handlers.inbound import Context, Inbound, Reply
from handlers.lookup import World, with_state
from handlers.parser import Update
from handlers.state import advance, derive_state
from storage import outbox, records, tasks
from storage.models import ExtensionRequest, ProgressRecord


def refresh_state(session: Session, world: World, task: TaskView) -> TaskView:
    """Recompute the task's derived state from all its records (after an undo)."""
    tasks.locked_state(session, task.id)  # hold the row while it is replayed
    history = records.task_records(session, task.id)
    state = derive_state(history)
    tasks.store_state(session, task.id, state)
    latest = next((r for r in history if r.id == state.last_record_id), None)
    return world.put(with_state(task, state, latest))


def refusal(actor: Actor, world: World, task_id: str) -> dict[str, Any]:
    task = world.tasks[task_id]
    return {
        "id": task.id,
        "title": task.title,
        "owner": world.department_name(task.department_id),
        "mine": world.department_name(actor.department_id),
        "why": "department",
    }


def apply_updates(
    session: Session,
    *,
    actor: Actor,
    world: World,
    updates: Sequence[Update],
    message: Inbound,
    raw_text: str,
    context: Context,
) -> Reply:
    """Record the updates the actor may make; say which were refused and why."""
    recorded: list[dict[str, Any]] = []
    refused: list[dict[str, Any]] = []
    for update in updates:
        task = world.tasks.get(update.task)
        if task is None:
            continue  # the parser only names configured tasks; archived ones vanish here
        if not may_update(actor, task, world.snapshot):
            refused.append(refusal(actor, world, task.id))
            audit_refusal(session, actor, task.id, update, context)
            continue
        why = _unfit_extension(update, task, context)
        if why is not None:
            refused.append(
                {
                    **refusal(actor, world, task.id),
                    "why": why,
                    "deadline": task.deadline,
                    "new_deadline": update.new_deadline,
                }
            )
            continue
        recorded.append(_record(session, actor, world, task, update, message, raw_text, context))
    return Reply(
        "recorded",
        {"recorded": recorded, "refused": refused, "today": context.today},
    )


def _unfit_extension(update: Update, task: TaskView, context: Context) -> str | None:
    """Why an extension request cannot be filed as asked: a new deadline not later than the
    current one, or already past ("往后推一周" of a task overdue for a month)."""
    if update.action != "extend" or update.new_deadline is None:
        return None
    if update.new_deadline <= task.deadline:
        return "not_later"
    if update.new_deadline < context.today:
        return "past"
    return None


def audit_refusal(
    session: Session, actor: Actor, task_id: str, update: Update, context: Context
) -> None:
    records.audit(
        session,
        at=context.now,
        actor=actor.userid,
        action="update.refused",
        target=f"task:{task_id}",
        detail={"action": update.action},
    )


def _record(
    session: Session,
    actor: Actor,
    world: World,
    task: TaskView,
    update: Update,
    message: Inbound,
    raw_text: str,
    context: Context,
) -> dict[str, Any]:
    expected = update.new_deadline if update.action == "extend" else update.expected_date
    record = records.add_record(
        session,
        ProgressRecord(
            task_id=task.id,
            author=actor.userid,
            created_at=context.now,
            action=update.action,
            percent=update.percent,
            expected_date=expected,
            note=update.note,
            problems=update.problems,
            next_steps=update.next_steps,
            raw_text=raw_text,
            source_msg_id=message.msg_id,
        ),
    )
    # A new record is the latest, so one step from the state as committed is enough.
    before = tasks.locked_state(session, task.id)
    after = advance(before, record)
    tasks.store_state(session, task.id, after)
    task = world.put(with_state(task, after, record))
    records.audit(
        session,
        at=context.now,
        actor=actor.userid,
        action=f"record.{update.action}",
        target=f"task:{task.id}",
        detail={
            "record": record.id,
            "percent": update.percent,
            "expected_date": _iso(expected),
            "status": [before.status, after.status],
            "task_percent": [before.percent, after.percent],
        },
    )
    item: dict[str, Any] = {
        "id": task.id,
        "title": task.title,
        "action": update.action,
        "percent": update.percent,
        "expected_date": update.expected_date,
        "new_deadline": update.new_deadline,
        "deadline": task.deadline,
        "note": update.note,
        "problems": update.problems,
        "next_steps": update.next_steps,
        "leader": "",
    }
    if update.action == "extend" and update.new_deadline is not None:
        item["leader"] = _file_extension(session, actor, world, task, update, record, context)
    elif update.action == "blocked":
        # A blocked task needs someone who can coordinate: its leader hears of it at once.
        payload = {
            "task_id": task.id,
            "title": task.title,
            "department": world.department_name(task.department_id),
            "reporter": world.person_name(actor.userid),
            "problems": update.problems or update.note or "",
            "next_steps": update.next_steps or "",
        }
        item["leader"] = notify_leaders(
            session, world, task, "blocked_report", payload, f"blocked:{record.id}", context
        )
    return item


def _file_extension(
    session: Session,
    actor: Actor,
    world: World,
    task: TaskView,
    update: Update,
    record: ProgressRecord,
    context: Context,
) -> list[str]:
    """File a pending request (superseding an earlier one); notify the leader. Their names."""
    assert update.new_deadline is not None
    for earlier in records.pending_extensions(session, task.id):
        if not tasks.withdraw_extension(
            session, earlier.id, at=context.now, note="被新的延期申请取代"
        ):
            continue  # decided meanwhile: that decision stands
        records.audit(
            session,
            at=context.now,
            actor=actor.userid,
            action="extension.superseded",
            target=f"extension:{earlier.id}",
            detail={"task": task.id},
        )
    request = records.add_extension(
        session,
        ExtensionRequest(
            task_id=task.id,
            record_id=record.id,
            requested_by=actor.userid,
            requested_at=context.now,
            requested_date=update.new_deadline,
            reason=update.note,
            state="pending",
        ),
    )
    records.audit(
        session,
        at=context.now,
        actor=actor.userid,
        action="extension.requested",
        target=f"extension:{request.id}",
        detail={"task": task.id, "requested_date": update.new_deadline.isoformat()},
    )
    world.put(
        task._replace(
            pending_extension=PendingExtension(
                request.id, actor.userid, context.now, update.new_deadline, update.note
            ),
        )
    )
    payload = {
        "request_id": request.id,
        "task_id": task.id,
        "title": task.title,
        "department": world.department_name(task.department_id),
        "requester": world.person_name(actor.userid),
        "deadline": task.deadline.isoformat(),
        "requested_date": update.new_deadline.isoformat(),
        "reason": update.note or "",
    }
    return notify_leaders(
        session, world, task, "extension_request", payload, f"extension:{request.id}", context
    )


def notify_leaders(
    session: Session,
    world: World,
    task: TaskView,
    kind: str,
    payload: dict[str, Any],
    key: str,
    context: Context,
) -> list[str]:
    """Queue a notice to whoever leads the task's department; their names, for the reply."""
    leaders = rules.deciders(task.department_id, world.snapshot)
    for leader in leaders:
        outbox.enqueue(
            session,
            kind=kind,
            recipient=f"user:{leader}",
            payload=payload,
            dedupe_key=f"{key}:{leader}",
            now=context.now,
        )
    return [world.person_name(u) for u in leaders]


def _iso(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())
