"""Sending the leaders' summaries: queue a group's summary of a period, once.

The dedupe key is (group, period): the weekly tick, a catch-up after downtime and several
instances all queue the same summary at most once. `duban send-summary` is a manual send
with a key of its own (the minute it was run), so it never suppresses the scheduled one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot import summaries
from bot.delivery import FILE, file_payload
from bot.ledger import ledger_filename, ledger_workbook
from bot.schedule import GroupSchedule, Schedule
from scheduler.calendar import day_of_month
from scheduler.summary import MONTH, WEEK, Period
from storage import outbox
from storage.db import transaction

log = logging.getLogger(__name__)

SUMMARY = "summary"


@dataclass(frozen=True)
class Sent:
    group: str
    period: Period
    queued: bool  # False: this group's summary of this period was queued before
    parts: int


def send_summary(
    sessions: sessionmaker[Session],
    schedule: Schedule,
    group: GroupSchedule,
    moment: datetime,
    *,
    kind: str,
    now: datetime,
    manual: bool = False,
) -> Sent:
    """Queue `group`'s summary sent at `moment`: of the week (or month) holding it, or of
    the previous one on a period's first day (summaries.send_period). A `manual` send is
    deduplicated within the minute of `now` only."""
    manual_at = now.astimezone(schedule.reminders.timezone) if manual else None
    # Computed and built while only reading: a month's ledger takes seconds for a large
    # office, and no write lock is held meanwhile (replies keep their 5 s).
    with sessions() as session:
        rendered = summaries.for_group(
            session, schedule, group, moment, kind=kind, max_bytes=group.max_bytes
        )
        period = rendered.summary.period
        key = summaries.dedupe_key(group.id, period, manual_at)
        ledger = None
        if kind == MONTH and not outbox.queued_before(session, key):
            ledger = _ledger(session, schedule, group, rendered.summary.day, period)
    # Then the summary and its ledger are queued together, or neither (sent before).
    with transaction(sessions) as session:
        queued = outbox.enqueue(
            session,
            kind=SUMMARY,
            recipient=f"group:{group.id}",
            payload={
                "parts": list(rendered.parts),
                "group": group.id,
                "period": {
                    "kind": period.kind,
                    "start": period.start.isoformat(),
                    "end": period.end.isoformat(),
                },
            },
            dedupe_key=key,
            now=now,
        )
        if queued and ledger is not None:
            outbox.enqueue(
                session,
                kind=FILE,
                recipient=f"group:{group.id}",
                payload=ledger,
                dedupe_key=f"{key}:ledger",
                now=now,
            )
    if queued:
        log.info(
            "%s summary of %s for group %s queued (%d part(s))",
            kind,
            period.start,
            group.id,
            len(rendered.parts),
        )
    return Sent(group.id, period, queued, len(rendered.parts))


def _ledger(
    session: Session, schedule: Schedule, group: GroupSchedule, day: date, period: Period
) -> dict[str, Any]:
    """The monthly report's ledger (台账), to follow it into the group as an Excel file."""
    data = ledger_workbook(
        session,
        day=day,
        period=period,
        timezone=schedule.reminders.timezone,
        calendar=schedule.calendar,
        lights=schedule.lights,
        unit=schedule.unit,
    )
    return file_payload(
        ledger_filename(schedule.unit, day), data, f"{group.name} {period.start.month}月督办台账"
    )


def latest_summary_time(
    now: datetime, group: GroupSchedule, kind: str, schedule: Schedule
) -> datetime | None:
    """The group's most recent weekly (or monthly) send time at or before `now`, within the
    catch-up grace (`[reminders].catch_up_hours`)."""
    timezone = schedule.reminders.timezone
    grace = timedelta(hours=schedule.reminders.catch_up_hours)
    day = now.astimezone(timezone).date()
    while True:
        at = _send_time(day, group, kind)
        if at is not None:
            moment = datetime.combine(day, at, timezone)
            if now - moment > grace:
                return None
            if moment <= now:
                return moment
        elif now - datetime.combine(day, datetime.max.time(), timezone) > grace:
            return None
        day -= timedelta(days=1)


def _send_time(day: date, group: GroupSchedule, kind: str) -> time | None:
    if kind == WEEK:
        return group.weekly.at if day.weekday() == group.weekly.weekday else None
    monthly = group.monthly
    if monthly is None:
        return None
    return monthly.at if day == day_of_month(day.year, day.month, monthly.day) else None


__all__ = ["MONTH", "WEEK", "Sent", "latest_summary_time", "send_summary"]
