"""What the chat simulator shows, as data: the templates in ``templates/`` make the HTML.

Python reads the sandbox log and the cards' JSON (which come from the bot and may hold
anything) into small, typed views; Jinja renders them with autoescaping on, so every piece
of user or bot content is escaped in one place.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal
from urllib.parse import quote
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

from bot.render import cn_date, weekday
from bot.sandbox.markdown import Block, parse_markdown, plain_text
from bot.sandbox.state import Entry

__all__ = [
    "ENV",
    "CardView",
    "Glance",
    "entry_json",
    "glance",
    "render_card",
    "render_entries",
    "render_markdown",
]

# The simulated phones are in China: show times as a member there would see them.
PHONE_TIMEZONE = ZoneInfo("Asia/Shanghai")
TIME_GAP = timedelta(minutes=5)  # show a time divider after this much silence
# A chat shows its latest messages, as a phone does: each change re-renders the chat for
# every open page (bench/sandbox.py), so its cost must not grow with the journal.
CHAT_WINDOW = 200
MESSAGES = "_messages.html"

ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("bot.sandbox", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
    auto_reload=False,
)
ENV.filters["q"] = lambda value: quote(str(value), safe="")
ENV.filters["cn_date"] = cn_date
ENV.filters["weekday"] = weekday


def _macro(template: str, name: str) -> Any:
    return getattr(ENV.get_template(template).module, name)


# --- template cards --------------------------------------------------------------------


@dataclass(frozen=True)
class Button:
    text: str
    key: str
    style: int | None  # WeCom's button style 1-4, None when absent


@dataclass(frozen=True)
class CardView:
    """A template card as the member sees it (WeCom's JSON, read defensively)."""

    card_type: str
    source: str
    title: str
    desc: str
    emphasis: tuple[str, str] | None  # (title, desc)
    quote: tuple[str, str] | None  # (title, text)
    sub_title: str
    rows: tuple[tuple[str, str], ...]  # horizontal_content_list: (keyname, value)
    jumps: tuple[str, ...]
    task_id: str
    response_code: str
    replaced: str  # after an update: the one grey button's label ("" while live)
    buttons: tuple[Button, ...]

    @property
    def clickable(self) -> bool:
        return bool(self.response_code)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def card_view(card: dict[str, Any], *, response_code: str | None) -> CardView:
    title, emph, quote = (
        _dict(card.get(k)) for k in ("main_title", "emphasis_content", "quote_area")
    )
    buttons = [
        Button(_text(b.get("text")), _text(b.get("key")), _style(b.get("style")))
        for b in _list(card.get("button_list"))
    ]
    submit = _dict(card.get("submit_button"))
    if submit.get("key"):
        buttons.append(Button(_text(submit.get("text") or "提交"), _text(submit["key"]), None))
    return CardView(
        card_type=_text(card.get("card_type")),
        source=_text(_dict(card.get("source")).get("desc")),
        title=_text(title.get("title")),
        desc=_text(title.get("desc")),
        emphasis=(_text(emph.get("title")), _text(emph.get("desc")))
        if emph.get("title") or emph.get("desc")
        else None,
        quote=(_text(quote.get("title")), _text(quote.get("quote_text")))
        if quote.get("title") or quote.get("quote_text")
        else None,
        sub_title=_text(card.get("sub_title_text")),
        rows=tuple(
            (_text(r.get("keyname")), _text(r.get("value")))
            for r in _list(card.get("horizontal_content_list"))
        ),
        jumps=tuple(_text(j.get("title")) for j in _list(card.get("jump_list"))),
        task_id=_text(card.get("task_id")),
        response_code=response_code or "",
        replaced=_text(card.get("replace_name") or card.get("replace_text")),
        buttons=tuple(buttons),
    )


def _style(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def render_card(card: dict[str, Any], *, response_code: str | None) -> Markup:
    """A template card as HTML; its live buttons carry what a click posts."""
    return Markup(_macro(MESSAGES, "card")(card_view(card, response_code=response_code)))


def render_markdown(source: str) -> Markup:
    """WeCom's markdown subset as safe HTML (see bot.sandbox.markdown)."""
    return Markup(_macro(MESSAGES, "markdown")(parse_markdown(source)))


# --- conversation ------------------------------------------------------------------------


@dataclass(frozen=True)
class FileView:
    """A file message: its name, its size in words, and where the sandbox serves it."""

    name: str
    size: str  # "21.3 KB"
    media_id: str


def file_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def file_view(body: dict[str, Any]) -> FileView:
    size = body.get("size")
    return FileView(
        _text(body.get("filename")) or "文件",
        file_size(size) if isinstance(size, int) else "",
        _text(body.get("media_id")),
    )


@dataclass(frozen=True)
class Item:
    """One thing in a chat: a time divider, a note (a click), or a message bubble."""

    kind: Literal["time", "note", "bubble"]
    seq: int = 0
    label: str = ""  # time: "03-17 09:00"; note: the clicked button's text
    side: Literal["me", "bot"] = "bot"
    msgtype: str = ""  # bubble: text | markdown | template_card | anything else
    text: str = ""  # text
    blocks: tuple[Block, ...] = ()  # markdown
    card: CardView | None = None  # template_card
    file: FileView | None = None  # file


def _content(body: dict[str, Any]) -> str:
    value = body.get("content")
    return value if isinstance(value, str) else ""


def _clicked(entry: Entry, cards: dict[str, dict[str, Any]]) -> str:
    """The text of the button a click event pressed, as the card showed it."""
    key = _text(entry.body.get("event_key"))
    card = cards.get(_text(entry.body.get("response_code")), {})
    for button in _list(card.get("button_list")):
        if _text(button.get("key")) == key:
            return _text(button.get("text") or key)
    return key


def chat_items(entries: Sequence[Entry], *, window: int = CHAT_WINDOW) -> list[Item]:
    """A chat's items: its last `window` entries, each after a time divider when the chat
    was silent for a while. A click on an older card still names its button."""
    start = max(0, len(entries) - window)
    cards = {
        e.response_code: e.body
        for e in entries[:start]
        if e.msgtype == "template_card" and e.response_code
    }
    items: list[Item] = []
    last_at: datetime | None = None
    for entry in entries[start:]:
        if last_at is None or entry.at - last_at >= TIME_GAP:
            shown = entry.at.astimezone(PHONE_TIMEZONE)
            items.append(Item("time", label=shown.strftime("%m-%d %H:%M")))
        last_at = entry.at
        if entry.channel == "event":
            items.append(Item("note", entry.seq, label=_clicked(entry, cards)))
            continue
        side: Literal["me", "bot"] = "me" if entry.channel == "user" else "bot"
        bubble = Item("bubble", entry.seq, side=side, msgtype=entry.msgtype)
        if entry.msgtype == "text":
            bubble = Item("bubble", entry.seq, side=side, msgtype="text", text=_content(entry.body))
        elif entry.msgtype == "markdown":
            blocks = parse_markdown(_content(entry.body))
            bubble = Item("bubble", entry.seq, side=side, msgtype="markdown", blocks=blocks)
        elif entry.msgtype == "template_card":
            if entry.response_code:
                cards[entry.response_code] = entry.body
            card = card_view(entry.body, response_code=entry.response_code)
            bubble = Item("bubble", entry.seq, side=side, msgtype="template_card", card=card)
        elif entry.msgtype == "file":
            sent = file_view(entry.body)
            bubble = Item("bubble", entry.seq, side=side, msgtype="file", file=sent)
        items.append(bubble)
    return items


def render_entries(
    entries: Sequence[Entry], *, as_member: bool = True, window: int = CHAT_WINDOW
) -> Markup:
    """Log entries as chat HTML, the last `window` of them. ``as_member``: a one-to-one
    chat with the app (the member's own messages on the right); otherwise a group timeline."""
    hidden = max(0, len(entries) - window)
    return Markup(_macro(MESSAGES, "chat")(chat_items(entries, window=window), as_member, hidden))


@dataclass(frozen=True)
class Glance:
    """The last message of a chat, for its row in a list."""

    text: str  # whitespace collapsed; the template shortens it
    card: bool
    file: bool = False


def glance(entries: list[Entry]) -> Glance | None:
    for entry in reversed(entries):
        if entry.msgtype == "text":
            text, card = _content(entry.body), False
        elif entry.msgtype == "markdown":
            text, card = plain_text(_content(entry.body)), False
        elif entry.msgtype == "template_card":
            text, card = _text(_dict(entry.body.get("main_title")).get("title")), True
        elif entry.msgtype == "file":
            return Glance(file_view(entry.body).name, False, file=True)
        else:
            continue
        return Glance(" ".join(text.split()), card)
    return None


def entry_json(entry: Entry) -> dict[str, Any]:
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


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)
