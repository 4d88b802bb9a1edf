"""APScheduler 3 behind a small API, the way python-telegram-bot's JobQueue wraps it.

Jobs have stable ids and live in memory only: nothing is pickled, because what must
survive a restart — what was sent, what is due — is in the database, and a restarted bot
rebuilds its jobs from the config and catches up on a missed tick (bot.timetable).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, time, tzinfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from scheduler.calendar import day_of_month

Work = Callable[[], Awaitable[object]]


class Jobs:
    def __init__(self, timezone: tzinfo) -> None:
        self.timezone = timezone
        self._scheduler = AsyncIOScheduler(
            timezone=timezone,
            # A tick that could not run on time runs once, late, rather than piling up.
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
        )

    def daily(self, job_id: str, at: time, work: Work) -> None:
        self._add(job_id, work, CronTrigger(hour=at.hour, minute=at.minute, timezone=self.timezone))

    def weekly(self, job_id: str, weekday: int, at: time, work: Work) -> None:
        trigger = CronTrigger(
            day_of_week=weekday, hour=at.hour, minute=at.minute, timezone=self.timezone
        )
        self._add(job_id, work, trigger)

    def monthly(self, job_id: str, day: int, at: time, work: Work) -> None:
        """On `day` of each month, or on its last day when the month is shorter."""

        async def on_the_day() -> None:
            today = datetime.now(self.timezone).date()
            if today == day_of_month(today.year, today.month, day):
                await work()

        self.daily(job_id, at, on_the_day)

    def every(self, job_id: str, seconds: float, work: Work) -> None:
        self._add(job_id, work, IntervalTrigger(seconds=seconds, timezone=self.timezone))

    def _add(self, job_id: str, work: Work, trigger: CronTrigger | IntervalTrigger) -> None:
        self._scheduler.add_job(work, trigger, id=job_id, name=job_id, replace_existing=True)

    def remove(self, job_id: str) -> None:
        if self._scheduler.get_job(job_id) is not None:
            self._scheduler.remove_job(job_id)

    def ids(self) -> list[str]:
        return sorted(job.id for job in self._scheduler.get_jobs())

    def next_run(self, job_id: str) -> datetime | None:
        job = self._scheduler.get_job(job_id)
        return None if job is None else job.next_run_time

    def start(self) -> None:
        self._scheduler.start()

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
