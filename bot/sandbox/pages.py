"""The chat simulator: a phone-like view of what each member sees from the bot.

Server-rendered HTML (Jinja2, autoescaped) plus a little vanilla JS. Every URL a page
uses is relative, because the sandbox app is mounted under a prefix (``/sandbox``) on
the bot's own port. Message bodies are rendered to HTML here, on the server, with every
piece of user or bot content escaped; the browser only inserts that HTML.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from importlib import resources
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import aiohttp
import jinja2
from aiohttp import web
from markupsafe import Markup

from bot.sandbox.driver import SandboxDriver
from bot.sandbox.state import Entry, SandboxState

__all__ = ["add_pages", "render_card", "render_entries", "render_markdown"]

MAX_TEXT_CHARS = 2048  # what the simulator accepts in one typed message
MAX_WAIT_S = 30.0
_JSON = "application/json"
_STATIC = {"sandbox.css": "text/css", "chat.js": "application/javascript"}
_TIME_GAP = timedelta(minutes=5)  # show a time divider after this much silence

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("bot.sandbox", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["q"] = lambda value: quote(str(value), safe="")

# --- markdown (the WeCom subset) -------------------------------------------------------

_FONT = re.compile(
    r"&lt;font\s+color=(?:&quot;|&#x27;)?(info|comment|warning)(?:&quot;|&#x27;)?&gt;"
    r"(.*?)&lt;/font&gt;",
    re.IGNORECASE,
)
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")

# The simulated phones are in China: show times as a member there would see them.
PHONE_TIMEZONE = ZoneInfo("Asia/Shanghai")


def _inline(text: str) -> str:
    out = html.escape(text, quote=True)
    out = _CODE.sub(r"<code>\1</code>", out)
    out = _FONT.sub(r'<span class="md-\1">\2</span>', out)
    out = _BOLD.sub(r"<b>\1</b>", out)
    out = _LINK.sub(r'<a href="\2" target="_blank" rel="noopener noreferrer">\1</a>', out)
    return out


def render_markdown(source: str) -> str:
    """Render WeCom's markdown subset to safe HTML: headings, bold, links, quotes,
    inline code and ``<font color="info|comment|warning">``. Everything else is text."""
    blocks: list[str] = []
    para: list[str] = []
    quote_lines: list[str] = []

    def flush() -> None:
        if para:
            blocks.append('<p class="md-p">' + "<br>".join(para) + "</p>")
            para.clear()
        if quote_lines:
            blocks.append(
                '<blockquote class="md-quote">' + "<br>".join(quote_lines) + "</blockquote>"
            )
            quote_lines.clear()

    for line in source.replace("\r\n", "\n").split("\n"):
        heading = _HEADING.match(line)
        if heading:
            flush()
            level = len(heading.group(1))
            blocks.append(f'<h{level} class="md-h">{_inline(heading.group(2))}</h{level}>')
        elif line.startswith(">"):
            if para:
                flush()
            quote_lines.append(_inline(line[1:].lstrip()))
        elif not line.strip():
            flush()
        else:
            if quote_lines:
                flush()
            para.append(_inline(line))
    flush()
    return "".join(blocks)


def _text_html(text: str) -> str:
    return html.escape(text, quote=True).replace("\n", "<br>")


# --- template cards --------------------------------------------------------------------


def _s(value: Any) -> str:
    return html.escape(str(value), quote=True) if value not in (None, "") else ""


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def render_card(card: dict[str, Any], *, response_code: str | None) -> str:
    """A template card as the member sees it; buttons post click events."""
    parts: list[str] = []
    card_type = str(card.get("card_type") or "")
    source = _dict(card.get("source"))
    if source.get("desc"):
        parts.append(f'<div class="card-source">{_s(source["desc"])}</div>')
    title = _dict(card.get("main_title"))
    if title.get("title"):
        parts.append(f'<div class="card-title">{_s(title["title"])}</div>')
    if title.get("desc"):
        parts.append(f'<div class="card-desc">{_s(title["desc"])}</div>')
    emph = _dict(card.get("emphasis_content"))
    if emph.get("title") or emph.get("desc"):
        parts.append(
            f'<div class="card-emph"><div class="card-emph-title">{_s(emph.get("title"))}</div>'
            f'<div class="card-emph-desc">{_s(emph.get("desc"))}</div></div>'
        )
    quote_area = _dict(card.get("quote_area"))
    if quote_area.get("title") or quote_area.get("quote_text"):
        parts.append(
            f'<div class="card-quote"><b>{_s(quote_area.get("title"))}</b>'
            f"<div>{_text_html(str(quote_area.get('quote_text') or ''))}</div></div>"
        )
    if card.get("sub_title_text"):
        parts.append(f'<div class="card-sub">{_text_html(str(card["sub_title_text"]))}</div>')
    rows = _list(card.get("horizontal_content_list"))
    if rows:
        items = "".join(
            f"<dt>{_s(row.get('keyname'))}</dt><dd>{_s(row.get('value'))}</dd>" for row in rows
        )
        parts.append(f'<dl class="card-kv">{items}</dl>')
    jumps = _list(card.get("jump_list"))
    if jumps:
        items = "".join(f"<li>{_s(j.get('title'))}</li>" for j in jumps)
        parts.append(f'<ul class="card-jumps">{items}</ul>')
    task_id = str(card.get("task_id") or "")
    replaced = card.get("replace_name") or card.get("replace_text")
    buttons = _list(card.get("button_list"))
    submit = _dict(card.get("submit_button"))
    if submit.get("key"):
        buttons = [*buttons, {"text": submit.get("text") or "提交", "key": submit["key"]}]
    if replaced:
        parts.append(
            f'<div class="card-buttons"><button class="card-btn done" disabled>'
            f"{_s(replaced)}</button></div>"
        )
    elif buttons:
        clickable = bool(response_code)
        rendered = []
        for button in buttons:
            style = button.get("style")
            style_class = f" style-{int(style)}" if isinstance(style, int) else ""
            attrs = (
                f' data-key="{_s(button.get("key"))}" data-task="{_s(task_id)}"'
                f' data-code="{_s(response_code)}" data-type="{_s(card_type)}"'
            )
            disabled = "" if clickable else " disabled"
            rendered.append(
                f'<button type="button" class="card-btn{style_class}"{attrs}{disabled}>'
                f"{_s(button.get('text'))}</button>"
            )
        parts.append(f'<div class="card-buttons">{"".join(rendered)}</div>')
    if not parts:
        parts.append(f'<div class="card-title">[模板卡片 {_s(card_type)}]</div>')
    return f'<div class="card" data-card-type="{_s(card_type)}">{"".join(parts)}</div>'


# --- conversation ------------------------------------------------------------------------


def _content(body: dict[str, Any]) -> str:
    value = body.get("content")
    return value if isinstance(value, str) else ""


def _clicked_label(entry: Entry, cards: dict[str, dict[str, Any]]) -> str:
    body = entry.body
    key = str(body.get("event_key") or "")
    card = cards.get(str(body.get("response_code") or ""), {})
    buttons = _list(card.get("button_list"))
    for button in buttons:
        if str(button.get("key")) == key:
            return str(button.get("text") or key)
    return key


def _bubble(side: str, inner: str, *, seq: int, extra: str = "") -> str:
    avatar = '<div class="avatar">督</div>' if side == "bot" else '<div class="avatar me">我</div>'
    return (
        f'<div class="msg {side}{extra}" data-seq="{seq}">'
        f'{avatar}<div class="bubble">{inner}</div></div>'
    )


def render_entries(entries: Iterable[Entry], *, as_member: bool = True) -> str:
    """Render log entries as chat HTML. ``as_member``: a one-to-one chat with the app
    (the member's own messages on the right); otherwise a group timeline."""
    html_parts: list[str] = []
    last_at: datetime | None = None
    cards: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if last_at is None or entry.at - last_at >= _TIME_GAP:
            shown = entry.at.astimezone(PHONE_TIMEZONE)
            html_parts.append(f'<div class="time">{shown.strftime("%m-%d %H:%M")}</div>')
        last_at = entry.at
        if entry.channel == "event":
            label = _clicked_label(entry, cards)
            html_parts.append(
                f'<div class="note" data-seq="{entry.seq}">你点击了「{_s(label)}」</div>'
            )
            continue
        side = "me" if entry.channel == "user" else "bot"
        if entry.msgtype == "text":
            inner = _text_html(_content(entry.body))
        elif entry.msgtype == "markdown":
            inner = f'<div class="md">{render_markdown(_content(entry.body))}</div>'
        elif entry.msgtype == "template_card":
            if entry.response_code:
                cards[entry.response_code] = entry.body
            inner = render_card(entry.body, response_code=entry.response_code)
            html_parts.append(_bubble(side, inner, seq=entry.seq, extra=" card-msg"))
            continue
        else:
            inner = f'<span class="muted">[{_s(entry.msgtype)} 消息，沙箱暂不显示]</span>'
        html_parts.append(_bubble(side, inner, seq=entry.seq))
    if not html_parts:
        empty = "还没有消息。" if as_member else "群里还没有消息。"
        html_parts.append(f'<div class="empty">{empty}</div>')
    return "".join(html_parts)


def _entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "channel": entry.channel,
        "peer": entry.peer,
        "msgtype": entry.msgtype,
        "body": entry.body,
        "msgid": entry.msgid,
        "response_code": entry.response_code,
    }


