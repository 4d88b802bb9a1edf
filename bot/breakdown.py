"""`duban import`: an office's task breakdown (任务分解表) in Excel → `[[tasks]]` TOML to review.

The config stays the source of truth: this only writes TOML for the admin to check and paste.
A sheet is read the way people make them: the header found among the first rows by its
usual names (序号/任务名称/牵头部门/配合部门/完成时限/责任人, or names given with
`--column`), a department written once in cells merged over several rows, blank rows,
heading rows such as 「一、党的建设」. Deadlines are read by the reply parser's date rules
(handlers.parser.parse_date); departments by id, name or short name; people by name.

Every row that is not a task is told, with its row number as Excel shows it: a row that
could not be read says why (and is left out of the TOML); a heading or note row says it was
skipped. Long-term work (长期坚持, 持续推进, 每月…) has no deadline: it gets the year's last
day, with a comment saying so.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.breakdown_sheet import (
    FIELD_NAMES,
    FIELDS,
    HEADER_ROWS,
    REQUIRED,
    BreakdownError,
    cell_text,
    find_header,
    grid_of,
    open_workbook,
    overrides_of,
    squash,
)
from bot.config import Config
from bot.config_model import TaskConfig
from bot.render import environment
from handlers.parser import parse_date

LONG_TERM = re.compile(r"长期|持续|常态|常年|经常|全年|每[年季月周日天]|随时")
_SPLIT = re.compile(r"[、，,；;/／\s]+")
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")
# A row with one text that reads like these is a heading or a note, not a task.
HEADING = re.compile(
    r"[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]"
    r"|第[一二三四五六七八九十\d]+[部分章节类]|注|说明|备注|合计|小计|填表|附"
)
_TASK_ID = re.compile(r"T?(\d{1,4}(?:\.\d{1,3}){0,2})")


@dataclass(frozen=True)
class ImportedTask:
    row: int  # as Excel shows it
    id: str
    title: str
    department: str  # department id
    partners: tuple[str, ...]
    deadline: date
    deadline_text: str  # as written in the sheet
    contacts: tuple[str, ...] | None  # userids
    notes: tuple[str, ...] = ()  # said in a comment above the task


@dataclass(frozen=True)
class RowNote:
    row: int
    text: str

    def __str__(self) -> str:
        return f"第 {self.row} 行：{self.text}"


@dataclass(frozen=True)
class Breakdown:
    source: str
    sheet: str
    header_row: int
    columns: Mapping[str, str]  # field -> the header as written
    tasks: tuple[ImportedTask, ...]
    problems: tuple[RowNote, ...]  # rows that could not be read: not in the TOML
    skipped: tuple[RowNote, ...]  # headings and notes: not tasks
    blank_rows: int = 0
    warnings: tuple[RowNote, ...] = field(default=())  # read, with something to check


def read_breakdown(
    path: Path,
    config: Config,
    *,
    today: date,
    sheet: str | None = None,
    columns: Mapping[str, str] | None = None,
) -> Breakdown:
    """Read the breakdown sheet at `path` against the config's departments and people.
    `columns` maps a field (its key or Chinese name) to the sheet's own header for it."""
    book = open_workbook(path)
    overrides = overrides_of(columns or {})
    if sheet is not None:
        if sheet not in book.sheetnames:
            listed = "、".join(f"「{name}」" for name in book.sheetnames)
            raise BreakdownError(f"没有名为「{sheet}」的工作表（有：{listed}）")
        candidates = [book[sheet]]
    else:
        candidates = list(book.worksheets)
    found = None
    for ws in candidates:
        grid = grid_of(ws)
        header = find_header(grid, overrides)
        if header is not None:
            found = (ws, grid, header)
            break
    if found is None:
        where = f"工作表「{sheet}」" if sheet else "任何工作表"
        expected = "、".join(FIELD_NAMES[k] for k in REQUIRED)
        raise BreakdownError(
            f"在{where}的前 {HEADER_ROWS} 行没有找到表头（至少需要 {expected} 三列）。"
            "表头名称不同时用 --column 指定，如 --column 任务名称=重点工作任务"
        )
    ws, grid, (header_row, mapping) = found
    reader = _Reader(config, today, mapping)
    for index in range(header_row, len(grid)):
        reader.row(index + 1, grid[index])
    return Breakdown(
        source=path.name,
        sheet=ws.title,
        header_row=header_row,
        columns={key: str(grid[header_row - 1][col]).strip() for key, col in mapping.items()},
        tasks=tuple(reader.finish()),
        problems=tuple(reader.problems),
        skipped=tuple(reader.skipped),
        blank_rows=reader.blank,
        warnings=tuple(reader.warnings),
    )


