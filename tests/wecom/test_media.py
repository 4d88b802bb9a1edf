"""Files through WeCom: the app's media/upload, a robot's webhook/upload_media, file messages,
and the sandbox's limits (5 bytes to 20 MB, 3 days, a robot's media for that robot only)."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.sandbox import SandboxState
from bot.wecom import limits
from bot.wecom.api import WeComClient, media_form
from bot.wecom.errors import FileSizeInvalid, MediaInvalid
from bot.wecom.robot import RobotClient
from tests.conftest import FakeClock
from tests.wecom.test_sandbox_api import token

HOOK = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=robot-key"
OTHER_HOOK = HOOK.replace("robot-key", "other-key")
LEDGER = "督办台账 2027年3月.xlsx"
MB20 = 20 * 1024 * 1024


def file_message(media_id: str) -> dict[str, Any]:
    return {"msgtype": "file", "file": {"media_id": media_id}}


async def test_app_uploads_a_file_and_sends_it_to_a_member(
    client: WeComClient, state: SandboxState
) -> None:
    data = b"PK\x03\x04 a workbook"
    media_id = await client.upload_media(LEDGER, data)
    await client.send(["u1"], file_message(media_id))
    (entry,) = state.entries(channel="app", peer="u1")
    assert entry.msgtype == "file"
    assert entry.body == {"media_id": media_id, "filename": LEDGER, "size": len(data)}
    media = state.media(media_id)
    assert media is not None and media.data == data and media.owner == "app"


async def test_app_media_goes_to_an_app_chat(client: WeComClient, state: SandboxState) -> None:
    media_id = await client.upload_media("台账.xlsx", b"12345")
    await client.appchat_send("chat-leaders", file_message(media_id))
    (entry,) = state.entries(channel="appchat")
    assert (entry.peer, entry.msgtype, entry.body["filename"]) == (
        "chat-leaders",
        "file",
        "台账.xlsx",
    )


async def test_robot_uploads_and_sends_a_file_to_its_group(
    robot: RobotClient, state: SandboxState
) -> None:
    media_id = await robot.upload_media(HOOK, LEDGER, b"x" * 100)
    await robot.send(HOOK, file_message(media_id))
    (entry,) = state.entries(channel="robot")
    assert (entry.peer, entry.msgtype) == ("robot-key", "file")
    assert entry.body == {"media_id": media_id, "filename": LEDGER, "size": 100}


def test_robot_upload_address_keeps_host_and_key() -> None:
    live = RobotClient(None)  # type: ignore[arg-type]
    assert (
        live.target(HOOK, "/cgi-bin/webhook/upload_media")
        == "https://qyapi.weixin.qq.com/cgi-bin/webhook/upload_media?key=robot-key"
    )
    sandbox = RobotClient(None, rewrite_base="http://127.0.0.1:8080/sandbox")  # type: ignore[arg-type]
    assert (
        sandbox.target(HOOK, "/cgi-bin/webhook/upload_media")
        == "http://127.0.0.1:8080/sandbox/cgi-bin/webhook/upload_media?key=robot-key"
    )


@pytest.mark.parametrize("size", [4, MB20 + 1])
async def test_sizes_past_the_limits_are_refused_before_sending(
    client: WeComClient, robot: RobotClient, state: SandboxState, size: int
) -> None:
    data = b"x" * size
    with pytest.raises(FileSizeInvalid):
        await client.upload_media("a.xlsx", data)
    with pytest.raises(FileSizeInvalid):
        await robot.upload_media(HOOK, "a.xlsx", data)
    assert state.requests == 0


async def test_sizes_at_the_limits_are_accepted(
    client: WeComClient, robot: RobotClient, state: SandboxState
) -> None:
    small = await robot.upload_media(HOOK, "five.txt", b"12345")
    large = await client.upload_media("twenty.bin", b"\0" * MB20)
    media = state.media(large)
    assert media is not None and len(media.data) == MB20
    assert state.media(small) is not None


async def raw_upload(
    session: aiohttp.ClientSession, server: TestServer, path: str, data: Any
) -> dict[str, Any]:
    async with session.post(server.make_url(path), data=data) as resp:
        assert resp.status == 200
        answer: dict[str, Any] = await resp.json(content_type=None)
        return answer


@pytest.mark.parametrize(
    ("body", "errcode"),
    [
        (lambda: media_form("a.txt", b"1234"), 40006),
        (lambda: media_form("a.txt", b"x" * (MB20 + 1)), 40006),
        (lambda: media_form("a.txt", b""), 44001),
        (lambda: b'{"media": "not multipart"}', 41005),
        (lambda: aiohttp.FormData({"other": "field"}), 41005),
    ],
)
async def test_the_sandbox_refuses_what_wecom_refuses(
    session: aiohttp.ClientSession,
    server: TestServer,
    state: SandboxState,
    body: Any,
    errcode: int,
) -> None:
    tok = await token(session, server)
    app_path = f"/cgi-bin/media/upload?access_token={tok}&type=file"
    robot_path = "/cgi-bin/webhook/upload_media?key=robot-key&type=file"
    for path in (app_path, robot_path):
        assert (await raw_upload(session, server, path, body()))["errcode"] == errcode


async def test_upload_refusals_of_type_key_and_token(
    session: aiohttp.ClientSession, server: TestServer
) -> None:
    tok = await token(session, server)
    form = lambda: media_form("a.txt", b"123456")  # noqa: E731
    cases = {
        f"/cgi-bin/media/upload?access_token={tok}&type=pdf": 40004,
        "/cgi-bin/media/upload?type=file": 41001,
        "/cgi-bin/webhook/upload_media?key=robot-key&type=image": 40004,
        "/cgi-bin/webhook/upload_media?key=gone&type=file": 93000,
    }
    for path, errcode in cases.items():
        assert (await raw_upload(session, server, path, form()))["errcode"] == errcode, path


async def test_upload_answer_has_wecom_shape(
    session: aiohttp.ClientSession, server: TestServer
) -> None:
    tok = await token(session, server)
    path = f"/cgi-bin/media/upload?access_token={tok}&type=file"
    answer = await raw_upload(session, server, path, media_form("a.txt", b"123456"))
    assert answer["errcode"] == 0 and answer["type"] == "file"
    assert answer["media_id"] and answer["created_at"].isdigit()


async def test_a_robots_media_is_for_that_robot_only(
    client: WeComClient, robot: RobotClient, state: SandboxState
) -> None:
    state.robots["other-key"] = "另一个群"
    mine = await robot.upload_media(HOOK, "a.xlsx", b"123456")
    with pytest.raises(MediaInvalid):
        await robot.send(OTHER_HOOK, file_message(mine))
    with pytest.raises(MediaInvalid):
        await client.send(["u1"], file_message(mine))
    apps = await client.upload_media("a.xlsx", b"123456")
    with pytest.raises(MediaInvalid):
        await robot.send(HOOK, file_message(apps))
    assert state.entries() == []


async def test_media_expire_after_three_days_of_sandbox_clock(
    client: WeComClient, robot: RobotClient, state: SandboxState, clock: FakeClock
) -> None:
    app_media = await client.upload_media("a.xlsx", b"123456")
    robot_media = await robot.upload_media(HOOK, "a.xlsx", b"123456")
    clock.advance(limits.MEDIA_LIFETIME_S - 1)
    await client.token()  # the token expires sooner than media: fetch a fresh one
    await client.send(["u1"], file_message(app_media))
    await robot.send(HOOK, file_message(robot_media))
    clock.advance(1)
    with pytest.raises(MediaInvalid) as info:
        await client.send(["u1"], file_message(app_media))
    assert info.value.errcode == 40007 and info.value.retryable
    with pytest.raises(MediaInvalid):
        await robot.send(HOOK, file_message(robot_media))
    assert len(state.entries()) == 2
    assert state.media(app_media) is not None  # what was sent stays downloadable


@pytest.mark.parametrize("fault", ["http_500", "errcode:-1", "expire_tokens"])
async def test_an_upload_is_retried_through_faults(
    client: WeComClient, state: SandboxState, fault: str
) -> None:
    await client.token()
    state.faults.inject(fault)
    media_id = await client.upload_media(LEDGER, b"123456")
    media = state.media(media_id)
    assert media is not None and media.filename == LEDGER
