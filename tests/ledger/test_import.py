"""duban import: a breakdown sheet made here (merged cells, blank rows, headings, a bad date,
an unknown department) → [[tasks]] TOML that the config accepts and `duban sync` applies,
with every row not read told by its number."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from bot.breakdown import Breakdown, BreakdownError, read_breakdown, render_toml
from bot.config import Config, parse_config
from bot.runtime import open_runtime
from storage.models import Task
from tests.conftest import EXAMPLE
from tests.foundation.test_cli import duban

TODAY = date(2027, 1, 5)
HEADER = ["序号", "重点工作任务", "牵头部门", "配合部门", "完成时限", "责任人"]
ROWS: list[list[object]] = [
    ["一、党的建设"],  # 3: a heading merged across the table
    [1, "举办全体党务干部集中培训", "机关党委", None, "2027年6月底", "周芳"],  # 4
    [2, "省级文明单位复查材料\n整理汇编", None, "办公室", "6月30日前", None],  # 5: merged dept
    [],  # 6: blank
    [3, "筹备召开第十次代表大会", "办公室", "组织人事部、机关党委", "年底前", "刘洋、张三"],  # 7
    [4, "全国科普日河南主场活动", "科普部", "省科技馆", datetime(2027, 9, 20), None],  # 8
    [5, "编制年度调研计划", "调研宣传部", None, "尽快", None],  # 9: no date in it
    [6, "财务制度修订", "财务处", None, "2027年3月", None],  # 10: no such department
    [7, "中部地区科普场馆联盟筹备", "省科技馆", None, "长期坚持", None],  # 11
    [None, "举办第三届青年科学家论坛", "学会学术部", "调研宣传部", "2027年10月31日", None],  # 12
    ["注：完成时限以省委要求为准"],  # 13: a note merged across the table
]


def breakdown_sheet(
    path: Path, header: list[str] = HEADER, rows: list[list[object]] = ROWS
) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "任务分解"
    ws.append(["2027年重点工作任务分解表"])
    ws.merge_cells("A1:F1")
    ws.append(header)
    for row in rows:
        ws.append(row)
    ws.merge_cells("A3:F3")
    ws.merge_cells("C4:C5")  # 机关党委 written once for two tasks
    ws.merge_cells("A13:F13")
    book.save(path)
    return path


def example(config_text: str | None = None) -> Config:
    return parse_config(config_text or EXAMPLE.read_text(encoding="utf-8"))


def read(tmp_path: Path, **options: object) -> Breakdown:
    path = breakdown_sheet(tmp_path / "任务分解表.xlsx")
    return read_breakdown(path, example(), today=TODAY, **options)  # type: ignore[arg-type]


def test_the_sheet_is_read_the_way_people_make_it(tmp_path: Path) -> None:
    b = read(tmp_path)
    assert (b.sheet, b.header_row) == ("任务分解", 2)
    assert b.columns["title"] == "重点工作任务"
    tasks = {t.id: t for t in b.tasks}
    assert list(tasks) == ["T1", "T2", "T3", "T4", "T7", "T15"]
    assert (tasks["T1"].department, tasks["T1"].deadline) == ("party", date(2027, 6, 30))
    assert tasks["T1"].contacts == ("zhoufang",)
    # the merged department reaches the second row; the line break in the title is joined
    assert (tasks["T2"].department, tasks["T2"].partners) == ("party", ("office",))
    assert tasks["T2"].title == "省级文明单位复查材料整理汇编"
    assert tasks["T2"].deadline == date(2027, 6, 30)
    assert tasks["T3"].partners == ("org", "party")
    assert tasks["T3"].deadline == date(2027, 12, 31)
    assert tasks["T3"].contacts == ("liuyang",)
    assert "责任人「张三」不在配置的 [[people]] 中，未填" in tasks["T3"].notes
    assert tasks["T4"].department == "popsci"  # 科普部: a short name of 科学技术普及部
    assert tasks["T4"].deadline == date(2027, 9, 20)  # a real Excel date
    assert tasks["T7"].deadline == date(2027, 12, 31)
    assert "「长期坚持」没有截止日期，暂定为 2027 年底" in tasks["T7"].notes
    # numbered after the highest T number in the sheet (T7) and in the config (T14)
    assert tasks["T15"].department == "academic" and tasks["T15"].row == 12
    assert "没有序号，编为 T15" in tasks["T15"].notes


def test_every_row_not_read_is_told_by_its_number(tmp_path: Path) -> None:
    b = read(tmp_path)
    assert [(p.row, p.text) for p in b.problems] == [
        (9, "完成时限「尽快」无法识别（写成一个日期，如 2027年6月30日、6月底前、年底前）"),
        (10, "没有部门「财务处」（配置的 [[departments]] 中没有）"),
    ]
    assert [(s.row, s.text) for s in b.skipped] == [
        (3, "「一、党的建设」是标题或说明，不是任务，已跳过"),
        (13, "「注：完成时限以省委要求为准」是标题或说明，不是任务，已跳过"),
    ]
    assert b.blank_rows == 1
    told = {p.row for p in b.problems} | {s.row for s in b.skipped} | {t.row for t in b.tasks}
    assert told | {6} == set(range(3, 14))  # nothing silently dropped
    assert {w.row for w in b.warnings} >= {12}
    # every configured id the import reuses is pointed out
    assert any("在现有配置中已有任务" in w.text for w in b.warnings)


def tasks_replaced(config_text: str, imported: str) -> str:
    """The example config with its [[tasks]] replaced by the import's."""
    start = config_text.index("# ───────── 重点任务")
    end = config_text.index("# ───────── 领导群")
    return config_text[:start] + config_text[end:] + "\n" + imported


