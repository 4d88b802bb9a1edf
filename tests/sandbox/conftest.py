"""Shared pieces for the sandbox tests: settings, a clock, and a tiny fake bot callback.

The fake bot is written with wechatpy (as the real bot is), so driver tests exercise the
wire format against an independent receiver rather than against the driver's own code.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from wechatpy.work import parse_message
from wechatpy.work.crypto import WeChatCrypto
from wechatpy.work.replies import TextReply

from bot.sandbox.api import create_sandbox_api
from bot.sandbox.driver import SandboxDriver
from bot.sandbox.pages import add_pages
from bot.sandbox.panel import Reminders
from bot.sandbox.state import SandboxState

TOKEN = "sandboxToken123"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters
CORP_ID = "wwsandbox0001"
AGENT_ID = 1000002
USERS = {"zhangsan": "张三", "lisi": "李四", "x<b>": "<script>alert(1)</script>"}
ROBOTS = {"robot-key-1": "党组领导群"}


class Clock:
    """A settable clock that ticks one second per call, so CreateTimes differ."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        self.current += timedelta(seconds=1)
        return self.current


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2025, 3, 17, 9, 0, tzinfo=UTC))


@pytest.fixture
def state(clock: Clock) -> SandboxState:
    return SandboxState(
        now=clock, corp_id=CORP_ID, secret="s3cret", agent_id=AGENT_ID, users=USERS, robots=ROBOTS
    )


@dataclass
class FakeBot:
    """What the fake callback saw, and how it should answer."""

    seen: list[dict[str, Any]] = field(default_factory=list)  # decrypted messages
    raw: list[tuple[dict[str, str], str]] = field(default_factory=list)  # (query, body)
    answer: Callable[[dict[str, Any]], str | None] | None = None  # plaintext reply XML
    tamper: Callable[[str], str] | None = None  # rewrites the encrypted reply body


def text_reply(msg: dict[str, Any], content: str) -> str:
    reply = TextReply(content=content, agent=AGENT_ID)
    reply.source = msg["ToUserName"]
    reply.target = msg["FromUserName"]
    rendered: str = reply.render()
    return rendered


def update_button_reply(msg: dict[str, Any], name: str) -> str:
    return (
        "<xml>"
        f"<ToUserName><![CDATA[{msg['FromUserName']}]]></ToUserName>"
        f"<FromUserName><![CDATA[{msg['ToUserName']}]]></FromUserName>"
        f"<CreateTime>{msg['CreateTime']}</CreateTime>"
        "<MsgType><![CDATA[update_button]]></MsgType>"
        f"<Button><ReplaceName><![CDATA[{name}]]></ReplaceName></Button>"
        "</xml>"
    )


def default_answer(msg: dict[str, Any]) -> str | None:
    if msg.get("MsgType") == "text":
        return text_reply(msg, f"收到：{msg['Content']}")
    if msg.get("Event") == "template_card_event":
        return update_button_reply(msg, "已确认")
    return None


def make_fake_bot(bot: FakeBot) -> web.Application:
    crypto = WeChatCrypto(TOKEN, AES_KEY, CORP_ID)

    async def verify(request: web.Request) -> web.Response:
        q = request.query
        echo = crypto.check_signature(q["msg_signature"], q["timestamp"], q["nonce"], q["echostr"])
        return web.Response(text=echo)

    async def receive(request: web.Request) -> web.Response:
        q = request.query
        body = await request.text()
        bot.raw.append((dict(q), body))
        plain = crypto.decrypt_message(body, q["msg_signature"], q["timestamp"], q["nonce"])
        msg = parse_message(plain)
        fields = {child.tag: (child.text or "") for child in ET.fromstring(plain)}
        bot.seen.append({"_parsed": msg, **fields})
        reply = (bot.answer or default_answer)(fields)
        if reply is None:
            return web.Response(text="")
        encrypted: str = crypto.encrypt_message(reply, q["nonce"], q["timestamp"])
        if bot.tamper is not None:
            encrypted = bot.tamper(encrypted)
        return web.Response(text=encrypted, content_type="text/xml")

    app = web.Application()
    app.router.add_get("/wecom/callback", verify)
    app.router.add_post("/wecom/callback", receive)
    return app


@dataclass
class Site:
    """The sandbox (API + pages) under /sandbox and a fake bot callback, on one real port,
    mounted the way the bot mounts it."""

    base: str  # http://127.0.0.1:PORT
    state: SandboxState
    fake: FakeBot
    driver: SandboxDriver
    runner: web.AppRunner
    session: aiohttp.ClientSession

    async def close(self) -> None:
        await self.session.close()
        await self.runner.cleanup()


def make_driver(
    session: aiohttp.ClientSession, state: SandboxState, clock: Clock, callback_url: str
) -> SandboxDriver:
    """A driver with the test credentials, posting to `callback_url`."""
    return SandboxDriver(
        session,
        state,
        callback_url=callback_url,
        token=TOKEN,
        encoding_aes_key=AES_KEY,
        corp_id=CORP_ID,
        agent_id=AGENT_ID,
        now=clock,
    )


async def start_site(
    state: SandboxState, clock: Clock, fake: FakeBot, reminders: Reminders | None = None
) -> Site:
    session = aiohttp.ClientSession()
    # The callback URL is set once the port is known.
    driver = make_driver(session, state, clock, "http://127.0.0.1:1/unset")
    root = make_fake_bot(fake)
    sandbox = create_sandbox_api(state)
    add_pages(sandbox, state, driver, reminders=reminders)
    root.add_subapp("/sandbox", sandbox)
    runner = web.AppRunner(root, shutdown_timeout=1.0)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    port = runner.addresses[0][1]
    base = f"http://127.0.0.1:{port}"
    driver.callback_url = f"{base}/wecom/callback"
    return Site(base, state, fake, driver, runner, session)
