"""Cross-checks: the independent WXBizMsgCrypt and wechatpy understand each other both ways."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from hypothesis import given, settings
from hypothesis import strategies as st
from wechatpy.work.crypto import PrpCrypto, WeChatCrypto

from bot.sandbox.driver import SandboxDriver
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
)
from tests.wxbizmsgcrypt import CryptError, WXBizMsgCrypt, signature

REF = WXBizMsgCrypt(TOKEN, AES_KEY, CORP_ID)
WECHATPY = WeChatCrypto(TOKEN, AES_KEY, CORP_ID)

messages = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=300
)
# XML 1.0 cannot carry most control characters, so XML-level checks use printable text.
xml_safe = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=200).filter(
    lambda s: "]]>" not in s
)


@pytest.fixture
async def driver_and_fake(
    state: SandboxState, clock: Clock
) -> AsyncIterator[tuple[SandboxDriver, FakeBot]]:
    fake = FakeBot()
    server = TestServer(make_fake_bot(fake))
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        yield make_driver(session, state, clock, str(server.make_url("/wecom/callback"))), fake
    await server.close()


def test_same_prefix_gives_identical_ciphertext(monkeypatch: pytest.MonkeyPatch) -> None:
    prefix = "abcdefghijklmnop"
    monkeypatch.setattr(PrpCrypto, "get_random_string", lambda self: prefix)
    theirs = PrpCrypto(WECHATPY.key).encrypt("<xml>督办 T3</xml>", CORP_ID).decode()
    ours = REF.encrypt("<xml>督办 T3</xml>", random_prefix=prefix.encode())
    assert ours == theirs


@settings(max_examples=60, deadline=None)
@given(messages)
def test_raw_round_trip_both_directions(message: str) -> None:
    theirs = PrpCrypto(WECHATPY.key).encrypt(message, CORP_ID).decode()
    assert REF.decrypt(theirs) == message
    ours = REF.encrypt(message)
    assert PrpCrypto(WECHATPY.key).decrypt(ours, CORP_ID) == message


@settings(max_examples=40, deadline=None)
@given(xml_safe, st.integers(min_value=0, max_value=2**31).map(str))
def test_callback_and_reply_both_directions(content: str, nonce: str) -> None:
    timestamp = "1742173200"
    plain = (
        f"<xml><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{content}]]></Content></xml>"
    )

    # WeCom side written independently; the bot side is wechatpy.
    body, sig = REF.encrypt_callback(plain, timestamp, nonce, agent_id=AGENT_ID)
    assert WECHATPY.decrypt_message(body, sig, timestamp, nonce) == plain

    # The bot's passive reply from wechatpy, verified and decrypted independently.
    reply = WECHATPY.encrypt_message(plain, nonce, timestamp)
    assert REF.decrypt_reply(reply) == plain

    # And the reverse: an independently made reply, read by wechatpy.
    ours = REF.encrypt_reply(plain, timestamp, nonce)
    root = ET.fromstring(ours)
    assert (
        WECHATPY.decrypt_message(
            ours, root.findtext("MsgSignature"), root.findtext("TimeStamp"), root.findtext("Nonce")
        )
        == plain
    )


def test_echostr_both_directions() -> None:
    echostr, sig = REF.make_echostr("1742173200", "998877", "echo-1234567890")
    assert WECHATPY.check_signature(sig, "1742173200", "998877", echostr) == "echo-1234567890"

    theirs = PrpCrypto(WECHATPY.key).encrypt("echo-42", CORP_ID).decode()
    theirs_sig = signature(TOKEN, "1", "2", theirs)
    assert REF.verify_url(theirs_sig, "1", "2", theirs) == "echo-42"


def test_independent_crypto_rejects_tampering() -> None:
    body, sig = REF.encrypt_callback("<xml/>", "1", "2", agent_id=AGENT_ID)
    with pytest.raises(CryptError, match="signature"):
        REF.decrypt_callback(body, "0" * 40, "1", "2")
    other = WXBizMsgCrypt(TOKEN, AES_KEY, "wwother")
    with pytest.raises(CryptError, match="receiveid"):
        other.decrypt_callback(body, sig, "1", "2")


async def test_independent_crypto_reads_what_the_driver_sends(
    driver_and_fake: tuple[SandboxDriver, FakeBot],
) -> None:
    driver, fake = driver_and_fake
    await driver.send_text("zhangsan", "T3 80% 已完成代表资格审查")
    ((query, body),) = fake.raw
    plain = REF.decrypt_callback(body, query["msg_signature"], query["timestamp"], query["nonce"])
    root = ET.fromstring(plain)
    assert root.findtext("Content") == "T3 80% 已完成代表资格审查"
    assert root.findtext("FromUserName") == "zhangsan"


async def test_driver_reads_an_independently_encrypted_reply(
    driver_and_fake: tuple[SandboxDriver, FakeBot],
) -> None:
    driver, _ = driver_and_fake
    reply = (
        "<xml><ToUserName><![CDATA[zhangsan]]></ToUserName>"
        f"<FromUserName><![CDATA[{CORP_ID}]]></FromUserName><CreateTime>1</CreateTime>"
        "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[已记录 T3 进度 80%]]></Content></xml>"
    )
    assert driver.decrypt_reply(REF.encrypt_reply(reply, "1742173200", "12345")) == reply
