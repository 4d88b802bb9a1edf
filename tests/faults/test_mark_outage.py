"""The database away between a send and its record: a group robot has no duplicate check,
so the part must not be sent again while this instance still holds the claim."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from bot.delivery import LEASE
from storage import outbox
from tests.faults.conftest import delivered, delivery, enqueue
from tests.transport.conftest import Bot


def database_down() -> OperationalError:
    return OperationalError("UPDATE outbox", {}, Exception("server closed the connection"))


def failing_marks(monkeypatch: pytest.MonkeyPatch, failures: Iterator[bool]) -> list[Any]:
    """`outbox.mark_part` raises while `failures` says so; returns the times it was tried."""
    real, tried = outbox.mark_part, []

    def mark_part(session: Any, notice_id: int, **kw: Any) -> bool:
        tried.append(kw["now"])
        if next(failures, False):
            raise database_down()
        return real(session, notice_id, **kw)

    monkeypatch.setattr(outbox, "mark_part", mark_part)
    return tried


def states(bot: Bot) -> list[str]:
    with bot.runtime.sessions() as session:
        return [n.state for n in outbox.listing(session, ("pending", "sent", "failed"))]


async def test_a_robot_message_whose_record_fails_once_is_sent_once(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
):
    enqueue(bot, "group:leaders", "本周进展汇总", "weekly")
    tried = failing_marks(monkeypatch, iter([True]))
    a = delivery(bot, instance="a", sleep=bot.clock.sleep)
    with contextlib.suppress(OperationalError):
        await a.run_once()
    bot.clock.advance(minutes=3)  # a's lease is over: another instance looks
    await delivery(bot, instance="b").run_once()

    assert delivered(bot) == ["本周进展汇总"]
    assert states(bot) == ["sent"]
    assert len(tried) == 2 and tried[1] - tried[0] < LEASE  # marked again within the lease


async def test_a_database_away_longer_than_the_lease_gives_up_at_its_end(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
):
    """Past the lease the claim is no longer this instance's: it stops trying (the error
    pauses delivery) and the message may go again: the documented at-least-once window."""
    enqueue(bot, "group:leaders", "本周进展汇总", "weekly")
    start = bot.clock()
    tried = failing_marks(monkeypatch, iter([True] * 1000))
    a = delivery(bot, instance="a", sleep=bot.clock.sleep)
    with pytest.raises(OperationalError):
        await a.run_once()
    assert 3 <= len(tried) < 30
    assert LEASE / 2 < tried[-1] - start < LEASE
    assert delivered(bot) == ["本周进展汇总"]
