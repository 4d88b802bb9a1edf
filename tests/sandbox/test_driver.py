"""The sandbox driver speaks WeCom's callback protocol to a wechatpy-based fake bot."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.sandbox.driver import CallbackResult, SandboxDriver, cdata, msg_signature, xml_to_dict
from bot.sandbox.state import SandboxState
from tests.sandbox.conftest import (
    AES_KEY,
    AGENT_ID,
    CORP_ID,
    TOKEN,
    Clock,
    FakeBot,
    make_driver,
    make_fake_bot,
    text_reply,
)
from tests.wxbizmsgcrypt import WXBizMsgCrypt


@pytest.fixture
def fake() -> FakeBot:
    return FakeBot()


@pytest.fixture
async def driver(fake: FakeBot, state: SandboxState, clock: Clock) -> AsyncIterator[SandboxDriver]:
    server = TestServer(make_fake_bot(fake))
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        yield make_driver(session, state, clock, str(server.make_url("/wecom/callback")))
    await server.close()


async def test_verify_url_round_trip(driver: SandboxDriver) -> None:
    status, body = await driver.verify_url()
    assert status == 200
    assert driver.last_echo is not None
    assert body == driver.last_echo


async def test_send_text_round_trip(
    driver: SandboxDriver, fake: FakeBot, state: SandboxState
) -> None:
    result = await driver.send_text("zhangsan", "T3 80% 已完成代表资格审查")

    assert result.status == 200
    assert result.reply_text == "收到：T3 80% 已完成代表资格审查"
    assert result.reply_xml is not None and "<MsgType><![CDATA[text]]>" in result.reply_xml
    assert result.error is None

    (msg,) = fake.seen
    assert msg["ToUserName"] == CORP_ID
    assert msg["FromUserName"] == "zhangsan"
    assert msg["MsgType"] == "text"
    assert msg["Content"] == "T3 80% 已完成代表资格审查"
    assert msg["AgentID"] == str(AGENT_ID)
    assert int(msg["MsgId"]) > 0
    assert int(msg["CreateTime"]) > 1_700_000_000
    parsed = msg["_parsed"]  # wechatpy understands it as a plain text message
    assert parsed.type == "text" and parsed.content == "T3 80% 已完成代表资格审查"
    assert parsed.source == "zhangsan" and parsed.agent == AGENT_ID

    conv = state.conversation("zhangsan")
    assert [(e.channel, e.msgtype, e.body) for e in conv] == [
        ("user", "text", {"content": "T3 80% 已完成代表资格审查"}),
        ("reply", "text", {"content": "收到：T3 80% 已完成代表资格审查"}),
    ]
    assert conv[0].msgid == msg["MsgId"]


async def test_callback_envelope_is_wecom_shaped(driver: SandboxDriver, fake: FakeBot) -> None:
    await driver.send_text("lisi", "帮助")
    ((query, body),) = fake.raw
    assert set(query) == {"msg_signature", "timestamp", "nonce"}
    root = ET.fromstring(body)
    assert [child.tag for child in root] == ["ToUserName", "Encrypt", "AgentID"]
    assert root.findtext("ToUserName") == CORP_ID
    assert root.findtext("AgentID") == str(AGENT_ID)


async def test_msgids_increase_and_are_unique(driver: SandboxDriver, fake: FakeBot) -> None:
    for i in range(5):
        await driver.send_text("zhangsan", f"消息{i}")
    ids = [int(m["MsgId"]) for m in fake.seen]
    assert ids == sorted(ids) and len(set(ids)) == 5
    assert all(0 < i < 2**63 for i in ids)


async def test_explicit_msgid_allows_duplicates(driver: SandboxDriver, fake: FakeBot) -> None:
    await driver.send_text("zhangsan", "T5 已完成", msgid=42)
    await driver.send_text("zhangsan", "T5 已完成", msgid=42)
    assert [m["MsgId"] for m in fake.seen] == ["42", "42"]


async def test_click_posts_template_card_event(
    driver: SandboxDriver, fake: FakeBot, state: SandboxState
) -> None:
    card = {
        "card_type": "button_interaction",
        "main_title": {"title": "T3 进度待更新"},
        "task_id": "task-3-0317",
        "button_list": [{"text": "已完成", "key": "done"}, {"text": "延期", "key": "extend"}],
    }
    state.record("app", "zhangsan", "template_card", card, response_code="rc-1")

    result = await driver.click(
        "zhangsan", response_code="rc-1", event_key="done", task_id="task-3-0317"
    )

    (msg,) = fake.seen
    assert msg["MsgType"] == "event"
    assert msg["Event"] == "template_card_event"
    assert msg["EventKey"] == "done"
    assert msg["TaskId"] == "task-3-0317"
    assert msg["CardType"] == "button_interaction"
    assert msg["ResponseCode"] == "rc-1"
    assert msg["AgentID"] == str(AGENT_ID)
    assert msg["FromUserName"] == "zhangsan" and msg["ToUserName"] == CORP_ID
    assert "MsgId" not in msg  # events carry no MsgId; bots dedupe by FromUserName+CreateTime

    assert result.reply_xml is not None and "update_button" in result.reply_xml
    updated = state.card("rc-1")
    assert updated is not None
    assert updated.body["replace_name"] == "已确认"
    assert updated.body["main_title"] == {"title": "T3 进度待更新"}
    events = state.entries(channel="event", peer="zhangsan")
    assert len(events) == 1 and events[0].body["event_key"] == "done"
    assert events[0].response_code is None  # the card update must not rewrite the event


async def test_update_template_card_reply_replaces_card(
    driver: SandboxDriver, fake: FakeBot, state: SandboxState
) -> None:
    state.record(
        "app", "lisi", "template_card", {"card_type": "button_interaction"}, response_code="rc-2"
    )

    def answer(msg: dict[str, Any]) -> str:
        return (
            "<xml>"
            f"<ToUserName><![CDATA[{msg['FromUserName']}]]></ToUserName>"
            f"<FromUserName><![CDATA[{CORP_ID}]]></FromUserName>"
            "<CreateTime>1</CreateTime>"
            "<MsgType><![CDATA[update_template_card]]></MsgType>"
            "<TemplateCard><CardType><![CDATA[button_interaction]]></CardType>"
            "<MainTitle><Title><![CDATA[已办结]]></Title></MainTitle>"
            "<ButtonList><Button><Text><![CDATA[好]]></Text><Key><![CDATA[ok]]></Key></Button>"
            "</ButtonList><ReplaceText><![CDATA[已处理]]></ReplaceText></TemplateCard>"
            "</xml>"
        )

    fake.answer = answer
    await driver.click("lisi", response_code="rc-2", event_key="x", task_id="t")
    card = state.card("rc-2")
    assert card is not None
    assert card.body == {
        "card_type": "button_interaction",
        "main_title": {"title": "已办结"},
        "button_list": [{"text": "好", "key": "ok"}],
        "replace_text": "已处理",
    }


async def test_markdown_reply_recorded_as_markdown(
    driver: SandboxDriver, fake: FakeBot, state: SandboxState
) -> None:
    def answer(msg: dict[str, Any]) -> str:
        return text_reply(msg, "**我的任务**").replace(
            "<MsgType><![CDATA[text]]></MsgType>", "<MsgType><![CDATA[markdown]]></MsgType>"
        )

    fake.answer = answer
    result = await driver.send_text("zhangsan", "我的任务")
    assert result.reply_text == "**我的任务**"
    assert state.conversation("zhangsan")[-1].msgtype == "markdown"


async def test_empty_reply_means_no_reply(
    driver: SandboxDriver, fake: FakeBot, state: SandboxState
) -> None:
    fake.answer = lambda msg: None
    result = await driver.send_text("zhangsan", "T4 延期至4月30日")
    assert result == CallbackResult(status=200)
    assert [e.channel for e in state.conversation("zhangsan")] == ["user"]


async def test_badly_signed_reply_is_reported_not_recorded(
    driver: SandboxDriver, fake: FakeBot, state: SandboxState
) -> None:
    fake.tamper = lambda body: re.sub(
        r"<MsgSignature><!\[CDATA\[[0-9a-f]+", "<MsgSignature><![CDATA[" + "0" * 40, body
    )
    result = await driver.send_text("zhangsan", "汇总")
    assert result.status == 200
    assert result.reply_xml is None
    assert result.error is not None and "Signature" in result.error
    assert [e.channel for e in state.conversation("zhangsan")] == ["user"]


async def test_corrupt_reply_with_valid_signature_is_reported(
    driver: SandboxDriver, fake: FakeBot
) -> None:
    def corrupt(body: str) -> str:
        root = ET.fromstring(body)
        ts, nonce = root.findtext("TimeStamp") or "", root.findtext("Nonce") or ""
        encrypt = "QUJD"  # valid base64, not whole AES blocks
        sig = msg_signature(TOKEN, ts, nonce, encrypt)
        return (
            f"<xml><Encrypt>{cdata(encrypt)}</Encrypt><MsgSignature>{cdata(sig)}</MsgSignature>"
            f"<TimeStamp>{ts}</TimeStamp><Nonce>{cdata(nonce)}</Nonce></xml>"
        )

    fake.tamper = corrupt
    result = await driver.send_text("zhangsan", "逾期")
    assert result.reply_xml is None and result.error is not None


async def test_post_plain_passes_odd_content_through(driver: SandboxDriver, fake: FakeBot) -> None:
    tricky = "a]]>b <&> “引号” 😀"
    await driver.send_text("zhangsan", tricky)
    assert fake.seen[0]["Content"] == tricky


def test_cdata_escapes_terminator() -> None:
    root = ET.fromstring(f"<x>{cdata('1]]>2')}</x>")
    assert root.text == "1]]>2"


def test_xml_to_dict_lists_and_nesting() -> None:
    root = ET.fromstring(
        "<T><CardType>x</CardType><HorizontalContentList><HorizontalContent><Keyname>k</Keyname>"
        "<Value>v</Value></HorizontalContent></HorizontalContentList></T>"
    )
    assert xml_to_dict(root) == {
        "card_type": "x",
        "horizontal_content_list": [{"keyname": "k", "value": "v"}],
    }


async def test_url_verification_against_independent_crypto(
    state: SandboxState, clock: Clock
) -> None:
    """A receiver written with the independent crypto accepts the driver's echostr."""
    from aiohttp import web

    ref = WXBizMsgCrypt(TOKEN, AES_KEY, CORP_ID)

    async def verify(request: web.Request) -> web.Response:
        q = request.query
        return web.Response(
            text=ref.verify_url(q["msg_signature"], q["timestamp"], q["nonce"], q["echostr"])
        )

    app = web.Application()
    app.router.add_get("/cb", verify)
    server = TestServer(app)
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as session:
            drv = make_driver(session, state, clock, str(server.make_url("/cb")))
            status, body = await drv.verify_url()
    finally:
        await server.close()
    assert status == 200 and body == drv.last_echo
