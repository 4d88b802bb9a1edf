"""Jinja2 rendering of everything a member reads. Wording lives in bot/templates/."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from handlers.inbound import Reply


def cn_date(value: date | str | None, today: date | None = None) -> str:
    """2027-04-30 → "4月30日"; the year is shown only when it is not this year."""
    if value is None:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    if today is not None and day.year != today.year:
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.month}月{day.day}日"


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
    return env


def render(template: str, data: dict[str, Any]) -> str:
    return environment().get_template(template).render(**data).strip()


def render_reply(reply: Reply) -> dict[str, Any]:
    """A passive reply as stored in the inbox and sent back to WeCom (always text)."""
    return {"msgtype": "text", "content": render(f"replies/{reply.template}.j2", reply.data)}
