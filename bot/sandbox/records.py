"""What the sandbox log is made of: messages, card updates, used response codes, files.

The state (state.py) keeps them in memory; the journal (journal.py) writes them to a file
as they happen and reads them back when ``duban run`` starts again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Entry:
    seq: int  # increasing (not contiguous: card updates also take a number)
    at: datetime  # sandbox clock
    channel: str  # "app" | "appchat" | "robot" | "user" | "reply" | "event"
    peer: str  # userid for app/user/reply/event; chatid for appchat; robot key for robot
    msgtype: str  # "text" | "markdown" | "template_card" | "file" | "event"
    # The msgtype payload as on the wire; a file message's also names the file and its size.
    body: dict[str, Any]
    msgid: str | None = None
    response_code: str | None = None  # template cards: code for update_template_card


@dataclass(frozen=True)
class CardUpdate:
    """Sent cards with `code` got a new body: for `userids`, or everyone when None."""

    seq: int
    code: str
    userids: tuple[str, ...] | None
    body: dict[str, Any]


@dataclass(frozen=True)
class CodeUsed:
    """A response code has updated its card (WeCom takes each code once)."""

    code: str


@dataclass(frozen=True)
class Mark:
    """Where the counters stood when the journal was compacted."""

    seq: int  # the latest change number
    msgid: int  # the highest MsgId a member's message carried


@dataclass(frozen=True)
class Media:
    """An uploaded file: usable by its owner for 3 days, kept for download while a message
    the log keeps shows it."""

    id: str
    owner: str  # "app" (media/upload: the app and its chats) | "robot:<key>" (that robot only)
    kind: str  # file | image | voice | video
    filename: str
    data: bytes
    uploaded_at: datetime  # sandbox clock


Record = Entry | CardUpdate | CodeUsed | Mark | Media
