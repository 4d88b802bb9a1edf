"""What happened in a period, for summaries and the ledger: four queries, whatever the size.

Records that count (not undone) made in the period; each task's last percent before it;
extension requests asked or decided in it; and the days a leader was asked to press a task.
The ledger also reads every record and every extension request of the active tasks, one
query each (`read_ledger`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Connection, and_, func, or_, select

from domain.memory import without_collection
from domain.rules import ESCALATE
from storage.models import ExtensionRequest, ProgressRecord, ReminderSent
from storage.snapshot import Report, raw_column, report_row, to_date, to_utc


@dataclass(frozen=True)
class Record:
    """One record that counts, made in the period."""

    task_id: str
    report: Report  # when, by whom, what


@dataclass(frozen=True)
class Extension:
    task_id: str
    requested_by: str
    requested_at: datetime
    requested_date: date
    reason: str | None
    state: str  # pending | approved | rejected | withdrawn
    decided_by: str | None
    decided_at: datetime | None


@dataclass(frozen=True)
class History:
    start: date
    end: date  # inclusive, in the office's calendar
    records: tuple[Record, ...] = ()  # oldest first
    percent_before: Mapping[str, int] = field(default_factory=dict)
    extensions: tuple[Extension, ...] = ()
    escalations: Mapping[str, int] = field(default_factory=dict)  # task -> days pressed


def bounds(start: date, end: date, timezone: tzinfo) -> tuple[datetime, datetime]:
    """The period's first and after-last moments in UTC (its days are the office's)."""
    first = datetime.combine(start, time(), timezone).astimezone(UTC)
    after = datetime.combine(end + timedelta(days=1), time(), timezone).astimezone(UTC)
    return first, after


def _record_columns() -> tuple[Any, ...]:
    """A record's task, time, author and what it says (storage.snapshot.report_row)."""
    r = ProgressRecord
    return (
        r.task_id,
        raw_column(r.created_at),
        r.author,
        r.action,
        r.percent,
        raw_column(r.expected_date),
        r.note,
        r.problems,
        r.next_steps,
    )


@without_collection
def read_history(connection: Connection, start: date, end: date, timezone: tzinfo) -> History:
    first, after = bounds(start, end, timezone)
    r = ProgressRecord
    counting = r.undone_at.is_(None)
    rows = connection.execute(
        select(*_record_columns())
        .where(counting, r.created_at >= first, r.created_at < after)
        .order_by(r.created_at, r.id)
    ).all()
    records = tuple(Record(task_id, report_row(at, fields)) for task_id, at, *fields in rows)
    latest = (
        select(
            r.task_id,
            r.percent,
            func.row_number()
            .over(partition_by=r.task_id, order_by=(r.created_at.desc(), r.id.desc()))
            .label("n"),
        )
        .where(counting, r.percent.is_not(None), r.created_at < first)
        .subquery()
    )
    before = dict(
        connection.execute(select(latest.c.task_id, latest.c.percent).where(latest.c.n == 1)).all()
    )
    e = ExtensionRequest
    extensions = _extensions(
        connection,
        or_(
            and_(e.requested_at >= first, e.requested_at < after),
            and_(e.decided_at >= first, e.decided_at < after),
        ),
    )
    pressed = Counter(
        dict(
            connection.execute(
                select(ReminderSent.task_id, func.count(func.distinct(ReminderSent.day)))
                .where(
                    ReminderSent.rule == ESCALATE,
                    ReminderSent.day >= start,
                    ReminderSent.day <= end,
                )
                .group_by(ReminderSent.task_id)
            ).all()
        )
    )
    return History(start, end, records, before, extensions, dict(pressed))


def _extensions(connection: Connection, where: ColumnElement[bool]) -> tuple[Extension, ...]:
    e = ExtensionRequest
    return tuple(
        Extension(*row)
        for row in connection.execute(
            select(
                e.task_id,
                e.requested_by,
                e.requested_at,
                e.requested_date,
                e.reason,
                e.state,
                e.decided_by,
                e.decided_at,
            )
            .where(where)
            .order_by(e.requested_at, e.id)
        ).all()
    )


class LedgerRecord(NamedTuple):
    """One progress record as the ledger lists it, undone ones included (marked)."""

    task_id: str
    at: datetime  # aware, UTC
    author: str
    action: str  # progress | done | extend | blocked
    percent: int | None
    expected_date: date | None
    note: str | None
    problems: str | None
    next_steps: str | None
    raw_text: str
    undone_at: datetime | None  # when its author took it back (撤销); it no longer counts


@dataclass(frozen=True)
class Ledger:
    records: Mapping[str, tuple[LedgerRecord, ...]]  # by task, each oldest first
    extensions: tuple[Extension, ...]  # every request, oldest first

    @property
    def record_count(self) -> int:
        return sum(len(items) for items in self.records.values())


@without_collection
def read_ledger(connection: Connection) -> Ledger:
    """Every record and extension request (archived tasks' too: the reader keeps the tasks
    it shows): two queries, whatever the size. Records come in the order of the index on
    (task, time), so the database need not sort them; dates and times are converted here
    rather than by SQLAlchemy (see `raw_column`)."""
    r = ProgressRecord
    rows = connection.execute(
        select(*_record_columns(), r.raw_text, raw_column(r.undone_at)).order_by(
            r.task_id, r.created_at, r.id
        )
    )
    grouped: dict[str, list[LedgerRecord]] = {}
    utc, iso = UTC, datetime.fromisoformat
    for row in rows:
        (task_id, at, author, action, percent, expected, note, problems, next_steps,
         raw_text, undone) = row  # fmt: skip
        at = iso(at) if at.__class__ is str else at
        if undone is not None:
            undone = to_utc(undone)
        if expected is not None:
            expected = to_date(expected)
        record = LedgerRecord(
            task_id,
            at.replace(tzinfo=utc),
            author,
            action,
            percent,
            expected,
            note,
            problems,
            next_steps,
            raw_text or "",
            undone,
        )
        items = grouped.get(task_id)
        if items is None:
            grouped[task_id] = [record]
        else:
            items.append(record)
    records = {task_id: tuple(items) for task_id, items in grouped.items()}
    return Ledger(records, _extensions(connection, ExtensionRequest.id.is_not(None)))