class _Reader:
    """Reads data rows one by one, keeping what it could not read and why."""

    def __init__(self, config: Config, today: date, mapping: dict[str, int]) -> None:
        self.config, self.today, self.mapping = config, today, mapping
        self.departments = {d.id: d.name for d in config.departments}
        self.people: dict[str, list[str]] = {}
        for person in config.people:
            self.people.setdefault(squash(person.name), []).append(person.userid)
        self.configured = {t.id for t in config.tasks}
        self.tasks: list[tuple[ImportedTask, bool]] = []  # and whether its id was given
        self.problems: list[RowNote] = []
        self.skipped: list[RowNote] = []
        self.warnings: list[RowNote] = []
        self.blank = 0
        self.ids: dict[str, int] = {}  # id -> row

    def cell(self, values: list[Any], key: str) -> Any:
        column = self.mapping.get(key)
        return values[column] if column is not None and column < len(values) else None

    def row(self, number: int, values: list[Any]) -> None:
        filled = [cell_text(v) for v in values if cell_text(v)]
        if not filled:
            self.blank += 1
            return
        text = {key: cell_text(self.cell(values, key)) for key in FIELDS}
        if len(set(filled)) == 1 and (HEADING.match(filled[0]) or filled[0] != text["title"]):
            shown = filled[0] if len(filled[0]) <= 40 else filled[0][:39] + "…"
            self.skipped.append(RowNote(number, f"「{shown}」是标题或说明，不是任务，已跳过"))
            return
        why: list[str] = []
        notes: list[str] = []
        if not text["title"]:
            why.append("缺少任务名称")
        elif len(text["title"]) > 500:
            why.append(f"任务名称有 {len(text['title'])} 字，超过 500 字")
        leads = split_names(text["department"])
        department = self._department(leads, why, notes)
        others = [*leads[1:], *split_names(text["partners"])]
        partners = self._partners(others, department, why, notes)
        deadline = self._deadline(self.cell(values, "deadline"), text["deadline"], why, notes)
        contacts = self._people(text["people"], notes)
        task_id = self._id(self.cell(values, "id"), why)
        if task_id is not None and task_id in self.ids:
            why.append(f"序号 {task_id} 与第 {self.ids[task_id]} 行重复")
        if why or department is None or deadline is None:
            self.problems.append(RowNote(number, "；".join(why)))
            return
        if task_id is not None:
            self.ids[task_id] = number
        task = ImportedTask(
            number,
            task_id or "",
            text["title"],
            department,
            partners,
            deadline,
            text["deadline"],
            contacts,
            tuple(notes),
        )
        self.tasks.append((task, task_id is not None))

    def finish(self) -> list[ImportedTask]:
        """Number the rows that gave no id (after the highest T number in the sheet and in
        the config, so the tasks can be added to it), and check each task against the
        config's own rules."""
        taken = [*self.ids, *self.configured]
        numbers = [int(m[1]) for i in taken if (m := re.fullmatch(r"T(\d+)", i))]
        next_number = max(numbers, default=0) + 1
        result = []
        for task, given in self.tasks:
            if not given:
                while f"T{next_number}" in self.ids or f"T{next_number}" in self.configured:
                    next_number += 1
                new_id = f"T{next_number}"
                self.ids[new_id] = task.row
                note = f"没有序号，编为 {new_id}"
                task = _replace(task, id=new_id, notes=(*task.notes, note))
                self.warnings.append(RowNote(task.row, note))
            if task.id in self.configured:
                self.warnings.append(
                    RowNote(task.row, f"编号 {task.id} 在现有配置中已有任务，粘贴前请核对")
                )
            if task.deadline < self.today:
                past = f"完成时限 {task.deadline.isoformat()} 已过（今天按 {self.today} 算）"
                task = _replace(task, notes=(*task.notes, past))
                self.warnings.append(RowNote(task.row, past))
            try:
                TaskConfig.model_validate(toml_fields(task))
            except ValidationError as exc:  # a safety net: the checks above should catch it
                detail = "；".join(str(e["msg"]) for e in exc.errors())
                self.problems.append(RowNote(task.row, f"不符合配置要求：{detail}"))
                continue
            result.append(task)
        self.problems.sort(key=lambda p: p.row)
        self.warnings.sort(key=lambda p: p.row)
        return result

    def _id(self, value: Any, why: list[str]) -> str | None:
        text = unicodedata.normalize("NFKC", cell_text(value)).upper().replace(" ", "")
        if not text:
            return None
        match = _TASK_ID.fullmatch(text)
        if match is None:
            why.append(f"序号「{cell_text(value)}」不能作任务编号（写成 3、T3 或 3.2）")
            return None
        number = match[1]
        return f"T{number}" if "." not in number else number

    def _department(self, names: list[str], why: list[str], notes: list[str]) -> str | None:
        if not names:
            why.append("缺少牵头部门")
            return None
        first = self._one_department(names[0], why)
        if len(names) > 1 and first is not None:
            notes.append(f"牵头部门写了 {len(names)} 个，第一个作牵头，其余作配合部门")
        return first

    def _partners(
        self, names: list[str], lead: str | None, why: list[str], notes: list[str]
    ) -> tuple[str, ...]:
        found: list[str] = []
        for name in names:
            department = self._one_department(name, why)
            if department is None or department in found:
                continue
            if department == lead:
                notes.append(f"配合部门中的「{name}」就是牵头部门，已去掉")
                continue
            found.append(department)
        return tuple(found)

    def _one_department(self, name: str, why: list[str]) -> str | None:
        key = squash(_BRACKETS.sub("", name)) or squash(name)
        for department_id, full in self.departments.items():
            if key in (department_id.lower(), squash(full)):
                return department_id
        close = [d for d, full in self.departments.items() if _short_for(key, squash(full))]
        if len(close) == 1:
            return close[0]
        if len(close) > 1:
            listed = "、".join(self.departments[d] for d in close)
            why.append(f"部门「{name}」可能是 {listed}，请写全称")
            return None
        guess = difflib.get_close_matches(name, list(self.departments.values()), n=1, cutoff=0.5)
        hint = f"，是否想写「{guess[0]}」？" if guess else "（配置的 [[departments]] 中没有）"
        why.append(f"没有部门「{name}」{hint}")
        return None

    def _deadline(self, value: Any, text: str, why: list[str], notes: list[str]) -> date | None:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if not text:
            why.append("缺少完成时限")
            return None
        if re.fullmatch(r"\d{8}", text):  # 20270630 typed as a number
            try:
                return date(int(text[:4]), int(text[4:6]), int(text[6:]))
            except ValueError:
                pass
        day = parse_date(text, today=self.today)
        if day is not None:
            return day
        if LONG_TERM.search(text):
            year_end = date(self.today.year, 12, 31)
            notes.append(f"「{text}」没有截止日期，暂定为 {year_end.year} 年底")
            return year_end
        why.append(f"完成时限「{text}」无法识别（写成一个日期，如 2027年6月30日、6月底前、年底前）")
        return None

    def _people(self, text: str, notes: list[str]) -> tuple[str, ...] | None:
        if not text:
            return None
        found: list[str] = []
        for name in split_names(_BRACKETS.sub("", text)):
            userids = self.people.get(squash(name), [])
            if len(userids) == 1:
                found.append(userids[0])
            elif userids:
                notes.append(f"责任人「{name}」有 {len(userids)} 位同名人员，未填")
            else:
                notes.append(f"责任人「{name}」不在配置的 [[people]] 中，未填")
        return tuple(dict.fromkeys(found)) or None


