"""What a running duban is made of: the config, the database, the clock, WeCom access."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Config
from bot.config_model import LIVE_API_BASE
from bot.schedule import SETTING_KEY, sections
from storage.db import (
    SCHEMA_AHEAD,
    SCHEMA_BEHIND,
    SCHEMA_CURRENT,
    make_engine,
    make_sessions,
    migrate,
    schema_state,
    sqlite_file,
    transaction,
)
from storage.settings import save_setting
from storage.sync import SyncReport, sync_directory

Clock = Callable[[], datetime]
Offload = Callable[..., Awaitable[Any]]  # Runtime.offload: where database work runs
T = TypeVar("T")

# The sandbox needs no secrets; these stand in for whatever the config leaves empty.
SANDBOX_CORP_ID = "wwsandbox0000000001"
SANDBOX_SECRET = "sandbox-secret"
SANDBOX_TOKEN = "sandbox-token"
SANDBOX_AES_KEY = "c2FuZGJveC1kdWJhbi1lbmNvZGluZy1hZXMta2V5LTA"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class WeComAccess:
    mode: str
    corp_id: str
    agent_id: int
    secret: str
    token: str
    encoding_aes_key: str
    api_base: str
    callback_path: str
    timestamp_window: int

    @property
    def sandbox(self) -> bool:
        return self.mode == "sandbox"


def wecom_access(config: Config) -> WeComAccess:
    w, bot = config.wecom, config.bot
    if w.mode == "live":
        return WeComAccess(
            "live",
            w.corp_id,
            w.agent_id,
            w.secret,
            w.token,
            w.encoding_aes_key,
            (w.api_base or LIVE_API_BASE).rstrip("/"),
            w.callback_path,
            w.timestamp_window,
        )
    return WeComAccess(
        "sandbox",
        w.corp_id or SANDBOX_CORP_ID,
        w.agent_id,
        w.secret or SANDBOX_SECRET,
        w.token or SANDBOX_TOKEN,
        w.encoding_aes_key or SANDBOX_AES_KEY,
        (w.api_base or f"http://{bot.local_host}:{bot.port}/sandbox").rstrip("/"),
        w.callback_path,
        w.timestamp_window,
    )


@dataclass
class Runtime:
    config: Config
    engine: Engine
    sessions: sessionmaker[Session]
    now: Clock
    wecom: WeComAccess
    # Threads for database work on a server database; None for SQLite (see `offload`).
    executor: ThreadPoolExecutor | None = field(init=False)

    def __post_init__(self) -> None:
        inline = self.engine.dialect.name == "sqlite"
        self.executor = None if inline else ThreadPoolExecutor(8, thread_name_prefix="duban-db")

    async def offload(self, work: Callable[..., T], *args: Any) -> T:
        """Run blocking database work without stalling the event loop on network round trips.

        SQLite is an in-process file that takes one writer at a time: its work takes well
        under a millisecond, and handing it to a thread costs more (thread switches and GIL
        hand-offs; bench/callback.py measured about twice the messages per second inline).
        """
        if self.executor is None:
            return work(*args)
        return await asyncio.get_running_loop().run_in_executor(self.executor, work, *args)

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.config.bot.timezone)

    def today(self) -> date:
        return self.now().astimezone(self.timezone).date()

    def sync(self) -> SyncReport:
        """Apply the config: the directory, and the schedule every running instance follows."""
        with transaction(self.sessions) as session:
            report = sync_directory(session, self.config.directory(), now=self.now())
            save_setting(session, SETTING_KEY, sections(self.config), now=self.now())
            return report

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True)
        self.engine.dispose()


def open_runtime(
    config: Config, *, now: Clock = utc_now, database_url: str | None = None
) -> Runtime:
    """Connect and upgrade the schema, as every command that writes does first; `sync` applies
    the config. Commands that only read use `open_runtime_readonly`."""
    engine = make_engine(database_url or config.bot.sqlalchemy_url)
    migrate(engine)
    return Runtime(config, engine, make_sessions(engine), now, wecom_access(config))


class DatabaseNotReady(Exception):
    """A command that only reads met a database it would have to create or upgrade first.
    The message says what to run; `missing`: there is no database yet (no file, no schema)."""

    def __init__(self, message: str, *, missing: bool) -> None:
        super().__init__(message)
        self.missing = missing


NOT_INITIALIZED = "数据库尚未初始化，先运行 duban sync（或启动机器人）。"
_NOT_CURRENT = {
    SCHEMA_BEHIND: "数据库结构比程序旧，先运行 duban sync 升级。",
    SCHEMA_AHEAD: "数据库结构比程序新（更新版本的 duban 升级过），请把 duban 升级到同一版本。",
}


def open_runtime_readonly(config: Config, *, now: Clock = utc_now) -> Runtime:
    """Connect to the database as it is, for commands that only read: nothing is created
    (no SQLite file, no folder) and the schema is not upgraded (a newer CLI must not change
    a shared database under running instances). Raises DatabaseNotReady otherwise."""
    url = config.bot.sqlalchemy_url
    database = sqlite_file(url)
    if database is not None and not database.is_file():
        raise DatabaseNotReady(NOT_INITIALIZED, missing=True)
    engine = make_engine(url)
    try:
        state = schema_state(engine)
    except BaseException:
        engine.dispose()
        raise
    if state != SCHEMA_CURRENT:
        engine.dispose()
        message = _NOT_CURRENT.get(state, NOT_INITIALIZED)
        raise DatabaseNotReady(message, missing=state not in _NOT_CURRENT)
    return Runtime(config, engine, make_sessions(engine), now, wecom_access(config))
