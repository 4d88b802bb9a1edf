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
from bot.config_model import (
    CalendarSettings,
    Monthly,
    ReminderSettings,
    SummarySettings,
    Weekly,
    parse_monthly,
    parse_weekly,
)
from bot.wecom import limits
from domain.rules import LightRules
from scheduler.calendar import WorkCalendar
from scheduler.planner import ReminderRules

SETTING_KEY = "schedule"


@dataclass(frozen=True)
class GroupSchedule:
    """When a leadership group gets its summaries, and of which departments."""

    id: str
    name: str
    weekly: Weekly
    monthly: Monthly | None
    departments: tuple[str, ...] | None  # None: all
    channel: str = "robot"  # robot (a group robot's webhook) | appchat (an app's group chat)

    @property
    def max_bytes(self) -> int:
        """How long one markdown message to this group may be (docs/wecom.md)."""
        return (
            limits.ROBOT_MARKDOWN_MAX_BYTES
            if self.channel == "robot"
            else limits.APP_MARKDOWN_MAX_BYTES
        )


@dataclass(frozen=True)
class Schedule:
    reminders: ReminderRules
    calendar: WorkCalendar
    lights: LightRules
    groups: tuple[GroupSchedule, ...]
    source: dict[str, Any]  # the sections it was built from, as stored
    unit: str = ""  # [bot].unit: the office's name on the ledger

    def group(self, group_id: str) -> GroupSchedule | None:
        return next((g for g in self.groups if g.id == group_id), None)

    @property
    def version(self) -> str:
        text = json.dumps(self.source, sort_keys=True, ensure_ascii=False)
        return hashlib.sha1(text.encode()).hexdigest()[:12]


def sections(config: Config) -> dict[str, Any]:
    """The config's sections a running bot schedules by (JSON, no secrets)."""
    return {
        "timezone": config.bot.timezone,
        "unit": config.bot.unit,
        "reminders": config.reminders.model_dump(mode="json"),
        "calendar": config.calendar.model_dump(mode="json"),
        "summaries": config.summaries.model_dump(mode="json"),
        # No webhook or chat id: those are secrets, and where to send is the config's.
        "groups": [
            {
                **g.model_dump(
                    mode="json", include={"id", "name", "summary", "monthly", "departments"}
                ),
                "channel": "robot" if g.webhook else "appchat",
            }
            for g in config.groups
        ],
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
        tuple(
            GroupSchedule(
                g["id"],
                g["name"],
                parse_weekly(g["summary"]),
                None if g.get("monthly") is None else parse_monthly(g["monthly"]),
                None if g.get("departments") is None else tuple(g["departments"]),
                g.get("channel", "robot"),
            )
            for g in source.get("groups", [])
        ),
        source,
        source.get("unit", ""),
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