def _preview(entries: list[Entry]) -> str:
    for entry in reversed(entries):
        if entry.msgtype in ("text", "markdown"):
            text = _content(entry.body)
        elif entry.msgtype == "template_card":
            text = "[卡片] " + str(_dict(entry.body.get("main_title")).get("title") or "")
        else:
            continue
        text = " ".join(text.split())
        return text[:40] + ("…" if len(text) > 40 else "")
    return ""


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


# --- routes ------------------------------------------------------------------------------


def add_pages(app: web.Application, state: SandboxState, driver: SandboxDriver) -> None:
    """Add the chat simulator's pages and JSON endpoints to the sandbox app."""

    def page(template: str, **context: Any) -> web.Response:
        text = _env.get_template(template).render(**context)
        return web.Response(text=text, content_type="text/html", charset="utf-8")

    def user_or_404(request: web.Request, *, api: bool = False) -> str:
        userid = request.match_info["userid"]
        if userid not in state.users:
            message = f"沙箱里没有成员 {userid}"
            if api:
                raise web.HTTPNotFound(text=_dumps({"error": message}), content_type=_JSON)
            raise web.HTTPNotFound(text=message)
        return userid

    def json_error(status: int, message: str) -> web.Response:
        return web.json_response({"error": message}, status=status, dumps=_dumps)

    async def read_json(request: web.Request) -> dict[str, Any]:
        try:
            data = await request.json()
        except (ValueError, UnicodeDecodeError):
            data = None
        if not isinstance(data, dict):
            raise web.HTTPBadRequest(
                text=_dumps({"error": "请求不是 JSON 对象"}), content_type=_JSON
            )
        return data

    def wait_seconds(request: web.Request) -> tuple[int, float]:
        try:
            after = int(request.query.get("after", "0"))
            wait = float(request.query.get("wait", "0"))
        except ValueError:
            raise web.HTTPBadRequest(
                text=_dumps({"error": "after/wait 参数无效"}), content_type=_JSON
            ) from None
        return after, max(0.0, min(wait, MAX_WAIT_S))

    async def index(request: web.Request) -> web.Response:
        people = []
        for userid, name in state.users.items():
            conv = state.conversation(userid)
            people.append(
                {
                    "userid": userid,
                    "name": name,
                    "count": sum(1 for e in conv if e.channel in ("app", "reply")),
                    "preview": _preview(conv),
                }
            )
        groups = []
        for key, name in state.robots.items():
            entries = state.entries(channel="robot", peer=key)
            groups.append(
                {"key": key, "name": name, "count": len(entries), "preview": _preview(entries)}
            )
        chat_ids = dict(state.chats)
        for entry in state.entries(channel="appchat"):
            chat_ids.setdefault(entry.peer, entry.peer)
        chats = []
        for chatid, name in chat_ids.items():
            entries = state.entries(channel="appchat", peer=chatid)
            chats.append(
                {
                    "chatid": chatid,
                    "name": name,
                    "count": len(entries),
                    "preview": _preview(entries),
                }
            )
        return page(
            "index.html",
            people=people,
            groups=groups,
            chats=chats,
            corp_id=state.corp_id,
            agent_id=state.agent_id,
            callback_url=driver.callback_url,
        )

    async def chat(request: web.Request) -> web.Response:
        userid = user_or_404(request)
        return page(
            "chat.html",
            userid=userid,
            name=state.users[userid],
            seq=state.last_seq,
            messages=Markup(render_entries(state.conversation(userid))),
        )

    def timeline(kind: str, peer: str) -> list[Entry]:
        return state.entries(channel="robot" if kind == "group" else "appchat", peer=peer)

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
            messages=Markup(render_entries(timeline(kind, key), as_member=False)),
        )

    async def static(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in _STATIC:
            raise web.HTTPNotFound()
        text = resources.files("bot.sandbox").joinpath("templates", name).read_text("utf-8")
        return web.Response(text=text, content_type=_STATIC[name], charset="utf-8")

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
        return web.json_response(
            {
                "status": result.status,
                "reply_text": result.reply_text,
                "error": result.error,
                "seq": state.last_seq,
            },
            dumps=_dumps,
        )

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
        return web.json_response(
            {"status": result.status, "error": result.error, "seq": state.last_seq}, dumps=_dumps
        )

    async def wait_then(after: int, wait: float) -> None:
        if state.last_seq <= after and wait > 0:
            await state.wait_for_change(after, wait)

    async def api_conversation(request: web.Request) -> web.Response:
        userid = user_or_404(request, api=True)
        after, wait = wait_seconds(request)
        await wait_then(after, wait)
        entries = state.conversation(userid)
        return web.json_response(
            {
                "seq": state.last_seq,
                "html": render_entries(entries),
                "messages": [_entry_json(e) for e in entries],
            },
            dumps=_dumps,
        )

    async def api_timeline(request: web.Request) -> web.Response:
        kind = request.match_info["kind"]
        key = request.match_info["key"]
        after, wait = wait_seconds(request)
        await wait_then(after, wait)
        entries = timeline(kind, key)
        return web.json_response(
            {
                "seq": state.last_seq,
                "html": render_entries(entries, as_member=False),
                "messages": [_entry_json(e) for e in entries],
            },
            dumps=_dumps,
        )

    app.router.add_get("/", index)
    app.router.add_get("/chat/{userid}", chat)
    app.router.add_get("/{kind:group|appchat}/{key}", group)
    app.router.add_get("/static/{name}", static)
    app.router.add_post("/api/chat/{userid}", api_chat)
    app.router.add_post("/api/click/{userid}", api_click)
    app.router.add_get("/api/conversation/{userid}", api_conversation)
    app.router.add_get("/api/{kind:group|appchat}/{key}", api_timeline)
