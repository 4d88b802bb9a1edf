"""A send that hangs is cut off well inside its lease, so no other instance can take the
notice while it is in flight: the notice is retried by its holder and arrives once."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest

from storage import outbox
from tests.faults.conftest import delivered, delivery, enqueue
from tests.transport.conftest import Bot


class HangsOnce:
    """The first send never answers (until cancelled); later sends go through."""

    def __init__(self, inner: Any):
        self.inner, self.hung, self.cancelled = inner, False, False

    async def send(self, touser: list[str], message: Mapping[str, Any], **kw: Any) -> Any:
        if not self.hung:
            self.hung = True
            try:
                await asyncio.Event().wait()  # no answer, ever
            except asyncio.CancelledError:
                self.cancelled = True
                raise
        return await self.inner.send(touser, message, **kw)


async def test_a_hung_send_is_cut_off_and_the_notice_delivered_once(bot: Bot):
    enqueue(bot, "user:lilei", "明天截止：T3 代表资格审查", "due-T3")
    app = HangsOnce(bot.delivery.app)
    # A short timeout stands in for the 60 s one; the 2-minute lease is the real one.
    a = delivery(bot, instance="a", app=app, send_timeout=0.05)
    assert await asyncio.wait_for(a.run_once(), 10) == 0
    assert app.cancelled  # the hung call is gone: it cannot succeed later
    with bot.runtime.sessions() as session:
        (row,) = outbox.listing(session)
    assert row.state == "pending" and row.attempts == 1 and row.claimed_by is None
    assert "no answer in 0.05 s" in (row.last_error or "")

    bot.clock.current = row.next_attempt_at
    assert await a.run_once() == 1
    assert delivered(bot) == ["明天截止：T3 代表资格审查"]


def test_a_send_timeout_beyond_half_the_lease_is_refused(bot: Bot):
    with pytest.raises(ValueError, match="at least twice"):
        delivery(bot, instance="a", lease=timedelta(minutes=2), send_timeout=61)
    delivery(bot, instance="a", lease=timedelta(minutes=2), send_timeout=60)
