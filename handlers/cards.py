"""Clicks on reminder cards: each button does what the equivalent chat reply does, once.

「已完成」 records the task done (authorized, audited, and 撤销 takes it back like any
record), 「查看详情」 answers like sending the task's id, 「申请延期」 says how to ask.
A card acts once: its first acting click marks it handled in the database, so a second
click (or a click from a second instance) records nothing, and the card is updated
through WeCom to show what was done.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from domain.rules import add_months
from handlers import commands, progress
from handlers.auth import Actor
from handlers.inbound import Context, Inbound, Reply
from handlers.lookup import World
from handlers.parser import Update
from storage import outbox, reminders

DONE, EXTEND, DETAIL = "done", "extend", "detail"


def click(
    session: Session, actor: Actor, world: World, message: Inbound, context: Context
) -> Reply:
    action, _, task_id = (message.event_key or "").partition(":")
    task = world.tasks.get(task_id)
    if task is None or action not in (DONE, EXTEND, DETAIL):
        return Reply("card_unknown", {"key": message.event_key or ""})
    if action == DETAIL:
        return commands.show_task(session, actor, world, task.id, context)
    if action == EXTEND:
        example = add_months(task.deadline, 1)
        return Reply(
            "card_extend",
            {
                "id": task.id,
                "title": task.title,
                "deadline": task.deadline,
                "example": example,
                "today": context.today,
            },
        )
    card_id = message.card_task_id or ""
    taken, card = reminders.take_card(session, card_id, action=action, now=context.now)
    if not taken:
        return Reply(
            "card_used",
            {
                "id": task.id,
                "title": task.title,
                "action": card.action if card is not None else "",
                "at": context.local_date(card.handled_at) if card and card.handled_at else None,
                "known": card is not None,
                "today": context.today,
            },
        )
    reply = progress.apply_updates(
        session,
        actor=actor,
        world=world,
        updates=[Update(task.id, "done", percent=100)],
        message=message,
        raw_text=f"［卡片］{task.id} 已完成",
        context=context,
    )
    if not reply.data["recorded"]:
        reminders.reopen_card(session, card_id)  # refused: the buttons stay live
        return reply
    _update_card(session, actor, world, message, task.id, context)
    return reply


def _update_card(
    session: Session,
    actor: Actor,
    world: World,
    message: Inbound,
    task_id: str,
    context: Context,
) -> None:
    """Queue the card's update: its buttons become one grey 「已完成」 (WeCom allows one
    update per response code, within 72 hours of the click)."""
    if not message.response_code:
        return
    task = world.tasks[task_id]
    payload: dict[str, Any] = {
        "response_code": message.response_code,
        "card_id": message.card_task_id,
        "task": task.id,
        "title": task.title,
        "by": world.person_name(actor.userid),
        "day": context.today.isoformat(),
        "action": DONE,
    }
    outbox.enqueue(
        session,
        kind="card_update",
        recipient=f"user:{actor.userid}",
        payload=payload,
        dedupe_key=f"card-update:{message.card_task_id}",
        now=context.now,
    )
