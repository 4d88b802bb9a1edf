"""The real bot app and the sandbox WeCom talking over loopback HTTP."""

from __future__ import annotations

import aiohttp
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from bot.runtime import SANDBOX_AES_KEY, SANDBOX_CORP_ID, SANDBOX_TOKEN
from storage.models import InboxMessage, ProgressRecord
from tests.transport.conftest import Bot
from tests.wxbizmsgcrypt import WXBizMsgCrypt, signature


async def test_url_verification_answers_the_plain_echostr(bot: Bot):
    status, body = await bot.driver.verify_url()
    assert status == 200 and body == bot.driver.last_echo


async def test_text_round_trip_gets_an_encrypted_passive_reply(bot: Bot):
    result = await bot.driver.send_text("lilei", "帮助")
    assert result.status == 200 and result.error is None
    assert result.reply_text is not None and result.reply_text.startswith("李磊您好")
    assert "<ToUserName><![CDATA[lilei]]></ToUserName>" in (result.reply_xml or "")
    assert [e.channel for e in bot.sandbox.conversation("lilei")] == ["user", "reply"]


async def test_a_retried_message_is_recorded_once_and_answered_the_same(bot: Bot):
    first = await bot.driver.send_text("chenjing", "帮助", msgid=424242)
    again = await bot.driver.send_text("chenjing", "帮助", msgid=424242)
    assert again.status == 200 and again.reply_text == first.reply_text
    assert bot.count(InboxMessage) == 1


async def test_unknown_sender_gets_a_polite_refusal(bot: Bot):
    result = await bot.driver.send_text("stranger", "T3 80%")
    assert result.reply_text is not None and "不在督办名单" in result.reply_text
    assert bot.count(ProgressRecord) == 0


async def test_button_click_event_is_parsed(bot: Bot):
    result = await bot.driver.click(
        "sunhao", response_code="rc-1", event_key="done:T7", task_id="card-T7"
    )
    # A card the bot never sent records nothing.
    assert result.status == 200 and (result.reply_text or "").startswith("这张卡片已过期，没有记录")
    assert bot.count(ProgressRecord) == 0
    with bot.runtime.sessions() as session:
        (key,) = session.scalars(select(InboxMessage.key)).all()
    assert key.startswith("event:sunhao:") and ":template_card_event:" in key


async def test_official_algorithm_encrypts_for_the_bot_and_decrypts_its_reply(bot: Bot):
    """WeCom's published WXBizMsgCrypt algorithm, implemented apart from wechatpy."""
    official = WXBizMsgCrypt(SANDBOX_TOKEN, SANDBOX_AES_KEY, SANDBOX_CORP_ID)
    timestamp, nonce = str(int(bot.clock().timestamp())), "20270301"
    message = (
        f"<xml><ToUserName><![CDATA[{SANDBOX_CORP_ID}]]></ToUserName>"
        "<FromUserName><![CDATA[zhoufang]]></FromUserName>"
        f"<CreateTime>{timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        "<Content><![CDATA[帮助]]></Content><MsgId>7777</MsgId><AgentID>1000002</AgentID></xml>"
    )
    body, sig = official.encrypt_callback(message, timestamp, nonce, agent_id=1000002)
    async with aiohttp.ClientSession() as http:
        params = {"msg_signature": sig, "timestamp": timestamp, "nonce": nonce}
        async with http.post(f"{bot.url}/wecom/callback", params=params, data=body) as response:
            assert response.status == 200
            reply = official.decrypt_reply(await response.text())
        echostr, echo_sig = official.make_echostr(timestamp, nonce, "echo-123")
        params = {
            "msg_signature": echo_sig,
            "timestamp": timestamp,
            "nonce": nonce,
            "echostr": echostr,
        }
        async with http.get(f"{bot.url}/wecom/callback", params=params) as response:
            assert (response.status, await response.text()) == (200, "echo-123")
    assert "<ToUserName><![CDATA[zhoufang]]></ToUserName>" in reply
    assert "周芳您好" in reply


