"""Checks across sections of config.toml: references between departments, people, tasks
and groups (problems), and what is valid but worth telling the admin (warnings)."""

from __future__ import annotations

from typing import Any

from bot.config_model import ReminderSettings
from bot.config_problems import Problem, suggest, toml_path, toml_value
from scheduler.calendar import KNOWN_YEARS, WorkCalendar

# What to do about a year whose holidays duban does not know (README: 添加下一年的节假日安排).
CALENDAR_REMEDY = "把国务院办公厅的放假通知保存为文本，运行 duban calendar parse 通知.txt"


def cross_check(sections: dict[str, Any], ids: dict[str, set[str]]) -> list[Problem]:
    problems: list[Problem] = []
    departments, people = ids["departments"], ids["people"]
    names = {d.name: d.id for d in sections["departments"] if isinstance(d.name, str)}

    def department(loc: tuple[Any, ...], value: str) -> None:
        if value in departments:
            return
        if value in names:
            hint = f'这里写部门 id，而不是名称：改成 "{names[value]}"'
        else:
            hint = suggest(value, departments, "departments 里定义的部门 id")
        problems.append(Problem(f"{toml_path(loc)} = {toml_value(value)}", "没有这个部门", hint))

    def person(loc: tuple[Any, ...], value: str) -> None:
        if value not in people:
            problems.append(
                Problem(
                    f"{toml_path(loc)} = {toml_value(value)}",
                    "没有这个人",
                    suggest(value, people, "people 里的 userid"),
                )
            )

    for i, d in enumerate(sections["departments"]):
        if d.leader is not None:
            person(("departments", i, "leader"), d.leader)
        for j, contact in enumerate(d.contacts or []):
            person(("departments", i, "contacts", j), contact)
        for j, decider in enumerate(d.deciders):
            person(("departments", i, "deciders", j), decider)
    for i, p in enumerate(sections["people"]):
        if p.department is not None:
            department(("people", i, "department"), p.department)
        elif p.role == "staff":
            problems.append(
                Problem(
                    f"people[{i}]",
                    f"工作人员 {p.name} 没有填写所在部门",
                    'department = "部门 id"；领导和管理员可不填',
                )
            )
    for i, t in enumerate(sections["tasks"]):
        if t.department is not None:
            department(("tasks", i, "department"), t.department)
        for j, partner in enumerate(t.partners):
            if partner == t.department:
                problems.append(
                    Problem(
                        f"tasks[{i}].partners[{j}]",
                        "配合部门与牵头部门相同",
                        "从 partners 中删去牵头部门",
                    )
                )
            else:
                department(("tasks", i, "partners", j), partner)
        for j, contact in enumerate(t.contacts or []):
            person(("tasks", i, "contacts", j), contact)
        for j, m in enumerate(t.milestones):
            if t.deadline is not None and m.date > t.deadline:
                problems.append(
                    Problem(
                        f"tasks[{i}].milestones[{j}].date = {m.date}",
                        f"节点晚于任务 {t.id} 的截止日期 {t.deadline}",
                        "把节点提前，或推后任务的 deadline",
                    )
                )
    for i, g in enumerate(sections["groups"]):
        for j, dep in enumerate((g.departments or []) if g else []):
            department(("groups", i, "departments", j), dep)
    cal = sections["calendar"]
    for day in sorted(set(cal.holidays) & set(cal.workdays)):
        problems.append(
            Problem(f"calendar.workdays = {day}", "这一天同时写在了 holidays 里", "只保留一处")
        )
    return problems


def warnings(sections: dict[str, Any]) -> list[Problem]:
    """What a valid config still should not leave unsaid."""
    return (
        _lonely_departments(sections)
        + _round_send_time(sections["reminders"])
        + _unknown_calendar_years(sections)
    )


def _unknown_calendar_years(sections: dict[str, Any]) -> list[Problem]:
    """Deadline years whose holidays nobody has told duban: counted as Monday to Friday."""
    calendar = WorkCalendar(sections["calendar"].holidays, sections["calendar"].workdays)
    unknown = sorted({t.due.year for t in sections["tasks"]} - set(KNOWN_YEARS))
    unknown = [year for year in unknown if not calendar.knows(year)]
    if not unknown:
        return []
    listed = "、".join(f"{year} 年" for year in unknown)
    return [
        Problem(
            "calendar",
            f"{listed}的法定节假日和调休安排尚未内置，工作日暂按周一至周五计算",
            f"{CALENDAR_REMEDY}，用输出替换 [calendar] 一节",
        )
    ]


def _round_send_time(reminders: ReminderSettings) -> list[Problem]:
    if reminders.time.minute not in (0, 30):
        return []
    return [
        Problem(
            f'reminders.time = "{reminders.time:%H:%M}"',
            "企业微信建议避开整点和半点发送（此刻消息最多，容易被限流）",
            '改成 "09:10" 这样错开几分钟的时间',
        )
    ]


def _lonely_departments(sections: dict[str, Any]) -> list[Problem]:
    """Departments with tasks but nobody to remind: valid, but the admin should know."""
    staffed = {p.department for p in sections["people"] if p.role == "staff"}
    listed = {d.id for d in sections["departments"] if d.contacts}
    owners = {t.department for t in sections["tasks"]}
    return [
        Problem(
            f"departments[{i}]",
            f"{d.name}有任务但没有联络人，提醒将无人接收",
            "添加该部门的工作人员或 contacts",
        )
        for i, d in enumerate(sections["departments"])
        if d.id in owners and d.id not in staffed | listed
    ]
