"""The ledger (台账): every task, each department, the full progress history and the ranking,
as an Excel workbook for the monthly scheduling meeting (月调度).

One read: the snapshot and the month's summary as bot.summaries.compute reads them for the
groups, and every record and extension request (two queries, storage.history.read_ledger) —
a bounded number of queries whatever the size. Lights come from domain.rules.standing and
the ranking from scheduler.summary.summarize, so the ledger says what chat replies and
summaries say.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time, tzinfo
from typing import Any

from sqlalchemy.orm import Session

from bot.summaries import compute
from bot.xlsx import DATE, DATETIME, FILLED, NUMBER, PERCENT, Column, Sheet, sheet_name
from bot.xlsx import workbook_bytes as _workbook_bytes
from domain import rules
from domain.rules import LightRules, Standing, WorkDays
from domain.snapshot import Snapshot, TaskView
from scheduler.summary import MONTH, Period, Summary
from storage.history import Extension, Ledger, LedgerRecord, read_ledger

ALL_TASKS, HISTORY, RANKING = "全部任务", "进展记录", "部门排名"
LIGHT_FILLS = {rules.RED: "red", rules.YELLOW: "yellow", rules.GREEN: "green", rules.DONE: "grey"}
_WHY = {"near": "临近截止", "behind": "进度滞后", "blocked": "受阻"}
_ACTIONS = {"progress": "进展", "done": "完成", "extend": "申请延期", "blocked": "受阻"}
_EXTENSION_STATES = {
    "pending": "待审批",
    "approved": "已批准",
    "rejected": "未批准",
    "withdrawn": "已撤回",
}
# The ranking in words, as docs/rules.md ("汇总") defines it for scheduler.summary.
RANKING_RULE = (
    "排名依据：按时完成率（在截止日期当天或之前办结的任务数 ÷（已办结数 + 已逾期未办结数））"
    "高者在前，没有应完成任务的部门按 100% 计（表中为“—”）；相同时逾期任务少者在前；"
    "再相同时本月报送比例（未完成任务中本月有过报送的比例）高者在前；三项都相同的部门并列。"
)

# Columns both task sheets and the history have.
_ID, _DEPARTMENT, _PERCENT = Column("编号", 8), Column("牵头部门", 14), Column("进度", 7, PERCENT)
_REPORT = (Column("进展情况", 40), Column("存在问题", 30), Column("下一步打算", 30))
TASK_COLUMNS = (
    _ID,
    _DEPARTMENT,
    Column("配合部门", 16),
    Column("任务", 36),
    Column("截止日期", 12, DATE),
    Column("现截止日期", 12, DATE),
    Column("状态", 26, FILLED),
    _PERCENT,
    Column("最近填报", 12, DATE),
    *_REPORT,
    Column("延期", 22),
    Column("提醒次数", 9, NUMBER),
)
HISTORY_COLUMNS = (
    _ID,
    _DEPARTMENT,
    Column("任务", 30),
    Column("填报时间", 17, DATETIME),
    Column("填报人", 10),
    Column("类型", 10),
    _PERCENT,
    Column("预计完成", 12, DATE),
    *_REPORT,
    Column("原文", 40),
    Column("备注", 16),
)
RANKING_COLUMNS = (
    Column("名次", 10),
    Column("部门", 18),
    Column("任务数", 9, NUMBER),
    Column("已办结", 9, NUMBER),
    Column("绿灯", 8, NUMBER),
    Column("黄灯", 8, NUMBER),
    Column("红灯", 8, NUMBER),
    Column("按时完成率", 12, PERCENT),
    Column("本月报送比例", 13, PERCENT),
    Column("本月已报送", 11),
)


def ledger_filename(unit: str, day: date) -> str:
    """What the file is called (`duban export`'s default, the monthly report's attachment)."""
    return re.sub(r'[\\/:*?"<>|]', "_", f"{unit}督办台账-{day.isoformat()}.xlsx")


def ledger_workbook(
    session: Session,
    *,
    day: date,
    timezone: tzinfo,
    calendar: WorkDays,
    lights: LightRules,
    unit: str,
    period: Period | None = None,
) -> bytes:
    """The ledger as of `day` (lights, overdue days, the ranking of `period`, by default
    the month holding `day`) as .xlsx bytes."""
    snapshot, ledger, summary = read_ledger_data(
        session,
        day=day,
        timezone=timezone,
        calendar=calendar,
        lights=lights,
        unit=unit,
        period=period,
    )
    return workbook_bytes(
        snapshot, ledger, summary, day=day, timezone=timezone, calendar=calendar, lights=lights
    )


def read_ledger_data(
    session: Session,
    *,
    day: date,
    timezone: tzinfo,
    calendar: WorkDays,
    lights: LightRules,
    unit: str,
    period: Period | None = None,
) -> tuple[Snapshot, Ledger, Summary]:
    """What the ledger shows: the snapshot and the month's summary of all departments (as
    the groups' monthly report computes it), and every record and extension request."""
    summary, snapshot = compute(
        session,
        datetime.combine(day, time(12), timezone),
        kind=MONTH,
        period=period,
        title=unit,
        timezone=timezone,
        calendar=calendar,
        lights=lights,
    )
    return snapshot, read_ledger(session.connection()), summary


