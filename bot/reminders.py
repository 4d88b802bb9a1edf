"""The reminder tick: plan what is due, record each item once, enqueue one digest per person.

The database is the truth: every item of a digest is claimed under its unique key
(person, rule, task, node, day) in the same transaction that queues the digest, so a tick
run twice — a catch-up after a restart, a second instance, a retry — sends nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.render import render, render_json
from bot.schedule import Schedule
from domain.snapshot import Snapshot
from scheduler.planner import Entry, PlannedNotice, item_key, not_a_send_time, plan, send_day
from storage import outbox, reminders
from storage.db import transaction
from storage.snapshot import read_snapshot

log = logging.getLogger(__name__)

DIGEST, CARD = "reminder", "reminder_card"


@dataclass(frozen=True)
class TickResult:
    day: date
    planned: int  # digests the plan had
    queued: int  # digests queued now (the rest were queued before)
    items: int  # items queued now


def tick(
    sessions: sessionmaker[Session], schedule: Schedule, moment: datetime, now: datetime
) -> TickResult:
    """Plan the send time `moment` against the database as it is `now`, and queue what no
    earlier tick queued. Safe to run any number of times, on any number of instances."""
    day = send_day(moment, schedule.reminders)
    queued = items = 0
    with transaction(sessions) as session:
        snapshot = read_snapshot(session, schedule.reminders.timezone)
        notices = plan(snapshot, moment, schedule.reminders, schedule.calendar, schedule.lights)
        for notice in notices:
            claimed = reminders.claim_items(
                session, _items(notice), notice_key=notice.dedupe_key, now=now
            )
            fresh = _only(notice, claimed)
            if fresh is None:
                continue
            enqueue(
                session,
                fresh,
                snapshot,
                key=notice.dedupe_key,
                now=now,
                timezone=schedule.reminders.timezone,
            )
            queued += 1
            items += len(claimed)
    if queued:
        log.info("reminders for %s: %d digest(s), %d item(s) queued", day, queued, items)
    return TickResult(day, len(notices), queued, items)


def _items(notice: PlannedNotice) -> list[reminders.Item]:
    return [
        reminders.Item(
            item_key(notice.to, r.rule, e.task.id, r.node, notice.day),
            notice.day,
            notice.to,
            r.rule,
            e.task.id,
            r.node,
        )
        for e in notice.entries
        for r in e.reasons
    ]


def _only(notice: PlannedNotice, keys: set[str]) -> PlannedNotice | None:
    """The notice with just the items in `keys` (those this tick claimed), or None."""
    entries = []
    for e in notice.entries:
        reasons = tuple(
            r
            for r in e.reasons
            if item_key(notice.to, r.rule, e.task.id, r.node, notice.day) in keys
        )
        if reasons:
            entries.append(replace(e, reasons=reasons))
    return replace(notice, entries=tuple(entries)) if entries else None


def enqueue(
    session: Session,
    notice: PlannedNotice,
    snapshot: Snapshot,
    *,
    key: str,
    now: datetime,
    timezone: tzinfo,
) -> None:
    payload = payload_of(notice, snapshot, timezone)
    kind = DIGEST
    if notice.single is not None:
        card_id = card_id_of(key)
        payload["template_card"] = card_of(payload, card_id)
        reminders.add_card(
            session, card_id=card_id, userid=notice.to, task_id=notice.single.task.id, now=now
        )
        kind = CARD
    outbox.enqueue(
        session,
        kind=kind,
        recipient=f"user:{notice.to}",
        payload=payload,
        dedupe_key=key,
        now=now,
    )


def card_id_of(notice_key: str) -> str:
    """A card's task_id: unique per app, ≤ 128 bytes of letters, digits and `_-@`."""
    _remind, _to, day, digest = notice_key.rsplit(":", 3)
    return f"rc-{day.replace('-', '')}-{digest}"


def payload_of(notice: PlannedNotice, snapshot: Snapshot, timezone: tzinfo) -> dict[str, Any]:
    """What the digest shows, as JSON: it is rendered when it is sent."""
    return {
        "to": notice.to,
        "name": snapshot.person_name(notice.to),
        "day": notice.day.isoformat(),
        "entries": [_entry(e, snapshot, timezone) for e in notice.entries],
    }


