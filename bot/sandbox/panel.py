"""The 「提醒」 panel of the sandbox's index page: a newcomer runs the bot's reminder tick.

The sandbox plays WeCom's side and knows nothing of the bot's planner or database: the bot
passes `add_pages` an async callable (`Reminders`, built in bot.app) that answers with
these plain types, and the panel's templates (``_home.html``) word them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, time
from typing import Literal

__all__ = ["ACTIONS", "Action", "Day", "Panel", "Ran", "Reminders"]

Action = Literal["today", "next"]
ACTIONS: tuple[Action, ...] = ("today", "next")


@dataclass(frozen=True)
class Day:
    date: date
    workday: bool
    special: Literal["holiday", "makeup"] | None = None  # a statutory holiday, a 调休 day
    festival: str | None = None  # e.g. "国庆节", when the calendar names one


@dataclass(frozen=True)
class Ran:
    """What a button did: the tick of `day`'s send time, or nothing and why."""

    action: Action
    day: Day | None  # None: no working day ahead has anything due
    planned: int = 0  # digests that send time has
    queued: int = 0  # digests queued by this press (the rest were queued before)


@dataclass(frozen=True)
class Panel:
    send_time: time
    today: Day
    next_day: date | None  # the next working day after today with something due
    ran: Ran | None = None


# None: only say how things stand; an action: run it first.
Reminders = Callable[[Action | None], Awaitable[Panel]]
