"""Refused callbacks, failed sends and recovered faults are logged with their reason, and
no line (nor a config problem) shows the token, the AES key, the secret, an access token
or a robot key."""

from __future__ import annotations

import logging

import aiohttp
import pytest

from bot.config import ConfigError, parse_config
from bot.runtime import SANDBOX_AES_KEY, SANDBOX_SECRET, SANDBOX_TOKEN
from tests.faults.conftest import enqueue
from tests.transport.conftest import Bot
from tests.transport.test_delivery import drain


async def test_no_secret_in_any_log_line(bot: Bot, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.DEBUG)
    async with aiohttp.ClientSession() as http:
        params = {
            "msg_signature": "0" * 40,
            "timestamp": str(int(bot.clock().timestamp())),
            "nonce": "1",
        }
        async with http.post(f"{bot.url}/wecom/callback", params=params, data=b"<xml/>") as r:
            assert r.status == 400
    await bot.driver.send_text("lilei", "帮助")
    for fault in ("http_500", "timeout", "errcode:45009", "expire_tokens", "errcode:-1"):
        bot.sandbox.faults.inject(fault, times=3)
    enqueue(bot, "user:lilei", "第一条", "a")
    enqueue(bot, "user:ghost", "查无此人", "b")
    enqueue(bot, "group:leaders", "群通知", "c")
    await drain(bot)

    secrets = [SANDBOX_TOKEN, SANDBOX_AES_KEY, SANDBOX_SECRET, *bot.sandbox._tokens]
    lines = [
        r.getMessage()
        for r in caplog.records
        # The sandbox's own access log is WeCom's side of the wire (it sees its tokens).
        if not (r.name == "aiohttp.access" and "/cgi-bin/" in r.getMessage())
    ]
    assert any("callback refused" in line for line in lines)
    assert any("attempt" in line and "failed" in line for line in lines)
    assert any("failed for good" in line for line in lines)
    leaked = [line for line in lines for s in secrets if s in line]
    assert leaked == []


def test_config_problems_never_quote_a_secret():
    leaked = "s3cr3t-AES-key-not-43-characters"
    text = f'[wecom]\nmode = "live"\ncorp_id = "ww1"\nsecret = "x"\ntoken = "t"\nencoding_aes_key = "{leaked}"\n'
    text += '[[groups]]\nid = "g"\nname = "群"\nwebhook = "https://example.invalid/hook?key=ROBOTKEY1"\n'
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    report = caught.value.report()
    assert "wecom.encoding_aes_key" in report and "groups[0]" in report
    assert leaked not in report and "ROBOTKEY1" not in report


async def test_a_redirecting_server_neither_is_followed_nor_learns_the_key(
    caplog: pytest.LogCaptureFixture,
):
    """Something between the bot and WeCom answers 307 to itself: the send fails with the
    status, and no error (logged, or kept in the outbox) carries the robot key."""
    from aiohttp import web

    from bot.wecom.api import TransportError, request_json
    from tests.conftest import free_port

    hits: list[str] = []

    async def loop(request: web.Request) -> web.Response:
        hits.append(request.path_qs)
        raise web.HTTPTemporaryRedirect(str(request.url))

    app = web.Application()
    app.router.add_route("*", "/loop", loop)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        async with aiohttp.ClientSession() as http:
            with pytest.raises(TransportError) as caught:
                await request_json(
                    http,
                    "POST",
                    f"http://127.0.0.1:{port}/loop",
                    params={"key": "ROBOTSECRETKEY"},
                    body={"msgtype": "text"},
                    timeout=5,
                )
    finally:
        await runner.cleanup()
    assert len(hits) == 1  # not followed
    assert "307" in str(caught.value) and "ROBOTSECRETKEY" not in str(caught.value)


def test_an_error_naming_a_url_loses_its_secrets():
    from bot.wecom.api import redact

    text = (
        "ClientConnectorError: https://qyapi.weixin.qq.com/cgi-bin/message/send?"
        "access_token=TOKEN123&debug=1 and webhook/send?key=KEY456'; gettoken?corpid=ww1&corpsecret=SEC789"
    )
    clean = redact(text)
    assert not any(s in clean for s in ("TOKEN123", "KEY456", "SEC789"))
    assert "debug=1" in clean and "corpid=ww1" in clean