def test_the_toml_validates_and_syncs(tmp_path: Path, database_url: str) -> None:
    b = read(tmp_path)
    text = render_toml(b)
    assert "第 9 行：完成时限「尽快」无法识别" in text and "第 10 行：没有部门「财务处」" in text
    assert len(tomllib.loads(text)["tasks"]) == 6
    config_text = tasks_replaced(EXAMPLE.read_text(encoding="utf-8"), text)
    config = parse_config(config_text)
    assert [t.id for t in config.tasks] == ["T1", "T2", "T3", "T4", "T7", "T15"]
    runtime = open_runtime(config, database_url=database_url)
    try:
        report = runtime.sync()
        with runtime.sessions() as session:
            stored = {t.id: t for t in session.scalars(select(Task))}
    finally:
        runtime.close()
    assert [c for c in report.created if c.startswith("任务")] == [
        f"任务 {i}" for i in ("T1", "T2", "T3", "T4", "T7", "T15")
    ]
    assert stored["T3"].partners == ["org", "party"] and stored["T3"].contacts == ["liuyang"]
    assert stored["T4"].deadline == date(2027, 9, 20)


def test_quotes_and_odd_text_stay_valid_toml(tmp_path: Path) -> None:
    path = tmp_path / "odd.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["序号", "任务名称", "牵头部门", "完成时限"])
    ws.append(["T9", '落实"一岗双责"\\要求 # 不是注释', "office", "2027-05-31"])
    ws.append(["3.2", "学习贯彻", "办公室（牵头）", "2027年5月"])
    ws.append([8, "整理上年档案", "办公室", "2026年12月底"])
    book.save(path)
    b = read_breakdown(path, example(), today=TODAY)
    assert [(w.row, w.text) for w in b.warnings if "已过" in w.text] == [
        (4, "完成时限 2026-12-31 已过（今天按 2027-01-05 算）")
    ]
    parsed = tomllib.loads(render_toml(b))["tasks"]
    assert parsed[0]["title"] == '落实"一岗双责"\\要求 # 不是注释'
    assert (parsed[1]["id"], parsed[1]["department"]) == ("3.2", "office")
    assert parsed[1]["deadline"] == date(2027, 5, 31)


