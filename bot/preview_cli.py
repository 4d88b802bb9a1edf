"""`duban preview reminders|summary`, `duban remind-now`, `duban send-summary`: what a send
time sends, shown before, or queued now."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import datetime

from bot import summaries
from bot.config import Config
from bot.drift import config_drift
from bot.reminders import preview, tick
from bot.reports import send_summary
from bot.runtime import DatabaseNotReady, open_runtime, open_runtime_readonly, utc_now
from bot.schedule import GroupSchedule, Schedule, config_schedule
from bot.wecom import limits
from scheduler.summary import MONTH, WEEK
from storage.snapshot import config_snapshot, read_snapshot


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
    summary = what.add_parser(
        "summary",
        help="显示某一时刻领导群将收到的汇总（不发送、不写数据库）",
        description="显示某一时刻领导群将收到的汇总：按群的范围和周期计算，分成若干条消息（每条不超过群的字数上限）。",
    )
    summary.add_argument(
        "--at", metavar='"YYYY-MM-DD HH:MM"', help="时刻（默认现在），按配置的时区"
    )
    _summary_arguments(summary)
    summary.add_argument("--json", action="store_true", help="输出 JSON（字段见 README）")
    summary.add_argument("--config", default=argparse.SUPPRESS, help="配置文件")


def _summary_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--group", help="领导群 id（默认第一个群；没有群时汇总全部部门）")
    parser.add_argument(
        "--period",
        choices=(WEEK, MONTH),
        default=WEEK,
        help="week：本周（默认）；month：本月（在周一或 1 日为上一周、上个月）",
    )


def send_summary_arguments(parser: argparse.ArgumentParser) -> None:
    _summary_arguments(parser)


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
        moment = datetime.fromisoformat(text.strip())
        return moment if moment.tzinfo else moment.replace(tzinfo=rules.timezone)
    except ValueError:
        raise SystemExit(f'时刻格式不对：{text}（写成 "2027-03-25 09:10" 或 2027-03-25）') from None


def cmd_preview(args: argparse.Namespace, config: Config) -> int:
    if args.preview == "summary":
        return _preview_summary(args, config)
    schedule = config_schedule(config)
    try:
        runtime = open_runtime_readonly(config)
    except DatabaseNotReady as exc:
        if not exc.missing:
            print(exc, file=sys.stderr)
            return 1
        # No database yet: what the config alone would send, nothing recorded yet.
        print(f"{exc}以下按配置预览（还没有记录任何进展）。", file=sys.stderr)
        now = utc_now()
        moment = moment_of(args.at, schedule, now)
        today = now.astimezone(schedule.reminders.timezone).date()
        snapshot = config_snapshot(config.directory(), today)
        result = preview(None, schedule, moment, snapshot=snapshot)
        drift = []
    else:
        try:
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


def _group(schedule: Schedule, wanted: str | None) -> GroupSchedule | None:
    if wanted is None:
        return schedule.groups[0] if schedule.groups else None
    group = schedule.group(wanted)
    if group is None:
        known = "、".join(g.id for g in schedule.groups) or "（配置里没有领导群）"
        raise SystemExit(f"没有 id 为 {wanted} 的领导群；可用：{known}")
    return group


def _preview_summary(args: argparse.Namespace, config: Config) -> int:
    """Only reads: a summary is of what was recorded, so it needs the database as it is."""
    try:
        runtime = open_runtime_readonly(config)
    except DatabaseNotReady as exc:
        print(exc, file=sys.stderr)
        return 1
    try:
        schedule = config_schedule(config)
        group = _group(schedule, args.group)
        now = runtime.now()
        moment = now if not args.at else moment_of(args.at, schedule, now)
        with runtime.sessions() as session:
            max_bytes = limits.ROBOT_MARKDOWN_MAX_BYTES if group is None else group.max_bytes
            rendered = summaries.for_group(
                session, schedule, group, moment, kind=args.period, max_bytes=max_bytes
            )
            drift = config_drift(config, rendered.snapshot)
    finally:
        runtime.close()
    for line in drift:
        print(f"提示：{line}", file=sys.stderr)
    if args.json:
        data = summaries.as_json(group.id if group else None, rendered)
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for n, part in enumerate(rendered.parts, start=1):
        if len(rendered.parts) > 1:
            print(f"── 第 {n} 条，共 {len(rendered.parts)} 条")
        print(part)
        print()
    return 0


def cmd_send_summary(args: argparse.Namespace, config: Config) -> int:
    """Queue a group's summary now (the running bot sends it). A manual send of its own:
    the scheduled summary of the period still goes; run twice in one minute, it goes once."""
    runtime = open_runtime(config)
    try:
        schedule = config_schedule(config)
        group = _group(schedule, args.group or None)
        if group is None:
            print("配置里没有领导群（[[groups]]），无处发送。", file=sys.stderr)
            return 1
        now = runtime.now()
        sent = send_summary(
            runtime.sessions, schedule, group, now, kind=args.period, now=now, manual=True
        )
    finally:
        runtime.close()
    period = f"{sent.period.start:%m月%d日}—{sent.period.end:%m月%d日}"
    if sent.queued:
        print(
            f"已把 {group.name} {period} 的汇总（{sent.parts} 条消息）放入发件箱，"
            "运行中的机器人会发出。"
        )
    else:
        print(f"{group.name} {period} 的汇总一分钟内已经手动发送过，不会重复发送。")
    return 0
