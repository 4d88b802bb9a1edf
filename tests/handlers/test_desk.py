"""The desk: batches of messages in one transaction, the world kept in memory between them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select, update

import bot.inbound
import handlers.router
from bot.inbound import Desk
from handlers.inbound import Inbound
from handlers.lookup import World
from handlers.router import Router
from storage.db import transaction
from storage.models import InboxMessage, Person, Task
from tests.handlers.conftest import SHANGHAI, Office


def message(office: Office, userid: str, text: str, msg_id: str) -> Inbound:
    return Inbound(sender=userid, sent_at=office.clock(), text=text, msg_id=msg_id)


def line_of(task_id: str, reply: str) -> str:
    lines = [line.lstrip("🔴🟡🟢✅") for line in reply.splitlines()]
    (line,) = [line for line in lines if line.startswith(f"{task_id}「")]
    return line


def texts(replies: list[Any]) -> list[str]:
    return [str(reply["content"]) for reply in replies]


@pytest.fixture
def world_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the world's full reads."""
    reads: list[int] = []
    real: Callable[..., World] = handlers.router.load_world

    def counted(*args: Any) -> World:
        reads.append(1)
        return real(*args)

    monkeypatch.setattr(handlers.router, "load_world", counted)
    return reads


def test_the_world_is_read_once_while_nothing_changes(office: Office, world_reads: list[int]):
    for _ in range(3):
        assert office.send("lilei", "帮助").startswith("李磊您好")
        assert office.send("sunhao", "我的任务").startswith("您的任务：")
    assert len(world_reads) == 1


def test_a_change_by_another_writer_is_seen_by_the_next_message(
    office: Office, world_reads: list[int]
):
    assert office.send("lilei", "帮助").startswith("李磊您好")
    # Another instance, `duban sync` or a hand edit: anything that writes the tables.
    with transaction(office.sessions) as session:
        session.execute(update(Person).where(Person.userid == "lilei").values(name="李雷"))
        session.execute(update(Task).where(Task.id == "T3").values(title="人选审核"))
    assert office.send("lilei", "帮助").startswith("李雷您好")
    assert "T3「人选审核」" in office.send("lilei", "我的任务")
    assert len(world_reads) == 2


def test_the_bots_own_writes_are_seen_by_the_next_message(office: Office):
    assert office.send("lilei", "T3 已完成").startswith("已记录 T3")
    assert line_of("T3", office.send("lilei", "我的任务")).endswith("已完成")
    assert office.send("lilei", "撤销").startswith("已撤销")
    assert not line_of("T3", office.send("lilei", "我的任务")).endswith("已完成")


def test_messages_in_one_batch_see_what_the_earlier_ones_did(office: Office):
    batch = [
        message(office, "lilei", "80% 预计4月底完成", "b1"),  # asks: which task?
        message(office, "lilei", "2", "b2"),  # answers it, in the same transaction
        message(office, "lilei", "T4 已完成", "b3"),
        message(office, "lilei", "我的任务", "b4"),
    ]
    replies = texts(office.desk.process(batch))
    assert replies[0].startswith("请问是哪项任务？")
    assert replies[1].startswith("已记录 T4「河南研究院年度咨询研究项目遴选立项」进度 80%")
    assert replies[2].startswith("已记录 T4")
    assert line_of("T4", replies[3]).endswith("已完成")
    assert [(r.task_id, r.action) for r in office.records()] == [
        ("T4", "progress"),
        ("T4", "done"),
    ]


def test_a_repeat_in_the_same_batch_is_handled_once(office: Office):
    first = message(office, "lilei", "T3 60%", "same")
    replies = office.desk.process([first, message(office, "sunhao", "帮助", "other"), first])
    assert replies[0] == replies[2] and replies[0] is not None
    assert [r.percent for r in office.records()] == [60]
    # …and a later delivery of it, from the inbox.
    assert office.desk.process([first]) == [replies[0]]
    assert [r.percent for r in office.records()] == [60]


