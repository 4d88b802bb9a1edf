"""The review list: replies the bot did not understand, kept for a while."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import PendingReply, UnknownReply

# A question and its entry on the list are kept in one transaction at one moment; a
# second's slack covers a database that keeps less than microseconds.
_SAME_MOMENT = timedelta(seconds=1)


def add(session: Session, entry: UnknownReply) -> UnknownReply:
    session.add(entry)
    return entry


def prune(session: Session, before: datetime) -> int:
    """Forget entries older than `before` (one indexed delete); how many went."""
    result = session.execute(delete(UnknownReply).where(UnknownReply.at < before))
    return int(getattr(result, "rowcount", 0) or 0)


def settle_question(session: Session, userid: str, asked_at: datetime, outcome: str) -> None:
    """Mark the question asked of `userid` at `asked_at` answered or unanswered: that one
    entry (kept at the moment it was asked), never an older question of theirs."""
    session.flush()
    entry = session.scalars(
        select(UnknownReply)
        .where(
            UnknownReply.userid == userid,
            UnknownReply.outcome == "clarify",
            UnknownReply.at <= asked_at,
            UnknownReply.at > asked_at - _SAME_MOMENT,
        )
        .order_by(UnknownReply.at.desc(), UnknownReply.id.desc())
        .limit(1)
    ).first()
    if entry is not None:
        entry.outcome = outcome


def close_expired_questions(session: Session, now: datetime, asked_for: timedelta) -> int:
    """Questions nobody answered before they expired (the sender never wrote again): marked
    unanswered and forgotten, so each is settled once. How many there were."""
    expired = session.scalars(select(PendingReply).where(PendingReply.expires_at <= now)).all()
    for question in expired:
        settle_question(session, question.userid, question.expires_at - asked_for, "unanswered")
    if expired:
        session.execute(
            delete(PendingReply).where(
                PendingReply.userid.in_([q.userid for q in expired]),
                PendingReply.expires_at <= now,
            )
        )
    return len(expired)


def since(session: Session, start: datetime) -> list[UnknownReply]:
    """Entries from `start` on, oldest first."""
    return list(
        session.scalars(
            select(UnknownReply)
            .where(UnknownReply.at >= start)
            .order_by(UnknownReply.at, UnknownReply.id)
        )
    )
