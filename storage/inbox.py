"""The inbox: each inbound message is handled once, and a retry gets the first answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.db import transaction
from storage.models import InboxMessage

Reply = dict[str, Any] | None


def handle_once(
    sessions: sessionmaker[Session],
    *,
    key: str,
    sender: str,
    now: datetime,
    work: Callable[[Session], Reply],
) -> tuple[bool, Reply]:
    """Run `work` for a message not seen before, in one transaction with its inbox row.

    Returns (first_time, reply). A duplicate — even one arriving while the first is still
    being handled on another instance — runs nothing and gets the stored reply.
    """
    try:
        with transaction(sessions) as session:
            if (seen := session.get(InboxMessage, key)) is not None:
                return False, seen.reply
            row = InboxMessage(key=key, sender=sender, received_at=now, reply=None)
            session.add(row)
            # Claim the key before working: a concurrent duplicate now waits or fails here.
            session.flush()
            row.reply = work(session)
            return True, row.reply
    except IntegrityError:
        with sessions() as session:
            seen = session.get(InboxMessage, key)
            return False, seen.reply if seen is not None else None
