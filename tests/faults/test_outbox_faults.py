"""Outbox holes 1, 2, 3 and 8a: several instances, a stalled holder, a crash, a lost wake."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any

import pytest

from bot.wecom.errors import TransportError
from storage import outbox
from storage.db import transaction
from tests.faults.conftest import delivered, delivery, enqueue
from tests.transport.conftest import Bot
from tests.transport.test_delivery import busiest_minute

USERS = ["lilei", "chenjing", "zhoufang", "sunhao", "zhaomin", "majie", "huangli"]


class Stalling:
    """An app sender whose first call hangs past the lease (while `meanwhile` runs), then
    fails without reaching WeCom; later calls go through."""

    def __init__(self, inner: Any, meanwhile: Callable[[], Awaitable[None]]):
        self.inner, self.meanwhile, self.stalled = inner, meanwhile, False

    async def send(self, touser: list[str], message: Mapping[str, Any], **kw: Any) -> Any:
        if not self.stalled:
            self.stalled = True
            await self.meanwhile()
            raise TransportError(-2, "timed out")
        return await self.inner.send(touser, message, **kw)

    async def appchat_send(self, chatid: str, message: Mapping[str, Any]) -> None:
        await self.inner.appchat_send(chatid, message)


async def test_a_claim_taken_over_is_never_sent_by_its_old_holder(bot: Bot):
    """Hole 1: A's lease lapses while WeCom hangs; B takes the notices and sends them;
    when WeCom answers again A must not send (or mark) what it no longer holds."""
    for i in range(20):
        enqueue(bot, f"user:{USERS[i % len(USERS)]}", f"通知 {i}", f"n{i}")
    b = delivery(bot, instance="b")

    async def hang_past_the_lease() -> None:
        bot.clock.advance(minutes=3)
        while await b.run_once():
            pass

    # One send at a time, as before: no other send of A's is in flight during the stall
    # (a real send is cut off well inside its lease, see SEND_TIMEOUT_S).
    a = delivery(
        bot, instance="a", app=Stalling(bot.delivery.app, hang_past_the_lease), concurrency=1
    )
    await a.run_once()
    bot.clock.advance(minutes=10)
    await a.run_once()
    await b.run_once()

    counts = Counter(delivered(bot))
    assert counts == Counter({f"通知 {i}": 1 for i in range(20)})
    with bot.runtime.sessions() as session:
        rows = outbox.listing(session, ("pending", "sent", "failed"))
    assert {n.state for n in rows} == {"sent"}
    assert all(n.last_error is None and n.attempts == 0 for n in rows)  # A's failure not marked


@pytest.mark.parametrize("instances", [2, 3])
async def test_instances_share_one_budget_per_member(bot: Bot, instances: int):
    """Hole 2: instances sending to one member at the same moment never both take the
    30th slot of the minute; notices paced for minutes still reach WeCom once each."""
    for i in range(100):
        enqueue(bot, "user:lilei", f"提醒 {i}", f"r{i}")
    for i in range(30):
        enqueue(bot, f"user:{USERS[1 + i % 6]}", f"通知 {i}", f"n{i}")
    fleet = [delivery(bot, instance=f"bot-{k}", batch=20) for k in range(instances)]
    start = bot.clock()
    await asyncio.gather(*(d.run_once() for d in fleet))
    assert len(bot.sandbox.entries(channel="app", peer="lilei")) == 30
    assert bot.sandbox.over_limit == []

    for _ in range(100):
        await asyncio.gather(*(d.run_once() for d in fleet))
        with bot.runtime.sessions() as session:
            due = outbox.next_due(session, now=bot.clock())
        if due is None:
            break
        bot.clock.current = max(bot.clock(), due)
    times = sorted(e.at for e in bot.sandbox.entries(channel="app", peer="lilei"))
    wanted = [f"提醒 {i}" for i in range(100)] + [f"通知 {i}" for i in range(30)]
    assert Counter(delivered(bot)) == Counter(wanted)
    assert busiest_minute(times) <= 30 and bot.sandbox.over_limit == []
    assert times[-1] - start >= timedelta(minutes=3)  # paced for minutes, as WeCom needs


async def test_a_restarted_instance_takes_back_its_own_claims_at_once(bot: Bot):
    """Hole 3: claims left by a dead run of this instance do not wait out the lease;
    another instance's claims still do (it may be alive)."""
    for i in range(4):
        enqueue(bot, "user:lilei", f"通知 {i}", f"mine{i}")
    dead = delivery(bot, instance="host-1:8080")
    with transaction(bot.runtime.sessions) as session:
        outbox.claim_due(session, now=bot.clock(), lease=dead.lease, limit=4, holder=dead.holder)
    for i in range(2):
        enqueue(bot, "user:chenjing", f"别人的 {i}", f"theirs{i}")
    other = delivery(bot, instance="host-2:8080")
    with transaction(bot.runtime.sessions) as session:
        outbox.claim_due(session, now=bot.clock(), lease=other.lease, limit=2, holder=other.holder)

    restarted = delivery(bot, instance="host-1:8080")
    assert await restarted.run_once() == 4
    assert sorted(delivered(bot)) == [f"通知 {i}" for i in range(4)]
    bot.clock.advance(minutes=3)  # the other instance's lease runs out
    assert await restarted.run_once() == 2


class Killed(BaseException):
    """The process dies here: nothing after it runs, no handler sees it."""


class DiesBeforeCall:
    def __init__(self, inner: Any, calls: int):
        self.inner, self.left = inner, calls

    async def send(self, touser: list[str], message: Mapping[str, Any], **kw: Any) -> Any:
        if self.left == 0:
            raise Killed
        self.left -= 1
        return await self.inner.send(touser, message, **kw)


async def test_a_crash_mid_notice_resends_no_part_already_marked(bot: Bot):
    """Hole 3: each part is marked as soon as it is sent, so a restart sends only the
    parts that had not gone out."""
    enqueue(bot, "user:lilei", "进展情况：" + "推进代表资格审查。" * 300, "long")
    first = delivery(bot, instance="host-1:8080", app=DiesBeforeCall(bot.delivery.app, 2))
    with contextlib.suppress(Killed):
        await first.run_once()
    restarted = delivery(bot, instance="host-1:8080")
    assert await restarted.run_once() == 1
    parts = [e.body["content"] for e in bot.sandbox.entries(channel="app", peer="lilei")]
    assert len(parts) >= 3 and len(set(parts)) == len(parts)
    assert parts[0].startswith("（1/") and parts[-1].startswith(f"（{len(parts)}/")


async def test_a_wake_during_the_idle_look_is_not_lost(bot: Bot, monkeypatch):
    """Hole 8a: a notice queued (and the loop woken) while the loop reads the next due
    time goes out at once, not after the idle poll."""
    loop = delivery(bot, instance="a", poll_seconds=3600)
    real = outbox.next_due
    woken = False

    def next_due_then_a_reply_queues_a_notice(session: Any, *, now: Any) -> Any:
        nonlocal woken
        due = real(session, now=now)
        if not woken:
            woken = True
            enqueue(bot, "user:lilei", "刚排队的通知", "late")
            loop.wake.set()
        return due

    monkeypatch.setattr(outbox, "next_due", next_due_then_a_reply_queues_a_notice)
    stop = asyncio.Event()
    task = asyncio.create_task(loop.run_forever(stop))
    try:
        async with asyncio.timeout(20):
            while "刚排队的通知" not in delivered(bot):
                await bot.sandbox.wait_for_change(bot.sandbox.last_seq, 1.0)
    finally:
        stop.set()
        loop.wake.set()
        await task
