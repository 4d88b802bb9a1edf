"""The chat simulator: a phone-like view of what each member sees from the bot.

Server-rendered HTML from Jinja2 templates (``templates/``, autoescaped; view.py prepares
the data) plus a little vanilla JS. Every URL a page uses is relative, because the sandbox
app is mounted under a prefix (``/sandbox``) on the bot's own port. The browser only
inserts HTML the server rendered.
"""

from __future__ import annotations

import mimetypes
from importlib import resources
from urllib.parse import quote

import aiohttp
from aiohttp import web

from bot.sandbox.driver import CallbackResult, SandboxDriver
from bot.sandbox.home import add_home
from bot.sandbox.panel import Reminders
from bot.sandbox.records import Entry
from bot.sandbox.responses import (
    JSON,
    json_error,
    json_response,
    page,
    read_json,
    wait_for_news,
)
from bot.sandbox.state import SandboxState
from bot.sandbox.view import CHAT_WINDOW, dumps, entry_json, render_entries

__all__ = ["add_pages"]

MAX_TEXT_CHARS = 2048  # what the simulator accepts in one typed message
_STATIC = {
    "sandbox.css": "text/css",
    "chat.js": "application/javascript",
    "index.js": "application/javascript",
}


def attachment(filename: str) -> str:
    """A Content-Disposition that keeps a Chinese file name (RFC 6266 filename*), with a
    plain fallback for old clients."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_"
                       for c in filename)  # fmt: skip
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def add_pages(
    app: web.Application,
    state: SandboxState,
    driver: SandboxDriver,
    *,
    reminders: Reminders | None = None,
) -> None:
    """Add the chat simulator's pages and JSON endpoints to the sandbox app.

    `reminders` is the bot's reminder tick for the index page's 「提醒」 panel; without
    it (a sandbox that is not the bot's) the panel is not shown."""

    def user_or_404(request: web.Request, *, api: bool = False) -> str:
        userid = request.match_info["userid"]
        if userid not in state.users:
            message = f"沙箱里没有成员 {userid}"
            if api:
                raise web.HTTPNotFound(text=dumps({"error": message}), content_type=JSON)
            raise web.HTTPNotFound(text=message)
        return userid

    def timeline(kind: str, peer: str) -> list[Entry]:
        return state.entries(channel="robot" if kind == "group" else "appchat", peer=peer)

    async def chat(request: web.Request) -> web.Response:
        userid = user_or_404(request)
        return page(
            "chat.html",
            userid=userid,
            name=state.users[userid],
            seq=state.last_seq,
            messages=render_entries(state.conversation(userid)),
        )

    async def group(request: web.Request) -> web.Response:
        kind = "group" if request.match_info.get("kind", "group") == "group" else "appchat"
        key = request.match_info["key"]
        names = state.robots if kind == "group" else state.chats
        if kind == "group" and key not in state.robots:
            raise web.HTTPNotFound(text=f"沙箱里没有群机器人 {key}")
        return page(
            "group.html",
            kind=kind,
            key=key,
            name=names.get(key, key),
            seq=state.last_seq,
            messages=render_entries(timeline(kind, key), as_member=False),
        )

    async def media(request: web.Request) -> web.Response:
        """A file sent to a chat, as the member downloads it (WeCom keeps a sent file)."""
        found = state.media(request.match_info["media_id"])
        if found is None:
            raise web.HTTPNotFound(text="这个文件已不在沙箱中（沙箱只保留最近的消息和文件）")
        return web.Response(
            body=found.data,
            content_type=mimetypes.guess_type(found.filename)[0] or "application/octet-stream",
            headers={"Content-Disposition": attachment(found.filename)},
        )

    async def static(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in _STATIC:
            raise web.HTTPNotFound()
        text = resources.files("bot.sandbox").joinpath("templates", name).read_text("utf-8")
        return web.Response(text=text, content_type=_STATIC[name], charset="utf-8")

    def answered(result: CallbackResult, **extra: object) -> web.Response:
        return json_response(
            {"status": result.status, "error": result.error, "seq": state.last_seq, **extra}
        )

    async def api_chat(request: web.Request) -> web.Response:
        userid = user_or_404(request, api=True)
        data = await read_json(request)
        text = data.get("text")
        if not isinstance(text, str) or not text.strip():
            return json_error(400, "消息不能为空")
        if len(text) > MAX_TEXT_CHARS:
            return json_error(400, f"消息太长（最多 {MAX_TEXT_CHARS} 字）")
        try:
            result = await driver.send_text(userid, text)
        except TimeoutError:
            return json_error(504, "机器人 5 秒内没有应答（企业微信会重试）")
        except aiohttp.ClientError as exc:
            return json_error(502, f"连不上机器人的回调地址：{exc}")
        return answered(result, reply_text=result.reply_text)

    async def api_click(request: web.Request) -> web.Response:
        userid = user_or_404(request, api=True)
        data = await read_json(request)
        fields = {k: data.get(k) for k in ("response_code", "event_key", "task_id")}
        if not all(isinstance(v, str) and v for v in fields.values()):
            return json_error(400, "缺少 response_code / event_key / task_id")
        card_type = data.get("card_type")
        if not isinstance(card_type, str) or not card_type:
            card_type = "button_interaction"
        try:
            result = await driver.click(
                userid,
                response_code=str(fields["response_code"]),
                event_key=str(fields["event_key"]),
                task_id=str(fields["task_id"]),
                card_type=card_type,
            )
        except TimeoutError:
            return json_error(504, "机器人 5 秒内没有应答（企业微信会重试）")
        except aiohttp.ClientError as exc:
            return json_error(502, f"连不上机器人的回调地址：{exc}")
        return answered(result)

    def conversation_json(entries: list[Entry], *, as_member: bool) -> web.Response:
        return json_response(
            {
                "seq": state.last_seq,
                "html": render_entries(entries, as_member=as_member),
                "messages": [entry_json(e) for e in entries[-CHAT_WINDOW:]],
            }
        )

    async def api_conversation(request: web.Request) -> web.Response:
        userid = user_or_404(request, api=True)
        await wait_for_news(state, request)
        return conversation_json(state.conversation(userid), as_member=True)

    async def api_timeline(request: web.Request) -> web.Response:
        await wait_for_news(state, request)
        entries = timeline(request.match_info["kind"], request.match_info["key"])
        return conversation_json(entries, as_member=False)

    add_home(app, state, driver, reminders)
    app.router.add_get("/chat/{userid}", chat)
    app.router.add_get("/{kind:group|appchat}/{key}", group)
    app.router.add_get("/static/{name}", static)
    app.router.add_get("/media/{media_id}", media)
    app.router.add_post("/api/chat/{userid}", api_chat)
    app.router.add_post("/api/click/{userid}", api_click)
    app.router.add_get("/api/conversation/{userid}", api_conversation)
    app.router.add_get("/api/{kind:group|appchat}/{key}", api_timeline)
