"""The database schema: the office's directory, its tasks and everything the bot records."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import UTCDateTime


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
    }


class Department(Base):
    __tablename__ = "departments"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    leader: Mapped[str | None] = mapped_column(String(64))
    # None: the department's staff are its contacts.
    contacts: Mapped[list[str] | None]
    # Who besides the leader decides extension requests (None: nobody else).
    deciders: Mapped[list[str] | None]
    position: Mapped[int] = mapped_column(Integer, default=0)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class Person(Base):
    __tablename__ = "people"

    userid: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    department_id: Mapped[str | None] = mapped_column(ForeignKey("departments.id"))
    role: Mapped[str] = mapped_column(String(16), default="staff")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class Task(Base):
    __tablename__ = "tasks"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    department_id: Mapped[str] = mapped_column(ForeignKey("departments.id"))
    partners: Mapped[list[str]] = mapped_column(default=list)
    # None: the department's contacts answer for the task.
    contacts: Mapped[list[str] | None]
    # The deadline the config gives, and the one in force (moved by approved extensions).
    config_deadline: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Derived from the progress records, kept here so lists and summaries need no replay.
    status: Mapped[str] = mapped_column(String(16), default="open")
    percent: Mapped[int | None]
    done_at: Mapped[datetime | None]
    last_update_at: Mapped[datetime | None]
    # The latest record that counts: the snapshot reads its text without a query per task.
    last_record_id: Mapped[int | None] = mapped_column(Integer)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    # When the task reached the database; `assigned` (下达日期), when the config gives it,
    # is when its clock started.
    created_at: Mapped[datetime | None]
    assigned: Mapped[date | None] = mapped_column(Date)
    profile: Mapped[str | None] = mapped_column(String(16))  # "13710"
    major: Mapped[bool] = mapped_column(Boolean, default=False)
    # The task's own reminder rules (days_before, quiet); None keeps the office's.
    reminders: Mapped[dict[str, Any] | None]

    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="task", order_by="Milestone.position", cascade="all, delete-orphan"
    )


class Milestone(Base):
    __tablename__ = "milestones"
    __table_args__ = (UniqueConstraint("task_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id"))
    position: Mapped[int] = mapped_column(Integer)
    date: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(500))

    task: Mapped[Task] = relationship(back_populates="milestones")


class ProgressRecord(Base):
    __tablename__ = "progress_records"
    __table_args__ = (
        Index("ix_progress_task_created", "task_id", "created_at"),
        Index("ix_progress_author_created", "author", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id"))
    author: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    action: Mapped[str] = mapped_column(String(16))  # progress | done | extend | blocked
    percent: Mapped[int | None]
    expected_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    problems: Mapped[str | None] = mapped_column(Text)
    next_steps: Mapped[str | None] = mapped_column(Text)
    raw_text: Mapped[str] = mapped_column(Text, default="")
    source_msg_id: Mapped[str | None] = mapped_column(String(128))
    # Undone records stay for the ledger; they no longer count.
    undone_at: Mapped[datetime | None]


class ExtensionRequest(Base):
    __tablename__ = "extension_requests"
    __table_args__ = (Index("ix_extension_task_state", "task_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id"))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("progress_records.id"))
    requested_by: Mapped[str] = mapped_column(String(64))
    requested_at: Mapped[datetime]
    requested_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    # pending | approved | rejected | withdrawn
    state: Mapped[str] = mapped_column(String(16), default="pending")
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)


class InboxMessage(Base):
    """Inbound messages already handled: WeCom retries, the bot answers each once."""

    __tablename__ = "inbox"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    sender: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime]
    # The reply given the first time, so a retry gets the same answer.
    reply: Mapped[dict[str, Any] | None]


class OutboxNotice(Base):
    """A notice to deliver outside a passive reply; one row per recipient."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "state", "next_attempt_at"),
        Index("ix_outbox_recipient_sent", "recipient", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str] = mapped_column(String(128))  # "user:<userid>" | "group:<group id>"
    payload: Mapped[dict[str, Any]]
    dedupe_key: Mapped[str] = mapped_column(String(255), unique=True)
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # A long notice goes out in numbered parts; a retry resumes after the last one sent.
    parts_sent: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    # A claim is a lease: a crashed sender's rows come back when it runs out.
    claimed_until: Mapped[datetime | None]
    # Who holds the claim: "<instance>/<start>". Only the holder may send or mark the row.
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    last_error: Mapped[str | None] = mapped_column(Text)
    response_code: Mapped[str | None] = mapped_column(String(255))


class SendLog(Base):
    """One row per message handed to WeCom: the per-recipient budget, shared by every
    instance. A send is reserved here (checked and written in one transaction) before it
    goes out, so two instances can never both take a recipient's last free slot."""

    __tablename__ = "send_log"
    __table_args__ = (
        Index("ix_send_log_recipient_at", "recipient", "at"),
        Index("ix_send_log_at", "at"),
        Index("ix_send_log_notice", "notice_id", "part"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime]
    notice_id: Mapped[int | None]
    part: Mapped[int] = mapped_column(Integer)


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(128))
    detail: Mapped[dict[str, Any] | None]


class PendingReply(Base):
    """A reply the bot asked about ("which task?"), kept briefly so the answer completes it."""

    __tablename__ = "pending_replies"

    userid: Mapped[str] = mapped_column(String(64), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(String(128))
    candidates: Mapped[list[str]]
    expires_at: Mapped[datetime]


class ReminderSent(Base):
    """One reminder item planned for a person: a task's rule and node on a day.

    The unique key (person, rule, task, node, day) makes planning idempotent: however many
    ticks or instances plan a day, each item is enqueued once, inside the digest notice
    named by `notice_key`. It is also the reminder history tasks and summaries count.
    """

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_task_day", "task_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    day: Mapped[date] = mapped_column(Date)
    recipient: Mapped[str] = mapped_column(String(64))  # userid
    rule: Mapped[str] = mapped_column(String(16))
    task_id: Mapped[str] = mapped_column(String(32))
    node: Mapped[str] = mapped_column(String(64))
    notice_key: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]


class Card(Base):
    """A template card sent to a member: its buttons act once (doc: docs/wecom.md)."""

    __tablename__ = "cards"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)  # the card's task_id
    userid: Mapped[str] = mapped_column(String(64))
    task_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16), default="open")  # open | handled
    action: Mapped[str | None] = mapped_column(String(32))
    handled_at: Mapped[datetime | None]


class Setting(Base):
    """Config sections a running bot must follow without a restart (written by sync)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class WorldRevision(Base):
    """One counter that database triggers bump on any change to what an inbound message is
    judged against — departments, people, tasks, milestones, pending questions — by any
    writer (another instance, `duban sync`, a hand edit). One read tells a running bot
    whether what it holds in memory is still true."""

    __tablename__ = "world_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class UnknownReply(Base):
    """A reply the bot did not understand (answered "unknown" or with a question), kept a
    while for the admin's review list: who wrote what, when, and what the bot said."""

    __tablename__ = "unknown_replies"
    __table_args__ = (
        Index("ix_unknown_replies_at", "at"),
        Index("ix_unknown_replies_user_at", "userid", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    userid: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    pattern: Mapped[str] = mapped_column(String(200))  # the text with ids and numbers blanked
    # unknown | clarify (asked) | answered | unanswered (the question expired or was dropped)
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(32))  # the clarify reason
    reply: Mapped[str] = mapped_column(Text)  # what the bot answered
