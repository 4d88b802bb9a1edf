"""The outbox: notices waiting to go out, claimed by whichever instance is free.

Enqueueing is idempotent through the unique dedupe key; delivery claims rows under a
lease (with SKIP LOCKED on PostgreSQL), so restarts and several instances never double-send.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models import OutboxNotice

PENDING, SENT, FAILED = "pending", "sent", "failed"


def enqueue(
    session: Session,
    *,
    kind: str,
    recipient: str,
    payload: dict[str, Any],
    dedupe_key: str,
    now: datetime,
    not_before: datetime | None = None,
) -> bool:
    """Queue a notice unless one with the same dedupe key exists. True if queued."""
    values = {
        "kind": kind,
        "recipient": recipient,
        "payload": payload,
        "dedupe_key": dedupe_key,
        "state": PENDING,
        "attempts": 0,
        "parts_sent": 0,
        "created_at": now,
        "next_attempt_at": not_before or now,
    }
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(OutboxNotice)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(OutboxNotice.id)  # rowcount is -1 here on psycopg; RETURNING is exact
    )
    return session.execute(statement).first() is not None


def claim_due(
    session: Session, *, now: datetime, lease: timedelta, limit: int
) -> list[OutboxNotice]:
    """Take up to `limit` due notices for this instance until `now + lease`."""
    query = (
        select(OutboxNotice)
        .where(
            OutboxNotice.state == PENDING,
            OutboxNotice.next_attempt_at <= now,
            or_(OutboxNotice.claimed_until.is_(None), OutboxNotice.claimed_until < now),
        )
        .order_by(OutboxNotice.next_attempt_at, OutboxNotice.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = list(session.scalars(query))
    for row in rows:
        row.claimed_until = now + lease
    session.flush()
    return rows


def sent_times(session: Session, recipient: str, since: datetime) -> list[datetime]:
    """When messages reached `recipient` since `since`, one entry per part: the input to
    pacing. Parts count at their notice's latest send, which errs on the safe side."""
    rows = session.execute(
        select(OutboxNotice.sent_at, OutboxNotice.parts_sent).where(
            OutboxNotice.recipient == recipient, OutboxNotice.sent_at >= since
        )
    )
    return sorted(at for at, parts in rows if at is not None for _ in range(max(parts, 1)))


def _release(session: Session, notice_id: int, **values: Any) -> None:
    session.execute(
        update(OutboxNotice)
        .where(OutboxNotice.id == notice_id)
        .values(claimed_until=None, **values)
    )


def mark_sent(
    session: Session, notice_id: int, *, now: datetime, parts: int, response_code: str | None
) -> None:
    _release(
        session,
        notice_id,
        state=SENT,
        sent_at=now,
        parts_sent=parts,
        response_code=response_code,
        last_error=None,
    )


def mark_progress(session: Session, notice_id: int, *, parts: int, at: datetime) -> None:
    """The first `parts` parts went out, the latest at `at`; the rest are still to send."""
    session.execute(
        update(OutboxNotice)
        .where(OutboxNotice.id == notice_id)
        .values(parts_sent=parts, sent_at=at)
    )


def defer(session: Session, notice_id: int, *, until: datetime) -> None:
    """Not yet: pacing says wait. Not a failure, so no attempt is counted."""
    _release(session, notice_id, next_attempt_at=until)


def mark_retry(
    session: Session, notice_id: int, *, attempts: int, at: datetime, error: str
) -> None:
    _release(session, notice_id, attempts=attempts, next_attempt_at=at, last_error=error)


def mark_failed(session: Session, notice_id: int, *, attempts: int, error: str) -> None:
    _release(session, notice_id, state=FAILED, attempts=attempts, last_error=error)


def next_due(session: Session) -> datetime | None:
    return session.scalar(
        select(OutboxNotice.next_attempt_at)
        .where(OutboxNotice.state == PENDING)
        .order_by(OutboxNotice.next_attempt_at)
        .limit(1)
    )


def listing(session: Session, states: Sequence[str] = (PENDING, FAILED)) -> list[OutboxNotice]:
    return list(
        session.scalars(
            select(OutboxNotice).where(OutboxNotice.state.in_(states)).order_by(OutboxNotice.id)
        )
    )


def retry_failed(session: Session, *, now: datetime, ids: Sequence[int] | None = None) -> int:
    """Put failed notices back in the queue (all, or the given ids)."""
    condition = OutboxNotice.state == FAILED
    if ids is not None:
        condition = and_(condition, OutboxNotice.id.in_(ids))
    result = session.execute(
        update(OutboxNotice)
        .where(condition)
        .values(state=PENDING, attempts=0, next_attempt_at=now, claimed_until=None)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
