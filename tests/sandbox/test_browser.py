"""A real headless Chromium drives the chat simulator.

Needs Debian's chromium and the playwright package (no `playwright install`):

    apt-get update && apt-get install -y chromium
    .venv/bin/pip install playwright

Without them this test FAILS (it does not skip): CI installs both.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.sandbox.state import SandboxState
from tests.conftest import FakeClock
from tests.sandbox.conftest import Clock, FakeBot, Site, start_site
from tests.transport.conftest import running_bot

CHROMIUM = os.environ.get("DUBAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = Path(os.environ.get("DUBAN_SCREENSHOT", "/tmp/duban-sandbox-chat.png"))
CARD_SCREENSHOT = SCREENSHOT.with_name(SCREENSHOT.stem + "-reminder" + SCREENSHOT.suffix)
MONDAY = datetime(2027, 3, 1, 1, 30, tzinfo=UTC)  # 09:30 in Beijing, after the 09:10 tick
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.browser


def _require_browser() -> Any:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `apt-get update && apt-get install -y "
            "chromium` (or set DUBAN_CHROMIUM). The browser test does not skip.",
            pytrace=False,
        )
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        pytest.fail(
            "playwright is not installed: run `.venv/bin/pip install playwright` "
            "(never `playwright install`; the test uses Debian's chromium).",
            pytrace=False,
        )
    return async_playwright


@asynccontextmanager
async def phone(errors: list[str]) -> AsyncIterator[Any]:
    """A page in headless Chromium sized like a phone; console errors, uncaught exceptions
    and failed requests go into `errors`."""
    async_playwright = _require_browser()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(
                viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
            )
            page = await context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on(
                "response",
                lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
            )
            yield page
            await context.close()
        finally:
            await browser.close()


@pytest.fixture
async def site(state: SandboxState, clock: Clock) -> AsyncIterator[Site]:
    s = await start_site(state, clock, FakeBot())
    yield s
    await s.close()


async def test_chat_page_in_a_real_browser(site: Site, state: SandboxState) -> None:
    state.record(
        "app",
        "zhangsan",
        "markdown",
        {
            "content": "## 督办提醒\n**T3 代表资格审查** 截止 3月31日，"
            '<font color="warning">还剩 3 个工作日</font>\n> 回复格式：T3 80% 进展说明'
        },
    )
    state.record(
        "app",
        "zhangsan",
        "template_card",
        {
            "card_type": "button_interaction",
            "source": {"desc": "督办助手"},
            "main_title": {"title": "T3 代表资格审查", "desc": "请确认本周进展"},
            "horizontal_content_list": [
                {"keyname": "责任部门", "value": "组织部"},
                {"keyname": "截止日期", "value": "3月31日"},
            ],
            "task_id": "task-3-w12",
            "button_list": [
                {"text": "已完成", "key": "done", "style": 1},
                {"text": "申请延期", "key": "extend", "style": 2},
            ],
        },
        response_code="rc-browser",
    )

    console_errors: list[str] = []
    async with phone(console_errors) as page:
        # The index, then into a chat by its (relative) link.
        await page.goto(site.base + "/sandbox/")
        await page.get_by_text("张三").first.click()
        await page.wait_for_url("**/sandbox/chat/zhangsan")

        messages = page.locator("#messages")
        await messages.get_by_text("督办提醒").wait_for()
        assert await page.locator(".md-warning").inner_text() == "还剩 3 个工作日"

        # A message the bot sends while the page is open arrives by long-poll.
        state.record("app", "zhangsan", "text", {"content": "请于今天下班前回复进展"})
        await messages.get_by_text("请于今天下班前回复进展").wait_for(timeout=10_000)

        # Type a reply: the member's bubble and the bot's passive reply both show.
        await page.fill("#text", "T3 80% 已完成代表资格审查")
        await page.click("#send")
        await page.locator(".msg.me", has_text="T3 80% 已完成代表资格审查").wait_for()
        await page.locator(".msg.bot", has_text="收到：T3 80% 已完成代表资格审查").wait_for()
        assert await page.input_value("#text") == ""

        # Click a card button: the bot answers update_button and the card turns grey.
        await page.click("button.card-btn[data-key='done']")
        await page.locator("button.card-btn.done", has_text="已确认").wait_for()
        await page.get_by_text("你点击了「已完成」").wait_for()
        assert await page.locator("button.card-btn[data-key]").count() == 0

        clicks = [m for m in site.fake.seen if m.get("Event") == "template_card_event"]
        assert [(m["EventKey"], m["TaskId"], m["ResponseCode"]) for m in clicks] == [
            ("done", "task-3-w12", "rc-browser")
        ]

        await page.screenshot(path=str(SCREENSHOT), full_page=False)
    assert console_errors == []


async def test_a_newcomer_sends_reminders_and_clicks_a_card(tmp_path: Path) -> None:
    """`make run`'s first minutes: the index page's button sends today's reminders, the
    real bot delivers them, and a click on 「已完成」 records the task and greys the card."""
    errors: list[str] = []
    database = f"sqlite:///{tmp_path / 'duban.db'}"
    async with (
        running_bot(tmp_path, FakeClock(MONDAY), database, deliver=True) as bot,
        phone(errors) as page,
    ):
        await page.goto(bot.url + "/sandbox/")
        panel = page.locator("#remind")
        await panel.get_by_text("今天 3月1日（周一）是工作日").wait_for()

        await page.click("button.remind-btn[data-action='today']")
        await panel.get_by_text("已安排发送今天的 3 条提醒").wait_for(timeout=10_000)
        # The list follows by long-poll: 陈静's reminder card shows as a new message.
        chenjing = page.locator("a.row[href='chat/chenjing']")
        await chenjing.locator(".badge").wait_for(timeout=10_000)
        assert "[卡片] T2" in await chenjing.inner_text()
        # Pressed again, the button sends nothing twice and says so.
        await page.click("button.remind-btn[data-action='today']")
        await panel.get_by_text("此前已经发过").wait_for(timeout=10_000)

        await chenjing.click()
        await page.wait_for_url("**/sandbox/chat/chenjing")
        card = page.locator(".card", has_text="T2 编印年度重点工作任务分解")
        await card.wait_for()
        await card.locator("button.card-btn[data-key='done:T2']").click()
        reply = page.locator(".msg.bot", has_text="已记录 T2")
        await reply.wait_for(timeout=10_000)
        await page.get_by_text("你点击了「已完成」").wait_for()
        # The bot updates the card through update_template_card: one grey button.
        await card.locator("button.card-btn.done", has_text="已完成").wait_for(timeout=10_000)
        assert await card.locator("button.card-btn[data-key]").count() == 0
        await page.screenshot(path=str(CARD_SCREENSHOT), full_page=True)
        clicks = bot.sandbox.entries(channel="event")
        assert [e.body["event_key"] for e in clicks] == ["done:T2"]
    assert errors == []
