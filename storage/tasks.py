"""Writes to a task's derived state and deadline, safe with several writers.

A handler decides from a snapshot that may be a batch old; what it writes is computed from
the row as it is now, locked (`FOR UPDATE` on PostgreSQL; on SQLite the transaction
already holds the database's one write lock), so two instances recording on one task at
the same moment cannot lose either update.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import ExtensionRequest, Task


@dataclass(frozen=True)
class StoredState:
    status: str = "open"  # open | done
    percent: int | None = None
    done_at: datetime | None = None
    last_update_at: datetime | None = None
    last_record_id: int | None = None


def locked_state(session: Session, task_id: str) -> StoredState:
    """The task's derived state as committed now, locked until this transaction ends."""
    query = select(
        Task.status, Task.percent, Task.done_at, Task.last_update_at, Task.last_record_id
    ).where(Task.id == task_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    row = session.execute(query).one()
    return StoredState(*row)


def store_state(session: Session, task_id: str, state: StoredState) -> None:
    session.execute(
        update(Task)
        .where(Task.id == task_id)
        .values(
            status=state.status,
            percent=state.percent,
            done_at=state.done_at,
            last_update_at=state.last_update_at,
            last_record_id=state.last_record_id,
        )
    )


def decide_extension(
    session: Session,
    request_id: int,
    *,
    approve: bool,
    by: str,
    at: datetime,
    note: str | None,
) -> ExtensionRequest | None:
    """Decide a pending request; None when it is no longer pending (decided, withdrawn or
    superseded meanwhile, here or on another instance). Approval moves the deadline."""
    state = "approved" if approve else "rejected"
    request = _close_pending(
        session, request_id, state=state, decided_by=by, decided_at=at, decision_note=note
    )
    if request is not None and approve:
        move_deadline(session, request.task_id, request.requested_date)
    return request


def withdraw_extension(session: Session, request_id: int, *, at: datetime, note: str) -> bool:
    """Withdraw a pending request (its requester undid it, or a newer one supersedes it);
    False when it was decided meanwhile, here or on another instance: a decision is not
    overwritten."""
    closed = _close_pending(
        session, request_id, state="withdrawn", decided_at=at, decision_note=note
    )
    return closed is not None


def _close_pending(session: Session, request_id: int, **values: Any) -> ExtensionRequest | None:
    """Set `values` on the request if it is still pending, in one conditional update (the
    database decides which of two instances came first); the request as stored, or None."""
    closed = session.execute(
        update(ExtensionRequest)
        .where(ExtensionRequest.id == request_id, ExtensionRequest.state == "pending")
        .values(**values)
        .returning(ExtensionRequest.id)
    ).first()
    if closed is None:
        return None
    return session.get(ExtensionRequest, request_id, populate_existing=True)


def move_deadline(session: Session, task_id: str, deadline: date) -> None:
    session.execute(update(Task).where(Task.id == task_id).values(deadline=deadline))
