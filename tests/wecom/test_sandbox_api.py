"""The sandbox speaks WeCom's protocol, including its refusals, and never answers 500."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.sandbox import SandboxState
from tests.conftest import FakeClock
from tests.wecom.conftest import AGENT, CORP, SECRET

PATHS = [
    "/cgi-bin/message/send",
    "/cgi-bin/message/update_template_card",
    "/cgi-bin/appchat/send",
    "/cgi-bin/webhook/send?key=robot-key",
]


async def token(session: aiohttp.ClientSession, server: TestServer) -> str:
    params = {"corpid": CORP, "corpsecret": SECRET}
    async with session.get(server.make_url("/cgi-bin/gettoken"), params=params) as resp:
        data = await resp.json()
    assert data["errcode"] == 0 and data["expires_in"] == 7200
    return str(data["access_token"])


async def call(
    session: aiohttp.ClientSession,
    server: TestServer,
    path: str,
    body: Any = None,
    *,
    raw: bytes | None = None,
    tok: str | None = None,
) -> dict[str, Any]:
    url = server.make_url(path)
    params = {"access_token": tok} if tok else {}
    data = raw if raw is not None else json.dumps(body).encode()
    async with session.post(url, params=params, data=data) as resp:
        assert resp.status == 200
        result: dict[str, Any] = await resp.json(content_type=None)
        return result


def send_body(**overrides: Any) -> dict[str, Any]:
    body = {"touser": "u1", "agentid": AGENT, "msgtype": "text", "text": {"content": "hi"}}
    body.update(overrides)
    return body


@pytest.mark.parametrize(
    ("params", "errcode"),
    [
        ({"corpid": "x", "corpsecret": SECRET}, 40013),
        ({"corpid": CORP, "corpsecret": "x"}, 40001),
        ({"corpsecret": SECRET}, 41002),
        ({}, 41002),
    ],
)
async def test_gettoken_refusals(
    session: aiohttp.ClientSession, server: TestServer, params: dict[str, str], errcode: int
) -> None:
    async with session.get(server.make_url("/cgi-bin/gettoken"), params=params) as resp:
        assert (await resp.json())["errcode"] == errcode


async def test_tokens_expire_after_7200_s_of_sandbox_clock(
    session: aiohttp.ClientSession, server: TestServer, clock: FakeClock
) -> None:
    tok = await token(session, server)
    clock.advance(7199)
    assert (await call(session, server, PATHS[0], send_body(), tok=tok))["errcode"] == 0
    clock.advance(1)
    assert (await call(session, server, PATHS[0], send_body(), tok=tok))["errcode"] == 42001
    assert (await call(session, server, PATHS[0], send_body(), tok="made-up"))["errcode"] == 40014
    assert (await call(session, server, PATHS[0], send_body()))["errcode"] == 41001


@pytest.mark.parametrize(
    ("body", "errcode"),
    [
        (send_body(agentid=1), 40056),
        (send_body(agentid=None), 41011),
        (send_body(msgtype="voice"), 40008),
        (send_body(text={"content": ""}), 44004),
        (send_body(text={"content": "a" * 2049}), 45002),
        (send_body(msgtype="markdown", markdown={"content": "中" * 683}), 45002),
        (send_body(touser="|".join(f"m{i}" for i in range(1001))), 40032),
        (send_body(touser=""), 82001),
        (send_body(touser="ghost"), 81013),
        (send_body(msgtype="template_card", template_card={}), 40058),
        (send_body(touser=["u1"]), 40031),
    ],
)
async def test_message_send_refusals(
    session: aiohttp.ClientSession, server: TestServer, state: SandboxState, body: Any, errcode: int
) -> None:
    tok = await token(session, server)
    assert (await call(session, server, PATHS[0], body, tok=tok))["errcode"] == errcode
    assert state.entries() == []


async def test_message_send_answer_shape(
    session: aiohttp.ClientSession, server: TestServer
) -> None:
    tok = await token(session, server)
    data = await call(session, server, PATHS[0], send_body(touser="u1|ghost|u2"), tok=tok)
    assert data["errcode"] == 0 and data["errmsg"] == "ok"
    assert data["invaliduser"] == "ghost" and data["msgid"]
    assert "response_code" not in data


async def test_member_over_30_a_minute_gets_45009_and_nothing_is_recorded(
    session: aiohttp.ClientSession, server: TestServer, state: SandboxState, clock: FakeClock
) -> None:
    tok = await token(session, server)
    for _ in range(30):
        assert (await call(session, server, PATHS[0], send_body(), tok=tok))["errcode"] == 0
    assert (await call(session, server, PATHS[0], send_body(), tok=tok))["errcode"] == 45009
    assert len(state.entries()) == 30
    clock.advance(60)
    assert (await call(session, server, PATHS[0], send_body(), tok=tok))["errcode"] == 0


async def test_robot_refusals(
    session: aiohttp.ClientSession, server: TestServer, state: SandboxState
) -> None:
    md = {"msgtype": "markdown", "markdown": {"content": "a" * 4097}}
    hook = PATHS[3]
    too_long = await call(session, server, hook, md)
    assert too_long["errcode"] == 40058
    assert "exceed max length 4096" in too_long["errmsg"]
    gone = await call(session, server, hook.replace("robot-key", "gone"), md)
    assert gone["errcode"] == 93000
    assert state.entries() == []


async def test_response_code_updates_a_card_once(
    session: aiohttp.ClientSession, server: TestServer
) -> None:
    tok = await token(session, server)
    card = {"card_type": "button_interaction", "main_title": {"title": "T1"}}
    sent = await call(
        session, server, PATHS[0], send_body(msgtype="template_card", template_card=card), tok=tok
    )
    code = sent["response_code"]
    update = {
        "userids": ["u1"],
        "agentid": AGENT,
        "response_code": code,
        "button": {"replace_name": "已处理"},
    }
    assert (await call(session, server, PATHS[1], update, tok=tok))["errcode"] == 0
    assert (await call(session, server, PATHS[1], update, tok=tok))["errcode"] == 40058
    unknown = {**update, "response_code": "nope"}
    assert (await call(session, server, PATHS[1], unknown, tok=tok))["errcode"] == 40058


GARBAGE = [
    b"",
    b"{",
    b"[]",
    b"null",
    b"42",
    b'"text"',
    b"\xff\xfe\x00garbage",
    b'{"msgtype": 5}',
    b'{"msgtype": "text", "text": "not a dict"}',
    b'{"msgtype": "text", "text": {"content": 7}}',
    b'{"touser": 1, "agentid": {}, "msgtype": "markdown", "markdown": {"content": ""}}',
    b'{"response_code": [], "userids": "u1", "agentid": 1000002}',
    b'{"chatid": ["x"], "msgtype": "text"}',
]


@pytest.mark.parametrize("raw", GARBAGE)
async def test_garbage_gets_an_errcode_never_a_500(
    session: aiohttp.ClientSession, server: TestServer, state: SandboxState, raw: bytes
) -> None:
    tok = await token(session, server)
    for path in PATHS:
        data = await call(session, server, path, raw=raw, tok=tok)
        assert data["errcode"] not in (0, -1), (path, raw, data)
    assert state.entries() == []


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
        ),
        max_leaves=10,
    )
)
async def test_random_json_never_crashes_the_sandbox(
    session: aiohttp.ClientSession, server: TestServer, value: Any
) -> None:
    for path in PATHS:
        data = await call(session, server, path, value, tok="whatever")
        assert isinstance(data["errcode"], int) and data["errcode"] != -1


async def test_wrong_method_is_not_a_server_error(
    session: aiohttp.ClientSession, server: TestServer
) -> None:
    async with session.get(server.make_url(PATHS[0])) as resp:
        assert resp.status == 405


async def test_wait_for_change_wakes_on_record(state: SandboxState) -> None:
    seen = state.last_seq
    waiter = asyncio.create_task(state.wait_for_change(seen, timeout=5))
    await asyncio.sleep(0)
    state.record("user", "u1", "text", {"content": "T3 80%"})
    await asyncio.wait_for(waiter, 1)
    assert state.last_seq > seen
    await state.wait_for_change(state.last_seq, timeout=0.01)  # times out quietly


async def test_injected_latency_delays_every_api_call(
    session: aiohttp.ClientSession, server: TestServer, state: SandboxState, monkeypatch
):
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr("bot.sandbox.api.asyncio.sleep", record)
    await token(session, server)
    assert waits == []
    state.latency = 0.1
    await token(session, server)
    await token(session, server)
    assert waits == [0.1, 0.1]
