"""Reading a task breakdown sheet (任务分解表) as people make it: for bot.breakdown.

The workbook opened with a clear word when it cannot be; the cells as a grid, a value merged
over several rows given to each of them; the header found among the first rows by the
names offices use (or the names given with --column), and each cell as one line of text.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl

# The fields a breakdown row gives, each with the header names offices use, best first.
FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("序号", "编号", "任务编号", "项目编号", "序列号"),
    "title": (
        "任务名称",
        "重点任务",
        "工作任务",
        "任务内容",
        "工作内容",
        "具体任务",
        "重点工作",
        "工作事项",
        "任务",
        "事项",
    ),
    "department": (
        "牵头部门",
        "牵头单位",
        "责任部门",
        "责任单位",
        "主责部门",
        "承办部门",
        "牵头处室",
    ),
    "partners": ("配合部门", "配合单位", "协办部门", "协办单位", "参与部门", "配合处室"),
    "deadline": (
        "完成时限",
        "完成时间",
        "截止时间",
        "截止日期",
        "办结时限",
        "完成期限",
        "时间节点",
        "时限",
    ),
    "people": ("责任人", "具体负责人", "联络人", "联系人", "经办人"),
}
# What README and messages call each field (the first of its names).
FIELD_NAMES = {key: names[0] for key, names in FIELDS.items()}
REQUIRED = ("title", "department", "deadline")
HEADER_ROWS = 30  # the header is looked for among this many rows at the top


class BreakdownError(Exception):
    """The file cannot be read at all (not a sheet of tasks, no header): said in Chinese."""


def open_workbook(path: Path) -> Any:
    if path.suffix.lower() == ".xls":
        raise BreakdownError(
            f"{path.name} 是旧的 .xls 格式：请在 Excel 或 WPS 中“另存为” .xlsx 后再导入"
        )
    try:
        return openpyxl.load_workbook(path, data_only=True)
    except FileNotFoundError:
        raise BreakdownError(f"找不到文件 {path}") from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise BreakdownError(
            f"{path.name} 不是能读取的 .xlsx 文件（{type(exc).__name__}）："
            "请在 Excel 或 WPS 中另存为“Excel 工作簿 (.xlsx)”"
        ) from None


def grid_of(ws: Any) -> list[list[Any]]:
    """The sheet's values; a cell merged over several rows gives its value to each of them
    (a department written once for its tasks). A merge within one row (a heading across
    the table) keeps its value in its first cell only."""
    rows = [list(r) for r in ws.iter_rows(min_row=1, max_row=ws.max_row, values_only=True)]
    for merged in ws.merged_cells.ranges:
        if merged.min_row == merged.max_row:
            continue
        value = rows[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                rows[r - 1][c - 1] = value
    return rows


def squash(text: str) -> str:
    """A header as compared: no spaces or line breaks, no marks like * or ：, half-width."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s*：:※]", "", text).lower()


def overrides_of(columns: Mapping[str, str]) -> dict[str, str]:
    """--column 任务名称=重点工作任务: field key -> the sheet's header, squashed."""
    result = {}
    names = {**{k: k for k in FIELDS}, **{squash(v): k for k, v in FIELD_NAMES.items()}}
    for given, header in columns.items():
        key = names.get(squash(given)) or names.get(given)
        if key is None:
            known = "、".join(FIELD_NAMES.values())
            raise BreakdownError(f"--column 不认识「{given}」：可用 {known}")
        result[key] = squash(header)
    return result


def find_header(
    grid: list[list[Any]], overrides: Mapping[str, str]
) -> tuple[int, dict[str, int]] | None:
    """(header row number, field -> column index) of the best header row near the top."""
    best: tuple[int, dict[str, int]] | None = None
    for index, row in enumerate(grid[:HEADER_ROWS]):
        cells = [squash(str(v)) if isinstance(v, str) else "" for v in row]
        mapping: dict[str, int] = {}
        taken: set[int] = set()
        for key in FIELDS:
            column = _column_for(key, cells, overrides, taken)
            if column is not None:
                mapping[key] = column
                taken.add(column)
        if all(k in mapping for k in REQUIRED) and (best is None or len(mapping) > len(best[1])):
            best = (index + 1, mapping)
    return best


def _column_for(
    key: str, cells: list[str], overrides: Mapping[str, str], taken: set[int]
) -> int | None:
    if key in overrides:
        return next((i for i, c in enumerate(cells) if c == overrides[key]), None)
    ranked = []
    for i, cell in enumerate(cells):
        if not cell or i in taken:
            continue
        for rank, name in enumerate(FIELDS[key]):
            if cell == name:
                ranked.append((rank, i))
            elif name in cell and not any(other in cell for other in _OTHER_NAMES[key]):
                ranked.append((100 + rank, i))
    return min(ranked)[1] if ranked else None


# A header containing another field's name belongs to that field ("任务编号" is not 任务).
_OTHER_NAMES = {
    key: tuple(n for other, names in FIELDS.items() if other != key for n in names if len(n) > 2)
    for key in FIELDS
}


def cell_text(value: Any) -> str:
    """A cell as one line of text: numbers without a trailing .0, line breaks joined."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    text = str(value).replace("\u3000", " ").strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    joined = ""
    for line in lines:
        if joined and (_is_ascii_word(joined[-1]) and _is_ascii_word(line[0])):
            joined += " "
        joined += line
    return joined


def _is_ascii_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()