def test_headers_with_other_names_are_given_on_the_command_line(tmp_path: Path) -> None:
    path = breakdown_sheet(
        tmp_path / "b.xlsx", ["编号", "工作要点", "责任处室", "协办", "时间要求", "联系人"]
    )
    with pytest.raises(BreakdownError, match="没有找到表头"):
        read_breakdown(path, example(), today=TODAY)
    b = read_breakdown(
        path,
        example(),
        today=TODAY,
        columns={
            "任务名称": "工作要点",
            "department": "责任处室",
            "完成时限": "时间要求",
            "配合部门": "协办",
        },
    )
    assert [t.id for t in b.tasks] == ["T1", "T2", "T3", "T4", "T7", "T15"]
    with pytest.raises(BreakdownError, match="不认识「标题」"):
        read_breakdown(path, example(), today=TODAY, columns={"标题": "工作要点"})


def test_a_sheet_is_chosen_by_name(tmp_path: Path) -> None:
    with pytest.raises(BreakdownError, match="没有名为「其他」的工作表（有：「任务分解」）"):
        read(tmp_path, sheet="其他")
    assert read(tmp_path, sheet="任务分解").tasks


def test_duban_import_writes_toml_and_tells_what_it_could_not_read(tmp_path: Path) -> None:
    sheet = breakdown_sheet(tmp_path / "任务分解表.xlsx")
    out = tmp_path / "tasks.toml"
    result = duban(
        "import", "--config", str(EXAMPLE), "--from", str(sheet), "--out", str(out),
        "--today", "2027-01-05",
    )  # fmt: skip
    assert result.returncode == 1, result.stderr  # written, but two rows were not read
    assert "工作表「任务分解」（第 2 行为表头）：6 项任务，写入" in result.stderr
    assert "未能读取（没有写入），2 行：" in result.stderr
    assert "  第 9 行：完成时限「尽快」无法识别" in result.stderr
    assert "  第 10 行：没有部门「财务处」" in result.stderr
    assert len(tomllib.loads(out.read_text(encoding="utf-8"))["tasks"]) == 6

    old = tmp_path / "任务分解表.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    result = duban("import", "--config", str(EXAMPLE), "--from", str(old))
    assert result.returncode == 2 and "另存为” .xlsx" in result.stderr
    text = tmp_path / "不是表格.xlsx"
    text.write_text("hello")
    result = duban("import", "--config", str(EXAMPLE), "--from", str(text))
    assert result.returncode == 2 and "不是能读取的 .xlsx 文件" in result.stderr


def test_rows_without_a_number_can_be_appended_to_the_config(tmp_path: Path) -> None:
    # No 序号 at all: the ids follow the config's highest (T14), not the sheet's rows.
    unnumbered = [[None, *row[1:]] if len(row) > 1 else row for row in ROWS]
    sheet = breakdown_sheet(tmp_path / "任务分解表.xlsx", rows=unnumbered)
    out = tmp_path / "tasks.toml"
    result = duban(
        "import", "--config", str(EXAMPLE), "--from", str(sheet), "--out", str(out),
        "--today", "2027-01-05",
    )  # fmt: skip
    assert result.returncode == 1, result.stderr  # the two rows not read, as before
    imported = out.read_text(encoding="utf-8")
    ids = [t["id"] for t in tomllib.loads(imported)["tasks"]]
    assert ids == ["T15", "T16", "T17", "T18", "T19", "T20"]
    appended = tmp_path / "config.toml"
    appended.write_text(EXAMPLE.read_text(encoding="utf-8") + "\n" + imported, encoding="utf-8")
    checked = duban("check-config", "--config", str(appended))
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip() == "配置正确：7 个部门，20 项任务，1 个领导群"
