"""`duban preview reminders` and `duban remind-now`: what a send time sends, before or now."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import datetime

from bot.config import Config
from bot.drift import config_drift
from bot.reminders import preview, tick
from bot.runtime import open_runtime
from bot.schedule import Schedule, config_schedule
from storage.snapshot import read_snapshot


def preview_arguments(parser: argparse.ArgumentParser) -> None:
    what = parser.add_subparsers(dest="preview", required=True, metavar="内容")
    reminders = what.add_parser(
        "reminders",
        help="列出某一时刻将发出的全部提醒（不发送、不写数据库）",
        description="列出某一时刻将发出的全部提醒：接收人、规则、任务和正文。"
        "读取同一个数据库，已记录的进展会计入；不发送，也不写数据库。",
    )
    _at_argument(reminders)
    reminders.add_argument("--json", action="store_true", help="输出 JSON 数组")
    reminders.add_argument("--config", default=argparse.SUPPRESS, help="配置文件")


def remind_now_arguments(parser: argparse.ArgumentParser) -> None:
    _at_argument(parser)


def _at_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--at",
        metavar='"YYYY-MM-DD HH:MM"',
        help="时刻，按配置的时区（默认今天的提醒时间）；只写日期时取当天的提醒时间",
    )


def moment_of(text: str | None, schedule: Schedule, now: datetime) -> datetime:
    rules = schedule.reminders
    if not text:
        return datetime.combine(now.astimezone(rules.timezone).date(), rules.time, rules.timezone)
    try:
        if len(text.strip()) <= 10:
            day = datetime.fromisoformat(text.strip()).date()
            return datetime.combine(day, rules.time, rules.timezone)
        return datetime.fromisoformat(text.strip()).replace(tzinfo=rules.timezone)
    except ValueError:
        raise SystemExit(f'时刻格式不对：{text}（写成 "2027-03-25 09:10" 或 2027-03-25）') from None


def cmd_preview(args: argparse.Namespace, config: Config) -> int:
    runtime = open_runtime(config)
    try:
        schedule = config_schedule(config)
        moment = moment_of(args.at, schedule, runtime.now())
        result = preview(runtime.sessions, schedule, moment)
        with runtime.sessions() as session:
            drift = config_drift(config, read_snapshot(session, runtime.timezone))
    finally:
        runtime.close()
    for line in drift:
        print(f"提示：{line}", file=sys.stderr)
    if result.reason is not None:
        print(result.reason, file=sys.stderr)
        if args.json:
            print("[]")
        return 0
    if args.json:
        print(json.dumps(list(result.notices), ensure_ascii=False, indent=2))
        return 0
    if not result.notices:
        print(f"{moment:%m月%d日 %H:%M} 没有到期的提醒。", file=sys.stderr)
    for notice in result.notices:
        kind = "卡片" if notice["card"] else "消息"
        tasks = "、".join(notice["tasks"])
        print(f"── 发给 {notice['name']}（{notice['to']}）· {kind} · {tasks}")
        print(notice["text"])
        print()
    return 0


def cmd_remind_now(args: argparse.Namespace, config: Config) -> int:
    """Run a send time's tick now: queue what it has not queued yet (the running bot sends)."""
    runtime = open_runtime(config)
    try:
        schedule = config_schedule(config)
        now = runtime.now()
        moment = moment_of(args.at, schedule, now)
        if not schedule.calendar.is_workday(moment.astimezone(schedule.reminders.timezone).date()):
            print(f"{moment:%m月%d日}不是工作日，不发送提醒。", file=sys.stderr)
            return 0
        result = asyncio.run(asyncio.to_thread(tick, runtime.sessions, schedule, moment, now))
    finally:
        runtime.close()
    print(
        f"{result.day:%m月%d日}：计划 {result.planned} 条提醒，新排队 {result.queued} 条"
        f"（其余此前已排队）。运行中的机器人会发出。"
    )
    return 0
