"""Undo: take back the sender's latest update (marked, never deleted)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from handlers.auth import Actor
from handlers.inbound import Context, Reply
from handlers.lookup import World
from handlers.progress import notify_leaders, refresh_state
from storage import records
from storage.tasks import withdraw_extension

UNDO_WINDOW = timedelta(hours=24)
WITHDRAWN_NOTE = "申请人撤销"


def undo(session: Session, *, actor: Actor, world: World, context: Context) -> Reply:
    latest = records.latest_undoable(session, actor.userid, context.now - UNDO_WINDOW)
    if not latest:
        return Reply("nothing_to_undo", {"hours": int(UNDO_WINDOW.total_seconds() // 3600)})
    items = []
    for record in latest:
        record.undone_at = context.now
    session.flush()
    withdrawn: dict[str, str] = {}
    told: dict[str, list[str]] = {}  # task → the leaders told the request is withdrawn
    for request in records.extensions_of_records(session, [r.id for r in latest]):
        # What the request was when withdrawn: "pending" (withdrawn now), or its decision.
        if not withdraw_extension(session, request.id, at=context.now, note=WITHDRAWN_NOTE):
            session.refresh(request)  # decided already, perhaps a moment ago elsewhere
            withdrawn[request.task_id] = request.state
            continue
        withdrawn[request.task_id] = "pending"
        asked = world.tasks.get(request.task_id)
        if asked is not None:  # the leader asked to decide must not wait for nothing
            payload = {
                "request_id": request.id,
                "task_id": asked.id,
                "title": asked.title,
                "requester": world.person_name(actor.userid),
                "deadline": asked.deadline.isoformat(),
                "requested_date": request.requested_date.isoformat(),
            }
            told[asked.id] = notify_leaders(
                session,
                world,
                asked,
                "extension_withdrawn",
                payload,
                f"extension-withdrawn:{request.id}",
                context,
            )
    for record in latest:
        task = world.tasks.get(record.task_id)
        if task is not None:
            if withdrawn.get(record.task_id) == "pending":
                task = task._replace(pending_extension=None)
            task = refresh_state(session, world, task)
        records.audit(
            session,
            at=context.now,
            actor=actor.userid,
            action="record.undone",
            target=f"task:{record.task_id}",
            detail={"record": record.id, "action": record.action},
        )
        items.append(
            {
                "id": record.task_id,
                "title": task.title if task is not None else "",
                "action": record.action,
                "percent": record.percent,
                "status": task.status if task is not None else "",
                "task_percent": task.percent if task is not None else None,
                "extension": withdrawn.get(record.task_id, ""),
                "told": told.get(record.task_id, []),
            }
        )
    return Reply("undone", {"items": items})
