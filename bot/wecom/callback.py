"""WeCom's callback: URL verification (GET) and encrypted messages (POST).

Everything WeCom-specific stops here: the handlers get an `Inbound`, and give back a
rendered reply that goes out as the encrypted passive reply.
"""

from __future__ import annotations

import binascii
import logging
import struct
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from xml.parsers.expat import ExpatError

from aiohttp import web
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.fields import IntegerField, StringField
from wechatpy.work import create_reply, parse_message
from wechatpy.work.crypto import WeChatCrypto
from wechatpy.work.events import BaseEvent
from wechatpy.work.exceptions import InvalidCorpIdException

from handlers.inbound import Inbound

log = logging.getLogger(__name__)

# What wechatpy lets escape from a corrupt but correctly signed body.
DECODE_ERRORS = (
    binascii.Error,
    ValueError,
    struct.error,
    UnicodeDecodeError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    ExpatError,
)


class TemplateCardEvent(BaseEvent):
    """A click on a template card button; wechatpy does not know this event."""

    # Subclassing BaseEvent registers the class in wechatpy's EVENT_TYPES.
    event = "template_card_event"
    event_key = StringField("EventKey")
    task_id = StringField("TaskId")
    card_type = StringField("CardType")
    response_code = StringField("ResponseCode")
    agent = IntegerField("AgentID", 0)


Process = Callable[[Inbound], Awaitable[dict[str, Any] | None]]


class Refused(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


class Callback:
    def __init__(
        self,
        crypto: WeChatCrypto,
        process: Process,
        *,
        now: Callable[[], datetime],
        timestamp_window: int,
    ):
        self.crypto = crypto
        self.process = process
        self.now = now
        self.timestamp_window = timestamp_window

    def routes(self, path: str) -> list[web.RouteDef]:
        return [web.get(path, self.verify), web.post(path, self.receive)]

    async def verify(self, request: web.Request) -> web.Response:
        try:
            q = self._query(request, "echostr")
            echo = self.crypto.check_signature(
                q["msg_signature"], q["timestamp"], q["nonce"], q["echostr"]
            )
        except Refused as refused:
            return self._refuse(request, refused)
        except (InvalidSignatureException, InvalidCorpIdException):
            return self._refuse(request, Refused(403, "bad signature"))
        except DECODE_ERRORS as exc:
            return self._refuse(request, Refused(400, f"undecodable echostr: {exc!r}"))
        return web.Response(text=echo if isinstance(echo, str) else echo.decode())

    async def receive(self, request: web.Request) -> web.Response:
        try:
            q = self._query(request)
            body = await request.read()
            try:
                xml = self.crypto.decrypt_message(
                    body, q["msg_signature"], q["timestamp"], q["nonce"]
                )
                message = parse_message(xml)
            except (InvalidSignatureException, InvalidCorpIdException):
                raise Refused(403, "bad signature") from None
            except DECODE_ERRORS as exc:
                raise Refused(400, f"undecodable body: {exc!r}") from None
            inbound = to_inbound(message)
        except Refused as refused:
            return self._refuse(request, refused)
        reply = await self.process(inbound)
        if reply is None:
            return web.Response(text="")  # WeCom takes an empty 200 as "no reply"
        passive = create_reply(reply["content"], message)
        encrypted = self.crypto.encrypt_message(passive.render(), q["nonce"], q["timestamp"])
        return web.Response(text=encrypted, content_type="application/xml")

    def _query(self, request: web.Request, *extra: str) -> dict[str, str]:
        q = request.query
        names = ("msg_signature", "timestamp", "nonce", *extra)
        if any(not q.get(name) for name in names):
            raise Refused(400, "missing query parameters")
        try:
            sent = datetime.fromtimestamp(int(q["timestamp"]), UTC)
        except (ValueError, OverflowError, OSError):
            raise Refused(400, "timestamp is not a number") from None
        # A replayed callback carries an old timestamp; its signature stays valid forever.
        if abs((self.now() - sent).total_seconds()) > self.timestamp_window:
            raise Refused(403, "stale timestamp")
        return {name: q[name] for name in names}

    @staticmethod
    def _refuse(request: web.Request, refused: Refused) -> web.Response:
        log.warning(
            "callback refused (%d): %s from %s", refused.status, refused.reason, request.remote
        )
        return web.Response(status=refused.status, text=refused.reason)


def to_inbound(message: Any) -> Inbound:
    """wechatpy's message object → Inbound, refusing what lacks a sender or a time."""
    if message is None:
        raise Refused(400, "empty message")
    data = message._data  # the raw fields: wechatpy converts CreateTime to local time
    sender = data.get("FromUserName")
    try:
        create_time = int(data.get("CreateTime") or "")
    except ValueError:
        raise Refused(400, "CreateTime is not a number") from None
    if not sender or not isinstance(sender, str):
        raise Refused(400, "missing FromUserName")
    msg_type = str(data.get("MsgType", "")).lower()
    base = Inbound(
        sender=sender, sent_at=datetime.fromtimestamp(create_time, UTC), create_time=create_time
    )
    if msg_type == "event":
        return replace(
            base,
            event=str(data.get("Event", "")).lower() or "unknown",
            event_key=data.get("EventKey"),
            card_task_id=data.get("TaskId"),
            response_code=data.get("ResponseCode"),
        )
    msg_id = data.get("MsgId")
    if not msg_id:
        raise Refused(400, "missing MsgId")
    text = data.get("Content") if msg_type == "text" else None
    return replace(base, msg_id=str(msg_id), text=text if isinstance(text, str) else None)
