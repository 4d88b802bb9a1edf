"""The reminder tick through the real bot and its sandbox WeCom."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from storage.models import ProgressRecord
from tests.transport.conftest import Bot, bot

__all__ = ["bot"]

# 09:10 on Monday 1 March 2027 in Beijing (the example config's clock starts at 09:30).
SEND_TIME = datetime(2027, 3, 1, 1, 10, tzinfo=UTC)


def app_messages(bot: Bot, userid: str) -> list[dict]:
    return [
        {"msgtype": e.msgtype, **e.body}
        for e in bot.sandbox.conversation(userid)
        if e.channel == "app"
    ]


async def deliver_all(bot: Bot) -> None:
    while await bot.delivery.run_once():
        pass


async def test_a_tick_queues_one_digest_per_person_and_a_second_tick_nothing(bot: Bot):
    first = await bot.timetable.remind(SEND_TIME)
    assert (first.planned, first.queued) == (3, 3)
    again = await bot.timetable.remind(SEND_TIME)
    assert (again.planned, again.queued) == (3, 0)
    await deliver_all(bot)
    (card,) = app_messages(bot, "chenjing")
    assert card["msgtype"] == "template_card"
    assert card["main_title"]["title"].startswith("T2 编印年度重点工作任务分解")
    assert [b["key"] for b in card["button_list"]] == ["done:T2", "extend:T2", "detail:T2"]
    (digest,) = app_messages(bot, "wangxinhui")
    text = digest["content"]
    assert digest["msgtype"] == "markdown" and "**请督促**（2 项）" in text
    assert (
        text.index("**办公室**") < text.index("T2") < text.index("**机关党委**") < text.index("T5")
    )
    assert app_messages(bot, "denghongjun") == [] and bot.sandbox.over_limit == []


def card_entry(bot: Bot, userid: str):  # type: ignore[no-untyped-def]
    (entry,) = [e for e in bot.sandbox.conversation(userid) if e.msgtype == "template_card"]
    return entry


async def test_a_click_on_a_reminder_card_records_once_and_updates_the_card(bot: Bot):
    await bot.timetable.remind(SEND_TIME)
    await deliver_all(bot)
    sent = card_entry(bot, "chenjing")
    click = {
        "response_code": sent.response_code,
        "event_key": "done:T2",
        "task_id": sent.body["task_id"],
    }
    first = await bot.driver.click("chenjing", **click)
    assert (first.reply_text or "").startswith(
        "已记录 T2「编印年度重点工作任务分解和落实措施」已完成"
    )
    (record,) = records(bot)
    assert (record.task_id, record.action, record.author) == ("T2", "done", "chenjing")
    await deliver_all(bot)  # the card update goes out through the outbox
    updated = card_entry(bot, "chenjing")
    assert updated.body["replace_text"] == "已完成" and "陈静" in updated.body["main_title"]["desc"]
    # The page shows one grey button now; a second click (or a stale page) records nothing.
    bot.clock.advance(5)
    second = await bot.driver.click("chenjing", **click)
    assert (second.reply_text or "").startswith("这张提醒卡片已处理过")
    assert len(records(bot)) == 1
    # Undo works as for a typed reply.
    assert (await bot.driver.send_text("chenjing", "撤销")).reply_text.startswith("已撤销")  # type: ignore[union-attr]
    assert [r.undone_at is not None for r in records(bot)] == [True]


async def test_card_details_and_extension_buttons_answer_without_recording(bot: Bot):
    await bot.timetable.remind(SEND_TIME)
    await deliver_all(bot)
    sent = card_entry(bot, "zhoufang")
    base = {"response_code": sent.response_code, "task_id": sent.body["task_id"]}
    # Two buttons in the same second are two clicks, each answered.
    detail = await bot.driver.click("zhoufang", event_key="detail:T5", **base)
    assert "T5「省级文明单位复查材料整理汇编」" in (detail.reply_text or "")
    assert "已提醒 1 次" in (detail.reply_text or "")
    extend = await bot.driver.click("zhoufang", event_key="extend:T5", **base)
    assert "T5 延期至2月20日 原因" in (extend.reply_text or "")
    assert records(bot) == []


def records(bot: Bot) -> list[ProgressRecord]:
    with bot.runtime.sessions() as session:
        return list(session.scalars(select(ProgressRecord).order_by(ProgressRecord.id)))
