"""Leaders decide on extension requests: approve moves the deadline, both tell the requester."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from handlers.auth import Actor, may_decide
from handlers.inbound import Context, Reply
from handlers.lookup import World
from storage import outbox, records, tasks


def decide(
    session: Session,
    *,
    actor: Actor,
    world: World,
    task_id: str | None,
    approve: bool,
    note: str | None,
    context: Context,
) -> Reply:
    snapshot = world.snapshot
    if task_id is None:
        # "同意" alone answers the one request awaiting this leader, if there is just one.
        waiting = [
            t
            for t in world.tasks.values()
            if t.pending_extension is not None and may_decide(actor, t, snapshot)
        ]
        if not waiting and not any(may_decide(actor, t, snapshot) for t in world.tasks.values()):
            return Reply("unknown", {"name": world.person_name(actor.userid)})  # staff's "同意"
        if len(waiting) != 1:
            items = [{"id": t.id, "title": t.title} for t in waiting]
            return Reply("which_request", {"items": items, "approve": approve})
        task_id = waiting[0].id
    task = world.tasks.get(task_id)
    if task is None:
        return Reply("clarify", {"reason": "unknown_task", "detail": task_id, "items": []})
    if not may_decide(actor, task, snapshot):
        return Reply("not_allowed", {"action": "decide", "id": task.id})
    pending = task.pending_extension
    request = (
        tasks.decide_extension(
            session, pending.id, approve=approve, by=actor.userid, at=context.now, note=note
        )
        if pending is not None
        else None
    )
    if request is None:  # none waiting, or decided meanwhile elsewhere
        world.put(replace(task, pending_extension=None))
        return Reply(
            "no_pending_request",
            {"id": task.id, "title": task.title, "deadline": task.deadline, "today": context.today},
        )
    old_deadline = task.deadline
    deadline = request.requested_date if approve else old_deadline
    task = world.put(replace(task, deadline=deadline, pending_extension=None))
    records.audit(
        session,
        at=context.now,
        actor=actor.userid,
        action="extension.approved" if approve else "extension.rejected",
        target=f"extension:{request.id}",
        detail={
            "task": task.id,
            "deadline": [old_deadline.isoformat(), deadline.isoformat()],
            "note": note,
        },
    )
    outbox.enqueue(
        session,
        kind="extension_decided",
        recipient=f"user:{request.requested_by}",
        payload={
            "request_id": request.id,
            "task_id": task.id,
            "title": task.title,
            "approved": approve,
            "leader": world.person_name(actor.userid),
            "old_deadline": old_deadline.isoformat(),
            "requested_date": request.requested_date.isoformat(),
            "deadline": deadline.isoformat(),
            "note": note or "",
        },
        dedupe_key=f"extension-decided:{request.id}",
        now=context.now,
    )
    return Reply(
        "decided",
        {
            "id": task.id,
            "title": task.title,
            "approved": approve,
            "requester": world.person_name(request.requested_by),
            "old_deadline": old_deadline,
            "deadline": deadline,
            "requested_date": request.requested_date,
            "note": note,
            "today": context.today,
        },
    )
