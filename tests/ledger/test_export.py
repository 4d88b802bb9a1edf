"""The ledger (台账) exported from a real conversation, opened again with openpyxl: cells,
fills, real dates, frozen header, sheet names, and a fixed number of queries."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import event

from bot.ledger import RANKING_RULE, ledger_workbook
from bot.summaries import compute
from bot.xlsx import FILLS, sheet_name
from scheduler.summary import MONTH
from tests.conftest import EXAMPLE, write_config
from tests.foundation.test_cli import duban
from tests.transport.conftest import Bot, bot

__all__ = ["bot"]

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2027, 3, 2)
TASK_SHEETS = ["全部任务", "办公室", "组织人事部", "机关党委", "学会学术部", "科学技术普及部"]
TASK_SHEETS += ["调研宣传部", "省科技馆"]


async def say(bot: Bot, userid: str, text: str) -> None:
    result = await bot.driver.send_text(userid, text)
    assert result.status == 200 and result.reply_text, result


async def a_month_of_replies(bot: Bot) -> None:
    """1 March 2027 (Monday), 09:30 in Shanghai, and the next day."""
    await say(bot, "lilei", "T3 80% 已完成代表资格审查 问题：个别单位材料不全 下一步：逐一补齐")
    await say(bot, "zhoufang", "T5 已完成")
    bot.clock.advance(hours=1)
    await say(bot, "lilei", "T3 90%")
    await say(bot, "lilei", "撤销")
    bot.clock.advance(days=1)
    await say(bot, "lilei", "T4 延期至4月30日 原因：院士行程调整")
    await say(bot, "wangxinhui", "同意 T4")


def export(bot: Bot, day: date = DAY) -> openpyxl.Workbook:
    calendar, lights = bot.runtime.config.work_calendar(), bot.runtime.config.lights()
    with bot.runtime.sessions() as session:
        data = ledger_workbook(
            session, day=day, timezone=SHANGHAI, calendar=calendar, lights=lights, unit="河南省科协"
        )
    return openpyxl.load_workbook(io.BytesIO(data))


def rows(ws: openpyxl.worksheet.worksheet.Worksheet, first: int) -> list[list[object]]:
    return [list(row) for row in ws.iter_rows(min_row=first, values_only=True)]


async def test_every_task_red_first_with_lights_dates_and_the_latest_report(bot: Bot) -> None:
    await a_month_of_replies(bot)
    book = export(bot)
    assert book.sheetnames == [*TASK_SHEETS, "进展记录", "部门排名"]
    ws = book["全部任务"]
    assert ws["A1"].value == "河南省科协重点任务督办台账（截至2027年3月2日）"
    assert "A1:N1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value.startswith("共 14 项：红灯（逾期）1 项")
    assert [c.value for c in ws[3]][:7] == [
        "编号",
        "牵头部门",
        "配合部门",
        "任务",
        "截止日期",
        "现截止日期",
        "状态",
    ]
    assert ws.freeze_panes == "A4"
    assert ws.column_dimensions["D"].width == 36
    # printed on landscape A4, the header on every page
    assert ws.print_title_rows == "$1:$3"
    assert (ws.page_setup.orientation, ws.page_setup.paperSize) == ("landscape", 9)
    table = {row[0]: row for row in rows(ws, 4)}
    order = [row[0] for row in rows(ws, 4)]
    assert order[0] == "T2" and order[-1] == "T5"  # red first, done last
    assert table["T2"][6] == "逾期 43 个工作日"  # 2027: Monday to Friday (no holidays known)
    assert ws["G4"].fill.fgColor.rgb == "00" + FILLS["red"]
    t5 = order.index("T5") + 4
    assert ws[f"G{t5}"].value == "已办结" and ws[f"G{t5}"].fill.fgColor.rgb == "00" + FILLS["grey"]

    t3 = table["T3"]
    assert t3[:4] == ["T3", "组织人事部", None, "十大代表和委员人选审核"]
    assert t3[7] == 0.8  # the undone 90 % does not count
    assert t3[8] == datetime(2027, 3, 1)
    assert t3[9:12] == ["已完成代表资格审查", "个别单位材料不全", "逐一补齐"]
    row = order.index("T3") + 4
    assert ws[f"H{row}"].number_format == "0%"
    assert ws[f"E{row}"].is_date and ws[f"E{row}"].number_format == "yyyy-mm-dd"
    assert ws[f"J{row}"].alignment.wrap_text

    t4 = table["T4"]
    assert t4[4:6] == [datetime(2027, 3, 31), datetime(2027, 4, 30)]  # as configured, in force
    assert t4[12] == "申请延至2027年4月30日（已批准）"
    assert table["T1"][2] == "组织人事部"  # partners by name
    assert table["T1"][6].startswith("正常（剩 ")
    assert ws[f"G{order.index('T1') + 4}"].fill.fgColor.rgb == "00" + FILLS["green"]


async def test_one_sheet_per_department_and_the_full_history(bot: Bot) -> None:
    await a_month_of_replies(bot)
    book = export(bot)
    org = book["组织人事部"]
    assert org["A1"].value == "河南省科协组织人事部重点任务督办台账（截至2027年3月2日）"
    assert sorted(row[0] for row in rows(org, 4)) == ["T3", "T4"]
    assert org.freeze_panes == "A4"

    history = book["进展记录"]
    assert history.freeze_panes == "A4"
    entries = rows(history, 4)
    t3 = [row for row in entries if row[0] == "T3"]
    assert [row[6] for row in t3] == [0.8, 0.9]
    assert t3[0][3] == datetime(2027, 3, 1, 9, 30) and t3[0][4] == "李磊"
    assert t3[0][11].startswith("T3 80% 已完成代表资格审查")
    assert t3[0][12] is None and t3[1][12].startswith("已撤销（03-01 10:30")
    assert history["D4"].number_format == "yyyy-mm-dd hh:mm"
    (t4,) = [row for row in entries if row[0] == "T4"]
    assert (t4[5], t4[7]) == ("申请延期", datetime(2027, 4, 30))
    assert [row[0] for row in entries] == ["T3", "T3", "T4", "T5"]  # config order


async def test_the_ranking_is_the_summarys(bot: Bot) -> None:
    await a_month_of_replies(bot)
    book = export(bot)
    ranking = book["部门排名"]
    assert ranking["A1"].value == "河南省科协2027年3月各部门督办排名（截至2027年3月2日）"
    assert ranking["A2"].value == RANKING_RULE
    table = rows(ranking, 4)
    with bot.runtime.sessions() as session:
        summary, _ = compute(
            session,
            datetime(2027, 3, 2, 16, 20, tzinfo=SHANGHAI),
            kind=MONTH,
            timezone=SHANGHAI,
            calendar=bot.runtime.config.work_calendar(),
            lights=bot.runtime.config.lights(),
        )
    assert [row[1] for row in table] == [line.name for line in summary.departments]
    party = next(row for row in table if row[1] == "机关党委")
    assert party[2:8] == [2, 1, 1, 0, 0, 0.0]  # T5 done, but after 20 January; T6 green
    office = next(row for row in table if row[1] == "办公室")
    assert office[6] == 1 and office[7] == 0.0 and office[9] == "否"  # T2 overdue, no report
    assert ranking["H4"].number_format == "0%"


async def test_a_bounded_number_of_queries(bot: Bot) -> None:
    await a_month_of_replies(bot)
    statements: list[str] = []
    event.listen(bot.runtime.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    export(bot)
    # snapshot 6 + the ledger's records and extensions 2 + the month's history 4
    assert len(statements) == 12, statements
    assert all(s.lstrip().upper().startswith(("SELECT", "WITH")) for s in statements)  # reads only


async def test_lights_follow_the_day_asked_for(bot: Bot) -> None:
    book = export(bot, date(2027, 4, 1))
    table = {row[0]: row for row in rows(book["全部任务"], 4)}
    assert table["T4"][6] == "逾期 1 个工作日"  # 31 March passed
    assert book["全部任务"]["A1"].value.endswith("（截至2027年4月1日）")


def test_sheet_names_excel_and_wps_accept() -> None:
    taken: set[str] = set()
    assert sheet_name("办公室", taken) == "办公室"
    assert sheet_name("办公室", taken) == "办公室(2)"
    assert sheet_name("[党委]/纪检:监察*?\\", taken) == "_党委__纪检_监察___"
    long = sheet_name("一" * 40, taken)
    assert long == "一" * 31
    assert sheet_name("一" * 40, taken) == "一" * 28 + "(2)"
    assert sheet_name("  'x'  ", taken) == "x"
    assert sheet_name("", taken) == "Sheet"
    assert all(len(name) <= 31 for name in taken)


def test_duban_export_writes_the_file(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    assert duban("sync", "--config", str(config)).returncode == 0
    out = tmp_path / "台账.xlsx"
    result = duban("export", "--config", str(config), "--out", str(out), "--at", "2027-03-26")
    assert result.returncode == 0, result.stderr
    assert "已导出 14 项任务的台账" in result.stdout
    book = openpyxl.load_workbook(out)
    assert book["全部任务"]["A1"].value == "河南省科协重点任务督办台账（截至2027年3月26日）"
    assert zipfile.is_zipfile(out) and out.stat().st_mode & 0o044  # readable by others
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".duban-")] == []

    default = duban("export", "--config", str(config), "--at", "2027-03-26", cwd=tmp_path)
    assert default.returncode == 0, default.stderr
    assert (tmp_path / "河南省科协督办台账-2027-03-26.xlsx").is_file()

    bad = duban("export", "--config", str(config), "--out", str(out), "--at", "3月26日")
    assert bad.returncode == 2 and "日期格式不对" in bad.stderr


@pytest.mark.parametrize("unit", ["", "河南省科协"])
def test_the_unit_is_a_documented_config_key(tmp_path: Path, unit: str) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace('unit = "河南省科协"', f'unit = "{unit}"')
    result = duban("check-config", "--config", str(write_config(tmp_path, text)))
    assert result.returncode == 0, result.stderr
    bad = text.replace(f'unit = "{unit}"', 'unit = "河南\\n省科协"')
    result = duban("check-config", "--config", str(write_config(tmp_path, bad)))
    assert result.returncode == 1 and "bot.unit" in result.stderr and "换行" in result.stderr
