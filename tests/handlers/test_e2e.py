"""End to end: WeCom's callback (the sandbox driver) → the real bot → replies and notices."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from storage.models import ExtensionRequest, ProgressRecord, Task
from tests.foundation.test_cli import duban
from tests.transport.conftest import Bot, bot

__all__ = ["bot"]  # the fixture, shared with the transport tests


def task(bot: Bot, task_id: str) -> Task:
    with bot.runtime.sessions() as session:
        row = session.get(Task, task_id)
        assert row is not None
        return row


def records(bot: Bot) -> list[ProgressRecord]:
    with bot.runtime.sessions() as session:
        return list(session.scalars(select(ProgressRecord).order_by(ProgressRecord.id)))


async def say(bot: Bot, userid: str, text: str) -> str:
    result = await bot.driver.send_text(userid, text)
    assert result.status == 200 and result.reply_text is not None, result
    return result.reply_text


def received(bot: Bot, userid: str) -> list[str]:
    """What the member got outside passive replies (app messages), as text."""
    return [
        str(e.body.get("content", ""))
        for e in bot.sandbox.conversation(userid)
        if e.channel == "app"
    ]


async def test_a_reply_records_progress_and_is_confirmed(bot: Bot):
    reply = await say(bot, "lilei", "T3 80% 预计4月底完成")
    assert (
        reply
        == '已记录 T3「十大代表和委员人选审核」进度 80%，预计 4月30日 完成。回复"撤销"可撤回。'
    )
    (record,) = records(bot)
    assert (record.task_id, record.percent, record.expected_date) == ("T3", 80, date(2027, 4, 30))
    assert record.source_msg_id is not None
    assert task(bot, "T3").percent == 80


async def test_a_retried_update_is_recorded_once(bot: Bot):
    first = await bot.driver.send_text("lilei", "T3 50%", msgid=9001)
    again = await bot.driver.send_text("lilei", "T3 50%", msgid=9001)
    assert first.reply_text == again.reply_text
    assert len(records(bot)) == 1


async def test_another_department_cannot_update_the_task(bot: Bot):
    reply = await say(bot, "zhoufang", "T3 100%")
    assert reply.startswith("未记录 T3「十大代表和委员人选审核」：该任务由组织人事部负责")
    assert records(bot) == [] and task(bot, "T3").status == "open"


async def test_clarify_then_an_answer_completes_the_update(bot: Bot):
    reply = await say(bot, "lilei", "进度过半，预计3月底完成")
    assert reply.startswith("请问是哪项任务？") and "2. T4「" in reply
    assert records(bot) == []
    reply = await say(bot, "lilei", "2")
    assert reply.startswith("已记录 T4「河南研究院年度咨询研究项目遴选立项」进度 50%，预计 3月31日")
    assert [r.task_id for r in records(bot)] == ["T4"]


async def test_clarify_answered_with_the_id(bot: Bot):
    await say(bot, "lilei", "已完成")
    reply = await say(bot, "lilei", "T4")
    assert reply.startswith("已记录 T4「河南研究院年度咨询研究项目遴选立项」已完成")
    assert task(bot, "T4").status == "done"


async def test_undo_takes_back_the_update(bot: Bot):
    await say(bot, "zhoufang", "T6 30%")
    bot.clock.advance(minutes=3)
    await say(bot, "zhoufang", "T6 已完成")
    reply = await say(bot, "zhoufang", "撤销")
    assert reply.splitlines() == [
        "已撤销：",
        "· T6「举办全体党务干部集中培训」的完成；现为进度 30%",
    ]
    assert (task(bot, "T6").status, task(bot, "T6").percent) == ("open", 30)
    assert [r.undone_at is not None for r in records(bot)] == [False, True]


async def test_an_extension_reaches_the_leader_and_approval_moves_the_deadline(bot: Bot):
    reply = await say(bot, "lilei", "T4 延期至4月30日 原因：专家评审时间调整")
    assert "已报王新会审批" in reply
    await bot.delivery.run_once()
    (notice,) = received(bot, "wangxinhui")
    assert "延期申请" in notice and "T4" in notice and "同意 T4" in notice
    assert "专家评审时间调整" in notice

    reply = await say(bot, "wangxinhui", "同意 T4")
    assert reply.startswith("已同意 T4「河南研究院年度咨询研究项目遴选立项」延期")
    assert task(bot, "T4").deadline == date(2027, 4, 30)
    await bot.delivery.run_once()
    (decision,) = received(bot, "lilei")
    assert "延期申请已同意" in decision and "**4月30日**" in decision
    with bot.runtime.sessions() as session:
        (request,) = session.scalars(select(ExtensionRequest)).all()
        assert (request.state, request.decided_by) == ("approved", "wangxinhui")
    assert "剩 44 个工作日" in await say(bot, "lilei", "T4")


async def test_a_rejection_reaches_the_requester_with_the_reason(bot: Bot):
    await say(bot, "huangli", "T13 延期一个月 原因：展项供货延迟")
    await bot.delivery.run_once()
    assert any("T13" in n for n in received(bot, "denghongjun"))
    reply = await say(bot, "denghongjun", "不同意 T13 原因：请按节点完成")
    assert reply.startswith("已退回 T13")
    await bot.delivery.run_once()
    (decision,) = received(bot, "huangli")
    assert "延期申请未同意" in decision and "请按节点完成" in decision
    assert task(bot, "T13").deadline == date(2027, 3, 31)


async def test_leader_queries_through_the_callback(bot: Bot):
    # 王新会 leads 办公室, 组织人事部 and 机关党委.
    summary = await say(bot, "wangxinhui", "汇总")
    assert summary.startswith("办公室、组织人事部、机关党委 · 本周汇总（截至 3月1日）：共 6 项")
    assert (await say(bot, "wangxinhui", "逾期")).startswith(
        "办公室、组织人事部、机关党委 · 逾期任务 2 项："
    )
    assert (await say(bot, "lilei", "逾期")).startswith("抱歉，您没有权限")
    assert (await say(bot, "lilei", "你好")).startswith("李磊您好！")


async def test_duban_unknowns_lists_what_a_sandbox_conversation_did_not_understand(bot: Bot):
    await say(bot, "lilei", "T3 80%")  # understood: not listed
    await say(bot, "lilei", "T4 往后挪挪看")  # a deadline moves, to no date: asked
    await say(bot, "zhoufang", "明天下午开会")
    assert (await say(bot, "lilei", "已完成")).startswith("请问是哪项任务？")
    bot.clock.advance(minutes=11)
    await say(bot, "lilei", "你好")  # the question expired unanswered
    config = bot.runtime.config.source

    result = duban("unknowns", "--config", config, "--json")
    assert result.returncode == 0, result.stderr
    listed = {
        (g["pattern"], e["name"], e["text"], e["outcome"], e["reason"])
        for g in json.loads(result.stdout)
        for e in g["entries"]
    }
    assert listed == {
        ("T# 往后挪挪看", "李磊", "T4 往后挪挪看", "clarify", "missing_date"),
        ("明天下午开会", "周芳", "明天下午开会", "unknown", None),
        ("已完成", "李磊", "已完成", "unanswered", "missing_task"),
        ("你好", "李磊", "你好", "unknown", None),
    }
    entries = [e for g in json.loads(result.stdout) for e in g["entries"]]
    assert all(e["reply"] for e in entries)  # what the bot answered, as sent

    table = duban("unknowns", "--config", config)
    assert table.returncode == 0, table.stderr
    assert "未识别的回复 4 条，4 种说法" in table.stdout and "追问未答复" in table.stdout
    assert duban("unknowns", "--config", config, "--since", "soon").returncode == 2
