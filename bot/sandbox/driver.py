"""Drive the bot's WeCom callback exactly as WeCom would.

The driver plays the WeCom server's side of the callback protocol (developer docs
90238 / 90930): it signs and encrypts a plaintext message with the app's Token and
EncodingAESKey, POSTs the encrypted envelope to the bot's callback URL with
``msg_signature``, ``timestamp`` and ``nonce`` in the query string, then verifies and
decrypts the passive reply found in the HTTP response, if any.

Everything a user "does" and everything the bot answers passively is recorded in the
sandbox state so the chat simulator can show it.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import secrets
import struct
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import aiohttp
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.work.crypto import PrpCrypto, WeChatCrypto
from wechatpy.work.exceptions import InvalidCorpIdException

if TYPE_CHECKING:
    from bot.sandbox.state import SandboxState

__all__ = ["CallbackResult", "SandboxDriver", "cdata", "msg_signature", "xml_to_dict"]

# Errors wechatpy (and the XML parser) let escape when a reply is corrupt, see DESIGN.md:
# binascii.Error and UnicodeDecodeError are ValueErrors; struct.error is its own kind.
_DECRYPT_ERRORS = (
    InvalidSignatureException,
    InvalidCorpIdException,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    struct.error,
    ET.ParseError,
)


@dataclass(frozen=True)
class CallbackResult:
    """What the bot answered to one callback POST (or URL verification GET)."""

    status: int
    reply_xml: str | None = None  # decrypted plaintext reply XML, None when no reply
    reply_text: str | None = None  # the reply's <Content>, when it has one
    error: str | None = None  # set when a reply came back but could not be verified/decrypted


def cdata(value: object) -> str:
    """Wrap ``value`` in a CDATA section, splitting any ``]]>`` inside it."""
    text = str(value).replace("]]>", "]]]]><![CDATA[>")
    return f"<![CDATA[{text}]]>"


def msg_signature(token: str, timestamp: str, nonce: str, encrypt: str) -> str:
    """WeCom's msg_signature: SHA1 of the sorted concatenation of the four strings."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypt])).encode()).hexdigest()


