"""The review list, the withdrawal notice and the new chat commands, on a real database.

The clock starts Monday 2027-03-01 09:30 Beijing time.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.inbound import Desk
from bot.render import render
from handlers.inbound import Reading
from handlers.parser import Vocabulary
from handlers.unknowns import listing, pattern_of, tidy
from storage.models import PendingReply, UnknownReply
from tests.handlers.conftest import SHANGHAI, Office


def entries(office: Office) -> list[UnknownReply]:
    with office.sessions() as session:
        return list(session.scalars(select(UnknownReply).order_by(UnknownReply.id)))


def test_a_reply_not_understood_is_kept_with_sender_time_and_answer(office: Office):
    reply = office.send("lilei", "明天开会")
    (entry,) = entries(office)
    assert (entry.userid, entry.text, entry.outcome, entry.reason) == (
        "lilei",
        "明天开会",
        "unknown",
        None,
    )
    assert entry.at == office.clock() and entry.reply == reply
    assert office.records() == []


def test_understood_replies_are_not_kept(office: Office):
    for text in ("T3 80%", "我的任务", "T3 怎么样了？", "帮助"):
        office.send("lilei", text)
    assert entries(office) == []


def test_a_question_is_kept_and_marked_answered(office: Office):
    office.send("lilei", "80%")
    (entry,) = entries(office)
    assert (entry.outcome, entry.reason) == ("clarify", "missing_task")
    assert entry.reply.startswith("请问是哪项任务？")
    office.later(minutes=2)
    assert office.send("lilei", "2").startswith("已记录 T4")
    assert [e.outcome for e in entries(office)] == ["answered"]


def test_a_question_never_answered_ends_unanswered(office: Office):
    office.send("lilei", "已完成")
    office.send("zhoufang", "已完成")
    office.later(minutes=3)
    office.send("zhoufang", "你好")  # a new topic: the question is dropped
    office.later(minutes=8)  # lilei never answers: the question expires
    with office.sessions.begin() as session:
        groups = listing(
            session, now=office.clock(), since=office.clock() - timedelta(days=7), review_days=90
        )
    outcomes = {(e.userid, e.text): e.outcome for g in groups for e in g.entries}
    assert outcomes == {
        ("lilei", "已完成"): "unanswered",
        ("zhoufang", "已完成"): "unanswered",
        ("zhoufang", "你好"): "unknown",
    }


def test_entries_older_than_the_retention_go(office: Office):
    office.send("lilei", "明天开会")
    office.later(days=3)
    office.send("lilei", "下午开会")
    assert len(entries(office)) == 2  # the message path only adds
    with office.sessions.begin() as session:
        assert tidy(session, now=office.clock(), review_days=2) == 1
    assert [e.text for e in entries(office)] == ["下午开会"]


def test_an_expired_question_is_settled_once_and_only_itself(office: Office):
    office.send("lilei", "T4 往后挪挪看")  # asks for the date (nothing to remember)
    office.later(minutes=1)
    office.send("lilei", "已完成")  # asks which task: remembered for a while
    office.later(minutes=11)  # expired, never answered
    for _ in range(3):  # tidied again and again, by other people's replies too
        office.send("zhoufang", "明天开会")
        with office.sessions.begin() as session:
            tidy(session, now=office.clock(), review_days=90)
    outcomes = {(e.userid, e.text): e.outcome for e in entries(office)}
    assert outcomes[("lilei", "T4 往后挪挪看")] == "clarify"
    assert outcomes[("lilei", "已完成")] == "unanswered"
    with office.sessions() as session:
        assert session.scalars(select(PendingReply)).all() == []


def test_the_review_list_groups_what_was_said_alike(office: Office):
    office.send("lilei", "T3 往后挪挪看")
    office.send("lilei", "T4 往后挪挪看")
    office.send("zhoufang", "明天开会")
    assert pattern_of("T12  往后挪挪看") == "T# 往后挪挪看"
    with office.sessions.begin() as session:
        groups = listing(
            session, now=office.clock(), since=office.clock() - timedelta(days=1), review_days=90
        )
    assert [(g.pattern, len(g.entries)) for g in groups] == [
        ("T# 往后挪挪看", 2),
        ("明天开会", 1),
    ]


def test_admins_ask_for_the_review_list_in_chat(office: Office):
    office.send("lilei", "T3 往后挪挪看")
    office.later(minutes=1)
    office.send("chenjing", "T1 往后挪挪看")
    reply = office.send("liuyang", "未识别")
    assert reply.splitlines()[:2] == [
        "近 7 天未识别的回复 2 条（按出现次数）：",
        "1. 2 次：“T1 往后挪挪看”（陈静，3月1日）",
    ]
    assert (
        office.send("lilei", "查看未识别的消息")
        == "抱歉，您没有权限查看未识别的回复（仅管理员）。如有需要请联系办公室。"
    )


def test_a_leader_asking_about_a_task_gets_it(office: Office):
    for text in ("T3 怎么样了？", "查询T3办理情况", "T3 完成了吗"):
        assert office.send("wangxinhui", text).startswith("🟢T3「十大代表和委员人选审核」"), text
    assert office.records() == []


def test_natural_phrasings_reach_the_summary_views(office: Office):
    said = {
        "还有谁没报进度": "本周（3月1日起）未报送进展的任务",
        "本周哪些部门未报送进展？": "本周（3月1日起）未报送进展的任务",
        "这周汇总发我一下": "本周汇总（截至 3月1日）",
        "月调度": "本月汇总（截至 3月1日）",
        "截至目前哪些任务未按期完成": "逾期任务 2 项",
    }
    for text, view in said.items():
        assert view in office.send("wangxinhui", text).splitlines()[0], text


def test_a_withdrawn_extension_is_told_to_the_leader_and_a_later_approval_says_so(
    office: Office,
):
    office.send("lilei", "T4 延期至4月30日 原因：专家评审延后")
    office.later(minutes=5)
    assert "已告知王新会" in office.send("lilei", "撤销")
    (notice,) = office.notices("extension_withdrawn")
    assert notice.recipient == "user:wangxinhui"
    text = render("notices/extension_withdrawn.md.j2", notice.payload)
    assert "T4「河南研究院年度咨询研究项目遴选立项」" in text and "无需审批" in text
    withdrawn = "T4「河南研究院年度咨询研究项目遴选立项」的延期申请已由李磊撤回，无需审批"
    assert office.send("wangxinhui", "同意 T4").startswith(withdrawn)
    assert office.send("wangxinhui", "同意").startswith(withdrawn)
    assert office.task("T4").deadline.isoformat() == "2027-03-31"


def test_office_words_reach_the_router(office: Office):
    words = Reading(Vocabulary(done=("已归档",)))
    office.desk = Desk(office.sessions, office.clock, SHANGHAI, reading=words)
    assert office.send("zhoufang", "T5 已归档").startswith(
        "已记录 T5「省级文明单位复查材料整理汇编」已完成"
    )
    assert office.task("T5").status == "done"
