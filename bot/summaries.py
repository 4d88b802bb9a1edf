"""Leaders' summaries: computed from the database, rendered in pieces, packed into messages.

A summary too long for one message goes out in parts numbered (2/3): each part repeats the
title, and a part is only ever cut between two items, never inside one. Wording lives in
templates/summaries/parts.md.j2 (an office may adjust it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy.orm import Session

from bot.render import environment
from bot.schedule import GroupSchedule, Schedule
from bot.wecom import limits
from domain.rules import LightRules, WorkDays
from domain.snapshot import Snapshot, TaskView
from handlers.inbound import Reply
from scheduler.summary import MONTH, WEEK, Period, Summary, summarize
from storage.history import read_history
from storage.snapshot import read_snapshot

ALL_DEPARTMENTS = "全部部门"


@dataclass(frozen=True)
class Rendered:
    summary: Summary
    parts: tuple[str, ...]
    snapshot: Snapshot


def compute(
    session: Session,
    moment: datetime,
    *,
    kind: str = WEEK,
    period: Period | None = None,
    scope: Sequence[str] | None = None,
    title: str = ALL_DEPARTMENTS,
    timezone: tzinfo,
    calendar: WorkDays,
    lights: LightRules,
) -> tuple[Summary, Snapshot]:
    """The summary of `period` (default: the week or month holding `moment`), lights as of
    `moment`'s day."""
    day = moment.astimezone(timezone).date()
    period = period or Period.of(kind, day)
    snapshot = read_snapshot(session, timezone)
    history = read_history(session.connection(), period.start, period.end, timezone)
    summary = summarize(
        snapshot,
        history,
        period,
        day,
        scope=scope,
        title=title,
        calendar=calendar,
        lights=lights,
        timezone=timezone,
    )
    return summary, snapshot


def send_period(kind: str, moment: datetime, schedule: Schedule) -> Period:
    """The period a summary sent at `moment` reports. The one place that decides it, for
    the scheduled send, the catch-up, `duban preview summary` and `duban send-summary`:
    sent on the first day of a week (month), it reports the previous one."""
    return Period.sent_on(kind, moment.astimezone(schedule.reminders.timezone).date())


def for_group(
    session: Session,
    schedule: Schedule,
    group: GroupSchedule | None,
    moment: datetime,
    *,
    kind: str,
    max_bytes: int,
) -> Rendered:
    """A group's summary sent at `moment` (`group` None: all departments), in messages."""
    summary, snapshot = compute(
        session,
        moment,
        period=send_period(kind, moment, schedule),
        scope=None if group is None else group.departments,
        title=ALL_DEPARTMENTS if group is None else group.name,
        timezone=schedule.reminders.timezone,
        calendar=schedule.calendar,
        lights=schedule.lights,
    )
    return Rendered(summary, tuple(pack(summary, snapshot, max_bytes)), snapshot)


def dedupe_key(group_id: str, period: Period, manual_at: datetime | None = None) -> str:
    """One summary per group per period, however many ticks or instances send it. A manual
    send (`duban send-summary`, at `manual_at`) has its own key, once per minute, so it
    does not stand in for the scheduled one."""
    key = f"summary:{group_id}:{period.kind}:{period.start.isoformat()}"
    return key if manual_at is None else f"{key}:manual:{manual_at:%Y-%m-%dT%H:%M}"


# --- packing ---------------------------------------------------------------------------


