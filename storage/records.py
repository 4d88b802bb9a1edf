"""Reads and writes of what members report: progress records, extension requests,
pending clarify questions and the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import AuditEntry, ExtensionRequest, PendingReply, ProgressRecord


def audit(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    target: str | None,
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(AuditEntry(at=at, actor=actor, action=action, target=target, detail=detail))


def add_record(session: Session, record: ProgressRecord) -> ProgressRecord:
    session.add(record)
    session.flush()  # the id links an extension request to it
    return record


def task_records(session: Session, task_id: str) -> list[ProgressRecord]:
    """All records of a task, oldest first, undone ones included."""
    return list(
        session.scalars(
            select(ProgressRecord)
            .where(ProgressRecord.task_id == task_id)
            .order_by(ProgressRecord.created_at, ProgressRecord.id)
        )
    )


def recent_records(session: Session, task_id: str, limit: int) -> list[ProgressRecord]:
    """The task's latest records that count, newest first."""
    return list(
        session.scalars(
            select(ProgressRecord)
            .where(ProgressRecord.task_id == task_id, ProgressRecord.undone_at.is_(None))
            .order_by(ProgressRecord.created_at.desc(), ProgressRecord.id.desc())
            .limit(limit)
        )
    )


def latest_undoable(session: Session, author: str, since: datetime) -> list[ProgressRecord]:
    """The author's latest record since `since` that still counts, with its message's siblings."""
    latest = session.scalars(
        select(ProgressRecord)
        .where(
            ProgressRecord.author == author,
            ProgressRecord.undone_at.is_(None),
            ProgressRecord.created_at >= since,
        )
        .order_by(ProgressRecord.created_at.desc(), ProgressRecord.id.desc())
        .limit(1)
    ).first()
    if latest is None:
        return []
    if latest.source_msg_id is None:
        return [latest]
    return list(
        session.scalars(
            select(ProgressRecord)
            .where(
                ProgressRecord.author == author,
                ProgressRecord.undone_at.is_(None),
                ProgressRecord.source_msg_id == latest.source_msg_id,
            )
            .order_by(ProgressRecord.id)
        )
    )


def pending_extensions(session: Session, task_id: str) -> list[ExtensionRequest]:
    return list(
        session.scalars(
            select(ExtensionRequest).where(
                ExtensionRequest.task_id == task_id, ExtensionRequest.state == "pending"
            )
        )
    )


def extensions_of_records(session: Session, record_ids: Sequence[int]) -> list[ExtensionRequest]:
    if not record_ids:
        return []
    return list(
        session.scalars(select(ExtensionRequest).where(ExtensionRequest.record_id.in_(record_ids)))
    )


def withdrawn_extensions(
    session: Session, *, since: datetime, note: str, task_id: str | None = None
) -> list[ExtensionRequest]:
    """Requests withdrawn with `note` since `since` (on `task_id`, if given), newest first."""
    query = select(ExtensionRequest).where(
        ExtensionRequest.state == "withdrawn",
        ExtensionRequest.decision_note == note,
        ExtensionRequest.decided_at >= since,
    )
    if task_id is not None:
        query = query.where(ExtensionRequest.task_id == task_id)
    order = (ExtensionRequest.decided_at.desc(), ExtensionRequest.id.desc())
    return list(session.scalars(query.order_by(*order)))


def add_extension(session: Session, request: ExtensionRequest) -> ExtensionRequest:
    session.add(request)
    session.flush()  # the id keys the leader's notice
    return request


def pending_replies(session: Session) -> dict[str, PendingReply]:
    """Every member's waiting question, by userid (at most one each: a small table)."""
    return {row.userid: row for row in session.scalars(select(PendingReply))}


def remember_pending_reply(
    session: Session,
    *,
    userid: str,
    text: str,
    reason: str,
    detail: str | None,
    candidates: Sequence[str],
    expires_at: datetime,
) -> PendingReply:
    row = session.get(PendingReply, userid)
    if row is None:
        row = PendingReply(userid=userid)
        session.add(row)
    row.text = text
    row.reason = reason
    row.detail = detail
    row.candidates = list(candidates)
    row.expires_at = expires_at
    session.flush()
    return row


def forget_pending_reply(session: Session, userid: str) -> None:
    session.execute(delete(PendingReply).where(PendingReply.userid == userid))
