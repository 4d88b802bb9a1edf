"""Deliver the outbox: claim due notices, pace them, render, send, record the outcome.

Nothing is dropped: a failure is retried with backoff, pacing defers instead of sending
into WeCom's silent drop, and a notice that cannot be delivered ends as `failed`, with
its error, for `duban outbox` to show and retry.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.render import render, render_json
from bot.runtime import Offload
from bot.wecom import limits
from bot.wecom.api import SendResult, exponential_backoff
from bot.wecom.errors import WeComError
from storage import outbox
from storage.db import transaction
from storage.models import OutboxNotice

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LAST_RETRY = timedelta(hours=1)
IDLE_POLL_SECONDS = 5.0


# A notice of this kind carries a file (file_payload): uploaded through the destination's
# channel, then sent as a file message. A retry uploads again (a media_id lives 3 days).
FILE = "file"


class AppSender(Protocol):
    async def send(self, touser: list[str], message: Mapping[str, Any]) -> SendResult: ...
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


class Delivery:
    def __init__(
        self,
        sessions: Any,
        *,
        app: AppSender,
        robot: RobotSender,
        destinations: Callable[[str], Destination | None],
        now: Callable[[], datetime],
        batch: int = 20,
        rng: random.Random | None = None,
        offload: Offload,
    ):
        self.sessions = sessions
        self.app = app
        self.robot = robot
        self.destinations = destinations
        self.now = now
        self.batch = batch
        self.rng = rng or random.Random()
        self.offload = offload
        self.wake = asyncio.Event()

    def _db(self, work: Callable[..., Any], **kwargs: Any) -> Awaitable[Any]:
        def run() -> Any:
            with transaction(self.sessions) as session:
                return work(session, **kwargs)

        return self.offload(run)

    async def run_once(self) -> int:
        """Deliver what is due now; returns how many notices were sent."""
        now = self.now()
        due = await self._db(outbox.claim_due, now=now, lease=LEASE, limit=self.batch)
        sent = 0
        for notice in due:
            sent += await self._deliver(notice)
        return sent

    async def run_forever(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                if await self.run_once():
                    continue
                wait = IDLE_POLL_SECONDS
                if (due := await self._db(outbox.next_due)) is not None:
                    wait = max(0.05, min(wait, (due - self.now()).total_seconds()))
            except Exception:
                log.exception("outbox delivery pass failed; trying again shortly")
                wait = IDLE_POLL_SECONDS
            self.wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), wait)

    async def _deliver(self, notice: OutboxNotice) -> int:
        destination = self.destinations(notice.recipient)
        if destination is None:
            await self._db(
                outbox.mark_failed,
                notice_id=notice.id,
                attempts=notice.attempts,
                error=f"unknown recipient {notice.recipient}",
            )
            return 0
        now = self.now()
        history = await self._db(
            outbox.sent_times, recipient=notice.recipient, since=now - timedelta(hours=1)
        )
        done, response_code = notice.parts_sent, None
        try:
            parts = render_parts(notice, destination.max_bytes)
            for part in parts[done:]:
                # Every part is a message to WeCom's limits: a long notice may have to pause.
                now = self.now()
                allowed = limits.next_send_time(history, now, destination.windows)
                if allowed > now:
                    await self._paused(notice, done, history, allowed)
                    return 0
                result = await self._send(destination, part)
                history.append(self.now())
                response_code = response_code or (result.response_code if result else None)
                done += 1
        except WeComError as exc:
            await self._failed(notice, done, history, exc, retryable=exc.retryable)
            return 0
        except Exception as exc:  # a template or payload bug: keep it visible, keep going
            log.exception("notice %s could not be rendered or sent", notice.id)
            await self._failed(notice, done, history, exc, retryable=False)
            return 0
        await self._db(
            outbox.mark_sent,
            notice_id=notice.id,
            now=self.now(),
            parts=done,
            response_code=response_code,
        )
        return 1

    async def _paused(
        self, notice: OutboxNotice, done: int, history: list[datetime], until: datetime
    ) -> None:
        """Not yet: pacing says wait. Not a failure, so no attempt is counted."""
        await self._record_progress(notice, done, history)
        await self._db(outbox.defer, notice_id=notice.id, until=until)

    async def _record_progress(
        self, notice: OutboxNotice, done: int, history: list[datetime]
    ) -> None:
        if done != notice.parts_sent:  # parts went out: they count against the limits
            await self._db(outbox.mark_progress, notice_id=notice.id, parts=done, at=history[-1])

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

    async def _send(self, destination: Destination, message: dict[str, Any]) -> SendResult | None:
        if "upload" in message:
            message = await self._uploaded(destination, message["upload"])
        if destination.kind == "user" and message["msgtype"] == "update_template_card":
            await self.app.update_template_card(
                [destination.address], message["response_code"], message["template_card"]
            )
            return None
        if destination.kind == "user":
            return await self.app.send([destination.address], message)
        if destination.kind == "appchat":
            await self.app.appchat_send(destination.address, message)
        else:
            await self.robot.send(destination.address, message)
        return None

    async def _failed(
        self,
        notice: OutboxNotice,
        done: int,
        history: list[datetime],
        exc: Exception,
        *,
        retryable: bool,
    ) -> None:
        attempts = notice.attempts + 1
        error = f"{type(exc).__name__}: {exc}"
        await self._record_progress(notice, done, history)
        if retryable and attempts < MAX_ATTEMPTS:
            at = self.now() + retry_delay(attempts, self.rng)
            log.warning(
                "notice %s attempt %d failed (%s); retrying at %s", notice.id, attempts, error, at
            )
            await self._db(
                outbox.mark_retry, notice_id=notice.id, attempts=attempts, at=at, error=error
            )
        else:
            log.error(
                "notice %s failed for good after %d attempt(s): %s", notice.id, attempts, error
            )
            await self._db(outbox.mark_failed, notice_id=notice.id, attempts=attempts, error=error)