def _entry(e: Entry, snapshot: Snapshot, timezone: tzinfo) -> dict[str, Any]:
    task = e.task
    last = task.last_report
    return {
        "task": task.id,
        "title": task.title,
        "department": snapshot.department_name(task.department_id),
        "deadline": task.deadline.isoformat(),
        "light": e.light,
        "workdays": e.workdays,
        "percent": task.percent,
        "last_report": None
        if last is None
        else {
            "date": last.at.astimezone(timezone).date().isoformat(),
            "action": last.action,
            "percent": last.percent,
        },
        "pending": None
        if task.pending_extension is None
        else task.pending_extension.requested_date.isoformat(),
        "reminded": task.reminded,
        "escalation": e.escalation,
        "reasons": [
            {
                "rule": r.rule,
                "node": r.node,
                "date": r.date.isoformat(),
                "title": r.title,
                "workdays": r.workdays,
            }
            for r in e.reasons
        ],
    }


def card_of(payload: dict[str, Any], card_id: str) -> dict[str, Any]:
    """The template card for a one-task digest (wording in templates/cards/reminder.json.j2)."""
    (entry,) = payload["entries"]
    return render_json(
        "cards/reminder.json.j2", {"e": entry, "day": payload["day"], "card_id": card_id}
    )


def latest_send_time(
    now: datetime, schedule: Schedule, *, grace: timedelta | None = None
) -> datetime | None:
    """The most recent send time at or before `now`, if it is within the catch-up grace
    (`catch_up_hours`) and on a working day: the tick a bot that was down has missed."""
    rules = schedule.reminders
    grace = timedelta(hours=rules.catch_up_hours) if grace is None else grace
    local = now.astimezone(rules.timezone)
    day = local.date()
    while True:
        moment = datetime.combine(day, rules.time, rules.timezone)
        if now - moment > grace:
            return None
        if moment <= now and schedule.calendar.is_workday(day):
            return moment
        day -= timedelta(days=1)


@dataclass(frozen=True)
class Preview:
    """What a send time would send, rendered, without writing anything."""

    moment: datetime
    reason: str | None  # why nothing goes out then (not a working day, not the send time)
    notices: tuple[dict[str, Any], ...]


def preview(
    sessions: sessionmaker[Session] | None,
    schedule: Schedule,
    moment: datetime,
    *,
    any_time: bool = False,
    snapshot: Snapshot | None = None,
) -> Preview:
    """Every notice the tick at `moment` would queue, as `{to, rule, rules, tasks, card,
    text}`, planned against the database as it is (recorded progress counts), or against
    `snapshot` when given (no database yet: `config_snapshot`). `any_time` plans `moment`'s
    day even when `moment` is not the send time."""
    reason = not_a_send_time(moment, schedule.reminders, schedule.calendar)
    if reason is not None and not (
        any_time and schedule.calendar.is_workday(send_day(moment, schedule.reminders))
    ):
        return Preview(moment, reason, ())
    if snapshot is None:
        assert sessions is not None, "preview needs a database or a snapshot"
        with sessions() as session:
            snapshot = read_snapshot(session, schedule.reminders.timezone)
    notices = plan(snapshot, moment, schedule.reminders, schedule.calendar, schedule.lights)
    return Preview(
        moment, None, tuple(rendered(n, snapshot, schedule.reminders.timezone) for n in notices)
    )


def rendered(notice: PlannedNotice, snapshot: Snapshot, timezone: tzinfo) -> dict[str, Any]:
    payload = payload_of(notice, snapshot, timezone)
    rules = [r.rule for e in notice.entries for r in e.reasons]
    return {
        "to": notice.to,
        "name": payload["name"],
        "rule": rules[0],
        "rules": sorted(set(rules)),
        "tasks": [e.task.id for e in notice.entries],
        "card": notice.single is not None,
        "text": render(f"notices/{DIGEST}.md.j2", payload),
    }


def next_day_with_reminders(
    sessions: sessionmaker[Session], schedule: Schedule, after: date, *, horizon: int = 366
) -> date | None:
    """The first working day after `after` on which the tick would send something not sent
    yet (for the sandbox: "what would the next reminders look like?")."""
    rules = schedule.reminders
    with sessions() as session:
        snapshot = read_snapshot(session, rules.timezone)
        for offset in range(1, horizon + 1):
            day = after + timedelta(days=offset)
            if not schedule.calendar.is_workday(day):
                continue
            moment = datetime.combine(day, rules.time, rules.timezone)
            planned = {
                i.key
                for n in plan(snapshot, moment, rules, schedule.calendar, schedule.lights)
                for i in _items(n)
            }
            if planned and not planned <= reminders.claimed_keys(session, day):
                return day
    return None
