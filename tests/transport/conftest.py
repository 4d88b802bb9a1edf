"""The real bot app and its sandbox WeCom, served over loopback HTTP with an injected clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy import func, select

from bot.app import DELIVERY, DRIVER, SANDBOX, TIMETABLE, build_app
from bot.config import load_config
from bot.delivery import Delivery
from bot.runtime import Runtime, open_runtime
from bot.sandbox import SandboxState
from bot.sandbox.driver import SandboxDriver
from bot.timetable import Timetable
from storage.models import Base
from tests.conftest import FakeClock, free_port, write_config


@dataclass
class Bot:
    app: web.Application
    server: TestServer
    runtime: Runtime
    clock: FakeClock

    @property
    def sandbox(self) -> SandboxState:
        return self.app[SANDBOX]

    @property
    def driver(self) -> SandboxDriver:
        return self.app[DRIVER]

    @property
    def delivery(self) -> Delivery:
        return self.app[DELIVERY]

    @property
    def timetable(self) -> Timetable:
        return self.app[TIMETABLE]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    def count(self, model: type[Base]) -> int:
        with self.runtime.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)


@asynccontextmanager
async def running_bot(
    tmp_path: Path,
    clock: FakeClock,
    database_url: str,
    config_text: str | None = None,
    *,
    clockwork: bool = False,
    deliver: bool = False,
    sandbox_journal: Path | None = None,
) -> AsyncIterator[Bot]:
    """The bot on its own port; `clockwork` starts its reminder jobs and catch-up, `deliver`
    its delivery loop, and `sandbox_journal` keeps the sandbox's log in that file."""
    port = free_port()
    path = write_config(tmp_path, config_text, port=port, database_url=database_url)
    runtime = open_runtime(load_config(path, env={}), now=clock)
    runtime.sync()
    app = await build_app(
        runtime,
        deliver=deliver,
        clockwork=clockwork,
        sleep=clock.sleep,
        http_timeout=0.3,
        sandbox_journal=sandbox_journal,
    )
    server = TestServer(app, host="127.0.0.1", port=port)
    await server.start_server()
    try:
        yield Bot(app, server, runtime, clock)
    finally:
        await server.close()
        runtime.close()


@pytest.fixture
async def bot(tmp_path: Path, clock: FakeClock, database_url: str) -> AsyncIterator[Bot]:
    """The bot on each database: SQLite runs its work inline, PostgreSQL in threads."""
    async with running_bot(tmp_path, clock, database_url) as bot:
        yield bot
