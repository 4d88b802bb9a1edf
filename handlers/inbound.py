"""What the handlers receive and give back: plain data, no WeCom, no HTTP."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from domain.rules import DEFAULT_LIGHTS, LightRules, Standing, WorkDays, standing
from domain.snapshot import TaskView
from handlers.parser import Vocabulary


@dataclass(frozen=True)
class Inbound:
    """One message or event from a member, as the shell decoded it."""

    sender: str
    sent_at: datetime
    text: str | None = None
    msg_id: str | None = None
    event: str | None = None  # e.g. "template_card_event", "enter_agent"
    event_key: str | None = None  # the clicked button's key
    card_task_id: str | None = None  # the card's task_id, set when it was sent
    response_code: str | None = None  # lets the shell update the clicked card
    create_time: int = 0

    @property
    def dedupe_key(self) -> str:
        # WeCom retries a callback up to three times: messages repeat their MsgId,
        # events carry none, so sender and CreateTime identify them.
        if self.msg_id:
            return f"msg:{self.msg_id}"
        key = f"event:{self.sender}:{self.create_time}:{self.event or ''}"
        if self.event_key or self.card_task_id:
            # Two buttons clicked within one second are two clicks; a retry repeats both.
            click = f"{self.card_task_id or ''}|{self.event_key or ''}".encode()
            key += f":{hashlib.sha1(click).hexdigest()[:12]}"
        return key


@dataclass(frozen=True)
class Review:
    """A message the bot did not understand: it goes on the admin's review list."""

    text: str
    outcome: str  # unknown | clarify
    reason: str | None = None  # the clarify reason


@dataclass(frozen=True)
class Reply:
    """A reply to render: the template's name and what it shows."""

    template: str
    data: dict[str, Any] = field(default_factory=dict)
    review: Review | None = None  # set when the reply says the bot did not understand


@dataclass(frozen=True)
class Reading:
    """How replies are read: the office's own words ([parser]), and for how many days
    what the bot did not understand stays on the review list."""

    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    review_days: int = 90


@dataclass(frozen=True)
class Context:
    """What a handler may know besides the database: the time, the office's time zone,
    its working days and when a task counts as at risk."""

    now: datetime
    timezone: tzinfo
    calendar: WorkDays
    lights: LightRules = DEFAULT_LIGHTS
    reading: Reading = field(default_factory=Reading)

    @property
    def today(self) -> date:
        return self.local_date(self.now)

    def local_date(self, moment: datetime) -> date:
        """The office's calendar date at `moment` (stored times are UTC)."""
        return moment.astimezone(self.timezone).date()

    def standing(self, task: TaskView) -> Standing:
        return standing(task, self.today, self.calendar, self.lights)