def test_one_failing_message_does_not_cost_its_batch(office: Office, monkeypatch):
    real = Router.handle

    def fragile(self: Router, inbound: Inbound) -> Any:
        if inbound.text == "崩溃":
            raise RuntimeError("a handler bug")
        return real(self, inbound)

    monkeypatch.setattr(Router, "handle", fragile)
    outcomes = office.desk.process_each(
        [
            message(office, "lilei", "T3 60%", "ok-1"),
            message(office, "lilei", "崩溃", "bad"),
            message(office, "sunhao", "帮助", "ok-2"),
        ]
    )
    assert isinstance(outcomes[1], RuntimeError)
    assert str(outcomes[0]["content"]).startswith("已记录 T3")  # type: ignore[index]
    assert str(outcomes[2]["content"]).startswith("孙浩您好")  # type: ignore[index]
    assert [r.percent for r in office.records()] == [60]
    with office.sessions() as session:
        keys = set(session.scalars(select(InboxMessage.key)))
    assert keys == {"msg:ok-1", "msg:ok-2"}  # the failed one is not recorded: WeCom retries it
    # The desk goes on from a fresh world.
    assert office.send("lilei", "我的任务").startswith("您的任务：")


def test_a_fresh_desk_and_a_long_lived_one_agree(office: Office):
    office.send("lilei", "T3 60%")
    other = Desk(office.sessions, office.clock, office.desk.timezone)
    with transaction(office.sessions) as session:
        session.execute(update(Task).where(Task.id == "T3").values(deadline=date(2027, 5, 31)))
    mine = office.send("lilei", "T3")
    (theirs,) = other.process([message(office, "lilei", "T3", "fresh")])
    assert theirs is not None and mine == theirs["content"]
    assert "5月31日" in mine
    with office.sessions() as session:
        assert session.scalar(select(func.count()).select_from(InboxMessage)) == 3


def test_two_instances_sharing_the_database_see_each_others_writes(office: Office):
    other = Desk(office.sessions, office.clock, office.desk.timezone)

    def via_other(userid: str, text: str) -> str:
        (reply,) = other.process([message(office, userid, text, f"other-{text}")])
        assert reply is not None
        return str(reply["content"])

    assert office.send("lilei", "T3 60%").startswith("已记录 T3")
    assert via_other("lilei", "80% 预计4月底完成").startswith("请问是哪项任务？")
    # The question asked on one instance is answered on the other.
    assert office.send("lilei", "1").startswith("已记录 T3「十大代表和委员人选审核」进度 80%")
    assert "进度 80%" in line_of("T3", via_other("lilei", "我的任务"))
    assert via_other("lilei", "T3 已完成").startswith("已记录 T3")
    assert line_of("T3", office.send("lilei", "我的任务")).endswith("已完成")


def test_a_record_made_elsewhere_after_the_world_was_checked_is_not_lost(
    office: Office, monkeypatch: pytest.MonkeyPatch
):
    """Two instances record on one task at once: the second computes the task's state from
    the row as committed, not from the world it held (issue: lost update)."""
    here = office.desk
    elsewhere = Desk(office.sessions, office.clock, SHANGHAI)
    office.send("lilei", "帮助")  # this desk now holds the world
    assert here.held is not None
    held_revision = here.held[0]
    (reply,) = elsewhere.process([message(office, "lilei", "T3 80%", "b1")])
    assert reply is not None and "80%" in reply["content"]
    # The other instance committed just after this desk checked the revision: it still
    # trusts the world it holds, in which T3 has no percent.
    real = bot.inbound.world_revision
    first = iter([held_revision])
    monkeypatch.setattr(bot.inbound, "world_revision", lambda s: next(first, None) or real(s))
    (reply,) = here.process([message(office, "lilei", "T3 预计4月底完成", "a1")])
    assert reply is not None
    task = office.task("T3")
    assert (task.percent, task.status) == (80, "open")
    assert task.last_record_id == max(r.id for r in office.records("T3"))
