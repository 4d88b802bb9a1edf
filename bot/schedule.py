"""What a running bot schedules by, as the database holds it: `duban sync` writes it, and a
running bot (every instance) picks a change up within a minute, without a restart."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import Config
from bot.config_model import CalendarSettings, ReminderSettings, SummarySettings
from domain.rules import LightRules
from scheduler.calendar import WorkCalendar
from scheduler.planner import ReminderRules

SETTING_KEY = "schedule"


@dataclass(frozen=True)
class Schedule:
    reminders: ReminderRules
    calendar: WorkCalendar
    lights: LightRules
    source: dict[str, Any]  # the sections it was built from, as stored

    @property
    def version(self) -> str:
        text = json.dumps(self.source, sort_keys=True, ensure_ascii=False)
        return hashlib.sha1(text.encode()).hexdigest()[:12]


def sections(config: Config) -> dict[str, Any]:
    """The config's sections a running bot schedules by (JSON, no secrets)."""
    return {
        "timezone": config.bot.timezone,
        "reminders": config.reminders.model_dump(mode="json"),
        "calendar": config.calendar.model_dump(mode="json"),
        "summaries": config.summaries.model_dump(mode="json"),
    }


def schedule_of(source: dict[str, Any]) -> Schedule:
    timezone: tzinfo = ZoneInfo(source["timezone"])
    reminders = ReminderSettings.model_validate(source["reminders"])
    calendar = CalendarSettings.model_validate(source["calendar"])
    summaries = SummarySettings.model_validate(source["summaries"])
    return Schedule(
        reminder_rules(reminders, timezone),
        WorkCalendar(calendar.holidays, calendar.workdays),
        LightRules(summaries.warn_days, summaries.behind_margin),
        source,
    )


def reminder_rules(settings: ReminderSettings, timezone: tzinfo) -> ReminderRules:
    return ReminderRules(
        time=settings.time,
        days_before=tuple(settings.days_before),
        overdue_every=settings.overdue_every,
        escalate_after=settings.escalate_after,
        stale_after=settings.stale_after,
        monthly_report_day=settings.monthly_report_day,
        monthly_window=settings.monthly_window,
        catch_up_hours=settings.catch_up_hours,
        timezone=timezone,
    )


def config_schedule(config: Config) -> Schedule:
    return schedule_of(sections(config))
