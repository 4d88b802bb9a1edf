"""The bot's clockwork: the reminder tick at each send time, catching up after downtime,
and following schedule changes that `duban sync` (or SIGHUP) makes while it runs.

Every instance runs its own timetable; the dedupe keys in the database make a tick that
two instances run at the same moment queue each reminder once (no leader election).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot import reminders
from bot.jobs import Jobs
from bot.schedule import SETTING_KEY, Schedule, schedule_of
from scheduler.calendar import KNOWN_YEARS
from storage.settings import load_setting

log = logging.getLogger(__name__)

REMINDERS_JOB = "reminders"
WATCH_JOB = "schedule-watch"
WATCH_SECONDS = 30.0


class Timetable:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        schedule: Schedule,
        *,
        now: Callable[[], datetime],
        wake: asyncio.Event | None = None,
    ) -> None:
        self.sessions = sessions
        self.schedule = schedule
        self.now = now
        self.wake = wake
        self.jobs = Jobs(schedule.reminders.timezone)

    async def start(self) -> None:
        """Schedule the jobs, warn of a year without a holiday schedule, catch up."""
        self._schedule_jobs()
        self.jobs.start()
        self._warn_unknown_year()
        await self.catch_up()

    def stop(self) -> None:
        self.jobs.shutdown()

    def _schedule_jobs(self) -> None:
        self.jobs.daily(REMINDERS_JOB, self.schedule.reminders.time, self._on_time)
        self.jobs.every(WATCH_JOB, WATCH_SECONDS, self.follow)

    async def _on_time(self) -> None:
        await self.remind(self.now())

    async def remind(self, moment: datetime) -> reminders.TickResult:
        """Run the reminder tick for the send time `moment` (now, or a missed one)."""
        result = await asyncio.to_thread(
            reminders.tick, self.sessions, self.schedule, moment, self.now()
        )
        if result.queued and self.wake is not None:
            self.wake.set()
        return result

    async def catch_up(self) -> reminders.TickResult | None:
        """If the bot was down at the latest send time (within `catch_up_hours`), run it
        now; when it had already run, the dedupe keys make this queue nothing."""
        moment = reminders.latest_send_time(self.now(), self.schedule)
        if moment is None:
            return None
        result = await self.remind(moment)
        if result.queued:
            log.info("caught up on the reminders of %s", moment.isoformat())
        return result

    async def follow(self) -> bool:
        """Take up the schedule `duban sync` stored, if it changed. True if it did."""
        stored = await asyncio.to_thread(self._stored)
        if stored is None or stored == self.schedule.source:
            return False
        self.apply(schedule_of(stored))
        return True

    def _stored(self) -> dict[str, object] | None:
        with self.sessions() as session:
            return load_setting(session, SETTING_KEY)

    def apply(self, schedule: Schedule) -> None:
        before = self.schedule.reminders.time
        self.schedule = schedule
        self._schedule_jobs()
        log.info(
            "schedule changed (version %s): reminders at %s (were at %s)",
            schedule.version,
            f"{schedule.reminders.time:%H:%M}",
            f"{before:%H:%M}",
        )

    def _warn_unknown_year(self) -> None:
        year = self.now().astimezone(self.schedule.reminders.timezone).year
        for wanted in (year, year + 1):
            if wanted not in KNOWN_YEARS and not self.schedule.calendar.knows(wanted):
                log.warning(
                    "the holidays of %d are not known: working days fall back to Monday to "
                    "Friday plus [calendar]; add them with `duban calendar parse`",
                    wanted,
                )
