"""Helpers for the fault suite: more delivery instances on one bot's database and sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.delivery import Delivery
from tests.conftest import FakeClock
from tests.transport.conftest import Bot, running_bot
from tests.transport.test_delivery import enqueue

__all__ = ["bot", "delivered", "delivery", "enqueue"]


@pytest.fixture
async def bot(tmp_path: Path, clock: FakeClock, database_url: str) -> AsyncIterator[Bot]:
    async with running_bot(tmp_path, clock, database_url) as bot:
        yield bot


def delivery(bot: Bot, *, instance: str, app: Any = None, **options: Any) -> Delivery:
    """Another instance's delivery: same database and sandbox, its own claims."""
    first = bot.delivery
    return Delivery(
        bot.runtime.sessions,
        app=app or first.app,
        robot=first.robot,
        destinations=first.destinations,
        now=bot.clock,
        offload=bot.runtime.offload,
        instance=instance,
        **options,
    )


def delivered(bot: Bot) -> list[str]:
    """Every message content the sandbox WeCom accepted, app and robot alike."""
    return [
        e.body["content"]
        for e in bot.sandbox.entries(channel="app") + bot.sandbox.entries(channel="robot")
    ]
