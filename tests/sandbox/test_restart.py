"""A restart of the real bot keeps what its sandbox shows (same database, same journal)."""

from __future__ import annotations

import signal
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

from tests.conftest import FakeClock, free_port, start_bot, write_config
from tests.transport.conftest import Bot, running_bot

SEND_TIME = datetime(2027, 3, 1, 1, 10, tzinfo=UTC)  # 09:10 on Monday 1 March 2027, Beijing


async def deliver_all(bot: Bot) -> None:
    while await bot.delivery.run_once():
        pass


def the_card(bot: Bot, userid: str):  # type: ignore[no-untyped-def]
    (entry,) = [e for e in bot.sandbox.conversation(userid) if e.msgtype == "template_card"]
    return entry


async def page(bot: Bot, path: str) -> str:
    async with aiohttp.ClientSession() as http, http.get(f"{bot.url}/sandbox/{path}") as resp:
        assert resp.status == 200
        return await resp.text()


async def test_a_restart_keeps_the_conversations_and_the_cards_work_on(
    tmp_path: Path, database_url: str
) -> None:
    clock = FakeClock()  # it stands still: a restart must not reuse a message id
    journal = tmp_path / "sandbox.jsonl"
    async with running_bot(tmp_path, clock, database_url, sandbox_journal=journal) as bot:
        helped = await bot.driver.send_text("lilei", "帮助")
        assert "我是督办助手" in (helped.reply_text or "")
        await bot.timetable.remind(SEND_TIME)
        await deliver_all(bot)
        before = bot.sandbox.entries()
        card = the_card(bot, "chenjing")

    async with running_bot(tmp_path, clock, database_url, sandbox_journal=journal) as bot:
        assert bot.sandbox.entries() == before
        assert "我是督办助手" in await page(bot, "chat/lilei")
        assert '<span class="badge">1</span>' in await page(bot, "")  # 陈静's card
        # A new message is a new message, although the clock has not moved.
        mine = await bot.driver.send_text("lilei", "我的任务")
        assert (mine.reply_text or "").startswith("您的任务")
        # The card sent before the restart still works, and its update reaches the page.
        click = {"response_code": card.response_code, "task_id": card.body["task_id"]}
        done = await bot.driver.click("chenjing", event_key="done:T2", **click)
        assert (done.reply_text or "").startswith("已记录 T2")
        await deliver_all(bot)
        assert the_card(bot, "chenjing").body["replace_text"] == "已完成"
        assert bot.sandbox.used_response_codes == {card.response_code}
        after = bot.sandbox.entries()

    async with running_bot(tmp_path, clock, database_url, sandbox_journal=journal) as bot:
        assert bot.sandbox.entries() == after
        assert bot.sandbox.used_response_codes == {card.response_code}
        assert 'class="card-btn done" disabled>已完成</button>' in await page(bot, "chat/chenjing")


async def test_build_app_keeps_the_sandbox_in_memory_unless_asked(
    tmp_path: Path, database_url: str
) -> None:
    clock = FakeClock()
    async with running_bot(tmp_path, clock, database_url) as bot:
        await bot.driver.send_text("lilei", "帮助")
    async with running_bot(tmp_path, clock, database_url) as bot:
        assert bot.sandbox.entries() == []
    assert not list(tmp_path.rglob("*.jsonl"))


def _get(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            body: bytes = response.read()
            return body
    except OSError:
        return None


def _post(url: str, payload: bytes) -> bytes:
    request = urllib.request.Request(
        url, data=payload, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body: bytes = response.read()
        return body


def test_duban_run_keeps_the_sandbox_beside_its_database(tmp_path: Path) -> None:
    port = free_port()
    config = write_config(tmp_path, port=port)  # sqlite:///<tmp_path>/duban.db
    base = f"http://127.0.0.1:{port}"

    def run(work):  # type: ignore[no-untyped-def]
        proc = start_bot(config)
        try:
            for _ in range(300):  # polling a starting server, not timing behaviour
                if _get(f"{base}/healthz") is not None or proc.poll() is not None:
                    break
                time.sleep(0.05)
            result = work()
            proc.send_signal(signal.SIGTERM)
            output, _ = proc.communicate(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == 0 and "Traceback" not in output, output
        return result

    reply = run(lambda: _post(f"{base}/sandbox/api/chat/lilei", '{"text": "帮助"}'.encode()))
    assert "我是督办助手" in reply.decode()
    assert (tmp_path / "sandbox.jsonl").exists()
    page = run(lambda: _get(f"{base}/sandbox/chat/lilei"))
    assert page is not None and "我是督办助手" in page.decode()
