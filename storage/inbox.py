"""The inbox: each inbound message is handled once, and a retry gets the first answer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models import InboxMessage

Reply = dict[str, Any] | None
INBOX: Table = InboxMessage.__table__  # type: ignore[assignment]

# Built once: these run for every batch, and building a statement costs more than running it.
_CLAIM = {
    name: insert(INBOX)
    .values(key=bindparam("k"), sender=bindparam("sender_"), received_at=bindparam("at"))
    .on_conflict_do_nothing(index_elements=["key"])
    .returning(INBOX.c.key)  # rowcount is -1 here on psycopg; RETURNING is exact
    for name, insert in (("postgresql", pg_insert), ("sqlite", sqlite_insert))
}
_STORED_REPLIES = select(INBOX.c.key, INBOX.c.reply).where(
    INBOX.c.key.in_(bindparam("keys", expanding=True))
)
_SAVE_REPLY = update(INBOX).where(INBOX.c.key == bindparam("k")).values(reply=bindparam("r"))


def handle_once(
    session: Session,
    arrivals: Sequence[tuple[str, str]],
    *,
    now: datetime,
    work: Callable[[int], Reply],
) -> list[Reply]:
    """The reply to each of `arrivals` (dedupe key, sender), in the caller's transaction.

    `work(i)` handles arrivals[i], in arrival order, once for each key never seen before.
    A repeat gets the first reply: a repeat in the same batch, one handled earlier, and
    one still being handled on another instance — its claim waits for that row's commit.
    """
    connection = session.connection()
    first: dict[str, int] = {}  # key → its first arrival, in arrival order
    for i, (key, _sender) in enumerate(arrivals):
        first.setdefault(key, i)
    # Claimed in sorted order, so instances claiming overlapping keys lock rows alike and
    # cannot deadlock.
    rows = [{"k": k, "sender_": arrivals[first[k]][1], "at": now} for k in sorted(first)]
    claimed = set(connection.scalars(_CLAIM[connection.dialect.name], rows))
    seen = [k for k in first if k not in claimed]
    replies: dict[str, Reply] = {}
    if seen:
        replies.update(
            (key, reply) for key, reply in connection.execute(_STORED_REPLIES, {"keys": seen})
        )
    for key, i in first.items():
        if key in claimed:
            replies[key] = work(i)
    session.flush()
    if claimed:
        connection.execute(_SAVE_REPLY, [{"k": k, "r": replies[k]} for k in claimed])
    return [replies.get(key) for key, _sender in arrivals]