def workbook_bytes(
    snapshot: Snapshot,
    ledger: Ledger,
    summary: Summary,
    *,
    day: date,
    timezone: tzinfo,
    calendar: WorkDays,
    lights: LightRules,
) -> bytes:
    """The workbook from what was read: pure, apart from building the file."""
    unit = summary.title
    standing = {t.id: rules.standing(t, day, calendar, lights) for t in snapshot.tasks.values()}
    tasks = sorted(
        snapshot.tasks.values(),
        key=lambda t: (rules.LIGHT_ORDER[standing[t.id].light], t.deadline, t.position),
    )
    extensions: defaultdict[str, list[Extension]] = defaultdict(list)
    for request in ledger.extensions:
        extensions[request.task_id].append(request)
    as_of = f"截至{day.year}年{day.month}月{day.day}日"

    def rows(items: list[TaskView]) -> Iterator[list[Any]]:
        for task in items:
            yield _task_row(task, standing[task.id], snapshot, extensions[task.id], timezone)

    taken: set[str] = set()
    sheets = [
        Sheet(
            sheet_name(ALL_TASKS, taken),
            f"{unit}重点任务督办台账（{as_of}）",
            TASK_COLUMNS,
            rows(tasks),
            notes=(_counts_line(tasks, standing),),
        )
    ]
    by_department: defaultdict[str, list[TaskView]] = defaultdict(list)
    for task in tasks:
        by_department[task.department_id].append(task)
    for department in snapshot.departments.values():
        own = by_department.get(department.id, [])
        if not own:
            continue
        sheets.append(
            Sheet(
                sheet_name(department.name or department.id, taken),
                f"{unit}{department.name}重点任务督办台账（{as_of}）",
                TASK_COLUMNS,
                rows(own),
                notes=(_counts_line(own, standing),),
            )
        )
    sheets.append(
        Sheet(
            sheet_name(HISTORY, taken),
            f"{unit}重点任务进展记录（{as_of}）",
            HISTORY_COLUMNS,
            _history_rows(ledger, snapshot, timezone),
            notes=(
                "每项任务的全部填报，按任务、时间先后排列；已撤销的记录不计入进度，在备注中注明。",
            ),
        )
    )
    month = f"{summary.period.start.year}年{summary.period.start.month}月"
    sheets.append(
        Sheet(
            sheet_name(RANKING, taken),
            f"{unit}{month}各部门督办排名（{as_of}）",
            RANKING_COLUMNS,
            _ranking_rows(summary),
            notes=(RANKING_RULE,),
            landscape=False,
        )
    )
    return _workbook_bytes(sheets)


