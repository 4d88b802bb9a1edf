"""Load config.toml: interpolate ${ENV}, validate every section, cross-check references.

Every problem is collected, each with its TOML path and a fix in plain Chinese, so an admin
fixes the file in one pass instead of one error per run. The checks themselves live in
bot/config_schema.py (each section against its model) and bot/config_checks.py (references
across sections, and warnings); bot/config_problems.py says how a problem is written.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.config_checks import CALENDAR_REMEDY, warnings
from bot.config_model import (
    BotSettings,
    CalendarSettings,
    DepartmentConfig,
    GroupConfig,
    PersonConfig,
    ReminderSettings,
    SummarySettings,
    TaskConfig,
    WeComSettings,
)
from bot.config_problems import CONTROL_CHARACTERS, Problem, toml_path
from bot.config_schema import validate
from bot.parser_config import ParserSettings, vocabulary_of
from domain.rules import LightRules
from domain.snapshot import NO_OVERRIDES, ReminderOverrides
from handlers.parser import Vocabulary
from scheduler.calendar import WorkCalendar
from storage.directory import DepartmentSpec, DirectorySpec, MilestoneSpec, PersonSpec, TaskSpec

__all__ = ["CALENDAR_REMEDY", "Config", "ConfigError", "Problem", "config_path", "load_config"]

DEFAULT_PATH = "config.toml"

_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
# The secrets a live bot needs, each with the environment variable the README suggests.
_LIVE_REQUIRED = {
    "corp_id": "WECOM_CORP_ID",
    "secret": "WECOM_SECRET",
    "token": "WECOM_TOKEN",
    "encoding_aes_key": "WECOM_AES_KEY",
}


class ConfigError(Exception):
    def __init__(self, source: str, problems: Sequence[Problem]):
        super().__init__(f"{source}: {len(problems)} problem(s)")
        self.source = source
        self.problems = list(problems)

    def report(self) -> str:
        lines = [f"配置文件 {self.source} 有 {len(self.problems)} 处问题："]
        lines += [f"  {i}. {p}" for i, p in enumerate(self.problems, 1)]
        return "\n".join(lines)


@dataclass(frozen=True)
class Config:
    bot: BotSettings
    wecom: WeComSettings
    reminders: ReminderSettings
    calendar: CalendarSettings
    summaries: SummarySettings
    parser: ParserSettings
    departments: tuple[DepartmentConfig, ...]
    people: tuple[PersonConfig, ...]
    tasks: tuple[TaskConfig, ...]
    groups: tuple[GroupConfig, ...]
    source: str = "<memory>"
    warnings: tuple[Problem, ...] = field(default=())

    def summary(self) -> str:
        return (
            f"{len(self.departments)} 个部门，{len(self.tasks)} 项任务，{len(self.groups)} 个领导群"
        )

    def work_calendar(self) -> WorkCalendar:
        return WorkCalendar(self.calendar.holidays, self.calendar.workdays)

    def vocabulary(self) -> Vocabulary:
        """The parser's words: the built-in ones and [parser]'s."""
        return vocabulary_of(self.parser)

    def lights(self) -> LightRules:
        return LightRules(self.summaries.warn_days, self.summaries.behind_margin)

    def directory(self) -> DirectorySpec:
        return DirectorySpec(
            departments=tuple(
                DepartmentSpec(
                    d.id,
                    d.name,
                    d.leader,
                    None if d.contacts is None else tuple(d.contacts),
                    tuple(d.deciders),
                )
                for d in self.departments
            ),
            people=tuple(PersonSpec(p.userid, p.name, p.department, p.role) for p in self.people),
            tasks=tuple(
                TaskSpec(
                    id=t.id,
                    title=t.title,
                    department=t.department,
                    deadline=t.due,
                    partners=tuple(t.partners),
                    contacts=None if t.contacts is None else tuple(t.contacts),
                    milestones=tuple(MilestoneSpec(m.date, m.title) for m in t.milestones),
                    assigned=t.assigned,
                    profile=t.profile,
                    major=t.major,
                    reminders=_overrides(t),
                )
                for t in self.tasks
            ),
        )


def _overrides(task: TaskConfig) -> ReminderOverrides:
    own = task.reminders
    if own is None:
        return NO_OVERRIDES
    days = None if own.days_before is None else tuple(own.days_before)
    return ReminderOverrides(days_before=days, quiet=own.quiet)


def config_path(given: str | None) -> Path:
    """--config, else $DUBAN_CONFIG, else ./config.toml."""
    return Path(given or os.environ.get("DUBAN_CONFIG") or DEFAULT_PATH)


def load_config(path: str | Path, env: Mapping[str, str] | None = None) -> Config:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            str(path),
            [
                Problem(
                    "",
                    "找不到配置文件",
                    "复制 config.example.toml 为 config.toml 后修改，或用 --config 指定",
                )
            ],
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            str(path), [Problem("", f"无法读取配置文件（{exc}）", "检查文件权限和 UTF-8 编码")]
        ) from None
    env = os.environ if env is None else env
    return parse_config(text, source=str(path), env=env, empty_is_a_problem=True)


def parse_config(
    text: str,
    *,
    source: str = "<memory>",
    env: Mapping[str, str] = {},
    empty_is_a_problem: bool = False,
) -> Config:
    """The config in `text`. A file with nothing in it (`empty_is_a_problem`, as every
    command reads one) is a problem; in memory, "" means every default."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(source, [_syntax_problem(exc)]) from None
    except RecursionError:
        raise ConfigError(
            source,
            [
                Problem(
                    "",
                    f"嵌套超过 {_MAX_DEPTH} 层，无法读取",
                    "配置项最多嵌套几层，检查括号是否成对",
                )
            ],
        ) from None
    if not raw and empty_is_a_problem:
        raise ConfigError(
            source,
            [Problem("", "配置文件是空的", "复制 config.example.toml 的内容后按本单位情况修改")],
        )
    if _depth(raw) > _MAX_DEPTH:
        raise ConfigError(
            source,
            [Problem("", f"嵌套超过 {_MAX_DEPTH} 层", "配置项最多嵌套几层，检查括号是否成对")],
        )
    raw, missing = _interpolate(raw, env, ())
    problems = _control_characters(raw, ())
    more, sections = validate(raw)
    problems += more
    live = isinstance(raw.get("wecom"), dict) and raw["wecom"].get("mode") == "live"
    if live:
        problems += [
            Problem(
                toml_path(loc),
                f"环境变量 {name} 未设置",
                f"启动前 export {name}=…（密钥不要写进文件）",
            )
            for loc, name in missing
        ]
        wecom, unset = raw.get("wecom", {}), {toml_path(loc) for loc, _ in missing}
        problems += [
            Problem(
                f"wecom.{key}", "live 模式必须填写", f'写成 {key} = "${{{var}}}" 并设置该环境变量'
            )
            for key, var in _LIVE_REQUIRED.items()
            if not wecom.get(key) and f"wecom.{key}" not in unset
        ]
    if problems:
        raise ConfigError(source, problems)
    notes: list[Problem] = []
    if missing and not live:
        names = "、".join(dict.fromkeys(name for _, name in missing))
        notes.append(
            Problem("", f"沙箱模式，未设置的环境变量 {names} 已忽略", "切换到 live 前请设置")
        )
    if not sections["tasks"]:
        notes.append(
            Problem("tasks", "还没有任务，机器人不会提醒任何人", "用 [[tasks]] 添加重点任务")
        )
    notes += warnings(sections)
    return Config(**sections, source=source, warnings=tuple(notes))


