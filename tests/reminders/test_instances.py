"""Reminders across restarts and instances: each goes out once, as the sandbox sees it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.config import load_config
from bot.runtime import open_runtime
from storage.models import OutboxNotice, ReminderSent, UnknownReply
from tests.conftest import PG_URL, FakeClock, reset_postgres
from tests.transport.conftest import Bot, running_bot

BEFORE = datetime(2027, 3, 1, 0, 50, tzinfo=UTC)  # 08:50 in Beijing, a Monday
AFTER = datetime(2027, 3, 1, 3, 0, tzinfo=UTC)  # 11:00: the 09:10 tick was missed
DUE = {"chenjing", "zhoufang", "wangxinhui"}  # the example office's reminders that day


def app_messages(bot: Bot) -> list[str]:
    return [e.peer for e in bot.sandbox.entries(channel="app")]


async def deliver_all(bot: Bot) -> None:
    while await bot.delivery.run_once():
        pass


async def test_a_missed_send_time_is_caught_up_once_after_a_restart(
    tmp_path: Path, database_url: str
):
    clock = FakeClock(BEFORE)
    seen: list[str] = []
    async with running_bot(tmp_path, clock, database_url, clockwork=True) as bot:
        await deliver_all(bot)
        seen += app_messages(bot)
        assert bot.count(ReminderSent) == 0  # stopped before the send time
    clock.current = AFTER  # the bot was down at 09:10
    async with running_bot(tmp_path, clock, database_url, clockwork=True) as bot:
        await deliver_all(bot)
        seen += app_messages(bot)
    async with running_bot(tmp_path, clock, database_url, clockwork=True) as bot:
        await deliver_all(bot)
        seen += app_messages(bot)
        assert bot.count(OutboxNotice) == 3
    assert sorted(seen) == sorted(DUE)


async def test_a_send_time_older_than_the_grace_is_not_caught_up(tmp_path: Path, database_url: str):
    clock = FakeClock(datetime(2027, 3, 1, 14, 0, tzinfo=UTC))  # 22:00, past 12 hours
    async with running_bot(tmp_path, clock, database_url, clockwork=True) as bot:
        assert bot.count(ReminderSent) == 0


@pytest.mark.skipif(not PG_URL, reason="DUBAN_TEST_DATABASE_URL is not set (CI sets it)")
async def test_two_instances_ticking_together_send_each_reminder_once(tmp_path: Path):
    assert PG_URL is not None
    reset_postgres(PG_URL)
    clock = FakeClock(datetime(2027, 3, 1, 1, 10, tzinfo=UTC))
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    async with running_bot(tmp_path / "a", clock, PG_URL) as first:
        shared = f'api_base = "{first.url}/sandbox"\ncallback_path'
        text = (Path(__file__).parents[2] / "config.example.toml").read_text(encoding="utf-8")
        other = text.replace("callback_path", shared, 1)
        async with running_bot(tmp_path / "b", clock, PG_URL, other) as second:
            moment = clock()
            results = await asyncio.gather(
                first.timetable.remind(moment), second.timetable.remind(moment)
            )
            # One instance's claim wins every item; the other waits for it, then finds them taken.
            assert sorted(r.queued for r in results) == [0, 3]
            await asyncio.gather(deliver_all(first), deliver_all(second))
            await asyncio.gather(deliver_all(first), deliver_all(second))
            assert sorted(app_messages(first)) == sorted(DUE)
            assert app_messages(second) == []  # its own sandbox is unused: both send to one


def edit_and_sync(path: Path, old: str, new: str, clock: FakeClock) -> None:
    """The admin edits the config and runs `duban sync` (another process, same database)."""
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    other = open_runtime(load_config(path, env={}), now=clock)
    try:
        other.sync()
    finally:
        other.close()


async def test_a_sync_on_a_running_bot_reschedules_the_reminders(tmp_path: Path, database_url: str):
    clock = FakeClock(BEFORE)
    async with running_bot(tmp_path, clock, database_url, clockwork=True) as bot:
        assert bot.timetable.jobs.ids() == [
            "reminders",
            "schedule-watch",
            "summary-month:leaders",
            "summary:leaders",
            "upkeep",
        ]
        job_time = bot.timetable.jobs.next_run("reminders")
        assert job_time is not None and (job_time.hour, job_time.minute) == (9, 10)
        assert not await bot.timetable.follow()  # nothing changed
        # The admin edits the file and runs `duban sync` while the bot runs.
        path = tmp_path / "config.toml"
        edit_and_sync(path, 'time = "09:10"', 'time = "08:40"', clock)
        assert await bot.timetable.follow()
        job_time = bot.timetable.jobs.next_run("reminders")
        assert job_time is not None and (job_time.hour, job_time.minute) == (8, 40)
        assert bot.timetable.schedule.reminders.time.minute == 40
        # A new time zone: 08:40 is then 08:40 there, for every job.
        edit_and_sync(path, 'timezone = "Asia/Shanghai"', 'timezone = "Asia/Tokyo"', clock)
        assert await bot.timetable.follow()
        tokyo = ZoneInfo("Asia/Tokyo")
        for job in ("reminders", "summary:leaders"):
            when = bot.timetable.jobs.next_run(job)
            assert when is not None and when.utcoffset() == tokyo.utcoffset(
                when.replace(tzinfo=None)
            )
        when = bot.timetable.jobs.next_run("reminders")
        assert when is not None and (when.hour, when.minute) == (8, 40)


async def test_a_year_without_a_holiday_schedule_is_warned_about_at_start(
    tmp_path: Path, database_url: str, caplog: pytest.LogCaptureFixture
):
    clock = FakeClock(BEFORE)  # 2027: not in the installed chinese-calendar, not in the config
    with caplog.at_level("WARNING", logger="bot.timetable"):
        async with running_bot(tmp_path, clock, database_url, clockwork=True):
            pass
    assert any("holidays of 2027 are not known" in r.getMessage() for r in caplog.records)


async def test_the_nightly_upkeep_forgets_the_review_lists_old_entries(
    tmp_path: Path, database_url: str
):
    clock = FakeClock(BEFORE)
    async with running_bot(tmp_path, clock, database_url, clockwork=True) as bot:
        when = bot.timetable.jobs.next_run("upkeep")
        assert when is not None and (when.hour, when.minute) == (3, 17)
        old = BEFORE - timedelta(days=91)  # the example config keeps 90 days
        with bot.runtime.sessions.begin() as session:
            for at, text in ((old, "很久以前"), (BEFORE, "刚才")):
                session.add(
                    UnknownReply(
                        at=at,
                        userid="lilei",
                        text=text,
                        pattern=text,
                        outcome="unknown",
                        reason="no_task",
                        reply="…",
                    )
                )
        await bot.timetable.tidy()
        with bot.runtime.sessions() as session:
            assert [e.text for e in session.scalars(select(UnknownReply))] == ["刚才"]
