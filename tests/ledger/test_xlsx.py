"""The streamed rows are the cells openpyxl would have written: read back, they are equal."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest

from bot.xlsx import (
    DATE,
    DATETIME,
    FILLED,
    MAX_CELL_CHARS,
    NUMBER,
    PERCENT,
    Column,
    Sheet,
    workbook_bytes,
)

COLUMNS = (
    Column("文字", 20),
    Column("日期", 12, DATE),
    Column("时刻", 16, DATETIME),
    Column("比例", 8, PERCENT),
    Column("数", 8, NUMBER),
    Column("灯", 10, FILLED),
)


def test_values_survive_the_round_trip() -> None:
    hostile = " <b>\"T3\" & 'x'</b>\x07\x1f 第二行\n  "
    rows = [
        [hostile, date(2024, 2, 29), datetime(2024, 3, 1, 16, 20), 0.35, 7, ("逾期", "red")],
        ["一" * (MAX_CELL_CHARS + 10), None, None, None, 0, ("", "green")],
        [None, date(1900, 3, 1), datetime(2099, 12, 31, 23, 59), 1.0, 12345678, None],
    ]
    data = workbook_bytes([Sheet("表", "标题", COLUMNS, rows, notes=("说明",))])
    ws = openpyxl.load_workbook(io.BytesIO(data))["表"]
    assert (ws["A1"].value, ws["A2"].value, ws["A3"].value) == ("标题", "说明", "文字")
    got = [list(r) for r in ws.iter_rows(min_row=4, values_only=True)]
    assert got[0] == [
        " <b>\"T3\" & 'x'</b> 第二行\n  ",  # control characters XML forbids are dropped
        datetime(2024, 2, 29),
        datetime(2024, 3, 1, 16, 20),
        0.35,
        7,
        "逾期",
    ]
    assert len(got[1][0]) == MAX_CELL_CHARS and got[1][0].endswith("…")
    assert got[1][4] == 0 and got[1][5] is None
    assert got[2][1:5] == [datetime(1900, 3, 1), datetime(2099, 12, 31, 23, 59), 1, 12345678]
    assert ws["F4"].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws["F5"].fill.fgColor.rgb.endswith("C6EFCE")
    assert ws["F6"].fill.fill_type is None  # no light: no fill
    assert ws["A4"].border.left.style == "thin" and ws["A6"].border.left.style == "thin"
    assert ws.dimensions == "A1:F6"


def test_an_empty_sheet_keeps_its_header() -> None:
    data = workbook_bytes([Sheet("空", "标题", COLUMNS)])
    ws = openpyxl.load_workbook(io.BytesIO(data))["空"]
    assert [c.value for c in ws[2]] == [c.header for c in COLUMNS]
    assert ws.max_row == 2 and ws.freeze_panes == "A3"


def test_a_number_excel_cannot_hold_is_refused() -> None:
    rows = [["x", None, None, float("nan"), 1, None]]
    with pytest.raises(ValueError, match="cannot hold"):
        workbook_bytes([Sheet("表", "标题", COLUMNS, rows)])


def test_a_row_is_as_tall_as_its_wrapped_text() -> None:
    rows = [
        ["短", None, None, None, None, None],
        ["一" * 25, None, None, None, None, ("二" * 12, "red")],  # 50 half-widths in 19: 3 lines
        ["第一行\n第二行", None, None, None, None, None],
    ]
    data = workbook_bytes([Sheet("表", "标题", COLUMNS, rows)])
    ws = openpyxl.load_workbook(io.BytesIO(data))["表"]
    assert ws.row_dimensions[3].height is None  # one line: the default height
    assert ws.row_dimensions[4].height == 14.5 * 3 + 2
    assert ws.row_dimensions[5].height == 14.5 * 2 + 2
