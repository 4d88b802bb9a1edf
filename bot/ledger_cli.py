"""`duban export` (the ledger to Excel) and `duban import` (a task breakdown from Excel)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from bot.config import Config
from bot.drift import config_drift
from bot.ledger import ledger_workbook
from bot.runtime import open_runtime
from storage.snapshot import read_snapshot


def export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", metavar="文件.xlsx", help="保存到哪个文件（默认 督办台账-日期.xlsx，在当前目录）"
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
    out = Path(args.out or f"督办台账-{day.isoformat()}.xlsx")
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
