"""`duban export` (the ledger to Excel) and `duban import` (a task breakdown from Excel).

Import exits 0 when every row was read, 1 when some rows were not (the TOML is written with
the rest, and lists them), 2 when nothing could be done (no such file, no header, bad
arguments)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from bot.config import Config
from bot.drift import config_drift
from bot.ledger import ledger_filename, ledger_workbook
from bot.runtime import open_runtime
from storage.snapshot import read_snapshot


def export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        metavar="文件.xlsx",
        help="保存到哪个文件（默认 单位督办台账-日期.xlsx，在当前目录）",
    )
    parser.add_argument(
        "--at",
        metavar="YYYY-MM-DD",
        help="按这一天计算红黄绿灯、逾期天数和当月排名（默认今天；记录取数据库现有的全部）",
    )


def cmd_export(args: argparse.Namespace, config: Config) -> int:
    runtime = open_runtime(config)
    try:
        try:
            day = date.fromisoformat(args.at) if args.at else runtime.today()
        except ValueError:
            print(f"日期格式不对：{args.at}（写成 2027-03-25）", file=sys.stderr)
            return 2
        with runtime.sessions() as session:
            data = ledger_workbook(
                session,
                day=day,
                timezone=runtime.timezone,
                calendar=config.work_calendar(),
                lights=config.lights(),
                unit=config.bot.unit,
            )
            snapshot = read_snapshot(session, runtime.timezone)
    finally:
        runtime.close()
    out = Path(args.out or ledger_filename(config.bot.unit, day))
    try:
        write_atomically(out, data)
    except OSError as exc:
        print(
            f"无法写入 {out}：{exc.strerror or exc}（文件是否正在 Excel 或 WPS 中打开？）",
            file=sys.stderr,
        )
        return 1
    print(f"已导出 {len(snapshot.tasks)} 项任务的台账到 {out}（{len(data) // 1024 + 1} KB）。")
    for line in config_drift(config, snapshot):
        print(f"提示：{line}", file=sys.stderr)
    return 0


def write_atomically(path: Path, data: bytes) -> None:
    """Write the whole file or nothing: a failed export leaves no half-written workbook."""
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=".duban-", suffix=path.suffix, dir=folder)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private; a ledger is not
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from", dest="source", required=True, metavar="文件.xlsx", help="任务分解表（.xlsx）"
    )
    parser.add_argument(
        "--out", metavar="文件.toml", help="把 [[tasks]] 写到这个文件（不写时输出到屏幕）"
    )
    parser.add_argument("--sheet", metavar="工作表", help="读哪个工作表（默认第一个有表头的）")
    parser.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="字段=表头",
        help="表头名称与常见的不同时指定，如 --column 任务名称=重点工作任务（可写多次；"
        "字段：序号、任务名称、牵头部门、配合部门、完成时限、责任人）",
    )
    parser.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help="按哪一天理解没写年份的时限（如“6月底”取这天之后最近的 6 月底；默认今天）",
    )


def cmd_import(args: argparse.Namespace, config: Config) -> int:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.breakdown import BreakdownError, read_breakdown, render_toml

    columns = {}
    for given in args.column:
        field, sep, header = given.partition("=")
        if not sep or not field.strip() or not header.strip():
            hint = f"--column 写成 字段=表头，如 任务名称=重点工作任务（收到：{given}）"
            print(hint, file=sys.stderr)
            return 2
        columns[field.strip()] = header.strip()
    try:
        today = (
            date.fromisoformat(args.today)
            if args.today
            else datetime.now(ZoneInfo(config.bot.timezone)).date()
        )
    except ValueError:
        print(f"日期格式不对：{args.today}（写成 2027-01-01）", file=sys.stderr)
        return 2
    try:
        breakdown = read_breakdown(
            Path(args.source), config, today=today, sheet=args.sheet, columns=columns
        )
    except BreakdownError as exc:
        print(f"无法导入：{exc}", file=sys.stderr)
        return 2
    text = render_toml(breakdown)
    if args.out:
        try:
            write_atomically(Path(args.out), text.encode("utf-8"))
        except OSError as exc:
            print(f"无法写入 {args.out}：{exc.strerror or exc}", file=sys.stderr)
            return 2
    else:
        sys.stdout.write(text)
    where = f"写入 {args.out}" if args.out else "输出如上"
    print(
        f"工作表「{breakdown.sheet}」（第 {breakdown.header_row} 行为表头）："
        f"{len(breakdown.tasks)} 项任务，{where}。",
        file=sys.stderr,
    )
    for title, notes in (
        (f"未能读取（没有写入），{len(breakdown.problems)} 行：", breakdown.problems),
        (f"请核对，{len(breakdown.warnings)} 处：", breakdown.warnings),
        (f"已跳过（不是任务），{len(breakdown.skipped)} 行：", breakdown.skipped),
    ):
        if notes:
            print(title, file=sys.stderr)
            for note in notes:
                print(f"  {note}", file=sys.stderr)
    if breakdown.tasks:
        print("核对后粘贴到配置文件，再运行 duban check-config 和 duban sync。", file=sys.stderr)
    return 1 if breakdown.problems else 0
