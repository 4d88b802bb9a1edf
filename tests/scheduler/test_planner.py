"""The reminder planner, day by day over whole years, with an injected clock.

Expected dates are written out by hand from the State Council's holiday notices (the
calendar's own tests check the calendar); each test runs the planner at 09:10 on every
day of a range and compares the days on which it said something.
"""

from __future__ import annotations

from dataclasses import replace as dataclass_replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.rules import BEFORE, ESCALATE, MONTHLY, NODE, OVERDUE, STALE
from domain.snapshot import (
    Department,
    Milestone,
    PendingExtension,
    Person,
    ReminderOverrides,
    Report,
    Snapshot,
    TaskView,
)
from scheduler.calendar import WorkCalendar
from scheduler.planner import (
    ReminderRules,
    not_a_send_time,
    plan,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar()
# stale nudges and the monthly window are tested on their own
RULES = ReminderRules(stale_after=0)


def at(day: date, clock: time = time(9, 10)) -> datetime:
    return datetime.combine(day, clock, SHANGHAI)


def task(task_id: str = "T1", deadline: date = date(2024, 12, 31), **fields: object) -> TaskView:
    values: dict[str, object] = {
        "id": task_id,
        "title": f"任务{task_id}",
        "department_id": "org",
        "deadline": deadline,
        "config_deadline": deadline,
        "start": date(2024, 1, 1),
    }
    values.update(fields)
    return TaskView(**values)  # type: ignore[arg-type]


def office(*tasks: TaskView) -> Snapshot:
    return Snapshot.of(
        list(tasks),
        [Department("org", "组织人事部", "boss"), Department("party", "机关党委", "boss")],
        [
            Person("lilei", "李磊", "org"),
            Person("zhoufang", "周芳", "party"),
            Person("boss", "王新会", None, "leader"),
        ],
    )


def days_with(
    snapshot: Snapshot,
    start: date,
    end: date,
    rules: ReminderRules = RULES,
    *,
    to: str = "lilei",
    rule: str | None = None,
) -> list[date]:
    """The days from `start` to `end` on which `to` gets something (of `rule`)."""
    found = []
    day = start
    while day <= end:
        for notice in plan(snapshot, at(day), rules, CAL):
            reasons = [r.rule for e in notice.entries for r in e.reasons]
            if notice.to == to and (rule is None or rule in reasons):
                found.append(day)
        day += timedelta(days=1)
    return found


def reported(day: date) -> Report:
    return Report(at(day, time(15)), "lilei", "progress", 50)


# ── before the deadline, counted in working days ─────────────────────────────


@pytest.mark.parametrize(
    ("deadline", "expected"),
    [
        # 2024 Spring Festival: off 10–17 Feb; Sun 4 Feb and Sun 18 Feb worked.
        (date(2024, 2, 19), [date(2024, 2, 8), date(2024, 2, 18), date(2024, 2, 19)]),
        # 2025 Spring Festival: off 28 Jan–4 Feb; Sun 26 Jan and Sat 8 Feb worked.
        (date(2025, 2, 10), [date(2025, 2, 6), date(2025, 2, 8), date(2025, 2, 10)]),
        # 2024 Qingming: off 4–6 Apr; Sun 7 Apr worked.
        (date(2024, 4, 8), [date(2024, 4, 2), date(2024, 4, 7), date(2024, 4, 8)]),
        # 2025 Qingming: off 4–6 Apr (Friday to Sunday), no make-up day.
        (date(2025, 4, 8), [date(2025, 4, 2), date(2025, 4, 7), date(2025, 4, 8)]),
        # 2024 National Day: off 1–7 Oct; Sun 29 Sep and Sat 12 Oct worked.
        (date(2024, 10, 8), [date(2024, 9, 27), date(2024, 9, 30), date(2024, 10, 8)]),
        # 2025 National Day: off 1–8 Oct; Sun 28 Sep and Sat 11 Oct worked.
        (date(2025, 10, 10), [date(2025, 9, 29), date(2025, 10, 9), date(2025, 10, 10)]),
        # A deadline on a Sunday: the Friday before is its last working day (day 0).
        (date(2024, 3, 17), [date(2024, 3, 12), date(2024, 3, 14), date(2024, 3, 15)]),
    ],
)
def test_before_the_deadline_at_working_day_offsets_across_holidays(deadline, expected):
    snapshot = office(task(deadline=deadline, start=deadline - timedelta(days=120)))
    assert days_with(snapshot, deadline - timedelta(days=60), deadline) == expected


def test_a_whole_year_sends_only_on_working_days_and_make_up_days():
    tasks = [
        task(f"T{n}", date(2024, 1, 2) + timedelta(days=n * 9), start=date(2023, 12, 1))
        for n in range(40)
    ]
    sent = days_with(office(*tasks), date(2024, 1, 1), date(2024, 12, 31))
    assert sent and all(CAL.is_workday(day) for day in sent)
    assert date(2024, 2, 18) in sent  # a Sunday worked in lieu is a send day
    assert not {date(2024, 2, 12), date(2024, 10, 2), date(2024, 5, 1)} & set(sent)


def test_milestones_are_reminded_like_the_deadline():
    snapshot = office(
        task(
            deadline=date(2024, 6, 28),
            milestones=(Milestone(date(2024, 4, 8), "报送初步人选"),),
        )
    )
    days = days_with(snapshot, date(2024, 3, 25), date(2024, 4, 12))
    assert days == [date(2024, 4, 2), date(2024, 4, 7), date(2024, 4, 8)]
    (notice,) = plan(snapshot, at(date(2024, 4, 7)), RULES, CAL)
    (reason,) = notice.entries[0].reasons
    assert (reason.rule, reason.node, reason.title, reason.workdays) == (
        BEFORE,
        "milestone:0",
        "报送初步人选",
        1,
    )


def test_a_tasks_own_offsets_and_quiet_override_the_office():
    own = task(deadline=date(2024, 3, 29), reminders=ReminderOverrides(days_before=(10, 3)))
    assert days_with(office(own), date(2024, 3, 1), date(2024, 3, 29)) == [
        date(2024, 3, 15),
        date(2024, 3, 26),
        date(2024, 3, 29),
    ]
    quiet = task(deadline=date(2024, 3, 29), reminders=ReminderOverrides(quiet=True))
    assert days_with(office(quiet), date(2024, 3, 1), date(2024, 4, 30)) == []


# ── overdue, escalation ──────────────────────────────────────────────────────


def test_overdue_repeats_every_n_working_days_and_escalates_after_m():
    rules = dataclass_replace(RULES, overdue_every=2, escalate_after=3)
    snapshot = office(task(deadline=date(2024, 3, 4)))  # a Monday
    after = (date(2024, 3, 5), date(2024, 3, 20))
    assert days_with(snapshot, *after, rules, rule=OVERDUE) == [
        date(2024, 3, 5),  # 1 working day overdue
        date(2024, 3, 7),  # 3
        date(2024, 3, 11),  # 5
        date(2024, 3, 13),  # 7
        date(2024, 3, 15),
        date(2024, 3, 19),
    ]
    # The leader is asked to press it (催办) once it is more than 3 working days late.
    assert days_with(snapshot, *after, rules, to="boss") == [
        date(2024, 3, 11),
        date(2024, 3, 13),
        date(2024, 3, 15),
        date(2024, 3, 19),
    ]
    (notice,) = [n for n in plan(snapshot, at(date(2024, 3, 11)), rules, CAL) if n.to == "boss"]
    (entry,) = notice.entries
    assert entry.escalation and [(r.rule, r.workdays) for r in entry.reasons] == [(ESCALATE, -5)]


def test_overdue_days_skip_the_holiday():
    snapshot = office(task(deadline=date(2024, 9, 30)))
    # 1–7 Oct off; 8 Oct is the first working day late, and the escalation waits for the 4th.
    assert days_with(snapshot, date(2024, 10, 1), date(2024, 10, 14), rule=OVERDUE)[:2] == [
        date(2024, 10, 8),
        date(2024, 10, 9),
    ]
    # Escalated from the 4th working day late: 8, 9, 10 and 11 Oct; then the make-up Saturday.
    assert days_with(snapshot, date(2024, 10, 1), date(2024, 10, 14), to="boss") == [
        date(2024, 10, 11),
        date(2024, 10, 12),
        date(2024, 10, 14),
    ]


def test_a_pending_extension_pauses_the_contacts_overdue_nags_not_the_leaders():
    pending = PendingExtension(1, "lilei", at(date(2024, 3, 5)), date(2024, 4, 30))
    snapshot = office(task(deadline=date(2024, 3, 4), pending_extension=pending))
    assert days_with(snapshot, date(2024, 3, 5), date(2024, 3, 12), rule=OVERDUE) == []
    assert days_with(snapshot, date(2024, 3, 5), date(2024, 3, 12), to="boss") == [
        date(2024, 3, 8),
        date(2024, 3, 11),
        date(2024, 3, 12),
    ]


def test_an_approved_extension_moves_every_later_reminder():
    before = office(task(deadline=date(2024, 3, 8)))
    moved = office(task(deadline=date(2024, 3, 15), config_deadline=date(2024, 3, 8)))
    span = (date(2024, 3, 1), date(2024, 3, 20))
    assert days_with(before, *span)[:3] == [date(2024, 3, 5), date(2024, 3, 7), date(2024, 3, 8)]
    assert days_with(moved, *span)[:3] == [date(2024, 3, 12), date(2024, 3, 14), date(2024, 3, 15)]


# ── quiet ────────────────────────────────────────────────────────────────────


def test_done_tasks_and_tasks_reported_today_get_nothing():
    done = task(deadline=date(2024, 3, 4), status="done", percent=100)
    assert days_with(office(done), date(2024, 2, 20), date(2024, 4, 30)) == []
    today = date(2024, 3, 6)
    fresh = task(
        deadline=date(2024, 3, 4),
        last_update_at=at(today, time(8, 30)),
        last_report=reported(today),
    )
    assert plan(office(fresh), at(today), RULES, CAL) == []
    assert plan(office(fresh), at(today + timedelta(days=1)), RULES, CAL) != []


def test_nothing_is_sent_before_a_task_is_assigned():
    later = task(deadline=date(2024, 3, 8), start=date(2024, 3, 7))
    assert days_with(office(later), date(2024, 3, 1), date(2024, 3, 8)) == [
        date(2024, 3, 7),
        date(2024, 3, 8),
    ]


# ── stale and monthly ───────────────────────────────────────────────────────


def test_a_task_without_reports_is_nudged_every_stale_after_working_days():
    rules = dataclass_replace(RULES, stale_after=10)
    silent = task(start=date(2024, 3, 1))
    assert days_with(office(silent), date(2024, 3, 1), date(2024, 4, 19), rules) == [
        date(2024, 3, 15),
        date(2024, 3, 29),
        date(2024, 4, 15),  # Qingming (4–6 Apr) does not count, the make-up Sunday does
    ]
    (notice,) = plan(office(silent), at(date(2024, 3, 15)), rules, CAL)
    (reason,) = notice.entries[0].reasons
    assert (reason.rule, reason.date, reason.workdays) == (STALE, date(2024, 3, 1), -10)
    spoke = silent._replace(
        last_update_at=at(date(2024, 3, 20)), last_report=reported(date(2024, 3, 20))
    )
    assert days_with(office(spoke), date(2024, 3, 21), date(2024, 4, 19), rules) == [
        date(2024, 4, 3),
        date(2024, 4, 18),
    ]


def test_the_monthly_window_asks_for_this_months_report_until_it_comes():
    rules = dataclass_replace(RULES, monthly_report_day=25, monthly_window=3)
    silent = task(start=date(2024, 3, 1))
    assert days_with(office(silent), date(2024, 3, 1), date(2024, 3, 31), rules) == [
        date(2024, 3, 20),
        date(2024, 3, 21),
        date(2024, 3, 22),
        date(2024, 3, 25),
    ]
    spoke = silent._replace(
        last_update_at=at(date(2024, 3, 21)), last_report=reported(date(2024, 3, 21))
    )
    # Reported on the 21st: not asked that day, nor again this month.
    assert days_with(office(spoke), date(2024, 3, 21), date(2024, 3, 31), rules) == []
    (notice,) = plan(office(silent), at(date(2024, 3, 22)), rules, CAL)
    assert [(r.rule, r.node, r.workdays) for r in notice.entries[0].reasons] == [
        (MONTHLY, "2024-03", 1)
    ]


def test_a_report_day_beyond_the_month_falls_on_its_last_day():
    rules = dataclass_replace(RULES, monthly_report_day=31, monthly_window=0)
    silent = task(start=date(2024, 1, 1))
    assert days_with(office(silent), date(2024, 4, 1), date(2024, 4, 30), rules) == [
        date(2024, 4, 30)
    ]


def test_stale_and_monthly_can_be_switched_off_and_default_to_a_fortnight():
    assert ReminderRules().stale_after == 10 and ReminderRules().monthly_report_day is None
    silent = task(start=date(2024, 3, 1))
    assert days_with(office(silent), date(2024, 3, 1), date(2024, 4, 30)) == []


# ── 13710 ────────────────────────────────────────────────────────────────────


def matter(**fields: object) -> TaskView:
    # Assigned Monday 4 March 2024: deploy by the 5th, report by the 7th, settle by the 13th.
    values: dict[str, object] = {
        "profile": "13710",
        "start": date(2024, 3, 4),
        "deadline": date(2024, 3, 13),
    }
    values.update(fields)
    return task(**values)


def reasons_on(snapshot: Snapshot, day: date, to: str = "lilei") -> list[tuple[str, str]]:
    return [
        (r.rule, r.node)
        for n in plan(snapshot, at(day), RULES, CAL)
        if n.to == to
        for e in n.entries
        for r in e.reasons
    ]


def test_13710_reminds_before_each_node_and_escalates_a_missed_one():
    snapshot = office(matter())
    assert reasons_on(snapshot, date(2024, 3, 4)) == [(NODE, "deploy")]
    assert reasons_on(snapshot, date(2024, 3, 5)) == [(NODE, "deploy")]
    assert reasons_on(snapshot, date(2024, 3, 6)) == [(NODE, "report")]
    assert reasons_on(snapshot, date(2024, 3, 6), "boss") == [(ESCALATE, "deploy")]
    assert reasons_on(snapshot, date(2024, 3, 7)) == [(NODE, "report")]
    assert reasons_on(snapshot, date(2024, 3, 8)) == [(BEFORE, "deadline")]
    assert reasons_on(snapshot, date(2024, 3, 8), "boss") == [(ESCALATE, "report")]
    assert reasons_on(snapshot, date(2024, 3, 13)) == [(BEFORE, "deadline")]
    assert reasons_on(snapshot, date(2024, 3, 14)) == [(OVERDUE, "deadline")]
    assert reasons_on(snapshot, date(2024, 3, 14), "boss") == [(ESCALATE, "settle")]


def test_13710_nodes_met_by_reports_are_quiet():
    deployed = matter(last_update_at=at(date(2024, 3, 5)), last_report=reported(date(2024, 3, 5)))
    assert reasons_on(office(deployed), date(2024, 3, 6), "boss") == []
    assert reasons_on(office(deployed), date(2024, 3, 6)) == [(NODE, "report")]
    answered = matter(last_update_at=at(date(2024, 3, 6)), last_report=reported(date(2024, 3, 6)))
    assert reasons_on(office(answered), date(2024, 3, 7)) == []
    assert reasons_on(office(answered), date(2024, 3, 8), "boss") == []


def test_an_approved_extension_moves_the_13710_settle_node():
    # Deploy and report met; the deadline (the settle node) extended from 13 to 29 March.
    moved = matter(
        deadline=date(2024, 3, 29),
        config_deadline=date(2024, 3, 13),
        last_update_at=at(date(2024, 3, 6)),
        last_report=reported(date(2024, 3, 6)),
    )
    for day in (date(2024, 3, 12), date(2024, 3, 13), date(2024, 3, 14)):
        assert reasons_on(office(moved), day) == [], day
        assert reasons_on(office(moved), day, "boss") == [], day
    assert reasons_on(office(moved), date(2024, 3, 29)) == [(BEFORE, "deadline")]
    assert reasons_on(office(moved), date(2024, 4, 1), "boss") == [(ESCALATE, "settle")]


def test_a_major_13710_matter_settles_within_a_month():
    major = matter(major=True, deadline=date(2024, 4, 4))
    assert reasons_on(office(major), date(2024, 3, 14)) == []  # not yet due
    assert reasons_on(office(major), date(2024, 4, 3)) == [(BEFORE, "deadline")]


# ── digests ──────────────────────────────────────────────────────────────────


def test_one_digest_per_person_red_first_then_the_nearest_date():
    day = date(2024, 3, 12)
    snapshot = office(
        task("T1", date(2024, 3, 15)),  # 3 working days left
        task("T2", date(2024, 3, 13)),  # 1 left
        task("T3", date(2024, 3, 8)),  # 2 working days overdue
        task("T4", date(2024, 3, 6), department_id="party"),  # zhoufang's, 4 late: escalated
        task("T5", date(2024, 3, 5)),  # 5 late: escalated too
    )
    notices = {n.to: n for n in plan(snapshot, at(day), RULES, CAL)}
    assert sorted(notices) == ["boss", "lilei", "zhoufang"]
    assert [e.task.id for e in notices["lilei"].entries] == ["T5", "T3", "T2", "T1"]
    assert [e.light for e in notices["lilei"].entries] == ["red", "red", "yellow", "yellow"]
    # The leader's digest groups by department, in the config's order.
    boss = notices["boss"]
    assert [(e.task.department_id, e.task.id) for e in boss.entries] == [
        ("org", "T5"),
        ("party", "T4"),
    ]
    assert all(e.escalation for e in boss.entries) and boss.single is None


@pytest.mark.parametrize(("day", "why"), [(date(2024, 3, 14), STALE), (date(2024, 3, 20), MONTHLY)])
def test_a_nudge_or_the_monthly_window_does_not_put_a_later_task_first(day, why):
    # TB is green and due in December, but stale (no report since January) or asked for
    # its monthly report; TA is due tomorrow. The nearest deadline comes first.
    rules_ = dataclass_replace(RULES, stale_after=10, monthly_report_day=25)
    snapshot = office(task("TA", day + timedelta(days=1)), task("TB", date(2024, 12, 31)))
    (notice,) = plan(snapshot, at(day), rules_, CAL)
    assert [(e.task.id, [r.rule for r in e.reasons]) for e in notice.entries] == [
        ("TA", [BEFORE]),
        ("TB", [why]),
    ]


def test_planning_is_idempotent_by_item_keys():
    snapshot = office(task("T1", date(2024, 3, 15)), task("T2", date(2024, 3, 8)))
    first = plan(snapshot, at(date(2024, 3, 12)), RULES, CAL)
    again = plan(snapshot, at(date(2024, 3, 12), time(9, 10, 30)), RULES, CAL)
    assert [n.dedupe_key for n in first] == [n.dedupe_key for n in again]
    (notice,) = first
    assert sorted(notice.keys()) == [
        "lilei|before|T1|deadline|2024-03-12",
        "lilei|overdue|T2|deadline|2024-03-12",
    ]


def test_a_digest_about_one_own_task_can_be_a_card():
    (notice,) = plan(office(task("T1", date(2024, 3, 15))), at(date(2024, 3, 12)), RULES, CAL)
    assert notice.single is not None and notice.single.task.id == "T1"


# ── send days and times ──────────────────────────────────────────────────────


def test_the_reason_when_a_moment_is_not_a_send_time():
    assert not_a_send_time(at(date(2024, 4, 4)), RULES, CAL) == "4月4日为法定节假日，不发送提醒"
    assert not_a_send_time(at(date(2024, 3, 16)), RULES, CAL) == "3月16日为周末，不发送提醒"
    assert "不是提醒时间" in (not_a_send_time(at(date(2024, 3, 15), time(10)), RULES, CAL) or "")
    assert not_a_send_time(at(date(2024, 2, 18)), RULES, CAL) is None  # make-up Sunday
    utc = datetime(2024, 3, 15, 1, 10, tzinfo=UTC)  # 09:10 in Beijing
    assert not_a_send_time(utc, RULES, CAL) is None
    assert plan(office(task("T1", date(2024, 4, 8))), at(date(2024, 4, 4)), RULES, CAL) == []


@given(
    day=st.dates(date(2024, 1, 1), date(2026, 12, 31)),
    ahead=st.integers(0, 140),
    offsets=st.lists(st.integers(0, 60), min_size=1, max_size=4),
    closures=st.lists(st.dates(date(2024, 1, 1), date(2027, 6, 30)), max_size=30),
)
@settings(max_examples=300, deadline=None)
def test_a_before_reminder_is_due_exactly_at_the_offsets_in_working_days(
    day, ahead, offsets, closures
):
    """The planner skips counting for far dates; that must never change what is due, even
    with a calendar full of extra days off."""
    calendar = WorkCalendar(holidays=closures)
    deadline = day + timedelta(days=ahead)
    rules = ReminderRules(days_before=tuple(offsets), stale_after=0)
    snapshot = office(task(deadline=deadline, start=date(2023, 1, 1)))
    due = [
        r.workdays
        for n in plan(snapshot, at(day), rules, calendar)
        for e in n.entries
        for r in e.reasons
        if r.rule == BEFORE
    ]
    expected = (
        [calendar.workdays_until(day, deadline)]
        if calendar.is_workday(day) and calendar.workdays_until(day, deadline) in {0, *offsets}
        else []
    )
    assert due == expected
