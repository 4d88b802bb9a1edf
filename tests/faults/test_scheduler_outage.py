"""The scheduler resumes by itself: a send time whose tick met a dead database is run
again by the watch job once the database answers — not the next day, not after a restart."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from bot import reminders
from storage.models import OutboxNotice, ReminderSent
from tests.conftest import FakeClock
from tests.transport.conftest import running_bot

BEFORE = datetime(2027, 3, 1, 0, 50, tzinfo=UTC)  # Monday 08:50 in Beijing
SEND_TIME = datetime(2027, 3, 1, 1, 10, tzinfo=UTC)  # 09:10


async def test_a_send_time_that_fails_is_caught_up_when_the_database_is_back(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
):
    clock = FakeClock(BEFORE)
    async with running_bot(tmp_path, clock, database_url, clockwork=True) as bot:
        assert bot.count(ReminderSent) == 0
        real = reminders.tick
        down = True

        def tick(*args: Any, **kwargs: Any) -> Any:
            if down:
                raise OperationalError("SELECT 1", {}, Exception("connection refused"))
            return real(*args, **kwargs)

        monkeypatch.setattr(reminders, "tick", tick)
        clock.current = SEND_TIME
        await bot.timetable._on_time()  # the send time comes, the database is away
        assert bot.timetable.missed and bot.count(OutboxNotice) == 0
        clock.advance(seconds=30)
        await bot.timetable._watch()  # still away
        assert bot.timetable.missed and bot.count(OutboxNotice) == 0
        down = False
        clock.advance(seconds=30)
        await bot.timetable._watch()
        assert not bot.timetable.missed
        assert bot.count(ReminderSent) > 0 and bot.count(OutboxNotice) > 0
