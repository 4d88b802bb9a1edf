"""Fuzz the callback: whatever arrives, the answer is 2xx or 4xx and nothing is recorded."""

from __future__ import annotations

import aiohttp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.runtime import SANDBOX_AES_KEY, SANDBOX_CORP_ID, SANDBOX_TOKEN
from storage.models import InboxMessage
from tests.transport.conftest import Bot
from tests.wxbizmsgcrypt import WXBizMsgCrypt, signature

OFFICIAL = WXBizMsgCrypt(SANDBOX_TOKEN, SANDBOX_AES_KEY, SANDBOX_CORP_ID)

xml_like = st.recursive(
    st.text(max_size=30),
    lambda inner: st.tuples(
        st.sampled_from(["xml", "Encrypt", "MsgType", "FromUserName", "a"]),
        st.lists(inner, max_size=3),
    ).map(lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"),
    max_leaves=8,
)
# Plaintexts that must never be recorded: not a message WeCom could send.
bad_plaintexts = st.one_of(
    st.text(max_size=200),
    xml_like,
    st.builds(lambda s: f"<xml><FromUserName>{s}</FromUserName></xml>", st.text(max_size=20)),
    st.builds(
        lambda s: f"<xml><MsgType>text</MsgType><CreateTime>{s}</CreateTime></xml>",
        st.text(max_size=10),
    ),
)


@st.composite
def callbacks(draw: st.DrawFn) -> tuple[bytes, dict[str, str]]:
    # Mostly well-formed envelopes, so most examples reach decryption and parsing.
    timestamp = "NOW" if draw(st.integers(0, 4)) else draw(st.text(max_size=12))
    nonce = draw(st.text(min_size=1, max_size=12))
    kind = draw(st.sampled_from(["garbage", "xml", "signed-corrupt", "signed-plaintext"]))
    if kind == "garbage":
        body, encrypt = draw(st.binary(max_size=3000)), draw(st.text(max_size=50))
    elif kind == "xml":
        body, encrypt = draw(xml_like).encode(), ""
    elif kind == "signed-corrupt":
        encrypt = draw(
            st.text(
                alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=",
                max_size=200,
            )
        )
        body = f"<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>".encode()
    else:
        encrypt = OFFICIAL.encrypt(draw(bad_plaintexts))
        body = f"<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>".encode()
    params = {"timestamp": timestamp, "nonce": nonce}
    sign = draw(st.sampled_from(["right", "right", "right", "wrong", "missing"]))
    if sign != "missing":
        params["msg_signature"] = "right" if sign == "right" else draw(st.text(max_size=40))
    params["encrypt"] = encrypt
    return body, params


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(callback=callbacks(), method=st.sampled_from(["POST", "GET"]))
async def test_random_callbacks_get_2xx_or_4xx_and_write_nothing(bot: Bot, callback, method):
    body, params = callback
    params = dict(params)
    encrypt = params.pop("encrypt")
    if params["timestamp"] == "NOW":
        params["timestamp"] = str(int(bot.clock().timestamp()))
    if params.get("msg_signature") == "right":
        params["msg_signature"] = signature(
            SANDBOX_TOKEN, params["timestamp"], params["nonce"], encrypt
        )
    if method == "GET":
        params["echostr"] = encrypt
    async with (
        aiohttp.ClientSession() as http,
        http.request(method, f"{bot.url}/wecom/callback", params=params, data=body) as response,
    ):
        assert 200 <= response.status < 500
        await response.read()
    assert bot.count(InboxMessage) == 0
