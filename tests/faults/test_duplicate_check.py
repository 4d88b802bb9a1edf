"""Hole 3, narrowed further: a message that may already have reached WeCom — its answer
was lost, or the process died before recording it — is sent again with WeCom's duplicate
check (message/send, doc 90236), so a member does not get it twice."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from tests.faults.conftest import delivery, enqueue
from tests.transport.conftest import Bot


def texts(bot: Bot, peer: str) -> list[str]:
    return [e.body["content"] for e in bot.sandbox.entries(channel="app", peer=peer)]


async def test_a_lost_answer_is_retried_without_a_second_delivery(bot: Bot):
    await bot.delivery.app.token()  # so the fault meets message/send, not gettoken
    bot.sandbox.faults.inject("lost_answer")
    message = {"msgtype": "markdown", "markdown": {"content": "请报送 T3 进展"}}
    result = await bot.delivery.app.send(["lilei"], message)
    assert result.msgid is not None
    assert texts(bot, "lilei") == ["请报送 T3 进展"]
    assert bot.sandbox.duplicates_suppressed == 1


class Killed(BaseException):
    """The process dies here: nothing after it runs."""


class DiesAfterSending:
    """WeCom accepts the message; the process dies before it can record that."""

    def __init__(self, inner: Any):
        self.inner = inner

    async def send(self, touser: list[str], message: Mapping[str, Any], **kw: Any) -> Any:
        await self.inner.send(touser, message, **kw)
        raise Killed


async def test_a_send_accepted_just_before_a_crash_is_not_delivered_twice(bot: Bot):
    enqueue(bot, "user:lilei", "明天截止：T3 代表资格审查", "due-T3")
    dying = delivery(bot, instance="host:8080", app=DiesAfterSending(bot.delivery.app))
    with contextlib.suppress(Killed):
        await dying.run_once()
    assert texts(bot, "lilei") == ["明天截止：T3 代表资格审查"]

    restarted = delivery(bot, instance="host:8080")
    assert await restarted.run_once() == 1  # taken back at once, marked sent
    assert texts(bot, "lilei") == ["明天截止：T3 代表资格审查"]
    assert bot.sandbox.duplicates_suppressed == 1


async def test_the_same_words_sent_on_purpose_still_arrive(bot: Bot):
    """The duplicate check is asked for only when a send may have gone out already."""
    for key in ("monday", "tuesday"):
        enqueue(bot, "user:lilei", "请报送本周进展", key)
    await delivery(bot, instance="a").run_once()
    assert texts(bot, "lilei") == ["请报送本周进展", "请报送本周进展"]
    assert bot.sandbox.duplicates_suppressed == 0