# Nothing in a config nests deeper than a milestone in a task's list (4 levels).
_MAX_DEPTH = 16


def _depth(value: Any) -> int:
    """How deeply `value` nests (without recursion, whatever the input)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if level > _MAX_DEPTH:
            break
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


def _control_characters(value: Any, loc: tuple[Any, ...]) -> list[Problem]:
    """Every string holding an invisible control character (a NUL, say), by its path."""
    if isinstance(value, str):
        found = CONTROL_CHARACTERS.search(value)
        if found is None:
            return []
        return [
            Problem(
                toml_path(loc),
                f"含有不可见的控制字符 U+{ord(found[0]):04X}（第 {found.start() + 1} 个字符）",
                "删去这个字符后重新输入这一项",
            )
        ]
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _control_characters(item, (*loc, key))]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _control_characters(item, (*loc, i))]
    return []


def _syntax_problem(exc: tomllib.TOMLDecodeError) -> Problem:
    # tomllib says "... (at line 12, column 5)"; keep the position, explain the rest.
    where = re.search(r"at line (\d+), column (\d+)", str(exc))
    at = f"第 {where[1]} 行第 {where[2]} 列" if where else "文件中"
    detail = re.sub(r"\s*\(at .*\)$", "", str(exc))
    return Problem(
        "",
        f"TOML 语法错误，位于{at}（{detail}）",
        "检查引号是否成对、日期是否存在（如 2027-02-30 不存在）、键名后是否有 =",
    )


def _interpolate(
    value: Any, env: Mapping[str, str], loc: tuple[Any, ...]
) -> tuple[Any, list[tuple[tuple[Any, ...], str]]]:
    """Replace ${VAR} and ${VAR:-default} in every string; report variables that are not set."""
    missing: list[tuple[tuple[Any, ...], str]] = []
    if isinstance(value, str):

        def replace(match: re.Match[str]) -> str:
            name, default = match[1], match[2]
            if name in env:
                return env[name]
            if default is not None:
                return default
            missing.append((loc, name))
            return ""

        return _ENV.sub(replace, value), missing
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            result[key], found = _interpolate(item, env, (*loc, key))
            missing += found
        return result, missing
    if isinstance(value, list):
        items = []
        for index, item in enumerate(value):
            new, found = _interpolate(item, env, (*loc, index))
            items.append(new)
            missing += found
        return items, missing
    return value, missing
