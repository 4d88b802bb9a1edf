"""The outbox: notices waiting to go out, claimed by whichever instance is free.

Enqueueing is idempotent through the unique dedupe key. Delivery claims rows under a
lease, in the holder's name (with SKIP LOCKED on PostgreSQL). Before each message goes
out, one transaction checks that the claim is still held, renews its lease and reserves
the send in the recipient's budget (`send_log`); only the holder may mark the row. So
two instances never send one notice, nor both take a recipient's last free slot.

What no database can close: a message WeCom accepted just before the process died (or
the database stayed away for longer than the lease, see `Delivery._mark_part`), and whose
mark never committed, is sent again — at most one part per notice,
each part being marked as soon as it is sent. `reserve` says when a part was reserved
before (`Slot.again`), so the shell can ask WeCom to drop it if it did arrive; group
robots cannot be asked. See docs/reliability.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    String,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models import OutboxNotice, SendLog

PENDING, SENT, FAILED = "pending", "sent", "failed"
# How far back a recipient's sends are read for pacing (WeCom's longest window is an hour).
BUDGET_HORIZON = timedelta(hours=1)
# How long a send is remembered: a part reserved but never marked is sent again with
# WeCom's duplicate check, which looks back at most 4 hours.
KEEP_SENDS = timedelta(hours=4)

# Given the recipient's sends within the horizon and now: the earliest time one more may go.
NextSlot = Callable[[list[datetime], datetime], datetime]


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
    insert_ = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert_(OutboxNotice)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(OutboxNotice.id)  # rowcount is -1 here on psycopg; RETURNING is exact
    )
    return session.execute(statement).first() is not None


def queued_before(session: Session, dedupe_key: str) -> bool:
    """Whether a notice with this dedupe key was ever queued (one indexed lookup)."""
    found = session.scalars(
        select(OutboxNotice.id).where(OutboxNotice.dedupe_key == dedupe_key).limit(1)
    ).first()
    return found is not None


def claim_due(
    session: Session, *, now: datetime, lease: timedelta, limit: int, holder: str
) -> list[OutboxNotice]:
    """Take up to `limit` due notices for `holder` until `now + lease`.

    A notice whose lease ran out may be taken from its old holder, who can then neither
    send it (`reserve` says the claim is lost) nor mark it.
    """
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
        row.claimed_by = holder
    session.flush()
    return rows


def release_dead_claims(session: Session, *, instance: str, holder: str) -> int:
    """Free the claims an earlier run of `instance` left behind (it died holding them):
    they need not wait out their lease. `holder` is this run's own name."""
    result = session.execute(
        update(OutboxNotice)
        .where(
            OutboxNotice.state == PENDING,
            OutboxNotice.claimed_by.startswith(f"{instance}/", autoescape=True),
            OutboxNotice.claimed_by != holder,
        )
        .values(claimed_by=None, claimed_until=None)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def _held(notice_id: int, holder: str) -> Any:
    return and_(
        OutboxNotice.id == notice_id,
        OutboxNotice.claimed_by == holder,
        OutboxNotice.state == PENDING,
    )


# Built once: these run for every message sent, and building a statement costs more than
# running it (bench/burst.py).
OUTBOX: Table = OutboxNotice.__table__  # type: ignore[assignment]
SENDS: Table = SendLog.__table__  # type: ignore[assignment]
_HELD = and_(
    OUTBOX.c.id == bindparam("notice"),
    OUTBOX.c.claimed_by == bindparam("holder"),
    OUTBOX.c.state == PENDING,
)
_RENEW = update(OUTBOX).where(_HELD).values(claimed_until=bindparam("until")).returning(OUTBOX.c.id)
_LOCK_RECIPIENT = text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
_HISTORY = select(SENDS.c.at).where(
    SENDS.c.recipient == bindparam("recipient_"), SENDS.c.at > bindparam("since")
)
_RESERVED_BEFORE = (
    select(SENDS.c.id)
    .where(SENDS.c.notice_id == bindparam("notice"), SENDS.c.part == bindparam("part_"))
    .limit(1)
)
_RESERVE = insert(SENDS).values(
    recipient=bindparam("recipient_"),
    at=bindparam("at_"),
    notice_id=bindparam("notice"),
    part=bindparam("part_"),
)
_PART_VALUES = {
    "parts_sent": bindparam("parts"),
    "sent_at": bindparam("at_"),
    "response_code": func.coalesce(OUTBOX.c.response_code, bindparam("code", type_=String)),
}
_MARK_PART = update(OUTBOX).where(_HELD).values(**_PART_VALUES).returning(OUTBOX.c.id)
_MARK_SENT = (
    update(OUTBOX)
    .where(_HELD)
    .values(**_PART_VALUES, state=SENT, claimed_by=None, claimed_until=None, last_error=None)
    .returning(OUTBOX.c.id)
)


@dataclass(frozen=True)
class Slot:
    """What `reserve` decided: send at `at` (now), or not before `at` (later). `again`: this
    part was reserved before and never marked, so it may have reached WeCom already."""

    at: datetime
    again: bool = False


def reserve(
    session: Session,
    *,
    notice_id: int,
    holder: str,
    recipient: str,
    part: int,
    now: datetime,
    lease: timedelta,
    next_slot: NextSlot,
) -> Slot | None:
    """Before sending part `part` of a notice: check the claim and reserve the send.

    None: the claim is lost (taken over, or the notice is no longer pending): do not send.
    A slot at `now`: the send is reserved in the recipient's budget and the lease renewed:
    send. A slot later: the budget is spent until then: do not send yet.
    """
    connection = session.connection()
    renewed = connection.execute(
        _RENEW, {"notice": notice_id, "holder": holder, "until": now + lease}
    ).first()
    if renewed is None:
        return None
    # The update above made this transaction a writer, which SQLite allows one at a time;
    # PostgreSQL serializes the recipient's reservations with a lock of its own.
    if connection.dialect.name == "postgresql":
        connection.execute(_LOCK_RECIPIENT, {"key": f"duban-send:{recipient}"})
    history = list(
        connection.scalars(_HISTORY, {"recipient_": recipient, "since": now - BUDGET_HORIZON})
    )
    allowed = next_slot(history, now)
    if allowed > now:
        return Slot(allowed)
    again = connection.execute(_RESERVED_BEFORE, {"notice": notice_id, "part_": part}).first()
    connection.execute(
        _RESERVE, {"recipient_": recipient, "at_": now, "notice": notice_id, "part_": part}
    )
    return Slot(now, again=again is not None)


def mark_part(
    session: Session,
    notice_id: int,
    *,
    holder: str,
    parts_sent: int,
    total: int,
    now: datetime,
    response_code: str | None = None,
) -> bool:
    """`parts_sent` of `total` parts are out; the last one makes the notice sent.
    False if `holder` no longer holds the claim (nothing is changed then)."""
    statement = _MARK_SENT if parts_sent >= total else _MARK_PART
    values = {"notice": notice_id, "holder": holder, "parts": parts_sent, "at_": now}
    done = session.connection().execute(statement, {**values, "code": response_code}).first()
    return done is not None


def _update(session: Session, notice_id: int, holder: str, values: dict[str, Any]) -> bool:
    done = session.execute(
        update(OutboxNotice)
        .where(_held(notice_id, holder))
        .values(**values)
        .returning(OutboxNotice.id)
    ).first()
    return done is not None


def _release(session: Session, notice_id: int, holder: str, **values: Any) -> bool:
    return _update(
        session, notice_id, holder, {"claimed_by": None, "claimed_until": None, **values}
    )


def defer(session: Session, notice_id: int, *, holder: str, until: datetime) -> bool:
    """Not yet: pacing says wait. Not a failure, so no attempt is counted."""
    return _release(session, notice_id, holder, next_attempt_at=until)


def mark_retry(
    session: Session, notice_id: int, *, holder: str, attempts: int, at: datetime, error: str
) -> bool:
    return _release(
        session, notice_id, holder, attempts=attempts, next_attempt_at=at, last_error=error
    )


def mark_failed(
    session: Session, notice_id: int, *, holder: str, attempts: int, error: str
) -> bool:
    return _release(session, notice_id, holder, state=FAILED, attempts=attempts, last_error=error)


def forget_sends(session: Session, *, before: datetime) -> int:
    """Drop send records too old to count against any limit."""
    result = session.execute(delete(SendLog).where(SendLog.at < before))
    return int(result.rowcount)  # type: ignore[attr-defined]


def next_due(session: Session, *, now: datetime) -> datetime | None:
    """When something may next be claimed: a pending notice's due time, or the end of a
    claim another instance holds (if it dies, its notices come back then)."""
    free = session.scalar(
        select(func.min(OutboxNotice.next_attempt_at)).where(
            OutboxNotice.state == PENDING,
            or_(OutboxNotice.claimed_until.is_(None), OutboxNotice.claimed_until <= now),
        )
    )
    held = session.scalar(
        select(func.min(OutboxNotice.claimed_until)).where(
            OutboxNotice.state == PENDING, OutboxNotice.claimed_until > now
        )
    )
    times = [t for t in (free, held) if t is not None]
    return min(times) if times else None


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
        .values(state=PENDING, attempts=0, next_attempt_at=now, claimed_until=None, claimed_by=None)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