async def post(bot: Bot, body: bytes | str, **params: str) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{bot.url}/wecom/callback", params=params, data=body) as response,
    ):
        return response.status, await response.text()


def signed(bot: Bot, encrypt: str, *, timestamp: str | None = None) -> dict[str, str]:
    timestamp = timestamp or str(int(bot.clock().timestamp()))
    return {
        "msg_signature": signature(SANDBOX_TOKEN, timestamp, "n1", encrypt),
        "timestamp": timestamp,
        "nonce": "n1",
    }


def envelope(encrypt: str) -> str:
    return (
        f"<xml><ToUserName><![CDATA[x]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    )


async def test_bad_input_gets_4xx_and_records_nothing(bot: Bot):
    official = WXBizMsgCrypt(SANDBOX_TOKEN, SANDBOX_AES_KEY, SANDBOX_CORP_ID)
    good = official.encrypt("<xml><FromUserName>lilei</FromUserName></xml>")
    stale = str(int(bot.clock().timestamp()) - 3600)
    not_xml = official.encrypt("this is not xml")
    no_type = official.encrypt(
        "<xml><FromUserName>lilei</FromUserName><CreateTime>1</CreateTime></xml>"
    )
    no_msgid = official.encrypt(
        "<xml><FromUserName>lilei</FromUserName><CreateTime>1</CreateTime>"
        "<MsgType>text</MsgType><Content>hi</Content></xml>"
    )
    other_corp = WXBizMsgCrypt(SANDBOX_TOKEN, SANDBOX_AES_KEY, "wwother").encrypt("<xml/>")
    cases = {
        "bad signature": (envelope(good), {**signed(bot, good), "msg_signature": "0" * 40}, 403),
        "stale timestamp": (envelope(good), signed(bot, good, timestamp=stale), 403),
        "no query": (envelope(good), {}, 400),
        "corrupt ciphertext": (envelope("!!notbase64!!"), signed(bot, "!!notbase64!!"), 400),
        "short ciphertext": (envelope("QUJD"), signed(bot, "QUJD"), 400),
        "malformed envelope": ("<xml><Encrypt>", signed(bot, ""), 400),
        "plaintext not xml": (envelope(not_xml), signed(bot, not_xml), 400),
        "missing MsgType": (envelope(no_type), signed(bot, no_type), 400),
        "missing MsgId": (envelope(no_msgid), signed(bot, no_msgid), 400),
        "another corp": (envelope(other_corp), signed(bot, other_corp), 403),
        "oversized": ("x" * 200_000, signed(bot, good), 413),
    }
    for name, (body, params, expected) in cases.items():
        status, _text = await post(bot, body, **params)
        assert status == expected, name
    assert bot.count(InboxMessage) == 0


async def test_healthz(bot: Bot):
    async with aiohttp.ClientSession() as http, http.get(f"{bot.url}/healthz") as response:
        assert await response.json() == {"status": "ok"}


async def test_a_reply_too_long_for_wecom_goes_out_as_messages(bot: Bot, monkeypatch):
    long_text = "汇总：" + "各部门任务推进情况良好。" * 300  # well over 2048 bytes
    monkeypatch.setattr(
        "bot.inbound.render_reply", lambda _reply: {"msgtype": "text", "content": long_text}
    )
    result = await bot.driver.send_text("wangxinhui", "汇总")
    assert result.status == 200 and result.reply_text is None  # nothing passive
    await bot.delivery.run_once()
    parts = [e.body["content"] for e in bot.sandbox.entries(channel="app", peer="wangxinhui")]
    assert len(parts) >= 2 and all(len(p.encode()) <= 2048 for p in parts)
    assert "".join(p.split("\n", 1)[1] for p in parts) == long_text


async def test_healthz_reports_an_unreachable_database(bot: Bot, monkeypatch):
    def unreachable(_engine):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr("bot.app.ping", unreachable)
    async with aiohttp.ClientSession() as http, http.get(f"{bot.url}/healthz") as response:
        assert response.status == 503
        assert await response.json() == {"status": "database unreachable"}