def _counts_line(tasks: list[TaskView], standing: Mapping[str, Standing]) -> str:
    counts = {light: 0 for light in rules.LIGHT_ORDER}
    for task in tasks:
        counts[standing[task.id].light] += 1
    return (
        f"共 {len(tasks)} 项：红灯（逾期）{counts[rules.RED]} 项，黄灯 {counts[rules.YELLOW]} 项，"
        f"绿灯 {counts[rules.GREEN]} 项，已办结 {counts[rules.DONE]} 项。红灯在前。"
    )


def light_text(standing: Standing) -> str:
    """The 状态 cell: the light in words (its colour is the cell's fill)."""
    if standing.light == rules.DONE:
        return "已办结"
    if standing.light == rules.RED:
        days = standing.overdue_workdays
        return f"逾期 {days} 个工作日" if days else "已逾期"
    left = f"剩 {standing.workdays_left} 个工作日"
    if standing.light == rules.YELLOW:
        return f"{'、'.join(_WHY[w] for w in standing.why)}（{left}）"
    return f"正常（{left}）"


def _task_row(
    task: TaskView,
    standing: Standing,
    snapshot: Snapshot,
    extensions: list[Extension],
    timezone: tzinfo,
) -> list[Any]:
    last = task.last_report
    progress = problems = next_steps = None
    if last is not None:
        progress = last.note or _ACTIONS.get(last.action)
        problems, next_steps = last.problems, last.next_steps
    return [
        task.id,
        snapshot.department_name(task.department_id),
        "、".join(snapshot.department_name(p) or p for p in task.partners),
        task.title,
        task.config_deadline,
        task.deadline,
        (light_text(standing), LIGHT_FILLS[standing.light]),
        None if task.percent is None else task.percent / 100,
        None if last is None else last.at.astimezone(timezone).date(),
        progress,
        problems,
        next_steps,
        "；".join(_extension_text(e) for e in extensions),
        task.reminded,
    ]


def _extension_text(request: Extension) -> str:
    state = _EXTENSION_STATES.get(request.state, request.state)
    day = request.requested_date
    return f"申请延至{day.year}年{day.month}月{day.day}日（{state}）"


def _history_rows(ledger: Ledger, snapshot: Snapshot, timezone: tzinfo) -> Iterator[list[Any]]:
    """Each task's records in config order, oldest first (archived tasks are left out)."""
    none: tuple[LedgerRecord, ...] = ()
    for task in snapshot.tasks.values():
        for record in ledger.records.get(task.id, none):
            yield _history_row(task, record, snapshot, timezone)


def _history_row(
    task: TaskView, record: LedgerRecord, snapshot: Snapshot, timezone: tzinfo
) -> list[Any]:
    undone = ""
    if record.undone_at is not None:
        undone = f"已撤销（{_local(record.undone_at, timezone):%m-%d %H:%M}）"
    return [
        task.id,
        snapshot.department_name(task.department_id),
        task.title,
        _local(record.at, timezone),
        snapshot.person_name(record.author),
        _ACTIONS.get(record.action, record.action),
        None if record.percent is None else record.percent / 100,
        record.expected_date,
        record.note,
        record.problems,
        record.next_steps,
        record.raw_text,
        undone,
    ]


def _local(moment: datetime, timezone: tzinfo) -> datetime:
    """A stored moment as the office's wall-clock time (Excel has no time zones)."""
    return moment.astimezone(timezone).replace(tzinfo=None)


def _ranking_rows(summary: Summary) -> Iterator[list[Any]]:
    for line in summary.departments:
        c = line.counts
        yield [
            f"{line.rank}（并列）" if line.tied else str(line.rank),
            line.name,
            c.total,
            c.done,
            c.green,
            c.yellow,
            c.red,
            "—" if c.on_time_rate is None else c.on_time_rate,  # nothing due yet
            line.report_rate,
            ("是" if line.reported else "否") if line.owes_reports else "—",  # nothing open
        ]
