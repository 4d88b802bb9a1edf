"""Check each section of config.toml against its model (bot/config_model.py), and every
task's deadline; translate pydantic's errors into problems with path and fix."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from bot.config_checks import cross_check
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
from bot.config_problems import Problem, toml_path, toml_value, unknown_key
from bot.parser_config import ParserSettings, word_conflicts
from domain.rules import PROFILE_13710, profile_nodes
from scheduler.calendar import WorkCalendar

SECTIONS: dict[str, type[BaseModel]] = {
    "bot": BotSettings,
    "wecom": WeComSettings,
    "reminders": ReminderSettings,
    "calendar": CalendarSettings,
    "summaries": SummarySettings,
    "parser": ParserSettings,
}
LISTS: dict[str, type[BaseModel]] = {
    "departments": DepartmentConfig,
    "people": PersonConfig,
    "tasks": TaskConfig,
    "groups": GroupConfig,
}
# Keys whose values are secrets (the robot webhook carries its key): never quoted back.
_SECRET_KEYS = frozenset({"secret", "token", "encoding_aes_key", "webhook"})


def validate(raw: dict[str, Any]) -> tuple[list[Problem], dict[str, Any]]:
    problems: list[Problem] = []
    sections: dict[str, Any] = {}
    known = [*SECTIONS, *LISTS]
    for key in raw:
        if key not in known:
            problems.append(unknown_key((key,), known))
    for name, model in SECTIONS.items():
        value = raw.get(name, {})
        if not isinstance(value, dict):
            problems.append(Problem(name, "应为一节配置", f"写成 [{name}] 开头的一节"))
            value = {}
        sections[name] = _model(model, value, (name,), problems) or model()
    ids: dict[str, set[str]] = {}
    views: dict[str, Any] = {"calendar": sections["calendar"]}
    for name, model in LISTS.items():
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
    problems += cross_check(views, ids)
    problems += [Problem(*conflict) for conflict in word_conflicts(sections["parser"])]
    sections = {
        k: tuple(v for v in vs if v is not None) if k in LISTS else vs for k, vs in sections.items()
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
        problems.append(Problem(toml_path(loc), "应为一个表", "用 [[…]] 或 { … } 写一个条目"))
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
        return unknown_key(where, list(parent.model_fields) if parent else [])
    path = toml_path(where)
    secret = where[-1] in _SECRET_KEYS  # never echoed: problems are printed and logged
    if where[-1] == "webhook" and isinstance(given, str):
        path += f" = {toml_value(re.sub(r'key=[^&]*', 'key=…', given))}"  # the key is the secret
    elif not secret and (
        (isinstance(given, str | int | float) and not isinstance(given, bool))
        or hasattr(given, "isoformat")
    ):
        path += f" = {toml_value(given)}"
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


def _duplicates(section: str, key: str, items: list[Any]) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for i, item in enumerate(items):
        ident = item.get(key) if isinstance(item, dict) else None
        if not isinstance(ident, str):
            continue
        if ident in first:
            where = f"{section}[{i}].{key} = {toml_value(ident)}"
            problems.append(
                Problem(where, f"与 {section}[{first[ident]}] 重复", "每个编号只能用一次")
            )
        first.setdefault(ident, i)
    return problems
