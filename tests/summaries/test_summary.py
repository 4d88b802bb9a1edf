"""The summary of a period over a synthetic quarter, checked against numbers worked by hand.

The office: departments A, B and C; on Friday 22 March 2024 (the week of 18–24 March):
  A1 done 10 March, due 15 March (on time)    A2 due 20 March, open: red, 2 working days late
  A3 due 30 April, 10 %, started 1 January: behind the elapsed share, yellow
  B1 done 19 March, due 18 March (late)      B2 due 27 March, open: 3 working days, yellow
  C1 due 28 June, blocked on 20 March: yellow C2 due 28 June: green
This week: A3 5 % → 10 % on the 19th, B1 done on the 19th (80 % → 100 %), C1 blocked on the 20th.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.summaries import pack
from domain.rules import DEFAULT_LIGHTS
from domain.snapshot import Department, Milestone, Person, Report, Snapshot, TaskView
from scheduler.calendar import WorkCalendar
from scheduler.summary import MONTH, WEEK, Period, summarize
from storage.history import Extension, History, Record

SHANGHAI = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar()
DAY = date(2024, 3, 22)
WEEK_OF = Period.of(WEEK, DAY)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), SHANGHAI).astimezone(UTC)


def task(task_id: str, department: str, deadline: date, **fields: object) -> TaskView:
    values: dict[str, object] = {
        "id": task_id,
        "title": f"任务{task_id}",
        "department_id": department,
        "deadline": deadline,
        "config_deadline": deadline,
        "start": date(2024, 1, 1),
        "position": int(task_id[1:]) + 10 * "ABC".index(department),
    }
    values.update(fields)
    return TaskView(**values)  # type: ignore[arg-type]


def report(day: date, action: str = "progress", percent: int | None = None, **text: str) -> Report:
    return Report(at(day), "someone", action, percent, None, text.get("note"), text.get("problems"))


BLOCKED = report(date(2024, 3, 20), "blocked", problems="场地未落实")
TASKS = [
    task("A1", "A", date(2024, 3, 15), status="done", percent=100, done_at=at(date(2024, 3, 10))),
    task("A2", "A", date(2024, 3, 20), reminded=3),
    task("A3", "A", date(2024, 4, 30), percent=10),
    task("B1", "B", date(2024, 3, 18), status="done", percent=100, done_at=at(date(2024, 3, 19))),
    task("B2", "B", date(2024, 3, 27)),
    task("C1", "C", date(2024, 6, 28), last_report=BLOCKED),
    task("C2", "C", date(2024, 6, 28), milestones=(Milestone(date(2024, 3, 29), "方案报批"),)),
]
SNAPSHOT = Snapshot.of(
    TASKS,
    [Department("A", "办公室"), Department("B", "组织人事部"), Department("C", "机关党委")],
    [Person("someone", "李磊", "A"), Person("boss", "王新会", None, "leader")],
)
HISTORY = History(
    WEEK_OF.start,
    WEEK_OF.end,
    records=(
        Record("A3", report(date(2024, 3, 19), percent=10)),
        Record("B1", report(date(2024, 3, 19), "done", 100)),
        Record("C1", BLOCKED),
    ),
    percent_before={"A3": 5, "B1": 80},
    extensions=(
        Extension(
            "B2",
            "someone",
            at(date(2024, 3, 21)),
            date(2024, 4, 15),
            "专家行程调整",
            "approved",
            "boss",
            at(date(2024, 3, 22)),
        ),
    ),
    escalations={"A2": 2},
)


def summary(  # type: ignore[no-untyped-def]
    scope=None, history=HISTORY, period=WEEK_OF, day=DAY, snapshot=SNAPSHOT, title="党组成员群"
):
    return summarize(
        snapshot,
        history,
        period,
        day,
        scope=scope,
        title=title,
        calendar=CAL,
        lights=DEFAULT_LIGHTS,
        timezone=SHANGHAI,
    )


def test_the_headline_counts_and_the_on_time_rate():
    h = summary().headline
    assert (h.total, h.done, h.green, h.yellow, h.red) == (7, 2, 1, 3, 1)
    # Of the three due (two done, one overdue), one was done by its deadline.
    assert (h.on_time, h.due) == (1, 3) and h.on_time_rate == pytest.approx(1 / 3)


def test_departments_are_ranked_by_on_time_rate_then_overdue_then_reporting():
    ranked = [(d.name, d.rank, d.counts.on_time_rate, d.reported) for d in summary().departments]
    assert ranked == [
        ("机关党委", 1, None, True),  # nothing due yet counts as on time
        ("办公室", 2, 0.5, True),
        ("组织人事部", 3, 0.0, True),
    ]
    assert not any(d.tied for d in summary().departments)


def test_equal_departments_share_a_rank_and_say_so():
    # With B1 still open and due in May, B has nothing due (like C), nothing overdue, and
    # reported on one of its two open tasks this week (like C): they tie.
    tasks = [
        t._replace(status="open", done_at=None, deadline=date(2024, 5, 31)) if t.id == "B1" else t
        for t in TASKS
    ]
    snapshot = Snapshot.of(tasks, SNAPSHOT.departments.values(), SNAPSHOT.people.values())
    history = History(
        WEEK_OF.start,
        WEEK_OF.end,
        records=(Record("C1", BLOCKED), Record("B2", report(date(2024, 3, 21)))),
    )
    result = summary(history=history, snapshot=snapshot, title="t")
    ranks = [(d.name, d.rank, d.tied) for d in result.departments]
    assert ranks == [("组织人事部", 1, True), ("机关党委", 1, True), ("办公室", 3, False)]


def test_what_happened_this_week():
    s = summary()
    assert [t.id for t in s.completed] == ["B1"]
    assert [(c.task.id, c.before, c.after) for c in s.changes] == [("A3", 5, 10), ("B1", 80, 100)]
    assert [(p.task.id, p.day, p.text) for p in s.problems] == [
        ("C1", date(2024, 3, 20), "场地未落实")
    ]
    assert [(e.task.id, e.state, e.requester, e.decider) for e in s.extensions] == [
        ("B2", "approved", "李磊", "王新会")
    ]
    assert [(t.id, days) for t, days in s.escalations] == [("A2", 2)]


def test_not_reported_lists_open_tasks_without_a_report_by_department():
    assert [(name, [t.id for t in tasks]) for name, tasks in summary().not_reported] == [
        ("办公室", ["A2"]),
        ("组织人事部", ["B2"]),
        ("机关党委", ["C2"]),
    ]


def test_the_red_list_and_what_falls_due_next_week():
    s = summary()
    assert [(r.task.id, r.overdue_days, r.reminded, r.last_report) for r in s.red] == [
        ("A2", 2, 3, None)
    ]
    assert s.next_period == Period(WEEK, date(2024, 3, 25), date(2024, 3, 31))
    assert [(d.task.id, d.day, d.what) for d in s.next] == [
        ("B2", date(2024, 3, 27), "截止"),
        ("C2", date(2024, 3, 29), "方案报批"),
    ]


def test_a_groups_scope_sees_only_its_departments():
    s = summary(scope=["B"])
    assert s.headline.total == 2 and [d.name for d in s.departments] == ["组织人事部"]
    assert [t.id for t in s.completed] == ["B1"] and s.red == () and s.problems == ()


def test_the_monthly_period():
    month = Period.of(MONTH, DAY)
    assert (month.start, month.end) == (date(2024, 3, 1), date(2024, 3, 31))
    assert month.following() == Period(MONTH, date(2024, 4, 1), date(2024, 4, 30))
    assert Period.of(MONTH, date(2024, 2, 10)).end == date(2024, 2, 29)
    s = summary(period=month, history=History(month.start, month.end))
    assert [d.task.id for d in s.next] == ["A3"]  # due 30 April


def big_office(tasks: int) -> Snapshot:
    late = [
        task(
            f"A{n}",
            "A",
            DAY - timedelta(days=10 + n % 30),
            title="省级文明单位复查材料整理汇编和年度重点工作任务分解第" + str(n) + "项",
            last_report=report(date(2024, 3, 1), problems="材料尚未报齐，部分单位未按时提交"),
            reminded=n % 7,
        )
        for n in range(tasks)
    ]
    return Snapshot.of(late, SNAPSHOT.departments.values(), SNAPSHOT.people.values())


@pytest.mark.parametrize("limit", [4096, 2048])
def test_a_long_summary_splits_into_numbered_parts_within_the_limit(limit: int):
    snapshot = big_office(120)
    s = summary(history=History(WEEK_OF.start, WEEK_OF.end), snapshot=snapshot, title="党组成员群")
    parts = pack(s, snapshot, limit)
    n = len(parts)
    assert n > 2 and all(len(p.encode()) <= limit for p in parts)
    for k, part in enumerate(parts, start=1):
        assert part.startswith(f"## 党组成员群 · 第12周督办汇总（{k}/{n}）\n")  # each stands alone
    # The first part is the headline and the ranking; the red list begins the next.
    assert "逾期清单" not in parts[0] and "**🔴 逾期清单**（120 项）\n" in parts[1]
    # Every item is whole, once, in order.
    items = [line for p in parts for line in p.splitlines() if line.startswith("> **A")]
    assert [line.split("**")[1] for line in items] == [r.task.id for r in s.red]
    assert all("从未报送" in i or "最近报送" in i for i in items)


def test_a_short_summary_is_one_message_without_a_number():
    (part,) = pack(summary(), SNAPSHOT, 4096)
    assert part.startswith("## 党组成员群 · 第12周督办汇总\n")
    assert "**🔴 逾期清单**（1 项）" in part and "按时完成率 **33%**" in part
    assert "1. 机关党委　" in part and "> ✅ **B1** 任务B1" in part


def test_a_department_with_nothing_open_is_not_flagged_as_not_reported():
    # B's only task was done in an earlier week: nothing to report on this week.
    tasks = [t for t in TASKS if t.id != "B2"]
    tasks = [t._replace(done_at=at(date(2024, 3, 12))) if t.id == "B1" else t for t in tasks]
    snapshot = Snapshot.of(tasks, SNAPSHOT.departments.values(), SNAPSHOT.people.values())
    history = History(WEEK_OF.start, WEEK_OF.end, records=(Record("C1", BLOCKED),))
    s = summary(history=history, snapshot=snapshot, title="党组成员群")
    (b,) = [d for d in s.departments if d.id == "B"]
    assert b.reported and not b.owes_reports
    assert "组织人事部" not in [name for name, _ in s.not_reported]
    (a,) = [d for d in s.departments if d.id == "A"]  # open tasks, no report: still flagged
    assert not a.reported and a.owes_reports
    (part,) = pack(s, snapshot, 4096)
    (line,) = [line for line in part.splitlines() if "组织人事部" in line]
    assert line.endswith("1 项｜办结 1｜逾期 0｜按时 100%｜—"), line
    (office,) = [line for line in part.splitlines() if line.startswith(f"{a.rank}. 办公室")]
    assert office.endswith('<font color="warning">未报送</font>')


def not_reported_office(tasks: int) -> Snapshot:
    """Department A with `tasks` open tasks, none due yet, none reported on."""
    open_tasks = [task(f"A{n}", "A", date(2024, 6, 28)) for n in range(1, tasks + 1)]
    return Snapshot.of(open_tasks, SNAPSHOT.departments.values(), SNAPSHOT.people.values())


@pytest.mark.parametrize("limit", [4096, 2048])
def test_one_department_with_hundreds_of_tasks_not_reported_is_listed_in_continued_items(
    limit: int,
):
    snapshot = not_reported_office(600)
    s = summary(history=History(WEEK_OF.start, WEEK_OF.end), snapshot=snapshot, title="党组成员群")
    parts = pack(s, snapshot, limit)
    assert all(len(p.encode()) <= limit for p in parts)
    items = [line for p in parts for line in p.splitlines() if line.startswith("> 办公室")]
    assert len(items) > 2 and items[0].startswith("> 办公室：A1、A2、")
    assert all(item.startswith("> 办公室（续）：") for item in items[1:])
    # Every id once, in order: nothing cut off.
    listed = [i for item in items for i in item.split("：", 1)[1].split("、")]
    assert listed == [f"A{n}" for n in range(1, 601)]
    assert "**未报送（本周没有报送进展）**（600 项）" in "".join(parts)


@pytest.mark.parametrize("limit", [4096, 2048])
def test_items_at_the_configs_longest_names_and_titles_still_pack(limit: int):
    # The config allows names of 200 characters and titles of 500: every item is clipped.
    long = "省科学技术协会机关党委办公室" * 15  # 210 characters
    tasks = [
        task(
            f"A{n}",
            "A",
            DAY - timedelta(days=5),
            title=long,
            last_report=report(date(2024, 3, 20), "blocked", problems=long),
        )
        for n in range(1, 40)
    ]
    departments = [Department("A", long[:200]), Department("B", "组织人事部")]
    people = [Person("someone", long[:200], "A"), Person("boss", long[:200], None, "leader")]
    snapshot = Snapshot.of(tasks, departments, people)
    records = tuple(Record(t.id, t.last_report) for t in tasks if t.last_report is not None)
    extensions = tuple(
        Extension(t.id, "someone", at(date(2024, 3, 21)), date(2024, 4, 15), long, "approved",
                  "boss", at(date(2024, 3, 22)))
        for t in tasks
    )  # fmt: skip
    history = History(WEEK_OF.start, WEEK_OF.end, records=records, extensions=extensions)
    s = summary(history=history, snapshot=snapshot, title=long[:200])
    parts = pack(s, snapshot, limit)
    assert len(parts) > 1 and all(len(p.encode()) <= limit for p in parts)


def test_a_summary_sent_on_the_first_day_of_a_period_reports_the_previous_one():
    monday = date(2027, 3, 29)
    assert Period.sent_on(WEEK, monday) == Period(WEEK, date(2027, 3, 22), date(2027, 3, 28))
    assert Period.sent_on(WEEK, monday + timedelta(days=1)) == Period.of(WEEK, monday)
    assert Period.sent_on(WEEK, date(2027, 3, 26)) == Period.of(WEEK, date(2027, 3, 26))  # Fri
    first = date(2027, 4, 1)
    assert Period.sent_on(MONTH, first) == Period(MONTH, date(2027, 3, 1), date(2027, 3, 31))
    assert Period.sent_on(MONTH, date(2027, 4, 2)) == Period.of(MONTH, first)
    assert Period.sent_on(MONTH, date(2027, 1, 1)).start == date(2026, 12, 1)


def test_a_summary_of_the_previous_week_calls_it_last_week():
    # Sent on Monday 25 March: the week of 18–24 March, lights as of the Monday.
    s = summary(day=date(2024, 3, 25))
    (part,) = pack(s, SNAPSHOT, 4096)
    assert part.startswith("## 党组成员群 · 第12周督办汇总\n")
    assert "**上周办结**（1 项）" in part and "**本周到期**" in part
    assert "**未报送（上周没有报送进展）**" in part and "本周办结" not in part
