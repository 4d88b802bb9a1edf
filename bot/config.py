"""Load config.toml: interpolate ${ENV}, validate every section, cross-check references.

Every problem is collected, each with its TOML path and a fix in plain Chinese, so an admin
fixes the file in one pass instead of one error per run.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

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
from bot.parser_config import ParserSettings, vocabulary_of, word_conflicts
from domain.rules import PROFILE_13710, LightRules, profile_nodes
from domain.snapshot import NO_OVERRIDES, ReminderOverrides
from handlers.parser import Vocabulary
from scheduler.calendar import KNOWN_YEARS, WorkCalendar
from storage.directory import DepartmentSpec, DirectorySpec, MilestoneSpec, PersonSpec, TaskSpec

DEFAULT_PATH = "config.toml"
# What to do about a year whose holidays duban does not know (README: 添加下一年的节假日安排).
CALENDAR_REMEDY = "把国务院办公厅的放假通知保存为文本，运行 duban calendar parse 通知.txt"
_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_SECTIONS: dict[str, type[BaseModel]] = {
    "bot": BotSettings,
    "wecom": WeComSettings,
    "reminders": ReminderSettings,
    "calendar": CalendarSettings,
    "summaries": SummarySettings,
    "parser": ParserSettings,
}
_LISTS: dict[str, type[BaseModel]] = {
    "departments": DepartmentConfig,
    "people": PersonConfig,
    "tasks": TaskConfig,
    "groups": GroupConfig,
}
# Keys whose values are secrets (the robot webhook carries its key): never quoted back.
_SECRET_KEYS = frozenset({"secret", "token", "encoding_aes_key", "webhook"})
# The secrets a live bot needs, each with the environment variable the README suggests.
_LIVE_REQUIRED = {
    "corp_id": "WECOM_CORP_ID",
    "secret": "WECOM_SECRET",
    "token": "WECOM_TOKEN",
    "encoding_aes_key": "WECOM_AES_KEY",
}


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}：" if self.path else ""
        fix = f" → {self.hint}" if self.hint else ""
        return f"{where}{self.message}{fix}"


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
    more, sections = _validate(raw)
    problems += more
    live = isinstance(raw.get("wecom"), dict) and raw["wecom"].get("mode") == "live"
    if live:
        problems += [
            Problem(
                _path(loc), f"环境变量 {name} 未设置", f"启动前 export {name}=…（密钥不要写进文件）"
            )
            for loc, name in missing
        ]
        wecom, unset = raw.get("wecom", {}), {_path(loc) for loc, _ in missing}
        problems += [
            Problem(
                f"wecom.{key}", "live 模式必须填写", f'写成 {key} = "${{{var}}}" 并设置该环境变量'
            )
            for key, var in _LIVE_REQUIRED.items()
            if not wecom.get(key) and f"wecom.{key}" not in unset
        ]
    if problems:
        raise ConfigError(source, problems)
    warnings: list[Problem] = []
    if missing and not live:
        names = "、".join(dict.fromkeys(name for _, name in missing))
        warnings.append(
            Problem("", f"沙箱模式，未设置的环境变量 {names} 已忽略", "切换到 live 前请设置")
        )
    if not sections["tasks"]:
        warnings.append(
            Problem("tasks", "还没有任务，机器人不会提醒任何人", "用 [[tasks]] 添加重点任务")
        )
    warnings += _lonely_departments(sections)
    warnings += _round_send_time(sections["reminders"])
    warnings += _unknown_calendar_years(sections)
    return Config(**sections, source=source, warnings=tuple(warnings))


# Nothing in a config nests deeper than a milestone in a task's list (4 levels).
_MAX_DEPTH = 16
# C0 and C1 control characters, except tab and line breaks: invisible, and PostgreSQL
# refuses NUL in text outright.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


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
        found = _CONTROL.search(value)
        if found is None:
            return []
        return [
            Problem(
                _path(loc),
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


def _validate(raw: dict[str, Any]) -> tuple[list[Problem], dict[str, Any]]:
    problems: list[Problem] = []
    sections: dict[str, Any] = {}
    known = [*_SECTIONS, *_LISTS]
    for key in raw:
        if key not in known:
            problems.append(_unknown_key((key,), known))
    for name, model in _SECTIONS.items():
        value = raw.get(name, {})
        if not isinstance(value, dict):
            problems.append(Problem(name, "应为一节配置", f"写成 [{name}] 开头的一节"))
            value = {}
        sections[name] = _model(model, value, (name,), problems) or model()
    ids: dict[str, set[str]] = {}
    views: dict[str, Any] = {"calendar": sections["calendar"]}
    for name, model in _LISTS.items():
        value = raw.get(name, [])
        if not isinstance(value, list):
            problems.append(Problem(name, "应为若干条目", f"每一条以 [[{name}]] 开头"))
            value = []
        key = "userid" if name == "people" else "id"
        # Ids of invalid items still count as known, so one typo does not cascade.
        ids[name] = {str(item[key]) for item in value if isinstance(item, dict) and key in item}
        problems += _duplicates(name, key, value)
        items = [_model(model, item, (name, i), problems) for i, item in enumerate(value)]
        sections[name] = tuple(items)
        # An item with a mistake is still checked for the others: its references.
        views[name] = [
            model_ if model_ is not None else _Salvaged(model, raw_item)
            for model_, raw_item in zip(items, value, strict=True)
        ]
    problems += _cross_check(views, ids)
    problems += [Problem(*conflict) for conflict in word_conflicts(sections["parser"])]
    sections = {
        k: tuple(v for v in vs if v is not None) if k in _LISTS else vs
        for k, vs in sections.items()
    }
    problems += _deadlines(sections)
    return problems, sections


def _deadlines(sections: dict[str, Any]) -> list[Problem]:
    """Every task needs a deadline; a 13710 task needs the day it was assigned, and its
    settle node is its deadline unless it gives one."""
    problems: list[Problem] = []
    calendar = WorkCalendar(sections["calendar"].holidays, sections["calendar"].workdays)
    tasks = list(sections["tasks"])
    for i, t in enumerate(tasks):
        if t.profile == PROFILE_13710 and t.assigned is None:
            problems.append(
                Problem(
                    f"tasks[{i}].profile",
                    f"按 13710 办理的任务 {t.id} 缺少交办日期",
                    "添加 assigned = 2027-03-01（交办日期），节点从这一天算起",
                )
            )
        elif t.deadline is None and t.profile == PROFILE_13710:
            settle = profile_nodes(t.assigned, t.major, calendar)[-1].date
            tasks[i] = t.model_copy(update={"deadline": settle})
        elif t.deadline is None:
            problems.append(
                Problem(f"tasks[{i}]", f"任务 {t.id} 缺少截止日期", "添加 deadline = 2027-06-30")
            )
    sections["tasks"] = tuple(tasks)
    return problems


class _Salvaged:
    """What the cross-checks can still read of an item that failed validation: the fields
    that did not fail and are text or lists of text. So a task with a bad date still has
    its unknown department reported; a field with a mistake of its own is left out."""

    _LISTS = frozenset({"partners", "deciders", "milestones", "departments"})

    def __init__(self, model: type[BaseModel], raw: Any):
        self._raw = raw if isinstance(raw, dict) else {}
        try:
            model.model_validate(self._raw)
            self._failed: set[str] = set()
        except ValidationError as exc:
            self._failed = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}

    def __getattr__(self, name: str) -> Any:
        value = None if name in self._failed else self._raw.get(name)
        if isinstance(value, str):
            return value
        if (
            isinstance(value, list)
            and name != "milestones"
            and all(isinstance(v, str) for v in value)
        ):
            return value
        return [] if name in self._LISTS else None


def _model(
    model: type[BaseModel], value: Any, loc: tuple[Any, ...], problems: list[Problem]
) -> Any:
    if not isinstance(value, dict):
        problems.append(Problem(_path(loc), "应为一个表", "用 [[…]] 或 { … } 写一个条目"))
        return None
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        problems += [_translate(model, loc, error) for error in exc.errors()]
        return None


def _translate(model: type[BaseModel], loc: tuple[Any, ...], error: Any) -> Problem:
    where = (*loc, *error["loc"])
    kind, ctx, given = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "extra_forbidden":
        parent = _model_at(model, error["loc"][:-1])
        return _unknown_key(where, list(parent.model_fields) if parent else [])
    path = _path(where)
    secret = where[-1] in _SECRET_KEYS  # never echoed: problems are printed and logged
    if where[-1] == "webhook" and isinstance(given, str):
        path += f" = {_toml(re.sub(r'key=[^&]*', 'key=…', given))}"  # the key is the secret
    elif not secret and (
        (isinstance(given, str | int | float) and not isinstance(given, bool))
        or hasattr(given, "isoformat")
    ):
        path += f" = {_toml(given)}"
    if kind == "duban":
        return Problem(path, error["msg"], ctx.get("hint", ""))
    if kind == "missing":
        return Problem(path, "缺少必填项", f"添加 {where[-1]} = …")
    messages = {
        "string_type": ("应为文本", '用英文双引号括起来，如 "办公室"'),
        "int_type": ("应为整数", "不要加引号，如 8080"),
        "int_parsing": ("应为整数", "不要加引号，如 8080"),
        "int_from_float": ("应为整数", "去掉小数部分"),
        "bool_type": ("应为 true 或 false", "小写，不加引号"),
        "list_type": ("应为列表", '写成 ["a", "b"]'),
        "tuple_type": ("应为列表", '写成 ["a", "b"]'),
        "dict_type": ("应为一个表", "用 { … } 或 [[…]] 写"),
        "model_type": ("应为一个表", "用 { … } 或 [[…]] 写"),
        "date_type": ("应为日期", "写成 2027-03-31，不加引号"),
        "date_parsing": ("日期无效", "写成 2027-03-31，并确认这一天存在"),
        "date_from_datetime_parsing": ("日期无效", "写成 2027-03-31，并确认这一天存在"),
        "date_from_datetime_inexact": ("应为日期，不带时刻", "写成 2027-03-31"),
        "literal_error": ("取值不对", f"只能是 {ctx.get('expected', '')}"),
        "string_too_short": ("不能为空", "填上内容"),
        "string_too_long": ("太长了", f"不超过 {ctx.get('max_length')} 个字"),
        "greater_than_equal": ("太小了", f"不小于 {ctx.get('ge')}"),
        "less_than_equal": ("太大了", f"不大于 {ctx.get('le')}"),
    }
    message, hint = messages.get(kind, (error["msg"], ""))
    return Problem(path, message, hint)


def _model_at(model: type[BaseModel], loc: Sequence[Any]) -> type[BaseModel] | None:
    """The model that owns the key at `loc`, following nested fields and list items."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(str(part))
        if info is None:
            return None
        current = _unwrap(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    while get_origin(annotation) is not None or get_args(annotation):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if not args:
            break
        annotation = args[0]
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            break
    return annotation


def _unknown_key(loc: tuple[Any, ...], known: Iterable[str]) -> Problem:
    guess = difflib.get_close_matches(str(loc[-1]), list(known), n=1, cutoff=0.6)
    hint = f"是否想写 {guess[0]}？" if guess else f"可用的键：{'、'.join(known)}"
    return Problem(_path(loc), "不认识的配置项（会被忽略，所以不允许）", hint)


def _cross_check(sections: dict[str, Any], ids: dict[str, set[str]]) -> list[Problem]:
    problems: list[Problem] = []
    departments, people = ids["departments"], ids["people"]
    names = {d.name: d.id for d in sections["departments"] if isinstance(d.name, str)}

    def department(loc: tuple[Any, ...], value: str) -> None:
        if value in departments:
            return
        if value in names:
            hint = f'这里写部门 id，而不是名称：改成 "{names[value]}"'
        else:
            hint = _suggest(value, departments, "departments 里定义的部门 id")
        problems.append(Problem(f"{_path(loc)} = {_toml(value)}", "没有这个部门", hint))

    def person(loc: tuple[Any, ...], value: str) -> None:
        if value not in people:
            problems.append(
                Problem(
                    f"{_path(loc)} = {_toml(value)}",
                    "没有这个人",
                    _suggest(value, people, "people 里的 userid"),
                )
            )

    for i, d in enumerate(sections["departments"]):
        if d.leader is not None:
            person(("departments", i, "leader"), d.leader)
        for j, contact in enumerate(d.contacts or []):
            person(("departments", i, "contacts", j), contact)
        for j, decider in enumerate(d.deciders):
            person(("departments", i, "deciders", j), decider)
    for i, p in enumerate(sections["people"]):
        if p.department is not None:
            department(("people", i, "department"), p.department)
        elif p.role == "staff":
            problems.append(
                Problem(
                    f"people[{i}]",
                    f"工作人员 {p.name} 没有填写所在部门",
                    'department = "部门 id"；领导和管理员可不填',
                )
            )
    for i, t in enumerate(sections["tasks"]):
        if t.department is not None:
            department(("tasks", i, "department"), t.department)
        for j, partner in enumerate(t.partners):
            if partner == t.department:
                problems.append(
                    Problem(
                        f"tasks[{i}].partners[{j}]",
                        "配合部门与牵头部门相同",
                        "从 partners 中删去牵头部门",
                    )
                )
            else:
                department(("tasks", i, "partners", j), partner)
        for j, contact in enumerate(t.contacts or []):
            person(("tasks", i, "contacts", j), contact)
        for j, m in enumerate(t.milestones):
            if t.deadline is not None and m.date > t.deadline:
                problems.append(
                    Problem(
                        f"tasks[{i}].milestones[{j}].date = {m.date}",
                        f"节点晚于任务 {t.id} 的截止日期 {t.deadline}",
                        "把节点提前，或推后任务的 deadline",
                    )
                )
    for i, g in enumerate(sections["groups"]):
        for j, dep in enumerate((g.departments or []) if g else []):
            department(("groups", i, "departments", j), dep)
    cal = sections["calendar"]
    for day in sorted(set(cal.holidays) & set(cal.workdays)):
        problems.append(
            Problem(f"calendar.workdays = {day}", "这一天同时写在了 holidays 里", "只保留一处")
        )
    return problems


def _duplicates(section: str, key: str, items: list[Any]) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for i, item in enumerate(items):
        ident = item.get(key) if isinstance(item, dict) else None
        if not isinstance(ident, str):
            continue
        if ident in first:
            where = f"{section}[{i}].{key} = {_toml(ident)}"
            problems.append(
                Problem(where, f"与 {section}[{first[ident]}] 重复", "每个编号只能用一次")
            )
        first.setdefault(ident, i)
    return problems


def _unknown_calendar_years(sections: dict[str, Any]) -> list[Problem]:
    """Deadline years whose holidays nobody has told duban: counted as Monday to Friday."""
    calendar = WorkCalendar(sections["calendar"].holidays, sections["calendar"].workdays)
    unknown = sorted({t.due.year for t in sections["tasks"]} - set(KNOWN_YEARS))
    unknown = [year for year in unknown if not calendar.knows(year)]
    if not unknown:
        return []
    listed = "、".join(f"{year} 年" for year in unknown)
    return [
        Problem(
            "calendar",
            f"{listed}的法定节假日和调休安排尚未内置，工作日暂按周一至周五计算",
            f"{CALENDAR_REMEDY}，用输出替换 [calendar] 一节",
        )
    ]


def _round_send_time(reminders: ReminderSettings) -> list[Problem]:
    if reminders.time.minute not in (0, 30):
        return []
    return [
        Problem(
            f'reminders.time = "{reminders.time:%H:%M}"',
            "企业微信建议避开整点和半点发送（此刻消息最多，容易被限流）",
            '改成 "09:10" 这样错开几分钟的时间',
        )
    ]


def _lonely_departments(sections: dict[str, Any]) -> list[Problem]:
    """Departments with tasks but nobody to remind: valid, but the admin should know."""
    staffed = {p.department for p in sections["people"] if p.role == "staff"}
    listed = {d.id for d in sections["departments"] if d.contacts}
    owners = {t.department for t in sections["tasks"]}
    return [
        Problem(
            f"departments[{i}]",
            f"{d.name}有任务但没有联络人，提醒将无人接收",
            "添加该部门的工作人员或 contacts",
        )
        for i, d in enumerate(sections["departments"])
        if d.id in owners and d.id not in staffed | listed
    ]


def _suggest(value: str, known: Iterable[str], what: str) -> str:
    guess = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.5)
    return f'是否想写 "{guess[0]}"？' if guess else f"应为 {what} 之一"


def _path(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        name = _short(str(part))
        out += f"[{part}]" if isinstance(part, int) else (f".{name}" if out else name)
    return out


def _toml(value: Any) -> str:
    return f'"{_short(value)}"' if isinstance(value, str) else _short(str(value))


def _short(text: str, limit: int = 40) -> str:
    """A value as quoted in a problem: its start, not a whole page of it."""
    text = _CONTROL.sub("?", text)
    return text if len(text) <= limit else f"{text[:limit]}…（共 {len(text)} 个字符）"
