"""The sandbox's index page: members, groups and app chats, and the 「提醒」 panel.

The lists follow the log by long-poll (unread badges grow as messages arrive); the panel's
buttons run the bot's reminder tick through the `Reminders` callable the bot passed in.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.sandbox.driver import SandboxDriver
from bot.sandbox.panel import ACTIONS, Panel, Reminders
from bot.sandbox.records import Entry
from bot.sandbox.responses import json_error, json_response, page, read_json, wait_for_news
from bot.sandbox.state import CONVERSATION, SandboxState
from bot.sandbox.view import ENV, Glance, glance

log = logging.getLogger(__name__)

HOME = "_home.html"
_PAGES = {"robot": "group", "appchat": "appchat"}  # the page that shows a channel


@dataclass(frozen=True)
class Row:
    page: str  # "chat" | "group" | "appchat": the link is page/key
    key: str  # userid, robot key or chatid
    name: str
    count: int  # messages from the bot
    last: Glance | None


def rows(state: SandboxState) -> dict[str, list[Row]]:
    """The index page's three lists: members, robot groups, app chats (one pass over the
    log: the page follows every change)."""
    chats: defaultdict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in state.entries():
        kind = "chat" if entry.channel in CONVERSATION else _PAGES.get(entry.channel, "")
        chats[(kind, entry.peer)].append(entry)

    def row(kind: str, key: str, name: str) -> Row:
        entries = chats.get((kind, key), [])
        mine = [e for e in entries if e.channel in ("app", "reply")] if kind == "chat" else entries
        return Row(kind, key, name, len(mine), glance(entries))

    chat_ids = dict(state.chats)
    for kind, key in chats:
        if kind == "appchat":
            chat_ids.setdefault(key, key)
    return {
        "people": [row("chat", userid, name) for userid, name in state.users.items()],
        "groups": [row("group", key, name) for key, name in state.robots.items()],
        "chats": [row("appchat", chatid, name) for chatid, name in chat_ids.items()],
    }


def _render(macro: str, *args: Any) -> str:
    return str(getattr(ENV.get_template(HOME).module, macro)(*args))


def add_home(
    app: web.Application,
    state: SandboxState,
    driver: SandboxDriver,
    reminders: Reminders | None,
) -> None:
    async def panel_now() -> Panel | None:
        """How the reminders stand; None when the bot cannot say (its database is down)."""
        if reminders is None:
            return None
        try:
            return await reminders(None)
        except Exception:
            log.exception("the sandbox's reminder panel could not ask the bot")
            return None

    async def index(request: web.Request) -> web.Response:
        return page(
            "index.html",
            lists=rows(state),
            seq=state.last_seq,
            panel=await panel_now(),
            has_panel=reminders is not None,
            corp_id=state.corp_id,
            agent_id=state.agent_id,
            callback_url=driver.callback_url,
        )

    async def api_index(request: web.Request) -> web.Response:
        await wait_for_news(state, request)
        return json_response({"seq": state.last_seq, "html": _render("lists", rows(state))})

    async def api_remind(request: web.Request) -> web.Response:
        if reminders is None:
            return json_error(404, "这个沙箱没有接上机器人的提醒")
        data = await read_json(request)
        action = data.get("action")
        if action not in ACTIONS:
            return json_error(400, "action 只能是 today 或 next")
        try:
            panel = await reminders(action)
        except Exception:
            log.exception("the sandbox's reminder button %s failed", action)
            return json_error(503, "机器人没能运行提醒，请查看 duban run 的日志")
        ran = panel.ran
        return json_response(
            {
                "queued": ran.queued if ran else 0,
                "planned": ran.planned if ran else 0,
                "day": ran.day.date.isoformat() if ran and ran.day else None,
                "message": _render("outcome", ran).strip(),
                "html": _render("panel_body", panel),
                "seq": state.last_seq,
            }
        )

    app.router.add_get("/", index)
    app.router.add_get("/api/index", api_index)
    app.router.add_post("/api/remind", api_remind)
