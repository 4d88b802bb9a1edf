"""Questions back to the sender, and completing the update when they answer."""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from handlers.inbound import Context, Reply
from handlers.lookup import World
from handlers.parser import Clarify, choose_candidate
from storage import records, unknowns
from storage.models import PendingReply

REMEMBER_FOR = timedelta(minutes=10)
# Reasons that ask "which task?": a chosen id completes the remembered reply.
WHICH_TASK = ("missing_task", "unknown_task")


def ask(
    session: Session,
    *,
    userid: str,
    text: str,
    clarify: Clarify,
    world: World,
    context: Context,
) -> Reply:
    known = [c for c in clarify.candidates if c in world.tasks]
    items: list[dict[str, Any]] = [
        {"n": n, "id": c, "title": world.tasks[c].title, "deadline": world.tasks[c].deadline}
        for n, c in enumerate(known, start=1)
    ]
    if clarify.reason in WHICH_TASK and items:
        world.questions[userid] = records.remember_pending_reply(
            session,
            userid=userid,
            text=text,
            reason=clarify.reason,
            detail=clarify.detail,
            candidates=known,
            expires_at=context.now + REMEMBER_FOR,
        )
    data: dict[str, Any] = {
        "reason": clarify.reason,
        "detail": clarify.detail or "",
        "items": items,
        "today": context.today,
    }
    return Reply("clarify", data)


def resume(
    session: Session, pending: PendingReply | None, *, text: str, context: Context
) -> str | None:
    """If `text` answers the sender's `pending` question, the completed reply text; else None.

    Either way the question is forgotten: one answer, or a new topic.
    """
    if pending is None:
        return None
    records.forget_pending_reply(session, pending.userid)
    asked_at = pending.expires_at - REMEMBER_FOR
    chosen = (
        choose_candidate(text, pending.candidates) if pending.expires_at > context.now else None
    )
    # The review list says whether the question was answered (expired or dropped: not).
    unknowns.settle_question(
        session, pending.userid, asked_at, "answered" if chosen else "unanswered"
    )
    if chosen is None:
        return None
    wrong_id = pending.detail if pending.reason == "unknown_task" else None
    return completed_text(pending.text, chosen, wrong_id)


def completed_text(text: str, chosen: str, wrong_id: str | None) -> str:
    """The remembered reply with the chosen id: replacing a wrong id, else in front."""
    if wrong_id:
        for form in (text, unicodedata.normalize("NFKC", text)):
            if wrong_id in form:
                return form.replace(wrong_id, chosen, 1)
    return f"{chosen} {text}"
