"""Jinja2 rendering of everything a member reads. Wording lives in bot/templates/."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from handlers.inbound import Reply


def _day(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def cn_date(value: date | str | None, today: date | str | None = None) -> str:
    """2027-04-30 → "4月30日"; the year is shown only when it is not this year."""
    if value is None:
        return ""
    day = _day(value)
    if today is not None and day.year != _day(today).year:
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.month}月{day.day}日"


def weekday(value: date | str) -> str:
    """2027-04-30 → "周五"."""
    return "周" + "一二三四五六日"[_day(value).weekday()]


def names(people: Iterable[str], nobody: str = "领导") -> str:
    """People named in a sentence: "王新会、邓红军"; `nobody` when there is none."""
    return "、".join(people) or nobody


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis marking a cut (WeCom's card fields have caps)."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("bot", "templates"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,  # plain text and WeCom markdown, never HTML
        auto_reload=False,  # templates change with a deploy; no stat() per message
    )
    env.filters["cn_date"] = cn_date
    env.filters["weekday"] = weekday
    env.filters["clip"] = clip
    env.filters["names"] = names
    return env


def render(template: str, data: dict[str, Any]) -> str:
    return environment().get_template(template).render(**data).strip()


def render_json(template: str, data: dict[str, Any]) -> dict[str, Any]:
    """A JSON body (a template card) whose wording lives in a template."""
    value: dict[str, Any] = json.loads(environment().get_template(template).render(**data))
    return value


def render_reply(reply: Reply) -> dict[str, Any]:
    """A passive reply as stored in the inbox and sent back to WeCom (always text)."""
    return {"msgtype": "text", "content": render(f"replies/{reply.template}.j2", reply.data)}
