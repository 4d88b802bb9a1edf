"""Hole 5 and hostile callbacks: whatever arrives under a valid signature — entity
bombs, external entities, huge or nested fields, invalid UTF-8, replays, a body that
never comes — gets a 4xx quickly, and nothing is recorded, alike on both databases."""

from __future__ import annotations

import asyncio
import struct
import time

import aiohttp

from bot.app import CALLBACK
from bot.runtime import SANDBOX_AES_KEY, SANDBOX_CORP_ID, SANDBOX_TOKEN
from storage.models import InboxMessage, ProgressRecord
from tests.transport.conftest import Bot
from tests.wxbizmsgcrypt import WXBizMsgCrypt, _pad, signature

OFFICIAL = WXBizMsgCrypt(SANDBOX_TOKEN, SANDBOX_AES_KEY, SANDBOX_CORP_ID)
BOMB = (
    '<?xml version="1.0"?><!DOCTYPE x ['
    '<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
    + "".join(
        f'<!ENTITY {n} "{("&" + p + ";") * 10}">' for p, n in zip("abcdefg", "bcdefgh", strict=True)
    )
    + "]>"
)


def message(**fields: str) -> str:
    base = {
        "ToUserName": SANDBOX_CORP_ID,
        "FromUserName": "lilei",
        "CreateTime": "NOW",
        "MsgType": "text",
        "Content": "T3 50%",
        "MsgId": "1234567890",
    }
    base.update(fields)
    return "<xml>" + "".join(f"<{k}>{v}</{k}>" for k, v in base.items()) + "</xml>"


def encrypt_bytes(body: bytes) -> str:
    import base64
    import os

    plain = os.urandom(16) + struct.pack("!I", len(body)) + body + SANDBOX_CORP_ID.encode()
    encryptor = OFFICIAL._cipher().encryptor()
    return base64.b64encode(encryptor.update(_pad(plain)) + encryptor.finalize()).decode()


async def post(
    bot: Bot, encrypt: str, *, envelope: str | None = None, stamp: int = 0
) -> tuple[int, float]:
    timestamp = str(int(bot.clock().timestamp()) + stamp)
    params = {
        "msg_signature": signature(SANDBOX_TOKEN, timestamp, "n1", encrypt),
        "timestamp": timestamp,
        "nonce": "n1",
    }
    body = envelope or f"<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    started = time.monotonic()
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{bot.url}/wecom/callback", params=params, data=body.encode()) as response,
    ):
        await response.read()
        return response.status, time.monotonic() - started


async def test_signed_hostile_bodies_get_a_fast_4xx_and_record_nothing(bot: Bot, caplog):
    now = str(int(bot.clock().timestamp()))
    nested = "<a>1</a>"
    plaintexts = {
        "billion laughs": BOMB + message().replace("T3 50%", "&h;").replace("NOW", now),
        "external entity": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        + message(Content="&e;", CreateTime=now),
        "huge attribute": f'<xml a="{"x" * 40_000}"><FromUserName>lilei</FromUserName></xml>',
        "deep nesting": "<xml>" + "<a>" * 5000 + "</a>" * 5000 + "</xml>",
        "nested CreateTime": message(CreateTime=nested),
        "duplicated CreateTime": message(CreateTime=now).replace(
            "</xml>", f"<CreateTime>{now}</CreateTime></xml>"
        ),
        "30-digit CreateTime": message(CreateTime="1" * 30),
        "negative CreateTime": message(CreateTime="-99999999999999"),
        "long MsgId": message(CreateTime=now, MsgId="9" * 200),
        "nested MsgId": message(CreateTime=now, MsgId=nested),
        "long FromUserName": message(CreateTime=now, FromUserName="u" * 100),
        "nested FromUserName": message(CreateTime=now, FromUserName=nested),
        "nested Content": message(CreateTime=now, Content=nested),
        "duplicated MsgId": message(CreateTime=now).replace("</xml>", "<MsgId>2</MsgId></xml>"),
    }
    answers = {name: await post(bot, OFFICIAL.encrypt(text)) for name, text in plaintexts.items()}
    answers["invalid UTF-8"] = await post(
        bot, encrypt_bytes(b"<xml><FromUserName>\xff\xfe</FromUserName></xml>")
    )
    good = OFFICIAL.encrypt(message(CreateTime=now))
    answers["bomb in the envelope"] = await post(
        bot, good, envelope=BOMB + f"<xml><Encrypt>{good}&h;</Encrypt></xml>"
    )
    answers["replay an hour late"] = await post(bot, good, stamp=-3600)
    for name, (status, took) in answers.items():
        assert 400 <= status < 500 and took < 1.0, (name, status, took)
    # Each refusal is logged once, with its reason, never with the (decrypted) content.
    refusals = [r.getMessage() for r in caplog.records if "callback refused" in r.getMessage()]
    assert len(refusals) == len(answers)
    assert all(len(line) < 300 and "T3 50%" not in line for line in refusals)
    assert bot.count(InboxMessage) == 0 and bot.count(ProgressRecord) == 0

    # The same message, well formed, is taken: the refusals above were for the fields.
    status, _ = await post(bot, good)
    assert status == 200 and bot.count(ProgressRecord) == 1


async def test_a_client_that_never_sends_its_body_is_let_go(bot: Bot):
    bot.app[CALLBACK].read_within = 0.3
    now = str(int(bot.clock().timestamp()))
    query = f"msg_signature=x&timestamp={now}&nonce=n1"
    reader, writer = await asyncio.open_connection("127.0.0.1", bot.server.port)
    writer.write(
        f"POST /wecom/callback?{query} HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n".encode()
    )
    await writer.drain()
    async with asyncio.timeout(5):
        status_line = await reader.readline()
    writer.close()
    assert status_line.split()[1] == b"408"
    assert bot.count(InboxMessage) == 0


def test_a_reply_built_to_make_the_parser_backtrack_is_answered_at_once():
    """A member's message must not stall the bot: before, 80 × 辛苦了 around one odd
    character took the acknowledgement pattern seconds (and 300 of them, ages)."""
    import signal
    from datetime import date

    from handlers.parser import TaskRef, parse_reply

    class Stalled(BaseException):  # not caught by parse_reply's last resort
        pass

    def stalled(_signum: int, _frame: object) -> None:
        raise Stalled

    tasks = [
        TaskRef(id="T3", title="代表资格审查", deadline=date(2027, 4, 30), done=False, mine=True)
    ]
    previous = signal.signal(signal.SIGALRM, stalled)
    signal.setitimer(signal.ITIMER_REAL, 2.0)
    try:
        for text in (
            "辛苦了" * 300 + "𣄇" + "辛苦了" * 300,
            "好的" * 500 + "？" + "嗯" * 500,
            "嗯" * 300 + "7" + "嗯" * 300,
            "汇报如下" * 200 + "𣄇",
        ):
            assert parse_reply(text, today=date(2027, 3, 1), tasks=tasks).kind
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
