"""The index page's 「提醒」 panel: a newcomer runs the real bot's reminder tick."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.reminders import next_day_with_reminders
from bot.sandbox.panel import Action, Day, Panel, Ran
from bot.sandbox.state import SandboxState
from bot.sandbox.view import ENV
from storage.models import OutboxNotice
from tests.conftest import FakeClock
from tests.sandbox.conftest import Clock, FakeBot, Site, start_site
from tests.transport.conftest import Bot, running_bot

MONDAY = datetime(2027, 3, 1, 1, 30, tzinfo=UTC)  # 09:30 in Beijing, after the 09:10 tick
DUE = ["chenjing", "wangxinhui", "zhoufang"]  # the example office's reminders that day


async def get(url: str) -> str:
    async with aiohttp.ClientSession() as http, http.get(url) as resp:
        assert resp.status == 200
        return await resp.text()


async def post(url: str, payload: Any) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as http, http.post(url, json=payload) as resp:
        return resp.status, await resp.json()


async def deliver_all(bot: Bot) -> None:
    while await bot.delivery.run_once():
        pass


def reached(bot: Bot) -> list[str]:
    return sorted({e.peer for e in bot.sandbox.entries(channel="app")})


@pytest.fixture
async def monday(tmp_path: Path, database_url: str) -> AsyncIterator[Bot]:
    async with running_bot(tmp_path, FakeClock(MONDAY), database_url) as bot:
        yield bot


async def test_the_panel_says_when_reminders_go_out(monday: Bot) -> None:
    upcoming = next_day_with_reminders(
        monday.runtime.sessions, monday.timetable.schedule, date(2027, 3, 1)
    )
    assert upcoming is not None
    text = await get(f"{monday.url}/sandbox/")
    assert "机器人在每个工作日 09:10 发送提醒。今天 3月1日（周一）是工作日。" in text
    assert ">立即发送今天的提醒</button>" in text
    assert f">预演下一次提醒（{upcoming.month}月{upcoming.day}日）</button>" in text
    assert 'href="chat/chenjing"' in text  # the members are still listed


async def test_sending_todays_reminders_queues_once_and_wakes_delivery(monday: Bot) -> None:
    url = f"{monday.url}/sandbox/api/remind"
    status, first = await post(url, {"action": "today"})
    assert status == 200
    assert (first["planned"], first["queued"], first["day"]) == (3, 3, "2027-03-01")
    assert first["message"] == "已安排发送今天的 3 条提醒，几秒内出现在收件人的聊天里。"
    assert first["message"] in first["html"]  # the panel shows it where the buttons are
    assert monday.delivery.wake.is_set()  # delivery starts now, not at its next poll
    await deliver_all(monday)
    assert reached(monday) == DUE

    monday.delivery.wake.clear()
    status, second = await post(url, {"action": "today"})
    assert status == 200 and (second["planned"], second["queued"]) == (3, 0)
    assert second["message"] == "今天的 3 条提醒此前已经发过，这次没有新的提醒。"
    assert not monday.delivery.wake.is_set()
    assert monday.count(OutboxNotice) == 3


async def test_rehearsing_the_next_day_with_reminders(monday: Bot) -> None:
    upcoming = next_day_with_reminders(
        monday.runtime.sessions, monday.timetable.schedule, date(2027, 3, 1)
    )
    assert upcoming is not None
    url = f"{monday.url}/sandbox/api/remind"
    status, first = await post(url, {"action": "next"})
    assert status == 200 and first["day"] == upcoming.isoformat()
    assert first["queued"] == first["planned"] > 0
    named = f"{upcoming.month}月{upcoming.day}日（周"
    assert first["message"].startswith(f"已安排发送{named}")
    await deliver_all(monday)
    texts = [e.body.get("content", "") for e in monday.sandbox.entries(channel="app")]
    assert any(f"{upcoming.month}月{upcoming.day}日" in t for t in texts)  # that day's digests
    # Rehearsed once, that day is done: the next press moves on to the following one.
    _, second = await post(url, {"action": "next"})
    assert second["day"] > first["day"] and second["queued"] > 0


@pytest.mark.parametrize(
    ("now", "today"),
    [
        (datetime(2027, 3, 6, 1, 30, tzinfo=UTC), "3月6日（周六）是周末"),
        (datetime(2026, 10, 1, 1, 30, tzinfo=UTC), "10月1日（周四）是国庆节假期"),
    ],
)
async def test_a_day_off_sends_nothing_and_says_why(
    tmp_path: Path, database_url: str, now: datetime, today: str
) -> None:
    async with running_bot(tmp_path, FakeClock(now), database_url) as bot:
        assert f"今天 {today}，不发提醒。" in await get(f"{bot.url}/sandbox/")
        status, data = await post(f"{bot.url}/sandbox/api/remind", {"action": "today"})
        assert status == 200 and data["queued"] == 0
        assert data["message"] == f"今天是{today.split('是')[1]}，不发提醒。"
        assert bot.count(OutboxNotice) == 0


async def test_bad_presses_get_a_clear_answer(monday: Bot) -> None:
    url = f"{monday.url}/sandbox/api/remind"
    status, data = await post(url, {"action": "tomorrow"})
    assert status == 400 and "today 或 next" in data["error"]
    status, data = await post(url, ["today"])
    assert status == 400 and data["error"] == "请求不是 JSON 对象"
    assert monday.count(OutboxNotice) == 0


# --- the panel on its own: wording, and a sandbox without the bot's hook ----------------


def outcome(ran: Ran | None) -> str:
    return str(ENV.get_template("_home.html").module.outcome(ran)).strip()  # type: ignore[attr-defined]


MON = Day(date(2027, 3, 1), True)


@pytest.mark.parametrize(
    ("ran", "says"),
    [
        (None, ""),
        (Ran("today", MON, 2, 2), "已安排发送今天的 2 条提醒，几秒内出现在收件人的聊天里。"),
        (
            Ran("today", MON, 3, 1),
            "已安排发送今天的 1 条提醒（另有 2 条此前已发过），几秒内出现在收件人的聊天里。",
        ),
        (Ran("today", MON, 0, 0), "今天没有到期的提醒，没有发送。"),
        (Ran("next", MON, 4, 0), "3月1日（周一）的 4 条提醒此前已经发过，这次没有新的提醒。"),
        (Ran("next", None), "未来一年内没有到期的提醒，没有发送。"),
        (Ran("today", Day(date(2027, 3, 6), False)), "今天是周末，不发提醒。"),
        (
            Ran("today", Day(date(2026, 10, 1), False, "holiday", "国庆节")),
            "今天是国庆节假期，不发提醒。",
        ),
        (Ran("today", Day(date(2027, 5, 3), False, "holiday")), "今天是法定节假日，不发提醒。"),
    ],
)
def test_what_a_press_did_in_one_sentence(ran: Ran | None, says: str) -> None:
    assert outcome(ran) == says


@pytest.fixture
async def site(state: SandboxState, clock: Clock) -> AsyncIterator[Site]:
    s = await start_site(state, clock, FakeBot())
    yield s
    await s.close()


async def test_a_sandbox_without_the_bot_has_no_panel(site: Site) -> None:
    text = await get(f"{site.base}/sandbox/")
    assert "立即发送今天的提醒" not in text and 'id="remind"' not in text
    status, data = await post(f"{site.base}/sandbox/api/remind", {"action": "today"})
    assert status == 404 and data["error"]


async def test_a_failing_bot_leaves_the_index_usable(state: SandboxState, clock: Clock) -> None:
    async def broken(action: Action | None) -> Panel:
        raise ConnectionError("database unreachable")

    site = await start_site(state, clock, FakeBot(), broken)
    try:
        text = await get(f"{site.base}/sandbox/")
        assert "暂时读不到提醒的安排" in text and 'href="chat/zhangsan"' in text
        status, data = await post(f"{site.base}/sandbox/api/remind", {"action": "today"})
        assert status == 503 and "duban run 的日志" in data["error"]
    finally:
        await site.close()


async def test_a_makeup_day_is_a_send_day(state: SandboxState, clock: Clock) -> None:
    async def makeup(action: Action | None) -> Panel:
        return Panel(time(9, 10), Day(date(2026, 2, 14), True, "makeup", "春节"), None)

    site = await start_site(state, clock, FakeBot(), makeup)
    try:
        text = await get(f"{site.base}/sandbox/")
        assert "今天 2月14日（周六）是调休上班日，照常提醒。" in text
        assert "预演下一次提醒（未来一年没有）</button>" in text
    finally:
        await site.close()
