"""Several instances on one database: a message retried to another instance is handled
once and answered alike, even at the same moment; instances start (and migrate) together;
one instance's sends run concurrently within a bound, one recipient's in order."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Mapping
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import load_config
from bot.inbound import Desk
from handlers.inbound import Inbound
from storage.db import make_engine, migrate, transaction
from storage.models import ProgressRecord
from storage.sync import sync_directory
from tests.conftest import EXAMPLE, PG_URL, FakeClock, reset_postgres
from tests.faults.conftest import delivered, delivery, enqueue
from tests.handlers.conftest import SHANGHAI
from tests.transport.conftest import Bot


@pytest.fixture
def desks(sessions: sessionmaker[Session], clock: FakeClock) -> tuple[Desk, Desk]:
    with transaction(sessions) as session:
        sync_directory(session, load_config(EXAMPLE, env={}).directory(), now=clock())
    return Desk(sessions, clock, SHANGHAI), Desk(sessions, clock, SHANGHAI)


def records(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(ProgressRecord)) or 0)


def test_a_retry_reaching_another_instance_is_handled_once(desks, sessions, clock):
    a, b = desks
    message = Inbound(sender="lilei", sent_at=clock(), text="T3 60%", msg_id="777")
    (first,) = a.process([message])
    (again,) = b.process([message])
    assert first is not None and first == again
    assert records(sessions) == 1


def test_the_same_message_on_two_instances_at_once_is_handled_once(desks, sessions, clock):
    a, b = desks
    message = Inbound(sender="lilei", sent_at=clock(), text="T3 70%", msg_id="888")
    replies: list[Any] = []
    start = threading.Barrier(2)

    def handle(desk: Desk) -> None:
        start.wait()
        replies.extend(desk.process([message]))

    threads = [threading.Thread(target=handle, args=(d,)) for d in (a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(replies) == 2 and replies[0] == replies[1] is not None
    assert records(sessions) == 1


@pytest.mark.skipif(not PG_URL, reason="needs DUBAN_TEST_DATABASE_URL (PostgreSQL)")
def test_instances_starting_together_migrate_once():
    assert PG_URL
    reset_postgres(PG_URL)
    engines = [make_engine(PG_URL) for _ in range(3)]
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def boot(engine: Any) -> None:
        start.wait()
        try:
            migrate(engine)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=boot, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for engine in engines:
        engine.dispose()
    assert errors == []


class Counting:
    """An app sender that counts how many sends are in flight at once, per recipient too."""

    def __init__(self, inner: Any):
        self.inner = inner
        self.now = 0
        self.most = 0
        self.per: dict[str, int] = {}
        self.most_per = 0
        self.overlap = asyncio.Event()

    async def send(self, touser: list[str], message: Mapping[str, Any], **kw: Any) -> Any:
        self.now += 1
        self.per[touser[0]] = self.per.get(touser[0], 0) + 1
        self.most = max(self.most, self.now)
        self.most_per = max(self.most_per, self.per[touser[0]])
        if self.now >= 2:
            self.overlap.set()
        try:
            # Hold the first send until a second one starts (if sends are concurrent at all).
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.overlap.wait(), 2.0)
            return await self.inner.send(touser, message, **kw)
        finally:
            self.now -= 1
            self.per[touser[0]] -= 1

    async def appchat_send(self, chatid: str, message: Mapping[str, Any]) -> None:
        await self.inner.appchat_send(chatid, message)


async def test_sends_run_concurrently_within_the_bound_one_recipient_in_order(bot: Bot):
    members = ["lilei", "chenjing", "zhoufang", "sunhao", "zhaomin", "majie", "huangli"]
    for i in range(28):
        enqueue(bot, f"user:{members[i % 7]}", f"通知 {i:02d}", f"n{i}")
    counting = Counting(bot.delivery.app)
    await delivery(bot, instance="a", app=counting, concurrency=4).run_once()
    assert 2 <= counting.most <= 4 and counting.most_per == 1
    for member in members:
        got = [e.body["content"] for e in bot.sandbox.entries(channel="app", peer=member)]
        assert got == sorted(got) and len(got) == 4
    assert len(delivered(bot)) == 28
