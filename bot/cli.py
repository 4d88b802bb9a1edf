"""The `duban` command line: check-config, sync, tasks, run, outbox, parse, calendar,
unknowns, export, import (and the others registered below)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from bot.backup_cli import backup_arguments, cmd_backup, cmd_restore, restore_arguments
from bot.calendar_cli import calendar_arguments, cmd_calendar_show
from bot.config import Config, ConfigError, config_path, load_config
from bot.drift import config_drift
from bot.ledger_cli import cmd_export, cmd_import, export_arguments, import_arguments
from bot.preview_cli import (
    cmd_preview,
    cmd_remind_now,
    cmd_send_summary,
    preview_arguments,
    remind_now_arguments,
    send_summary_arguments,
)
from bot.runtime import DatabaseNotReady, Runtime, open_runtime, open_runtime_readonly
from bot.table import render_table
from bot.unknowns_cli import cmd_unknowns, unknowns_arguments
from domain.rules import DONE, RED, YELLOW, Standing, standing
from storage import outbox
from storage.db import transaction
from storage.snapshot import read_snapshot

Command = Callable[[argparse.Namespace, Config], int]
# A command that reads no config sets its subparser's default `tool` to one of these.
Tool = Callable[[argparse.Namespace], int]


Arguments = Callable[[argparse.ArgumentParser], None]
COMMANDS: dict[str, tuple[str, Command, Arguments]] = {}


def command(
    name: str, help_text: str, arguments: Arguments = lambda _parser: None
) -> Callable[[Command], Command]:
    """Register a `duban <name>` subcommand."""

    def register(handler: Command) -> Command:
        COMMANDS[name] = (help_text, handler, arguments)
        return handler

    return register


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="duban", description="督办：企业微信重点任务督办机器人")
    parser.set_defaults(tool=None)
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="命令")
    for name, (help_text, handler, arguments) in COMMANDS.items():
        sub = subcommands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--config", help="配置文件（默认 ./config.toml，或环境变量 DUBAN_CONFIG）")
        arguments(sub)
        sub.set_defaults(handler=handler)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.command == "run" else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    tool: Tool | None = args.tool
    if tool is not None:
        return tool(args)
    try:
        config = load_config(config_path(args.config))
    except ConfigError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    if args.command in ("check-config", "run"):
        for warning in config.warnings:
            print(f"提示：{warning}", file=sys.stderr)
    run: Command = args.handler
    return run(args, config)


@command("check-config", "检查配置文件")
def cmd_check_config(_args: argparse.Namespace, config: Config) -> int:
    print(f"配置正确：{config.summary()}")
    return 0


def _runtime(config: Config) -> Runtime:
    return open_runtime(config)


@command("sync", "把配置同步到数据库")
def cmd_sync(_args: argparse.Namespace, config: Config) -> int:
    runtime = _runtime(config)
    try:
        report = runtime.sync()
    finally:
        runtime.close()
    if not report.changed:
        print("已是最新，没有变化。")
        return 0
    for label, items in (
        ("新增", report.created),
        ("更新", report.updated),
        ("归档", report.archived),
        ("恢复", report.restored),
    ):
        if items:
            print(f"{label}：{_grouped(items)}")
    return 0


def _grouped(items: Sequence[str]) -> str:
    """["任务 T1", "任务 T2", "部门 office"] → "任务 T1、T2；部门 office"."""
    groups: dict[str, list[str]] = {}
    for item in items:
        kind, ident = item.split(" ", 1)
        groups.setdefault(kind, []).append(ident)
    return "；".join(f"{kind} {'、'.join(ids)}" for kind, ids in groups.items())


@command("tasks", "列出任务、红黄绿灯和剩余工作日（只读）")
def cmd_tasks(_args: argparse.Namespace, config: Config) -> int:
    """Only reads: a database not there yet, or not at this version's schema, is said so."""
    try:
        runtime = open_runtime_readonly(config)
    except DatabaseNotReady as exc:
        print(exc, file=sys.stderr)
        return 1
    try:
        today = runtime.today()
        with runtime.sessions() as session:
            snapshot = read_snapshot(session, runtime.timezone)
    finally:
        runtime.close()
    calendar, lights = config.work_calendar(), config.lights()
    rows = []
    for task in snapshot.tasks.values():
        s = standing(task, today, calendar, lights)
        last = task.last_report
        rows.append(
            [
                task.id,
                snapshot.department_name(task.department_id),
                task.title,
                task.deadline.isoformat(),
                _standing_text(s),
                "" if task.percent is None else f"{task.percent}%",
                "" if last is None else last.at.astimezone(runtime.timezone).strftime("%m-%d"),
            ]
        )
    print(render_table(["编号", "牵头部门", "任务", "截止", "状态", "进度", "最近填报"], rows))
    for line in config_drift(config, snapshot):
        print(f"提示：{line}", file=sys.stderr)
    return 0


_YELLOW_WHY = {"near": "临近截止", "behind": "进度滞后", "blocked": "受阻"}


