"""`duban calendar parse` (the State Council's notice → [calendar]) and `duban calendar show`.

`parse` reads no config at all: it turns a text into TOML, so a config with problems, or no
config yet, does not stop it. `show` prints the calendar the bot will use, so it reads the
config like every other command.
"""

from __future__ import annotations

import argparse
import sys
from calendar import Calendar
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from itertools import groupby
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import CALENDAR_REMEDY, Config
from scheduler.calendar import KNOWN_YEARS, WorkCalendar
from scheduler.holiday_notice import WEEKDAYS, Schedule, parse_notice, spans, written

_MARK = {"holiday": "休", "makeup": "班"}
_SOURCE = {"config": "配置", "builtin": "内置"}
_PER_LINE = 7


def calendar_arguments(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="calendar_command", required=True, metavar="子命令")
    parse = commands.add_parser(
        "parse",
        help="把国务院办公厅的放假通知转成配置的 [calendar] 一节",
        description="把国务院办公厅的放假通知（全文或正文，可直接粘贴）转成配置的 [calendar] 一节；"
        "不读取配置文件。",
    )
    parse.add_argument("--year", type=_year, help="安排所属年份（通知标题里有年份时不必写）")
    parse.add_argument("file", nargs="?", default="-", help="通知文本文件；- 或不写：从标准输入读")
    # `duban calendar parse` reads no config: it runs even when the config has problems.
    parse.set_defaults(tool=cmd_calendar_parse)
    show = commands.add_parser(
        "show",
        help="逐月显示机器人将使用的工作日历",
        description="逐月显示机器人将使用的工作日历：放假日、调休上班日及其来源（内置或配置）。",
    )
    show.add_argument("--year", type=_year, help="年份（默认今年）")
    for sub in (parse, show):  # after the subcommand too; SUPPRESS keeps one given before it
        sub.add_argument("--config", default=argparse.SUPPRESS, help="配置文件（parse 不读取）")


def _year(text: str) -> int:
    if not (text.isdigit() and 2000 <= int(text) <= 2199):
        raise argparse.ArgumentTypeError(f"年份应为四位数字，如 2027（收到 {text}）")
    return int(text)


def cmd_calendar_parse(args: argparse.Namespace) -> int:
    try:
        text = _read(args.file)
    except OSError as exc:
        print(f"无法读取 {args.file}：{exc.strerror or exc}", file=sys.stderr)
        return 1
    result = parse_notice(text, args.year)
    if not isinstance(result, Schedule):
        print(f"通知有 {len(result)} 处问题，没有生成 [calendar]：", file=sys.stderr)
        for number, problem in enumerate(result, 1):
            print(f"  {number}. {problem}", file=sys.stderr)
        return 1
    print(schedule_toml(result), end="")
    print(
        f"{result.year} 年：{len(result.items)} 项安排，放假 {len(result.holidays)} 天，"
        f"调休上班 {len(result.workdays)} 天。用这段 [calendar] 替换配置中原有的一节，"
        "再运行 duban check-config 和 duban calendar show。",
        file=sys.stderr,
    )
    return 0


def _read(name: str) -> str:
    """The notice as saved: UTF-8, or GBK as older Windows editors save Chinese text."""
    if name == "-":
        if sys.stdin.isatty():
            print("请粘贴通知全文，然后按 Ctrl-D 结束：", file=sys.stderr)
        data = sys.stdin.buffer.read()
    else:
        data = Path(name).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def schedule_toml(schedule: Schedule) -> str:
    """The [calendar] section, one comment per item of the notice."""
    lines = [
        f"# {schedule.year} 年节假日安排，"
        f"据《国务院办公厅关于{schedule.year}年部分节假日安排的通知》",
        "# （duban calendar parse 生成；已有其他年份的日期时，把它们并入下面的列表）",
        "[calendar]",
        "holidays = [",
    ]
    for item in schedule.items:
        off = f"{spans(item.holidays, schedule.year)}放假，共{len(item.holidays)}天"
        on = "、".join(written(d, schedule.year) for d in item.workdays)
        on = f"；{on}上班" if on else ""
        lines += [f"    # {item.title}：{off}{on}", *_dates(item.holidays)]
    lines += ["]", "workdays = ["]
    for item in schedule.items:
        if item.workdays:
            lines += [f"    # {item.title}", *_dates(item.workdays)]
    lines.append("]")
    return "\n".join(lines) + "\n"


