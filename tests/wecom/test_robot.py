from __future__ import annotations

import logging
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.sandbox import SandboxState
from bot.wecom.errors import BadCredentials, ContentTooLong, Throttled
from bot.wecom.robot import RobotClient
from tests.conftest import FakeClock
from tests.wecom.conftest import FakeSleep
from tests.wecom.helpers import markdown, text

HOOK = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=robot-key"


def test_rewrite_keeps_path_and_key() -> None:
    rc = RobotClient(None, rewrite_base="http://127.0.0.1:8080/sandbox/")  # type: ignore[arg-type]
    assert rc.target(HOOK) == "http://127.0.0.1:8080/sandbox/cgi-bin/webhook/send?key=robot-key"
    assert RobotClient(None).target(HOOK) == HOOK  # type: ignore[arg-type]


async def test_markdown_reaches_the_group(robot: RobotClient, state: SandboxState) -> None:
    await robot.send(HOOK, markdown('## 本周督办\n> 逾期 <font color="warning">2</font> 项'))
    (entry,) = state.entries(channel="robot")
    assert (entry.peer, entry.msgtype) == ("robot-key", "markdown")


async def test_robot_limits_are_checked_locally(robot: RobotClient, state: SandboxState) -> None:
    await robot.send(HOOK, markdown("a" * 4096))
    with pytest.raises(ContentTooLong):
        await robot.send(HOOK, markdown("a" * 4097))
    with pytest.raises(ContentTooLong):
        await robot.send(HOOK, text("a" * 2049))
    assert state.requests == 1


async def test_unknown_robot_key_is_not_retried(
    robot: RobotClient, state: SandboxState, fake_sleep: FakeSleep
) -> None:
    with pytest.raises(BadCredentials) as info:
        await robot.send(HOOK.replace("robot-key", "gone"), text("hi"))
    assert info.value.errcode == 93000
    assert fake_sleep.delays == []


async def test_twenty_first_message_in_a_minute_waits(
    robot: RobotClient,
    state: SandboxState,
    clock: FakeClock,
    fake_sleep: FakeSleep,
    session: aiohttp.ClientSession,
    server: object,
) -> None:
    start = clock()
    for i in range(20):
        await robot.send(HOOK, text(f"#{i}"))
    impatient = RobotClient(
        session, max_attempts=1, rewrite_base=robot.target(HOOK).split("/cgi-bin")[0]
    )
    with pytest.raises(Throttled) as info:
        await impatient.send(HOOK, text("#20"))
    assert info.value.errcode == 45009
    await robot.send(HOOK, text("#20"))
    assert (clock() - start).total_seconds() >= 60
    assert len(state.entries(channel="robot")) == 21
    assert fake_sleep.delays


@pytest.mark.parametrize("fault", ["http_500", "timeout", "errcode:-1", "errcode:45009"])
async def test_robot_recovers_from_faults(
    robot: RobotClient, state: SandboxState, fault: str
) -> None:
    state.faults.inject(fault)
    await robot.send(HOOK, text("hi"))
    assert len(state.entries(channel="robot")) == 1


async def test_non_json_answers_are_retried_and_logged(
    aiohttp_server: Any,
    session: aiohttp.ClientSession,
    fake_sleep: FakeSleep,
    caplog: pytest.LogCaptureFixture,
) -> None:
    answers = [web.Response(text="<html>bad gateway</html>"), web.json_response({"errcode": 0})]

    async def hook(request: web.Request) -> web.Response:
        return answers.pop(0)

    app = web.Application()
    app.router.add_post("/cgi-bin/webhook/send", hook)
    srv = await aiohttp_server(app)
    client = RobotClient(session, sleep=fake_sleep, rewrite_base=str(srv.make_url("")))
    with caplog.at_level(logging.WARNING, logger="bot.wecom.api"):
        await client.send(HOOK, text("hi"))
    assert answers == [] and len(fake_sleep.delays) == 1
    assert "non-JSON answer" in caplog.text and "retrying" in caplog.text
    assert "robot-key" not in caplog.text  # the webhook key is a secret