def _standing_text(s: Standing) -> str:
    if s.light == DONE:
        return "已完成"
    if s.light == RED:
        return f"🔴 逾期 {s.overdue_workdays} 个工作日"
    lamp = "🟡" if s.light == YELLOW else "🟢"
    why = "、".join(_YELLOW_WHY[w] for w in s.why)
    return f"{lamp} 剩 {s.workdays_left} 个工作日" + (f"（{why}）" if why else "")


def _outbox_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--retry", nargs="+", metavar="ID", help="把发送失败的通知重新排队（编号，或 all）"
    )


@command("outbox", "查看待发送和发送失败的通知", _outbox_arguments)
def cmd_outbox(args: argparse.Namespace, config: Config) -> int:
    runtime = _runtime(config)
    try:
        if args.retry:
            ids = None if args.retry == ["all"] else [int(i) for i in args.retry if i.isdigit()]
            with transaction(runtime.sessions) as session:
                count = outbox.retry_failed(session, now=runtime.now(), ids=ids)
            print(f"已重新排队 {count} 条通知。")
            return 0
        with runtime.sessions() as session:
            rows = outbox.listing(session)
    finally:
        runtime.close()
    if not rows:
        print("没有待发送或发送失败的通知。")
        return 0
    tz = runtime.timezone
    table = [
        [
            str(n.id),
            {"pending": "待发送", "failed": "失败"}.get(n.state, n.state),
            n.kind,
            n.recipient,
            str(n.attempts),
            n.next_attempt_at.astimezone(tz).strftime("%m-%d %H:%M"),
            (n.last_error or "")[:60],
        ]
        for n in rows
    ]
    print(render_table(["编号", "状态", "类型", "接收方", "尝试", "下次", "错误"], table))
    if any(n.state == "failed" for n in rows):
        print("\n重新发送：duban outbox --retry 编号…（或 all）")
    return 0


command("calendar", "节假日安排：解析放假通知（parse），查看工作日历（show）", calendar_arguments)(
    cmd_calendar_show
)
command(
    "preview", "预览提醒（reminders）或领导群汇总（summary），不发送、不写数据库", preview_arguments
)(cmd_preview)
command("remind-now", "立即执行某个提醒时刻（已排队的不会重复）", remind_now_arguments)(
    cmd_remind_now
)
command("send-summary", "立即把汇总发到领导群（不影响定时发送的汇总）", send_summary_arguments)(
    cmd_send_summary
)


command("export", "导出台账（Excel）：全部任务、各部门、进展记录和部门排名", export_arguments)(
    cmd_export
)
command("import", "从任务分解表（Excel）生成配置的 [[tasks]]，供核对后粘贴", import_arguments)(
    cmd_import
)
command("backup", "备份数据库（SQLite 可在运行时备份）", backup_arguments)(cmd_backup)
command("restore", "从备份恢复数据库（须先停止机器人）", restore_arguments)(cmd_restore)


@command("run", "启动机器人")
def cmd_run(_args: argparse.Namespace, config: Config) -> int:
    from bot.app import serve

    return serve(config)


def _parse_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", help="发送人的 userid（决定哪些任务是“我的”）")
    parser.add_argument("--today", help="今天的日期 YYYY-MM-DD（默认按配置的时区取当天）")
    parser.add_argument(
        "--jsonl", action="store_true", help='从标准输入逐行读取 {"text","user","today"}'
    )
    parser.add_argument("text", nargs="?", help="要解析的回复")


@command("parse", "解析一条回复，输出 JSON（不写数据库）", _parse_arguments)
def cmd_parse(args: argparse.Namespace, config: Config) -> int:
    import json
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from handlers.auth import actor_of, task_refs
    from handlers.parser import parse_reply
    from storage.snapshot import config_snapshot

    default_today = datetime.now(ZoneInfo(config.bot.timezone)).date()
    snapshot = config_snapshot(config.directory(), default_today)

    def parse_one(text: str, user: str | None, today: str | None) -> str:
        person = snapshot.people.get(user or "")
        actor = actor_of(person) if person is not None else None
        day = date.fromisoformat(today) if today else default_today
        refs = task_refs(actor, snapshot)
        result = parse_reply(text, today=day, tasks=refs, vocabulary=config.vocabulary())
        return json.dumps(result.to_dict(), ensure_ascii=False)

    try:
        if not args.jsonl:
            if args.text is None:
                print("请给出要解析的文字，或用 --jsonl 从标准输入读取。", file=sys.stderr)
                return 2
            print(parse_one(args.text, args.user, args.today))
            return 0
        for number, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            item = json.loads(line)
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise ValueError(f"第 {number} 行缺少 text")
            user = item.get("user") or args.user
            print(parse_one(item["text"], user, item.get("today") or args.today))
    except ValueError as exc:  # a bad date or a bad JSON line
        print(f"输入有误：{exc}", file=sys.stderr)
        return 2
    return 0


command("unknowns", "列出机器人没看懂的回复（按说法归类）", unknowns_arguments)(cmd_unknowns)
