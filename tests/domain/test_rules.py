"""The task rules at their boundaries: one definition of a light, of who answers, who decides."""

from __future__ import annotations

from datetime import date

from domain import rules
from domain.rules import LightRules, deciders, profile_nodes, responsible, standing
from domain.snapshot import Department, Person, Report, Snapshot, TaskView
from scheduler.calendar import WorkCalendar

CAL = WorkCalendar()
AT = date(2024, 3, 15)  # a Friday


def task(**fields: object) -> TaskView:
    values: dict[str, object] = {
        "id": "T1",
        "title": "任务",
        "department_id": "org",
        "deadline": date(2024, 4, 30),
        "config_deadline": date(2024, 4, 30),
        "start": date(2024, 3, 1),
    }
    values.update(fields)
    return TaskView(**values)  # type: ignore[arg-type]


def test_yellow_within_warn_days_working_days_green_beyond():
    five = CAL.add_workdays(AT, 5)
    six = CAL.add_workdays(AT, 6)
    assert standing(task(deadline=five), AT, CAL).why == ("near",)
    assert standing(task(deadline=six), AT, CAL).light == rules.GREEN
    assert standing(task(deadline=six), AT, CAL, LightRules(warn_days=6)).light == rules.YELLOW


def test_red_the_day_after_the_deadline_and_counted_in_working_days():
    assert standing(task(deadline=AT), AT, CAL).light == rules.YELLOW  # due today
    sat = standing(task(deadline=AT), date(2024, 3, 16), CAL)
    assert (sat.light, sat.overdue_workdays) == (rules.RED, 0)
    mon = standing(task(deadline=AT), date(2024, 3, 18), CAL)
    assert (mon.light, mon.overdue_workdays, mon.workdays_left) == (rules.RED, 1, -1)


def test_behind_the_elapsed_share_by_more_than_the_margin_is_yellow():
    # Start 1 March, deadline 30 April: by 15 March, 10 of 42 working days are gone (24 %).
    elapsed = (
        100
        * CAL.workdays_until(date(2024, 3, 1), AT)
        / CAL.workdays_until(date(2024, 3, 1), date(2024, 4, 30))
    )
    assert round(elapsed) == 24
    assert standing(task(percent=3), AT, CAL).why == ("behind",)  # 3 + 20 < 24
    assert standing(task(percent=4), AT, CAL).light == rules.GREEN  # 4 + 20 = 24.x: not clearly
    assert standing(task(percent=None), AT, CAL).light == rules.GREEN  # nothing reported yet


def test_an_unresolved_blocked_report_is_yellow_and_done_is_done():
    blocked = Report(None, "lilei", "blocked", None)  # type: ignore[arg-type]
    assert standing(task(last_report=blocked), AT, CAL).why == ("blocked",)
    done = standing(task(status="done", deadline=date(2024, 3, 1)), AT, CAL)
    assert done.light == rules.DONE


SNAP = Snapshot.of(
    [],
    [
        Department("org", "组织人事部", "boss", None, ("deputy",)),
        Department("party", "机关党委", None, ("zhoufang", "gone")),
    ],
    [
        Person("boss", "王新会", None, "leader"),
        Person("other", "邓洪军", None, "leader"),
        Person("deputy", "副职", None, "staff"),
        Person("lilei", "李磊", "org"),
        Person("liuyang", "刘洋", "org", "admin"),
        Person("zhoufang", "周芳", "party"),
        Person("gone", "离职", "party", "staff", archived=True),
    ],
)


def test_who_answers_for_a_task():
    assert responsible(task(), SNAP) == ("lilei",)  # the department's staff (not its admin)
    assert responsible(task(department_id="party"), SNAP) == ("zhoufang",)  # listed, on record
    assert responsible(task(contacts=("liuyang", "nobody")), SNAP) == ("liuyang",)


def test_who_decides_for_a_department():
    assert deciders("org", SNAP) == ("boss", "deputy")
    assert deciders("party", SNAP) == ("boss", "other")  # no leader: every leader


def test_13710_nodes_in_working_days_and_a_major_matters_month():
    deploy, report, settle = profile_nodes(date(2024, 9, 27), False, CAL)  # a Friday
    assert (deploy.date, report.date, settle.date) == (
        date(2024, 9, 29),  # the make-up Sunday before National Day
        date(2024, 10, 8),
        date(2024, 10, 12),  # the make-up Saturday after it
    )
    assert profile_nodes(date(2024, 1, 31), True, CAL)[2].date == date(2024, 2, 29)
