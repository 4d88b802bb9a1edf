"""Deliver the outbox: claim due notices, pace them, render, send, record the outcome.

Nothing is dropped: a failure is retried with backoff, pacing defers instead of sending
into WeCom's silent drop, and a notice that cannot be delivered ends as `failed`, with
its error, for `duban outbox` to show and retry.

Nothing is sent twice, with any number of instances: every message is reserved in the
database first (`outbox.reserve`: is the claim still ours, is there room in the
recipient's budget), and every part is marked the moment it is sent, by its holder only.
Sends run concurrently (at most `concurrency` in flight), one recipient's notices in
order; a send that could outlive its lease is cut off first (send timeout ≤ lease / 2).
The rules behind this: docs/reliability.md.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import logging
import random
import secrets
import socket
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Protocol

from sqlalchemy.exc import InterfaceError, OperationalError

from bot.render import render, render_json
from bot.runtime import Offload
from bot.wecom import limits
from bot.wecom.api import SendResult, Sleep, exponential_backoff
from bot.wecom.errors import TRANSPORT_ERRCODE, TransportError, WeComError
from storage import outbox
from storage.db import transaction
from storage.models import OutboxNotice

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
# One send, the client's quick retries included, is cut off after this: it must end
# well inside the lease (`Delivery` checks lease >= 2 × send timeout), or another instance
# could take the notice while it is in flight, and a hung send that later succeeded would
# then arrive twice.
SEND_TIMEOUT_S = 60.0
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LAST_RETRY = timedelta(hours=1)
IDLE_POLL_SECONDS = 5.0
CONCURRENCY = 64
PRUNE_EVERY = timedelta(minutes=5)
# A part WeCom accepted but whose mark the database refused is marked again, 1 s, 2 s, 4 s
# … apart, for as long as the claim is held: until then no other instance can take it.
MARK_RETRY_FIRST_S = 1.0
MARK_RETRY_CAP_S = 15.0
# What a database that is away or refusing raises (a lost connection, a locked SQLite file).
DATABASE_DOWN = (OperationalError, InterfaceError)


# A notice of this kind carries a file (file_payload): uploaded through the destination's
# channel, then sent as a file message. A retry uploads again (a media_id lives 3 days).
FILE = "file"


class AppSender(Protocol):
    async def send(
        self, touser: list[str], message: Mapping[str, Any], *, again: bool = False
    ) -> SendResult: ...
    async def appchat_send(self, chatid: str, message: Mapping[str, Any]) -> None: ...
    async def update_template_card(
        self, userids: Sequence[str], response_code: str, card: Mapping[str, Any]
    ) -> None: ...
    async def upload_media(self, filename: str, data: bytes) -> str: ...


class RobotSender(Protocol):
    async def send(self, webhook_url: str, message: Mapping[str, Any]) -> None: ...
    async def upload_media(self, webhook_url: str, filename: str, data: bytes) -> str: ...


def file_payload(filename: str, data: bytes, title: str) -> dict[str, Any]:
    """The payload of a FILE notice: the file's name as the recipient sees it, its bytes
    (base64, so the outbox row stays JSON) and a title for people reading the outbox."""
    return {"filename": filename, "content": base64.b64encode(data).decode(), "title": title}


def _file_part(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A FILE notice's one part: the file still to upload (`_send` uploads it)."""
    filename, content = payload.get("filename"), payload.get("content")
    if not isinstance(filename, str) or not isinstance(content, str):
        raise ValueError("a file notice needs filename and content (base64)")
    try:
        data = base64.b64decode(content, validate=True)
    except binascii.Error as exc:
        raise ValueError(f"file notice content is not base64: {exc}") from None
    return {"msgtype": "file", "upload": (filename, data)}


@dataclass(frozen=True)
class Destination:
    """Where a recipient key leads: a member, an app chat or a group robot."""

    kind: str  # "user" | "appchat" | "robot"
    address: str  # userid, chatid or webhook URL
    max_bytes: int
    windows: tuple[limits.Window, ...]


def render_parts(notice: OutboxNotice, max_bytes: int) -> list[dict[str, Any]]:
    """The wire messages for a notice: a template card as is, else markdown in parts."""
    payload = notice.payload
    if notice.kind == FILE:
        return [_file_part(payload)]
    if "parts" in payload:  # packed when queued, each part within the channel's limit
        return [{"msgtype": "markdown", "markdown": {"content": part}} for part in payload["parts"]]
    if "template_card" in payload:
        return [{"msgtype": "template_card", "template_card": payload["template_card"]}]
    if notice.kind == "card_update":  # not a message: the clicked card changes in place
        card = render_json("cards/handled.json.j2", payload)
        return [
            {
                "msgtype": "update_template_card",
                "response_code": payload["response_code"],
                "template_card": card,
            }
        ]
    content = render(f"notices/{notice.kind}.md.j2", payload)
    return [
        {"msgtype": "markdown", "markdown": {"content": part}}
        for part in limits.split_content(content, max_bytes)
    ]


