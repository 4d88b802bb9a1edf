from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.sandbox import SandboxState, create_sandbox_api
from bot.wecom.api import WeComClient
from bot.wecom.robot import RobotClient
from tests.conftest import FakeClock

CORP, SECRET, AGENT = "ww-corp", "s3cret", 1000002
USERS = {f"u{i}": f"User {i}" for i in range(1, 6)}
ROBOTS = {"robot-key": "党组群"}


class FakeSleep:
    """Never really sleeps; records delays and moves the fake clock forward."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.clock.advance(seconds)


@pytest.fixture
def fake_sleep(clock: FakeClock) -> FakeSleep:
    return FakeSleep(clock)


@pytest.fixture
def state(clock: FakeClock) -> SandboxState:
    users = {**USERS, **{f"m{i}": f"Member {i}" for i in range(2500)}}
    return SandboxState(
        now=clock, corp_id=CORP, secret=SECRET, agent_id=AGENT, users=users, robots=ROBOTS
    )


@pytest.fixture
async def server(
    state: SandboxState, aiohttp_server: Callable[..., Awaitable[TestServer]]
) -> TestServer:
    return await aiohttp_server(create_sandbox_api(state, hold_seconds=2.0))


@pytest.fixture
async def session() -> Any:
    async with aiohttp.ClientSession() as s:
        yield s


@pytest.fixture
def make_client(
    server: TestServer, session: aiohttp.ClientSession, clock: FakeClock, fake_sleep: FakeSleep
) -> Callable[..., WeComClient]:
    def make(**overrides: Any) -> WeComClient:
        kwargs: dict[str, Any] = {
            "api_base": str(server.make_url("")),
            "corp_id": CORP,
            "secret": SECRET,
            "agent_id": AGENT,
            "now": clock,
            "sleep": fake_sleep,
            "timeout": 0.2,
            "rng": random.Random(7),
        }
        kwargs.update(overrides)
        return WeComClient(session, **kwargs)

    return make


@pytest.fixture
def client(make_client: Callable[..., WeComClient]) -> WeComClient:
    return make_client()


@pytest.fixture
def robot(server: TestServer, session: aiohttp.ClientSession, fake_sleep: FakeSleep) -> RobotClient:
    return RobotClient(
        session,
        sleep=fake_sleep,
        timeout=0.2,
        rewrite_base=str(server.make_url("")),
        rng=random.Random(7),
    )
