"""Leaders decide on extension requests: approve moves the deadline, both tell the requester."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from domain import rules
from handlers.auth import Actor, may_decide
from handlers.inbound import Context, Reply
from handlers.lookup import World
from handlers.undo import WITHDRAWN_NOTE
from storage import outbox, records, tasks

# How long a withdrawn request is remembered when a leader answers its notice.
WITHDRAWN_WINDOW = timedelta(days=7)


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
        if not waiting:
            withdrawn = _withdrawn_reply(session, actor, world, None, context)
            if withdrawn is not None:
                return withdrawn
        if len(waiting) != 1:
            items = [{"id": t.id, "title": t.title} for t in waiting]
            return Reply("which_request", {"items": items, "approve": approve})
        task_id = waiting[0].id
    task = world.tasks.get(task_id)
    if task is None:
        return Reply("clarify", {"reason": "unknown_task", "detail": task_id, "items": []})
    if not may_decide(actor, task, snapshot):
        records.audit(
            session,
            at=context.now,
            actor=actor.userid,
            action="extension.refused",
            target=f"task:{task.id}",
            detail={"approve": approve},
        )
        who = rules.deciders(task.department_id, snapshot)
        names = [world.person_name(u) for u in who]
        return Reply("not_allowed", {"action": "decide", "id": task.id, "deciders": names})
    pending = task.pending_extension
    request = (
        tasks.decide_extension(
            session, pending.id, approve=approve, by=actor.userid, at=context.now, note=note
        )
        if pending is not None
        else None
    )
    if request is None:  # none waiting, or decided meanwhile elsewhere
        world.put(task._replace(pending_extension=None))
        withdrawn = _withdrawn_reply(session, actor, world, task.id, context)
        if withdrawn is not None:
            return withdrawn
        return Reply(
            "no_pending_request",
            {"id": task.id, "title": task.title, "deadline": task.deadline, "today": context.today},
        )
    old_deadline = task.deadline
    deadline = request.requested_date if approve else old_deadline
    task = world.put(task._replace(deadline=deadline, pending_extension=None))
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


def _withdrawn_reply(
    session: Session, actor: Actor, world: World, task_id: str | None, context: Context
) -> Reply | None:
    """A decision on a request its requester has since withdrawn says so, rather than
    "nothing to approve" (the leader was told, but may answer the first notice)."""
    recent = records.withdrawn_extensions(
        session, since=context.now - WITHDRAWN_WINDOW, note=WITHDRAWN_NOTE, task_id=task_id
    )
    mine = [
        r
        for r in recent
        if r.task_id in world.tasks and may_decide(actor, world.tasks[r.task_id], world.snapshot)
    ]
    if len({r.task_id for r in mine}) != 1:
        return None
    request, task = mine[0], world.tasks[mine[0].task_id]
    return Reply(
        "request_withdrawn",
        {
            "id": task.id,
            "title": task.title,
            "requester": world.person_name(request.requested_by),
            "deadline": task.deadline,
            "today": context.today,
        },
    )