def pack(summary: Summary, snapshot: Snapshot, max_bytes: int) -> list[str]:
    """The summary as messages of at most `max_bytes` UTF-8 bytes each."""
    pieces = _Pieces(summary, snapshot)
    # A department's ids not reported on go out in items of at most half a message, so one
    # department with hundreds of tasks still packs (continued as "办公室（续）：…").
    pieces.split_not_reported((max_bytes - limits.utf8_len(pieces.title(999, 999))) // 2)
    for width in (9, 99, 999):  # room for the title's "(k/n)" at its widest
        widest = limits.utf8_len(pieces.title(width, width))
        bodies = _fill(pieces, max_bytes - widest)
        if len(bodies) <= width:
            break
    return [pieces.title(k, len(bodies)) + body for k, body in enumerate(bodies, start=1)]


class _Pieces:
    """The summary's pieces, rendered: a headline, then sections of items."""

    def __init__(self, summary: Summary, snapshot: Snapshot) -> None:
        self.summary = summary
        names = {t.id: snapshot.department_name(t.department_id) for t in snapshot.tasks.values()}

        def department_of(task: TaskView) -> str:
            return names.get(task.id, "")

        self.macros: Any = (
            environment()
            .get_template("summaries/parts.md.j2")
            .make_module({"department_of": department_of})
        )
        m: Any = self.macros
        s = summary
        self.headline = str(m.headline(s))
        self.sections: list[tuple[str, int | None, list[str], bool]] = [
            # (key, count shown in the heading, items, say "none" when empty)
            ("departments", None, [str(m.department(d)) for d in s.departments], False),
            ("red", len(s.red), [str(m.red_item(r, s)) for r in s.red], True),
            (
                "not_reported",
                sum(len(tasks) for _, tasks in s.not_reported),
                [str(m.not_reported_item(name, tasks)) for name, tasks in s.not_reported],
                True,
            ),  # split by split_not_reported()
            ("completed", len(s.completed), [str(m.completed_item(t)) for t in s.completed], False),
            ("changes", None, [str(m.change_item(c)) for c in s.changes], False),
            ("problems", None, [str(m.problem_item(p, s)) for p in s.problems], False),
            ("extensions", None, [str(m.extension_item(e, s)) for e in s.extensions], False),
            (
                "escalations",
                None,
                [str(m.escalation_item(t, days)) for t, days in s.escalations],
                False,
            ),
            ("next", len(s.next), [str(m.next_item(d, s)) for d in s.next], False),
        ]

    def split_not_reported(self, item_bytes: int) -> None:
        """Each department's ids not reported on in items of at most `item_bytes` bytes (a
        department's first item names it, the next ones say "（续）"), none left out."""
        size = limits.utf8_len
        m: Any = self.macros
        items: list[str] = []
        for name, tasks in self.summary.not_reported:
            continued = False
            rest = list(tasks)
            while rest:
                # The item's bytes: its text without ids, then each id and a separator.
                bare = size(str(m.not_reported_item(name, [], continued)))
                one = size(str(m.not_reported_item(name, rest[:1], continued)))
                two = size(str(m.not_reported_item(name, rest[:1] * 2, continued)))
                separator = two - 2 * one + bare
                used, count = one, 1
                for task in rest[1:]:
                    used += separator + size(task.id)
                    if used > item_bytes:
                        break
                    count += 1
                items.append(str(m.not_reported_item(name, rest[:count], continued)))
                rest, continued = rest[count:], True
        index = next(i for i, section in enumerate(self.sections) if section[0] == "not_reported")
        key, shown, _, say_none = self.sections[index]
        self.sections[index] = (key, shown, items, say_none)

    def title(self, part: int, parts: int) -> str:
        return str(self.macros.title(self.summary, part, parts)) + "\n\n"

    def heading(self, key: str, count: int | None, continued: bool) -> str:
        return str(self.macros.heading(key, count, self.summary, continued))

    def none(self) -> str:
        return str(self.macros.none_line())


def _fill(pieces: _Pieces, budget: int) -> list[str]:
    """Bodies of the parts (titles come later), each within `budget` bytes, cut only
    between items; a section cut in two says "(续)" where it goes on."""
    size = limits.utf8_len
    parts: list[str] = []
    body = pieces.headline + "\n"
    # When it cannot all be one message, the first is the headline and the ranking, and
    # the red list begins the next.
    whole = size(body) + sum(
        size(pieces.heading(key, count, False)) + 2 + sum(size(i) + 1 for i in items or ["x"])
        for key, count, items, say_none in pieces.sections
        if items or say_none
    )
    split_before_red = whole > budget

    def room(text: str) -> bool:
        return size(body) + size(text) <= budget

    def close() -> None:
        parts.append(body.rstrip("\n"))

    for key, count, items, say_none in pieces.sections:
        if not items and not say_none:
            continue
        lines = items or [pieces.none()]
        head = "\n" + pieces.heading(key, count, False) + "\n"
        if not room(head + lines[0] + "\n") or (key == "red" and split_before_red):
            close()
            body, head = "", pieces.heading(key, count, False) + "\n"
        body += head
        for line in lines:
            piece = line + "\n"
            if not room(piece):
                close()
                body = pieces.heading(key, count, True) + "\n"
                if not room(piece):
                    raise ValueError(f"a summary item is longer than a whole message ({budget} B)")
            body += piece
    close()
    return parts


# --- in chat ----------------------------------------------------------------------------


def chat_reply(
    session: Session,
    asked: dict[str, Any],
    now: datetime,
    *,
    timezone: tzinfo,
    calendar: WorkDays,
    lights: LightRules,
) -> Reply:
    """A leader's 汇总 / 本月汇总 / 逾期 / 未报送 in chat: the same summary data as the
    groups get, for the departments they decide for, worded for a personal chat."""
    scope = asked["scope"]
    snapshot_title = ALL_DEPARTMENTS
    summary, snapshot = compute(
        session,
        now,
        kind=MONTH if asked["period"] == MONTH else WEEK,
        scope=scope,
        title=snapshot_title,
        timezone=timezone,
        calendar=calendar,
        lights=lights,
    )
    return Reply(
        "summary",
        {
            "view": asked["view"],
            "s": summary,
            # the reply's title (the template words it): these departments, or all
            "scope_names": [snapshot.department_name(d) for d in scope] if scope else None,
            "departments": {d.id: d.name for d in snapshot.departments.values()},
        },
    )


# --- data --------------------------------------------------------------------------------


def as_json(group: str | None, rendered: Rendered) -> dict[str, Any]:
    """`duban preview summary --json` (fields documented in the README)."""
    s = rendered.summary
    name = rendered.snapshot.department_name

    def pct(rate: float | None) -> float | None:
        return None if rate is None else round(rate, 4)

    return {
        "group": group,
        "title": s.title,
        "day": s.day.isoformat(),
        "period": {
            "kind": s.period.kind,
            "start": s.period.start.isoformat(),
            "end": s.period.end.isoformat(),
        },
        "headline": {
            "total": s.headline.total,
            "done": s.headline.done,
            "green": s.headline.green,
            "yellow": s.headline.yellow,
            "red": s.headline.red,
            "on_time_rate": pct(s.headline.on_time_rate),
        },
        "departments": [
            {
                "id": d.id,
                "name": d.name,
                "rank": d.rank,
                "tied": d.tied,
                "total": d.counts.total,
                "done": d.counts.done,
                "green": d.counts.green,
                "yellow": d.counts.yellow,
                "red": d.counts.red,
                "on_time_rate": pct(d.counts.on_time_rate),
                "reported": d.reported,
                "report_rate": round(d.report_rate, 4),
            }
            for d in s.departments
        ],
        "not_reported": [
            {"task": t.id, "department": name(t.department_id)}
            for _, tasks in s.not_reported
            for t in tasks
        ],
        "red": [
            {
                "task": r.task.id,
                "department": name(r.task.department_id),
                "overdue_days": r.overdue_days,
                "reminded": r.reminded,
                "last_report": None if r.last_report is None else r.last_report.isoformat(),
            }
            for r in s.red
        ],
        "completed": [t.id for t in s.completed],
        "changes": [{"task": c.task.id, "from": c.before, "to": c.after} for c in s.changes],
        "problems": [
            {"task": p.task.id, "date": p.day.isoformat(), "text": p.text} for p in s.problems
        ],
        "extensions": [
            {"task": e.task.id, "requested_date": e.requested_date.isoformat(), "state": e.state}
            for e in s.extensions
        ],
        "escalations": [{"task": t.id, "days": days} for t, days in s.escalations],
        "next": [{"task": d.task.id, "date": d.day.isoformat(), "what": d.what} for d in s.next],
        "parts": list(rendered.parts),
    }


__all__ = [
    "MONTH",
    "WEEK",
    "Rendered",
    "as_json",
    "compute",
    "dedupe_key",
    "for_group",
    "pack",
    "send_period",
]
