"""Hole 4 and the outage drill: PostgreSQL stalls, then refuses, while replies and notices
flow. Callbacks answer inside WeCom's 5 s (5xx, so WeCom retries), /healthz says 503
within 2 s and 200 again after, delivery resumes by itself, and nothing is lost or doubled."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import make_url, select

from storage.models import OutboxNotice, ProgressRecord
from tests.conftest import PG_URL, FakeClock, reset_postgres
from tests.faults.conftest import delivered
from tests.faults.proxy import ThreadedProxy
from tests.transport.conftest import Bot, running_bot

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs DUBAN_TEST_DATABASE_URL (PostgreSQL)")


async def timed(work):  # type: ignore[no-untyped-def]
    started = time.monotonic()
    result = await work
    return result, time.monotonic() - started


async def health(bot: Bot) -> int:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{bot.url}/healthz", timeout=aiohttp.ClientTimeout(total=5)) as response,
    ):
        return response.status


class Office:
    """Members replying as WeCom delivers: a reply not confirmed is sent again, same MsgId."""

    def __init__(self, bot: Bot):
        self.bot = bot
        self.unconfirmed: dict[int, str] = {}
        self.confirmed: set[int] = set()

    async def reply(self, msgid: int, text: str) -> tuple[int, float]:
        result, took = await timed(self.bot.driver.send_text("lilei", text, msgid=msgid))
        if result.status == 200 and result.reply_text:
            self.confirmed.add(msgid)
            self.unconfirmed.pop(msgid, None)
        else:
            self.unconfirmed[msgid] = text
        return result.status, took

    async def burst(self, first: int, count: int) -> list[tuple[int, float]]:
        return await asyncio.gather(
            *(
                self.reply(first + i, f"T3 受阻 问题：第{first + i}号材料未到 下一步：催办")
                for i in range(count)
            )
        )

    async def retry_until_confirmed(self) -> None:
        for _ in range(40):
            if not self.unconfirmed:
                return
            for msgid, text in list(self.unconfirmed.items()):
                await self.reply(msgid, text)
            await asyncio.sleep(0.25)
        raise AssertionError(f"never confirmed: {sorted(self.unconfirmed)}")


async def until_healthy(bot: Bot) -> float:
    started = time.monotonic()
    while await health(bot) != 200:
        assert time.monotonic() - started < 20, "/healthz did not come back"
        await asyncio.sleep(0.2)
    return time.monotonic() - started


async def test_the_bot_rides_out_a_stalled_then_refusing_database(tmp_path: Path, clock: FakeClock):
    assert PG_URL
    reset_postgres(PG_URL)
    target = make_url(PG_URL)
    proxy = ThreadedProxy(target.host or "127.0.0.1", target.port or 5432)
    url = target.set(port=proxy.port).render_as_string(hide_password=False)
    async with running_bot(tmp_path, clock, url) as bot:
        bot.delivery.poll_seconds = 0.2
        stop = asyncio.Event()
        loop = asyncio.create_task(bot.delivery.run_forever(stop))
        office = Office(bot)
        try:
            assert [s for s, _ in await office.burst(1000, 3)] == [200] * 3
            assert await health(bot) == 200

            for outage, start in ((proxy.stall, 2000), (proxy.refuse, 3000)):
                outage()
                answers = await office.burst(start, 8)
                status, took = await timed(health(bot))
                assert status == 503 and took < 2.0, (outage.__name__, took)
                assert all(s in (200, 503) and t < 5.0 for s, t in answers), answers
                assert any(s == 503 for s, _ in answers)
                proxy.restore()
                await until_healthy(bot)
                await office.retry_until_confirmed()

            with bot.runtime.sessions() as session:
                wanted = len(office.confirmed)
                async with asyncio.timeout(30):
                    while (
                        session.scalar(
                            select(OutboxNotice.id).where(OutboxNotice.state != "sent").limit(1)
                        )
                        is not None
                        or len(delivered(bot)) < wanted
                    ):
                        await asyncio.sleep(0.2)
                        session.expire_all()
                records = Counter(session.scalars(select(ProgressRecord.source_msg_id)).all())
        finally:
            stop.set()
            bot.delivery.wake.set()
            await loop
        proxy.close()

    assert len(office.confirmed) == 3 + 8 + 8
    assert records == Counter({str(m): 1 for m in office.confirmed})
    notices = Counter(delivered(bot))
    assert len(notices) == len(office.confirmed) and set(notices.values()) == {1}
