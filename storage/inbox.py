"""The inbox: each inbound message is handled once, and a retry gets the first answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from storage.db import transaction
from storage.models import InboxMessage

Reply = dict[str, Any] | None
INBOX: Table = InboxMessage.__table__  # type: ignore[assignment]

# Built once: these run for every message, and building a statement costs more than running it.
_CLAIM = {
    name: insert(INBOX)
    .values(key=bindparam("k"), sender=bindparam("sender_"), received_at=bindparam("at"))
    .on_conflict_do_nothing(index_elements=["key"])
    .returning(INBOX.c.key)  # rowcount is -1 here on psycopg; RETURNING is exact
    for name, insert in (("postgresql", pg_insert), ("sqlite", sqlite_insert))
}
_STORED_REPLY = select(INBOX.c.reply).where(INBOX.c.key == bindparam("k"))
_SAVE_REPLY = update(INBOX).where(INBOX.c.key == bindparam("k")).values(reply=bindparam("r"))


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
        connection = session.connection()
        # Claim the key first: a concurrent duplicate waits on this row, then finds it taken.
        claim = _CLAIM[connection.dialect.name]
        if connection.execute(claim, {"k": key, "sender_": sender, "at": now}).first() is None:
            return False, connection.scalar(_STORED_REPLY, {"k": key})
        reply = work(session)
        session.flush()
        connection.execute(_SAVE_REPLY, {"k": key, "r": reply})
        return True, reply
