"""State of the sandbox WeCom: who got what, tokens, rate counters, faults.

The sandbox API (api.py) mutates it over HTTP; the chat-simulator page and the
user-message driver read and record into it directly. It lives in memory; with a journal
(journal.py) the log — messages, card updates, used response codes — also survives a
restart, the last `Journal.keep` entries of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import secrets
from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.sandbox.journal import Journal
from bot.sandbox.records import CardUpdate, CodeUsed, Entry, Mark, Media, Record
from bot.wecom import limits

__all__ = ["CHANNELS", "CONVERSATION", "Entry", "Faults", "Media", "SandboxState"]

CHANNELS = frozenset({"app", "appchat", "robot", "user", "reply", "event"})
FAULT_KINDS = frozenset(
    {"http_500", "timeout", "lost_answer", "errcode:-1", "errcode:45009", "expire_tokens"}
)
# Channels that make up a one-to-one conversation between the app and a member.
CONVERSATION = frozenset({"app", "user", "reply", "event"})


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
        journal: Journal | None = None,
        latency: float = 0.0,
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
        # Seconds every API call takes before it is answered: a distant WeCom, for benches.
        self.latency = latency
        self._entries: list[Entry] = []
        self._counter = itertools.count(1)
        self._last_seq = 0
        self._tokens: dict[str, datetime] = {}  # token -> issued at
        self._revoked: set[str] = set()
        self._delivered: defaultdict[tuple[str, str], list[datetime]] = defaultdict(list)
        self._media: dict[str, Media] = {}

        # For message/send's duplicate check: the last time each (member, message) went out.
        self._sent_messages: dict[tuple[str, str], datetime] = {}
        self.duplicates_suppressed = 0
        # Messages refused for breaking a rate limit. Live WeCom drops them without a word,
        # so a well-paced bot never causes one.
        self.over_limit: list[tuple[str, str, datetime]] = []
        self._changed = asyncio.Event()
        self.msgid_floor = 0  # the highest MsgId a member's message has carried
        self._journal: Journal | None = None
        if journal is not None:
            self._restore(journal)
            self._journal = journal

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
        if channel == "user" and msgid is not None and msgid.isdigit():
            self.msgid_floor = max(self.msgid_floor, int(msgid))
        self._log(entry)
        return entry

    def entries(self, *, channel: str | None = None, peer: str | None = None) -> list[Entry]:
        return [
            e
            for e in self._entries
            if (channel is None or e.channel == channel) and (peer is None or e.peer == peer)
        ]

    def conversation(self, userid: str) -> list[Entry]:
        return [e for e in self._entries if e.peer == userid and e.channel in CONVERSATION]

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
        chosen = None if userids is None else tuple(userids)
        changed = self._replace_cards(response_code, chosen, card)
        if changed:
            self._log(CardUpdate(self._bump(), response_code, chosen, card))
        return changed

    def _replace_cards(
        self, response_code: str, userids: tuple[str, ...] | None, card: dict[str, Any]
    ) -> int:
        changed = 0
        for i, entry in enumerate(self._entries):
            if entry.response_code == response_code and (userids is None or entry.peer in userids):
                self._entries[i] = dataclasses.replace(entry, body=card)
                changed += 1
        return changed

    def use_response_code(self, response_code: str) -> None:
        """A card was updated with this code; WeCom refuses it from now on."""
        self.used_response_codes.add(response_code)
        self._log(CodeUsed(response_code))

    # --- the journal ---------------------------------------------------------------

    def _restore(self, journal: Journal) -> None:
        """Replay the journal, keep its last `keep` entries and compact the file."""
        records = journal.read()
        for record in records:
            if isinstance(record, Entry):
                if record.channel in CHANNELS:
                    self._entries.append(record)
                    if record.channel == "user" and (record.msgid or "").isdigit():
                        self.msgid_floor = max(self.msgid_floor, int(record.msgid or 0))
            elif isinstance(record, CardUpdate):
                self._replace_cards(record.code, record.userids, record.body)
            elif isinstance(record, CodeUsed):
                self.used_response_codes.add(record.code)
            elif isinstance(record, Media):
                self._media[record.id] = record
            else:
                self.msgid_floor = max(self.msgid_floor, record.msgid)
            if isinstance(record, Entry | CardUpdate | Mark):
                self._last_seq = max(self._last_seq, record.seq)
        self._counter = itertools.count(self._last_seq + 1)
        self._trim(journal.keep)
        snapshot = self._snapshot()
        if journal.skipped or (journal.lines and journal.lines != len(snapshot)):
            # Something to fold, drop or skip (a cut line must not swallow the next).
            journal.rewrite(snapshot)

    def _trim(self, keep: int) -> None:
        """Keep the last `keep` entries, and the files they show or that can still be sent."""
        del self._entries[:-keep]
        shown = {e.body.get("media_id") for e in self._entries if e.msgtype == "file"}
        self._media = {
            media_id: media
            for media_id, media in self._media.items()
            if media_id in shown or self._fresh(media)
        }

    def _snapshot(self) -> list[Record]:
        codes = {e.response_code for e in self._entries if e.response_code}
        used: list[Record] = [CodeUsed(c) for c in sorted(self.used_response_codes & codes)]
        media: list[Record] = list(self._media.values())
        return [Mark(self._last_seq, self.msgid_floor), *used, *media, *self._entries]

    def _log(self, record: Record) -> None:
        journal = self._journal
        if journal is None:
            return
        journal.append(record)
        if journal.lines > 2 * journal.keep:
            self._trim(journal.keep)
            journal.rewrite(self._snapshot())

    def close(self) -> None:
        """Close the journal's file (the app is stopping)."""
        if self._journal is not None:
            self._journal.close()

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
        self._log(media)
        return media

    def usable_media(self, media_id: str, owner: str) -> Media | None:
        """The media if `owner` may send it now: its own upload, less than 3 days old."""
        media = self._media.get(media_id)
        if media is None or media.owner != owner or not self._fresh(media):
            return None
        return media

    def _fresh(self, media: Media) -> bool:
        return self.now() - media.uploaded_at < timedelta(seconds=limits.MEDIA_LIFETIME_S)

    def media(self, media_id: str) -> Media | None:
        """Any media ever uploaded (a file already sent stays downloadable in the chat)."""
        return self._media.get(media_id)

    # --- WeCom's duplicate check (message/send, doc 90236) ------------------------------

    def seen_within(self, userid: str, message: str, seconds: int) -> bool:
        """Whether the same message reached `userid` within the last `seconds`."""
        last = self._sent_messages.get((userid, message))
        return last is not None and self.now() - last < timedelta(seconds=seconds)

    def remember_message(self, userid: str, message: str) -> None:
        self._sent_messages[(userid, message)] = self.now()

    # --- ids -----------------------------------------------------------------------

    @staticmethod
    def new_id() -> str:
        return secrets.token_hex(12)
