"""End to end through the sandbox: reminders, replies, and Friday's summary in the group."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import make_url

from scheduler.summary import MONTH, WEEK
from storage.models import OutboxNotice
from tests.conftest import EXAMPLE, FakeClock
from tests.transport.conftest import Bot, bot, running_bot

EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")

__all__ = ["bot"]

MONDAY_0910 = datetime(2027, 3, 1, 1, 10, tzinfo=UTC)
FRIDAY_1620 = datetime(2027, 3, 5, 8, 20, tzinfo=UTC)


async def deliver_all(bot: Bot) -> None:
    while await bot.delivery.run_once():
        pass


def group_messages(bot: Bot) -> list[str]:
    entries = bot.sandbox.entries(channel="robot", peer="leaders")
    return [str(e.body.get("content", e.msgtype)) for e in entries]


async def test_fridays_summary_reaches_the_group_with_the_weeks_replies(bot: Bot):
    await bot.timetable.remind(MONDAY_0910)
    await deliver_all(bot)
    for userid, text in (
        ("lilei", "T3 60% 已完成代表资格初审"),
        ("zhoufang", "T5 已完成"),
        ("huangli", "T13 受阻 问题：展项供货延迟 下一步：协调厂家"),
    ):
        result = await bot.driver.send_text(userid, text)
        assert result.reply_text and not result.reply_text.startswith("抱歉"), result
    bot.clock.current = FRIDAY_1620
    sent = await bot.timetable.summarize("leaders", WEEK, bot.clock())
    assert sent is not None and sent.queued
    again = await bot.timetable.summarize("leaders", WEEK, bot.clock())
    assert again is not None and not again.queued  # once per group and week
    await deliver_all(bot)
    (summary,) = group_messages(bot)
    assert summary.startswith("## 党组成员群 · 第9周督办汇总\n")
    assert "> ✅ **T5** 省级文明单位复查材料整理汇编" in summary  # done this week
    assert "**T3** 十大代表和委员人选审核：— → 60%" in summary
    assert "（3月1日）：展项供货延迟" in summary
    # The office reported nothing this week: it is listed as not reported.
    assert "> 办公室：T1、T2" in summary
    assert "**T2** 编印年度重点工作任务分解和落实措施（办公室）：逾期" in summary
    with bot.runtime.sessions() as session:
        (notice,) = [n for n in session.query(OutboxNotice) if n.kind == "summary"]
        assert notice.dedupe_key == "summary:leaders:week:2027-03-01"
    assert bot.sandbox.over_limit == []


MONTHLY = EXAMPLE_TEXT
assert 'monthly = "25日 16:20"' in MONTHLY  # the example's group has the monthly report


async def test_the_monthly_report_arrives_with_the_ledger_attached(
    tmp_path: Path, database_url: str
):
    clock = FakeClock(datetime(2027, 3, 25, 8, 20, tzinfo=UTC))  # Thursday 25th, 16:20
    async with running_bot(tmp_path, clock, database_url, MONTHLY) as bot:
        await bot.driver.send_text("zhoufang", "T5 已完成")
        sent = await bot.timetable.summarize("leaders", MONTH, clock())
        assert sent is not None and sent.queued
        await deliver_all(bot)
        summary, ledger = bot.sandbox.entries(channel="robot", peer="leaders")
        assert summary.body["content"].startswith("## 党组成员群 · 3月督办汇总（月调度）\n")
        assert "> ✅ **T5** 省级文明单位复查材料整理汇编" in summary.body["content"]
        assert ledger.msgtype == "file" and ledger.body["filename"].endswith(".xlsx")
        # A leader downloads it from the group page.
        async with aiohttp.ClientSession() as http:
            url = f"{bot.url}/sandbox/media/{ledger.body['media_id']}"
            async with http.get(url) as response:
                assert response.status == 200
                book = load_workbook(io.BytesIO(await response.read()))
        assert "部门排名" in book.sheetnames
        ids = [row[0] for row in book.worksheets[0].iter_rows(values_only=True)]
        assert "T5" in ids and "T2" in ids
        again = await bot.timetable.summarize("leaders", MONTH, clock())
        assert again is not None and not again.queued


async def test_a_missed_summary_is_caught_up_once_after_a_restart(
    tmp_path: Path, database_url: str
):
    # Friday 25 June 2027 is both the weekly (周五 16:20) and the monthly (25日 16:20) send.
    clock = FakeClock(datetime(2027, 6, 25, 8, 0, tzinfo=UTC))  # 16:00, before the send
    seen: list[str] = []
    async with running_bot(tmp_path, clock, database_url, clockwork=True) as bot:
        await deliver_all(bot)
        seen += group_messages(bot)
        assert seen == []
    clock.current = datetime(2027, 6, 25, 10, 0, tzinfo=UTC)  # 18:00: the bot was down
    for _ in range(2):
        async with running_bot(tmp_path, clock, database_url, clockwork=True) as bot:
            await deliver_all(bot)
            seen += group_messages(bot)
            with bot.runtime.sessions() as session:
                keys = sorted(n.dedupe_key for n in session.query(OutboxNotice) if n.kind != "app")
            assert [k for k in keys if k.startswith("summary:")] == [
                "summary:leaders:month:2027-06-01",
                "summary:leaders:month:2027-06-01:ledger",
                "summary:leaders:week:2027-06-21",
            ]
    weekly = [m for m in seen if m.startswith("## 党组成员群 · 第25周督办汇总\n")]
    monthly = [m for m in seen if m.startswith("## 党组成员群 · 6月督办汇总（月调度）\n")]
    assert len(weekly) == 1 and len(monthly) == 1 and seen.count("file") == 1


async def test_the_ledger_is_built_without_holding_the_write_lock(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
):
    """A month's ledger takes seconds for a large office; meanwhile replies must still be
    recorded (SQLite has one writer: a lock held while building would stall them)."""
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL locks rows, not the database")
    import sqlite3

    import bot.reports

    built = bot.reports.ledger_workbook
    writes: list[str] = []

    def build_while_someone_writes(session, **kwargs):  # type: ignore[no-untyped-def]
        other = sqlite3.connect(make_url(database_url).database, timeout=0.2)
        try:
            other.execute("update tasks set title = title where id = 'T1'")
            other.commit()
            writes.append("ok")
        finally:
            other.close()
        return built(session, **kwargs)

    monkeypatch.setattr(bot.reports, "ledger_workbook", build_while_someone_writes)
    clock = FakeClock(datetime(2027, 3, 25, 8, 20, tzinfo=UTC))
    async with running_bot(tmp_path, clock, database_url, MONTHLY) as running:
        sent = await running.timetable.summarize("leaders", MONTH, clock())
        assert sent is not None and sent.queued
        assert writes == ["ok"]
        with running.runtime.sessions() as session:
            kinds = sorted(n.kind for n in session.query(OutboxNotice))
        assert kinds == ["file", "summary"]
