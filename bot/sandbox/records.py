"""What the sandbox log is made of: messages, card updates, used response codes.

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
    msgtype: str  # "text" | "markdown" | "template_card" | "event"
    body: dict[str, Any]  # the msgtype payload as on the wire
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


Record = Entry | CardUpdate | CodeUsed | Mark
