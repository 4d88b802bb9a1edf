"""The bot's clockwork: the reminder tick at each send time, catching up after downtime,
and following schedule changes that `duban sync` (or SIGHUP) makes while it runs.

Every instance runs its own timetable; the dedupe keys in the database make a tick that
two instances run at the same moment queue each reminder once (no leader election).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, time
from functools import partial

from sqlalchemy.orm import Session, sessionmaker

from bot import reminders, reports
from bot.jobs import Jobs
from bot.schedule import SETTING_KEY, Schedule, schedule_of
from scheduler.calendar import KNOWN_YEARS
from scheduler.summary import MONTH, WEEK
from storage.settings import load_setting

log = logging.getLogger(__name__)

REMINDERS_JOB = "reminders"
WATCH_JOB = "schedule-watch"
WATCH_SECONDS = 30.0
UPKEEP_JOB = "upkeep"
UPKEEP_AT = time(3, 17)  # at night, off the hour: housekeeping nobody waits for


class Timetable:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        schedule: Schedule,
        *,
        now: Callable[[], datetime],
        wake: asyncio.Event | None = None,
        upkeep: Callable[[datetime], object] | None = None,
    ) -> None:
        self.sessions = sessions
        self.schedule = schedule
        self.now = now
        self.wake = wake
        self.upkeep = upkeep  # daily housekeeping (the review list's retention)
        self.jobs = Jobs(schedule.reminders.timezone)
        # A send time whose tick failed (the database was away): tried again by the watch
        # job until it goes through, so an outage at 09:10 costs minutes, not the day.
        self.missed = False

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
        self.jobs.every(WATCH_JOB, WATCH_SECONDS, self._watch)
        if self.upkeep is not None:
            self.jobs.daily(UPKEEP_JOB, UPKEEP_AT, self.tidy)
        wanted = set()
        for group in self.schedule.groups:
            for kind, job_id in (
                (WEEK, f"summary:{group.id}"),
                (MONTH, f"summary-month:{group.id}"),
            ):
                work = partial(self._summary_on_time, group.id, kind)
                if kind == WEEK:
                    self.jobs.weekly(job_id, group.weekly.weekday, group.weekly.at, work)
                elif group.monthly is not None:
                    self.jobs.monthly(job_id, group.monthly.day, group.monthly.at, work)
                else:
                    continue
                wanted.add(job_id)
        for job_id in self.jobs.ids():
            if job_id.startswith("summary") and job_id not in wanted:
                self.jobs.remove(job_id)  # a group removed, or its monthly report dropped

    async def _on_time(self) -> None:
        await self._or_later(self.remind(self.now()))

    async def _or_later(self, work: Awaitable[object]) -> None:
        """Run a send time's work; if it fails, the watch job catches it up later."""
        try:
            await work
        except Exception as exc:
            if not self.missed:
                log.warning(
                    "a send time failed (%r); trying again every %.0f s", exc, WATCH_SECONDS
                )
            self.missed = True

    async def tidy(self) -> None:
        """The daily housekeeping; a failure is logged and tried again the next night."""
        if self.upkeep is None:
            return
        try:
            await asyncio.to_thread(self.upkeep, self.now())
        except Exception as exc:
            log.warning("the daily upkeep failed (%r); trying again tomorrow", exc)

    async def _watch(self) -> None:
        if self.missed:
            try:
                await self.catch_up()
            except Exception:
                pass  # still away: the next watch tries again
            else:
                self.missed = False
                log.warning("the missed send time was caught up")
        await self.follow()

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
        now; when it had already run, the dedupe keys make this queue nothing. The same
        for each group's latest summary."""
        now = self.now()
        for group in self.schedule.groups:
            for kind in (WEEK, MONTH):
                missed = reports.latest_summary_time(now, group, kind, self.schedule)
                if missed is not None:
                    await self.summarize(group.id, kind, missed)
        moment = reminders.latest_send_time(now, self.schedule)
        if moment is None:
            return None
        result = await self.remind(moment)
        if result.queued:
            log.info("caught up on the reminders of %s", moment.isoformat())
        return result

    async def _summary_on_time(self, group_id: str, kind: str) -> None:
        await self._or_later(self.summarize(group_id, kind, self.now()))

    async def summarize(self, group_id: str, kind: str, moment: datetime) -> reports.Sent | None:
        """Queue a group's summary of the week (or month) holding `moment`, once."""
        group = self.schedule.group(group_id)
        if group is None:
            return None
        sent = await asyncio.to_thread(
            reports.send_summary,
            self.sessions,
            self.schedule,
            group,
            moment,
            kind=kind,
            now=self.now(),
        )
        if sent.queued and self.wake is not None:
            self.wake.set()
        return sent

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
        self.jobs.timezone = schedule.reminders.timezone  # the triggers below are made anew
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