def retry_delay(attempts: int, rng: random.Random) -> timedelta:
    """30 s, 1 min, 2 min … capped at an hour, jittered so instances do not stampede."""
    first, cap = FIRST_RETRY.total_seconds(), LAST_RETRY.total_seconds()
    return timedelta(seconds=exponential_backoff(attempts, first, cap, rng))


def default_instance(port: int) -> str:
    """This instance's name when the config gives none: host and port, which a restart
    keeps and no other running instance on the host can share."""
    return f"{socket.gethostname()}:{port}"


@dataclass(frozen=True)
class _Paused:
    until: datetime


class Delivery:
    def __init__(
        self,
        sessions: Any,
        *,
        app: AppSender,
        robot: RobotSender,
        destinations: Callable[[str], Destination | None],
        now: Callable[[], datetime],
        offload: Offload,
        instance: str = "duban",
        batch: int = 4 * CONCURRENCY,
        concurrency: int = CONCURRENCY,
        lease: timedelta = LEASE,
        send_timeout: float = SEND_TIMEOUT_S,
        poll_seconds: float = IDLE_POLL_SECONDS,
        rng: random.Random | None = None,
        sleep: Sleep = asyncio.sleep,
    ):
        self.sessions = sessions
        self.app = app
        self.robot = robot
        self.destinations = destinations
        self.now = now
        self.offload = offload
        self.instance = instance
        # Claims are held in the name of this run of this instance.
        self.holder = f"{instance}/{secrets.token_hex(4)}"
        self.batch = batch
        if lease.total_seconds() < 2 * send_timeout:
            raise ValueError(
                f"the lease ({lease.total_seconds():.0f} s) must be at least twice the send "
                f"timeout ({send_timeout:.0f} s): a send must end well before its claim does"
            )
        self.lease = lease
        self.send_timeout = send_timeout
        self.poll_seconds = poll_seconds
        self.rng = rng or random.Random()
        self.sleep = sleep
        self.in_flight = asyncio.Semaphore(concurrency)
        self.wake = asyncio.Event()
        self._started = False
        self._pruned: datetime | None = None
        self._failing = False

    def _db(self, work: Callable[..., Any], *args: Any, **kwargs: Any) -> Awaitable[Any]:
        def run() -> Any:
            with transaction(self.sessions) as session:
                return work(session, *args, **kwargs)

        return self.offload(run)

    async def run_once(self) -> int:
        """Deliver what is due now; returns how many notices were sent."""
        if not self._started:
            freed = await self._db(
                outbox.release_dead_claims, instance=self.instance, holder=self.holder
            )
            if freed:
                log.warning(
                    "took back %d notice(s) an earlier run of %s held", freed, self.instance
                )
            self._started = True
        due: list[OutboxNotice] = await self._db(
            outbox.claim_due, now=self.now(), lease=self.lease, limit=self.batch, holder=self.holder
        )
        by_recipient: dict[str, list[OutboxNotice]] = {}
        for notice in due:
            by_recipient.setdefault(notice.recipient, []).append(notice)
        counts = await asyncio.gather(*(self._deliver_in_order(n) for n in by_recipient.values()))
        return sum(counts)

    async def run_forever(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            # Cleared before looking, so a wake while we look ends the wait below at once.
            self.wake.clear()
            try:
                sent = await self.run_once()
                wait = 0.0 if sent else await self._idle_wait()
                if self._failing:
                    log.warning("outbox delivery resumed")
                    self._failing = False
            except Exception as exc:
                if not self._failing:
                    log.warning(
                        "outbox delivery paused, retrying every %.0f s: %r", self.poll_seconds, exc
                    )
                    self._failing = True
                wait = self.poll_seconds
            if wait > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), wait)

    async def _idle_wait(self) -> float:
        now = self.now()
        if self._pruned is None or now - self._pruned >= PRUNE_EVERY:
            await self._db(outbox.forget_sends, before=now - outbox.KEEP_SENDS)
            self._pruned = now
        due = await self._db(outbox.next_due, now=now)
        if due is None:
            return self.poll_seconds
        return max(0.05, min(self.poll_seconds, (due - self.now()).total_seconds()))

    async def _deliver_in_order(self, notices: list[OutboxNotice]) -> int:
        """One recipient's notices, oldest first; when its budget is spent, the rest wait."""
        sent = 0
        for i, notice in enumerate(notices):
            outcome = await self._deliver(notice)
            if isinstance(outcome, _Paused):
                for later in notices[i + 1 :]:
                    await self._db(outbox.defer, later.id, holder=self.holder, until=outcome.until)
                break
            sent += outcome
        return sent

    async def _deliver(self, notice: OutboxNotice) -> int | _Paused:
        destination = self.destinations(notice.recipient)
        if destination is None:
            await self._failed(notice, ValueError(f"unknown recipient {notice.recipient}"), False)
            return 0
        try:
            parts = render_parts(notice, destination.max_bytes)
        except Exception as exc:  # a template or payload bug: keep it visible, keep going
            log.exception("notice %s could not be rendered", notice.id)
            await self._failed(notice, exc, False)
            return 0
        next_slot = partial(limits.next_send_time, limits=limits.paced(destination.windows))
        for index in range(notice.parts_sent, len(parts)):
            async with self.in_flight:
                now = self.now()
                slot = await self._db(
                    outbox.reserve,
                    notice_id=notice.id,
                    holder=self.holder,
                    recipient=notice.recipient,
                    part=index,
                    now=now,
                    lease=self.lease,
                    next_slot=next_slot,
                )
                if slot is None:
                    log.warning("notice %s: claim lost to another instance; not sent", notice.id)
                    return 0
                if slot.at > now:
                    await self._db(outbox.defer, notice.id, holder=self.holder, until=slot.at)
                    return _Paused(slot.at)
                try:
                    result = await asyncio.wait_for(
                        self._send(destination, parts[index], again=slot.again), self.send_timeout
                    )
                except TimeoutError:
                    cut = TransportError(TRANSPORT_ERRCODE, f"no answer in {self.send_timeout:g} s")
                    await self._failed(notice, cut, True)
                    return 0
                except WeComError as exc:
                    await self._failed(notice, exc, exc.retryable)
                    return 0
                except Exception as exc:
                    log.exception("notice %s could not be sent", notice.id)
                    await self._failed(notice, exc, False)
                    return 0
                marked = await self._mark_part(
                    notice,
                    index,
                    total=len(parts),
                    response_code=result.response_code if result else None,
                    held_until=now + self.lease,
                )
            if not marked:
                log.error("notice %s part %d was sent, but its claim was lost", notice.id, index)
                return 0
        return 1

    async def _mark_part(
        self,
        notice: OutboxNotice,
        index: int,
        *,
        total: int,
        response_code: str | None,
        held_until: datetime,
    ) -> bool:
        """Record that part `index` went out. The database may be away just then: the part
        is not sent again while the claim (renewed by `reserve` until `held_until`) is ours,
        so the mark is tried again, backing off, while the lease has time left. Past that,
        another instance may take the notice and send the part again (robots and app chats
        have no duplicate check): the error goes up and delivery pauses."""
        delay = MARK_RETRY_FIRST_S
        while True:
            try:
                marked: bool = await self._db(
                    outbox.mark_part,
                    notice.id,
                    holder=self.holder,
                    parts_sent=index + 1,
                    total=total,
                    now=self.now(),
                    response_code=response_code,
                )
                return marked
            except DATABASE_DOWN as exc:
                left = (held_until - self.now()).total_seconds()
                if left <= delay:
                    log.error(
                        "notice %s part %d was sent, but could not be recorded before its "
                        "lease ran out; it may be sent again: %r",
                        notice.id,
                        index,
                        exc,
                    )
                    raise
                log.warning(
                    "notice %s part %d was sent; recording it failed, trying again in %.0f s: %r",
                    notice.id,
                    index,
                    delay,
                    exc,
                )
                await self.sleep(delay)
                delay = min(delay * 2, MARK_RETRY_CAP_S)

    async def _uploaded(
        self, destination: Destination, upload: tuple[str, bytes]
    ) -> dict[str, Any]:
        """Upload a file through the destination's channel: a file message to send."""
        filename, data = upload
        if destination.kind == "robot":
            media_id = await self.robot.upload_media(destination.address, filename, data)
        else:
            media_id = await self.app.upload_media(filename, data)
        return {"msgtype": "file", "file": {"media_id": media_id}}

    async def _send(
        self, destination: Destination, message: dict[str, Any], *, again: bool = False
    ) -> SendResult | None:
        """One wire message. `again`: it may have gone out before (a crash between send and
        mark); WeCom's duplicate check drops it then — for members: robots have none."""
        if "upload" in message:  # a FILE notice: upload it now, each attempt afresh
            message = await self._uploaded(destination, message["upload"])
        if destination.kind == "user" and message["msgtype"] == "update_template_card":
            await self.app.update_template_card(
                [destination.address], message["response_code"], message["template_card"]
            )
            return None
        if destination.kind == "user":
            return await self.app.send([destination.address], message, again=again)
        if destination.kind == "appchat":
            await self.app.appchat_send(destination.address, message)
        else:
            await self.robot.send(destination.address, message)
        return None

    async def _failed(self, notice: OutboxNotice, exc: Exception, retryable: bool) -> None:
        attempts = notice.attempts + 1
        error = f"{type(exc).__name__}: {exc}"
        if retryable and attempts < MAX_ATTEMPTS:
            at = self.now() + retry_delay(attempts, self.rng)
            log.warning(
                "notice %s attempt %d failed (%s); retrying at %s", notice.id, attempts, error, at
            )
            await self._db(
                outbox.mark_retry,
                notice.id,
                holder=self.holder,
                attempts=attempts,
                at=at,
                error=error,
            )
        else:
            log.error(
                "notice %s failed for good after %d attempt(s): %s", notice.id, attempts, error
            )
            await self._db(
                outbox.mark_failed, notice.id, holder=self.holder, attempts=attempts, error=error
            )