def _dates(days: tuple[date, ...]) -> Iterator[str]:
    for start in range(0, len(days), _PER_LINE):
        yield "    " + " ".join(f"{d.isoformat()}," for d in days[start : start + _PER_LINE])


def cmd_calendar_show(args: argparse.Namespace, config: Config) -> int:
    year = args.year or datetime.now(ZoneInfo(config.bot.timezone)).year
    print(render_year(config.work_calendar(), year), end="")
    return 0


def render_year(calendar: WorkCalendar, year: int) -> str:
    """Month by month: a grid with 休/班 marks, then each marked run of days and its source."""
    days = [date(year, 1, 1) + timedelta(days=n) for n in range(366)]
    days = [d for d in days if d.year == year]
    working = sum(map(calendar.is_workday, days))
    from_config = sum(calendar.source(d) == "config" for d in days)
    if year in KNOWN_YEARS:
        origin = "内置日历（chinese-calendar）"
        origin += f"，其中 {from_config} 天以配置 [calendar] 为准" if from_config else ""
    elif from_config:
        origin = f"配置 [calendar]（{from_config} 天），其余按周一至周五"
    else:
        origin = f"未内置，配置中也没有：暂按周一至周五计算 → {CALENDAR_REMEDY}"
    out = [
        f"{year} 年工作日历：全年 {working} 个工作日（休 = 放假，班 = 调休上班）",
        f"节假日安排来源：{origin}",
    ]
    for month in range(1, 13):
        out += ["", *_month(calendar, year, month)]
    return "\n".join(out) + "\n"


def _month(calendar: WorkCalendar, year: int, month: int) -> list[str]:
    weeks = Calendar().monthdatescalendar(year, month)
    inside = [d for week in weeks for d in week if d.month == month]
    lines = [
        f"{year} 年 {month} 月    工作日 {sum(map(calendar.is_workday, inside))} 天",
        " ".join(f"{w}  " for w in WEEKDAYS).rstrip(),
    ]
    for week in weeks:
        cells = [_cell(calendar, d) if d.month == month else "    " for d in week]
        lines.append(" ".join(cells).rstrip())

    builtin = WorkCalendar()

    def key(day: date) -> tuple[str | None, str]:
        origin = _SOURCE.get(calendar.source(day), "按周一至周五")
        differs = year in KNOWN_YEARS and builtin.is_workday(day) != calendar.is_workday(day)
        if origin == "配置" and differs:
            origin = "配置，与内置日历不同"
        return _kind(calendar, day), "，".join(filter(None, [calendar.festival(day), origin]))

    for (kind, note), run in groupby(inside, key=key):
        if kind is None:
            continue
        group = list(run)
        when = spans(group, year)
        if kind == "makeup":
            when = "、".join(f"{written(d, year)} 周{WEEKDAYS[d.weekday()]}" for d in group)
        lines.append(f"  {_MARK[kind]} {when}（{note}）")
    return lines


def _kind(calendar: WorkCalendar, day: date) -> str | None:
    """休/班 for the schedule's special days, and for every day the config decides."""
    kind = calendar.special(day)
    if kind is None and calendar.source(day) == "config":
        return "makeup" if calendar.is_workday(day) else "holiday"
    return kind


def _cell(calendar: WorkCalendar, day: date) -> str:
    mark = _kind(calendar, day)
    return f"{day.day:>2}{_MARK[mark] if mark else '  '}"
