"""Leaders decide on extension requests: approve moves the deadline, both tell the requester."""

from __future__ import annotations

from sqlalchemy.orm import Session

from handlers.auth import Actor, may_decide
from handlers.inbound import Context, Reply
from handlers.lookup import World
from storage import outbox, records


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
    if task_id is None:
        # "同意" alone answers the one request awaiting this leader, if there is just one.
        waiting = [
            t
            for t in records.tasks_with_pending_extensions(session)
            if t in world.tasks and may_decide(actor, world.facts[t])
        ]
        if not waiting and not any(may_decide(actor, f) for f in world.facts.values()):
            return Reply("unknown", {"name": world.person_name(actor.userid)})  # staff's "同意"
        if len(waiting) != 1:
            items = [{"id": t, "title": world.tasks[t].title} for t in waiting]
            return Reply("which_request", {"items": items, "approve": approve})
        task_id = waiting[0]
    task = world.tasks.get(task_id)
    if task is None:
        return Reply("clarify", {"reason": "unknown_task", "detail": task_id, "items": []})
    if not may_decide(actor, world.facts[task.id]):
        records.audit(
            session,
            at=context.now,
            actor=actor.userid,
            action="extension.refused",
            target=f"task:{task.id}",
            detail={"approve": approve},
        )
        names = "、".join(world.person_name(u) for u in world.facts[task.id].deciders)
        return Reply("not_allowed", {"action": "decide", "id": task.id, "deciders": names})
    request = records.pending_extension(session, task.id)
    if request is None:
        return Reply(
            "no_pending_request",
            {"id": task.id, "title": task.title, "deadline": task.deadline, "today": context.today},
        )
    old_deadline = task.deadline
    request.state = "approved" if approve else "rejected"
    request.decided_by = actor.userid
    request.decided_at = context.now
    request.decision_note = note
    if approve:
        task.deadline = request.requested_date
    records.audit(
        session,
        at=context.now,
        actor=actor.userid,
        action="extension.approved" if approve else "extension.rejected",
        target=f"extension:{request.id}",
        detail={
            "task": task.id,
            "deadline": [old_deadline.isoformat(), task.deadline.isoformat()],
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
            "deadline": task.deadline.isoformat(),
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
            "deadline": task.deadline,
            "requested_date": request.requested_date,
            "note": note,
            "today": context.today,
        },
    )
