"""WeCom's callback: URL verification (GET) and encrypted messages (POST).

Everything WeCom-specific stops here: the handlers get an `Inbound`, and give back a
rendered reply that goes out as the encrypted passive reply.
"""

from __future__ import annotations

import asyncio
import binascii
import logging
import re
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

# WeCom gives up on a callback after 5 s and retries it: answer before then, with a 5xx
# when the answer is not ready (the database is slow or away), so the retry comes.
ANSWER_WITHIN_S = 4.0
# A body is a few KB; a client that sends headers and then nothing is let go after this.
READ_WITHIN_S = 3.0

# What a field of a message from WeCom may look like (docs/reliability.md, "Callbacks"):
# a userid is 1–64 letters, digits and _-@. ; a MsgId a 64-bit number; CreateTime seconds.
_USERID = re.compile(r"[A-Za-z0-9_.@-]{1,64}")
_MSGID = re.compile(r"[0-9A-Za-z_-]{1,64}")
_CREATE_TIME = re.compile(r"[0-9]{1,10}")
_FIELD_MAX = {
    "ToUserName": 64,
    "MsgType": 32,
    "Event": 64,
    "EventKey": 256,
    "TaskId": 128,
    "CardType": 64,
    "ResponseCode": 512,
    "Content": 8192,
}


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
        answer_within: float = ANSWER_WITHIN_S,
        read_within: float = READ_WITHIN_S,
    ):
        self.crypto = crypto
        self.process = process
        self.now = now
        self.timestamp_window = timestamp_window
        self.answer_within = answer_within
        self.read_within = read_within

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
            return self._refuse(request, Refused(400, f"undecodable echostr: {_why(exc)}"))
        return web.Response(text=echo if isinstance(echo, str) else echo.decode())

    async def receive(self, request: web.Request) -> web.Response:
        try:
            q = self._query(request)
            try:
                body = await asyncio.wait_for(request.read(), self.read_within)
            except TimeoutError:
                raise Refused(408, f"no body within {self.read_within:.0f} s") from None
            try:
                xml = self.crypto.decrypt_message(
                    body, q["msg_signature"], q["timestamp"], q["nonce"]
                )
                message = parse_message(xml)
            except (InvalidSignatureException, InvalidCorpIdException):
                raise Refused(403, "bad signature") from None
            except DECODE_ERRORS as exc:
                raise Refused(400, f"undecodable body: {_why(exc)}") from None
            inbound = to_inbound(message)
        except Refused as refused:
            return self._refuse(request, refused)
        try:
            reply = await asyncio.wait_for(self.process(inbound), self.answer_within)
        except TimeoutError:
            log.warning(
                "callback %s: no answer within %.1f s (database slow or away?); 503, WeCom retries",
                inbound.dedupe_key,
                self.answer_within,
            )
            return web.Response(status=503, text="busy, retry")
        except Exception as exc:
            log.warning(
                "callback %s could not be handled (%r); 503, WeCom retries", inbound.dedupe_key, exc
            )
            return web.Response(status=503, text="unavailable, retry")
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


def _why(exc: Exception) -> str:
    """Why decoding failed, for the log: never the (decrypted) content itself."""
    if isinstance(exc, UnicodeDecodeError):
        return f"invalid UTF-8 at byte {exc.start}"
    return f"{type(exc).__name__}: {str(exc)[:80]}"


def _field(data: Any, name: str, *, pattern: re.Pattern[str] | None = None) -> str | None:
    """A plain-text field, or None if absent; Refused(400) for anything else: nested or
    repeated elements (xmltodict makes them dicts and lists), too long, wrong shape."""
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise Refused(400, f"{name} is not plain text")
    if pattern is not None and not pattern.fullmatch(value):
        raise Refused(400, f"{name} is malformed ({len(value)} characters)")
    if len(value) > _FIELD_MAX.get(name, 64):
        raise Refused(400, f"{name} is too long ({len(value)} characters)")
    return value


def to_inbound(message: Any) -> Inbound:
    """wechatpy's message object → Inbound; every field used is checked for type, length
    and range, so a signed but malformed message is a 400, alike on every database."""
    if message is None:
        raise Refused(400, "empty message")
    data = message._data  # the raw fields: wechatpy converts CreateTime to local time
    if not isinstance(data, dict):
        raise Refused(400, "not a message")
    sender = _field(data, "FromUserName", pattern=_USERID)
    if not sender:
        raise Refused(400, "missing FromUserName")
    create_time_text = _field(data, "CreateTime", pattern=_CREATE_TIME)
    if create_time_text is None:
        raise Refused(400, "CreateTime is not a number")
    create_time = int(create_time_text)
    _field(data, "ToUserName")
    msg_type = (_field(data, "MsgType") or "").lower()
    base = Inbound(
        sender=sender, sent_at=datetime.fromtimestamp(create_time, UTC), create_time=create_time
    )
    if msg_type == "event":
        return replace(
            base,
            event=(_field(data, "Event") or "").lower() or "unknown",
            event_key=_field(data, "EventKey"),
            card_task_id=_field(data, "TaskId"),
            response_code=_field(data, "ResponseCode"),
        )
    msg_id = _field(data, "MsgId", pattern=_MSGID)
    if not msg_id:
        raise Refused(400, "missing MsgId")
    text = _field(data, "Content") if msg_type == "text" else None
    return replace(base, msg_id=msg_id, text=text)
