"""In-memory state of the sandbox WeCom: who got what, tokens, rate counters, faults.

The sandbox API (api.py) mutates it over HTTP; the chat-simulator page and the
user-message driver read and record into it directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import secrets
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.wecom import limits

CHANNELS = frozenset({"app", "appchat", "robot", "user", "reply", "event"})
FAULT_KINDS = frozenset({"http_500", "timeout", "errcode:-1", "errcode:45009", "expire_tokens"})
# Channels that make up a one-to-one conversation between the app and a member.
_CONVERSATION = frozenset({"app", "user", "reply", "event"})


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
class Media:
    """An uploaded file: usable by its owner for MEDIA_LIFETIME_S, kept for download after."""

    id: str
    owner: str  # "app" (media/upload: the app and its chats) | "robot:<key>" (that robot only)
    kind: str  # file | image | voice | video
    filename: str
    data: bytes
    uploaded_at: datetime  # sandbox clock


class Faults:
    """Queued faults; the API consumes one per request, in injection order."""

    def __init__(self) -> None:
        self._queue: list[str] = []

    def inject(self, kind: str, times: int = 1) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; expected one of {sorted(FAULT_KINDS)}")
        self._queue.extend([kind] * times)

    def take(self) -> str | None:
        return self._queue.pop(0) if self._queue else None

    def pending(self) -> list[str]:
        return list(self._queue)

    def clear(self) -> None:
        self._queue.clear()


class SandboxState:
    def __init__(
        self,
        *,
        now: Callable[[], datetime],
        corp_id: str,
        secret: str,
        agent_id: int,
        users: Mapping[str, str],
        robots: Mapping[str, str],
        chats: Mapping[str, str] | None = None,
    ) -> None:
        self.now = now
        self.corp_id = corp_id
        self.secret = secret
        self.agent_id = agent_id
        self.users = dict(users)  # userid -> display name
        self.robots = dict(robots)  # robot key -> group name
        self.chats = dict(chats or {})  # appchat chatid -> name; empty accepts any chatid
        self.used_response_codes: set[str] = set()
        self.faults = Faults()
        self.tokens_issued = 0  # how many times gettoken succeeded (tests check caching)
        self.requests = 0  # API requests served, faults included
        self._entries: list[Entry] = []
        self._counter = itertools.count(1)
        self._last_seq = 0
        self._tokens: dict[str, datetime] = {}  # token -> issued at
        self._revoked: set[str] = set()
        self._delivered: defaultdict[tuple[str, str], list[datetime]] = defaultdict(list)
        self._media: dict[str, Media] = {}
        # Messages refused for breaking a rate limit. Live WeCom drops them without a word,
        # so a well-paced bot never causes one.
        self.over_limit: list[tuple[str, str, datetime]] = []
        self._changed = asyncio.Event()

    # --- the log -----------------------------------------------------------------

    @property
    def last_seq(self) -> int:
        """The latest change number; pass it to wait_for_change to wait for the next one."""
        return self._last_seq

    def record(
        self,
        channel: str,
        peer: str,
        msgtype: str,
        body: dict[str, Any],
        *,
        msgid: str | None = None,
        response_code: str | None = None,
    ) -> Entry:
        if channel not in CHANNELS:
            raise ValueError(f"unknown channel {channel!r}")
        entry = Entry(
            seq=self._bump(),
            at=self.now(),
            channel=channel,
            peer=peer,
            msgtype=msgtype,
            body=body,
            msgid=msgid,
            response_code=response_code,
        )
        self._entries.append(entry)
        return entry

    def entries(self, *, channel: str | None = None, peer: str | None = None) -> list[Entry]:
        return [
            e
            for e in self._entries
            if (channel is None or e.channel == channel) and (peer is None or e.peer == peer)
        ]

    def conversation(self, userid: str) -> list[Entry]:
        return [e for e in self._entries if e.peer == userid and e.channel in _CONVERSATION]

    def card(self, response_code: str) -> Entry | None:
        for entry in reversed(self._entries):
            if entry.response_code == response_code:
                return entry
        return None

    def update_cards(
        self, response_code: str, userids: list[str] | None, card: dict[str, Any]
    ) -> int:
        """Replace the body of sent cards in place (a chat shows the card where it was).

        Returns how many entries changed. `userids=None` updates the card for everyone.
        """
        changed = 0
        for i, entry in enumerate(self._entries):
            if entry.response_code == response_code and (userids is None or entry.peer in userids):
                self._entries[i] = dataclasses.replace(entry, body=card)
                changed += 1
        if changed:
            self._bump()
        return changed

    async def wait_for_change(self, after_seq: int, timeout: float) -> None:
        """Return once something changed after `after_seq`, or after `timeout` seconds."""
        if self._last_seq > after_seq:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)

    def wake_waiters(self) -> None:
        """Let every long-poll answer now (the server is shutting down)."""
        self._changed.set()
        self._changed = asyncio.Event()

    def _bump(self) -> int:
        self._last_seq = next(self._counter)
        # Wake every current waiter, then start a fresh event for the next round.
        self._changed.set()
        self._changed = asyncio.Event()
        return self._last_seq

    # --- tokens ------------------------------------------------------------------

    def issue_token(self) -> str:
        token = secrets.token_urlsafe(24)
        self._tokens[token] = self.now()
        self.tokens_issued += 1
        return token

    def check_token(self, token: str | None) -> int:
        """0 if the token is usable, else the WeCom errcode to answer."""
        if not token:
            return 41001
        issued = self._tokens.get(token)
        if issued is None:
            return 40014
        if token in self._revoked:
            return 42001
        if self.now() - issued >= timedelta(seconds=limits.TOKEN_LIFETIME_S):
            return 42001
        return 0

    def expire_tokens(self) -> None:
        self._revoked.update(self._tokens)

    # --- rate limits ---------------------------------------------------------------

    def would_exceed(self, kind: str, key: str) -> bool:
        """Whether one more message to a member ("member") or from a robot ("robot") is over."""
        windows = limits.ROBOT_LIMITS if kind == "robot" else limits.MEMBER_LIMITS
        over = limits.exceeds(self._delivered[(kind, key)], self.now(), windows)
        if over:
            self.over_limit.append((kind, key, self.now()))
        return over

    def count_delivery(self, kind: str, key: str) -> None:
        self._delivered[(kind, key)].append(self.now())

    # --- media ---------------------------------------------------------------------

    def store_media(self, owner: str, kind: str, filename: str, data: bytes) -> Media:
        media = Media(self.new_id(), owner, kind, filename, data, self.now())
        self._media[media.id] = media
        return media

    def usable_media(self, media_id: str, owner: str) -> Media | None:
        """The media if `owner` may send it now: its own upload, less than 3 days old."""
        media = self._media.get(media_id)
        if media is None or media.owner != owner:
            return None
        if self.now() - media.uploaded_at >= timedelta(seconds=limits.MEDIA_LIFETIME_S):
            return None
        return media

    def media(self, media_id: str) -> Media | None:
        """Any media ever uploaded (a file already sent stays downloadable in the chat)."""
        return self._media.get(media_id)

    # --- ids -----------------------------------------------------------------------

    @staticmethod
    def new_id() -> str:
        return secrets.token_hex(12)