def _snake(tag: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", tag).lower()


def xml_to_dict(element: ET.Element) -> Any:
    """Convert a WeCom reply XML element to the JSON shape of the matching API body.

    ``<MainTitle><Title>x</Title></MainTitle>`` becomes ``{"main_title": {"title": "x"}}``;
    an element named ``...List`` becomes a list of its children.
    """
    children = list(element)
    if not children:
        return (element.text or "").strip()
    if element.tag.endswith("List"):
        return [xml_to_dict(child) for child in children]
    result: dict[str, Any] = {}
    for child in children:
        key = _snake(child.tag)
        value = xml_to_dict(child)
        if key in result:
            if not isinstance(result[key], list):
                result[key] = [result[key]]
            result[key].append(value)
        else:
            result[key] = value
    return result


def _find_text(root: ET.Element, path: str) -> str | None:
    node = root.find(path)
    if node is None:
        return None
    return node.text or ""


class SandboxDriver:
    """Plays WeCom's side of the callback protocol against the bot."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        state: SandboxState,
        *,
        callback_url: str,
        token: str,
        encoding_aes_key: str,
        corp_id: str,
        agent_id: int,
        now: Callable[[], datetime],
        reply_timeout: float = 5.0,
    ) -> None:
        self._session = session
        # WeCom gives up on a callback after 5 s (then retries); the driver does not retry.
        self._timeout = aiohttp.ClientTimeout(total=reply_timeout)
        self._state = state
        self.callback_url = callback_url
        self._token = token
        self._encoding_aes_key = encoding_aes_key
        self._crypto = WeChatCrypto(token, encoding_aes_key, corp_id)
        self.corp_id = corp_id
        self.agent_id = agent_id
        self._now = now
        # WeCom MsgIds are 64-bit integers. Start from the clock (ms << 12), and past any id
        # the journal remembers, so a restarted sandbox does not reuse ids the bot has
        # already de-duplicated (even when the clock is set back).
        start = max(max(1, int(now().timestamp() * 1000)) << 12, state.msgid_floor + 1)
        self._msgids = itertools.count(start)
        self.last_echo: str | None = None  # plaintext of the last echostr sent by verify_url

    # ------------------------------------------------------------------ helpers

    def _timestamp(self) -> str:
        return str(int(self._now().timestamp()))

    @staticmethod
    def _nonce() -> str:
        return str(secrets.randbelow(10**10))

    def next_msgid(self) -> int:
        return next(self._msgids)

    def encrypt_envelope(self, plaintext: str, timestamp: str, nonce: str) -> tuple[str, str]:
        """Encrypt ``plaintext`` as WeCom does; return (envelope XML, msg_signature)."""
        signed = ET.fromstring(self._crypto.encrypt_message(plaintext, nonce, timestamp))
        encrypt = _find_text(signed, "Encrypt") or ""
        signature = _find_text(signed, "MsgSignature") or ""
        envelope = (
            "<xml>"
            f"<ToUserName>{cdata(self.corp_id)}</ToUserName>"
            f"<Encrypt>{cdata(encrypt)}</Encrypt>"
            f"<AgentID>{cdata(self.agent_id)}</AgentID>"
            "</xml>"
        )
        return envelope, signature

    def decrypt_reply(self, body: str) -> str:
        """Verify and decrypt a passive reply (``<xml><Encrypt/><MsgSignature/>...``)."""
        root = ET.fromstring(body)
        signature = _find_text(root, "MsgSignature") or ""
        timestamp = _find_text(root, "TimeStamp") or ""
        nonce = _find_text(root, "Nonce") or ""
        plaintext: str = self._crypto.decrypt_message(body, signature, timestamp, nonce)
        return plaintext

    # ------------------------------------------------------------------ protocol

    async def verify_url(self) -> tuple[int, str]:
        """Do the URL verification GET WeCom does when an admin saves the callback URL."""
        timestamp = self._timestamp()
        nonce = self._nonce()
        echo_plain = str(secrets.randbelow(10**18))
        echostr = PrpCrypto(self._crypto.key).encrypt(echo_plain, self.corp_id).decode()
        signature = msg_signature(self._token, timestamp, nonce, echostr)
        params = {
            "msg_signature": signature,
            "timestamp": timestamp,
            "nonce": nonce,
            "echostr": echostr,
        }
        async with self._session.get(
            self.callback_url, params=params, timeout=self._timeout
        ) as resp:
            text = await resp.text()
        self.last_echo = echo_plain
        return resp.status, text

    async def post_plain(self, xml: str) -> CallbackResult:
        """Encrypt and sign any plaintext XML, POST it, and decrypt the reply.

        Network failures (``aiohttp.ClientError``, ``TimeoutError`` after ``reply_timeout``)
        propagate: the caller decides how a dead bot shows up.
        """
        timestamp = self._timestamp()
        nonce = self._nonce()
        envelope, signature = self.encrypt_envelope(xml, timestamp, nonce)
        params = {"msg_signature": signature, "timestamp": timestamp, "nonce": nonce}
        async with self._session.post(
            self.callback_url,
            params=params,
            data=envelope.encode("utf-8"),
            headers={"Content-Type": "text/xml; charset=utf-8"},
            timeout=self._timeout,
        ) as resp:
            status = resp.status
            body = await resp.text()
        if status != 200 or not body.strip() or body.strip().lower() == "success":
            return CallbackResult(status=status)
        try:
            reply_xml = self.decrypt_reply(body)
            reply_root = ET.fromstring(reply_xml)
        except _DECRYPT_ERRORS as exc:
            return CallbackResult(status=status, error=f"{type(exc).__name__}: {exc}")
        content = _find_text(reply_root, "Content")
        if content is None:
            content = _find_text(reply_root, "Markdown/Content")
        return CallbackResult(status=status, reply_xml=reply_xml, reply_text=content)

    def _text_xml(self, userid: str, text: str, msgid: int) -> str:
        return (
            "<xml>"
            f"<ToUserName>{cdata(self.corp_id)}</ToUserName>"
            f"<FromUserName>{cdata(userid)}</FromUserName>"
            f"<CreateTime>{self._timestamp()}</CreateTime>"
            f"<MsgType>{cdata('text')}</MsgType>"
            f"<Content>{cdata(text)}</Content>"
            f"<MsgId>{msgid}</MsgId>"
            f"<AgentID>{self.agent_id}</AgentID>"
            "</xml>"
        )

    def _click_xml(
        self, userid: str, *, response_code: str, event_key: str, task_id: str, card_type: str
    ) -> str:
        return (
            "<xml>"
            f"<ToUserName>{cdata(self.corp_id)}</ToUserName>"
            f"<FromUserName>{cdata(userid)}</FromUserName>"
            f"<CreateTime>{self._timestamp()}</CreateTime>"
            f"<MsgType>{cdata('event')}</MsgType>"
            f"<Event>{cdata('template_card_event')}</Event>"
            f"<EventKey>{cdata(event_key)}</EventKey>"
            f"<TaskId>{cdata(task_id)}</TaskId>"
            f"<CardType>{cdata(card_type)}</CardType>"
            f"<ResponseCode>{cdata(response_code)}</ResponseCode>"
            f"<AgentID>{self.agent_id}</AgentID>"
            "</xml>"
        )

    async def send_text(
        self, userid: str, text: str, *, msgid: int | None = None
    ) -> CallbackResult:
        """A user types ``text`` to the app; returns what the bot answered passively."""
        if msgid is None:
            msgid = self.next_msgid()
        self._state.record("user", userid, "text", {"content": text}, msgid=str(msgid))
        result = await self.post_plain(self._text_xml(userid, text, msgid))
        self._record_reply(userid, result, response_code=None)
        return result

    async def click(
        self,
        userid: str,
        *,
        response_code: str,
        event_key: str,
        task_id: str,
        card_type: str = "button_interaction",
    ) -> CallbackResult:
        """A user clicks a template-card button (a ``template_card_event``)."""
        self._state.record(
            "event",
            userid,
            "event",
            {
                "event": "template_card_event",
                "event_key": event_key,
                "task_id": task_id,
                "card_type": card_type,
                "response_code": response_code,
            },
        )
        xml = self._click_xml(
            userid,
            response_code=response_code,
            event_key=event_key,
            task_id=task_id,
            card_type=card_type,
        )
        result = await self.post_plain(xml)
        self._record_reply(userid, result, response_code=response_code)
        return result

    def _record_reply(
        self, userid: str, result: CallbackResult, *, response_code: str | None
    ) -> None:
        """Record a passive reply the way the user would see it in WeCom."""
        if result.reply_xml is None:
            return
        root = ET.fromstring(result.reply_xml)
        msgtype = (_find_text(root, "MsgType") or "").strip()
        if msgtype in ("text", "markdown"):
            self._state.record("reply", userid, msgtype, {"content": result.reply_text or ""})
        elif msgtype == "update_button" and response_code:
            # The clicked user's buttons turn into one grey, unclickable button.
            own = [e for e in self._state.conversation(userid) if e.response_code == response_code]
            current = own[-1] if own else self._state.card(response_code)
            if current is not None:
                card = dict(current.body)
                card["replace_name"] = _find_text(root, "Button/ReplaceName") or ""
                self._state.update_cards(response_code, [userid], card)
        elif msgtype == "update_template_card" and response_code:
            card_node = root.find("TemplateCard")
            if card_node is not None:
                self._state.update_cards(response_code, [userid], xml_to_dict(card_node))
        else:
            self._state.record("reply", userid, msgtype or "unknown", {"xml": result.reply_xml})
