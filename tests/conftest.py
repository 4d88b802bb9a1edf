"""Shared fixtures: an injected clock, the example config, and a database on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from bot.config import Config, load_config
from storage.db import make_engine, make_sessions, migrate

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "config.example.toml"
PG_URL = os.environ.get("DUBAN_TEST_DATABASE_URL")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_config(
    tmp_path: Path, text: str | None = None, port: int = 8080, database_url: str | None = None
) -> Path:
    """The example config (or `text`) on its own database and port, written to tmp_path."""
    text = text if text is not None else EXAMPLE.read_text(encoding="utf-8")
    database_url = database_url or f"sqlite:///{tmp_path / 'duban.db'}"
    text = text.replace("sqlite:///data/duban.db", database_url)
    text = text.replace("port = 8080", f"port = {port}")
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def start_bot(config: Path) -> subprocess.Popen[str]:
    """`duban run --config <config>` as its own process, its log on stdout, unbuffered."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--config", str(config)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


class FakeClock:
    """A clock the test moves by hand; callable like datetime.now(UTC)."""

    def __init__(self, start: datetime = datetime(2027, 3, 1, 1, 30, tzinfo=UTC)) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, seconds: float = 0.0, **delta: float) -> None:
        self.current += timedelta(seconds=seconds, **delta)

    async def sleep(self, seconds: float) -> None:
        """An asyncio.sleep stand-in: time passes, nothing waits."""
        self.current += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def example_config() -> Config:
    return load_config(EXAMPLE, env={})


def reset_postgres(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database of each kind. PostgreSQL comes from DUBAN_TEST_DATABASE_URL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'duban.db'}"
    if not PG_URL:
        pytest.skip("DUBAN_TEST_DATABASE_URL is not set (CI sets it; see .ci/run)")
    reset_postgres(PG_URL)
    return PG_URL


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine):  # type: ignore[no-untyped-def]
    return make_sessions(engine)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many database tests ran on each backend, so a silent skip cannot hide."""
    counts: dict[str, dict[str, int]] = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            nodeid = getattr(report, "nodeid", "")
            if getattr(report, "when", "call") not in ("call", "setup") or "[" not in nodeid:
                continue
            for backend in ("sqlite", "postgresql"):
                if f"[{backend}" in nodeid or f"-{backend}" in nodeid:
                    tally = counts.setdefault(backend, {})
                    tally[outcome] = tally.get(outcome, 0) + 1
    if counts:
        terminalreporter.write_sep("-", "database tests by backend")
        for backend, tally in sorted(counts.items()):
            summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(tally.items()))
            terminalreporter.write_line(f"{backend}: {summary}")