def _short_for(short: str, full: str) -> bool:
    """Whether `short` can be a short name of `full`: part of it (科技馆 → 省科技馆), or its
    characters in order with the same last one (科普部 → 科学技术普及部)."""
    if len(short) < 2 or len(short) >= len(full):
        return False
    if short in full:
        return True
    if short[-1] != full[-1]:
        return False
    rest = iter(full)
    return all(ch in rest for ch in short)


def _replace(task: ImportedTask, **changes: Any) -> ImportedTask:
    values = {f: getattr(task, f) for f in task.__dataclass_fields__}
    values.update(changes)
    return ImportedTask(**values)


def toml_fields(task: ImportedTask) -> dict[str, Any]:
    """The task as config fields (what TaskConfig validates and the TOML says)."""
    values: dict[str, Any] = {
        "id": task.id,
        "title": task.title,
        "department": task.department,
    }
    if task.partners:
        values["partners"] = list(task.partners)
    if task.contacts:
        values["contacts"] = list(task.contacts)
    values["deadline"] = task.deadline
    return values


def render_toml(breakdown: Breakdown) -> str:
    """The tasks as `[[tasks]]` TOML, with what was not read listed at the top."""
    template = environment().get_template("import/tasks.toml.j2")
    text = template.render(b=breakdown, toml=toml_value, line=_comment_line)
    return text.strip() + "\n"


def toml_value(value: str | Sequence[str]) -> str:
    """A TOML basic string (or an inline list of them): JSON's escapes are TOML's too."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    return "[" + ", ".join(toml_value(v) for v in value) + "]"


def _comment_line(text: object) -> str:
    return " ".join(str(text).split())


def split_names(text: str) -> list[str]:
    """「办公室、组织人事部」, 「张三 李四」: the names in a cell."""
    return [n for n in _SPLIT.split(text) if n]
