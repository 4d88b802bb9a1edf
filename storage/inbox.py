"""The inbox: each inbound message is handled once, and a retry gets the first answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Table, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from storage.db import transaction
from storage.models import InboxMessage

Reply = dict[str, Any] | None
INBOX: Table = InboxMessage.__table__  # type: ignore[assignment]


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
    with transaction(sessions) as session:
        # Plain Core statements on the session's connection: this runs for every message.
        connection = session.connection()
        insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
        # Claim the key first: a concurrent duplicate waits on this row, then finds it taken.
        claimed = connection.execute(
            insert(INBOX)
            .values(key=key, sender=sender, received_at=now, reply=None)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(INBOX.c.key)  # rowcount is -1 here on psycopg; RETURNING is exact
        ).first()
        if claimed is None:
            return False, connection.scalar(select(INBOX.c.reply).where(INBOX.c.key == key))
        reply = work(session)
        session.flush()
        connection.execute(update(INBOX).where(INBOX.c.key == key).values(reply=reply))
        return True, reply
