"""Hole 6: only the task's department decides its extension — its leader and configured
deciders — and everyone else gets a polite refusal naming who decides. Audited either way."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import load_config, parse_config
from storage.db import transaction
from storage.models import AuditEntry
from storage.sync import sync_directory
from tests.conftest import EXAMPLE, FakeClock
from tests.handlers.conftest import Office


@pytest.fixture
def office(sessions: sessionmaker[Session], clock: FakeClock) -> Office:
    with transaction(sessions) as session:
        sync_directory(session, load_config(EXAMPLE, env={}).directory(), now=clock())
    return Office(sessions, clock)


def audit(office: Office, action: str) -> list[AuditEntry]:
    with office.sessions() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_another_departments_leader_or_an_admin_cannot_decide(office: Office):
    office.send("lilei", "T4 延期至4月30日 原因：专家评审延后")  # org: led by 王新会
    for outsider, words in (("denghongjun", "同意 T4"), ("liuyang", "不同意 T4 原因：不行")):
        reply = office.send(outsider, words)
        assert reply == "抱歉，您没有权限审批 T4 的延期申请，该申请由王新会审批。", outsider
    assert office.task("T4").deadline == date(2027, 3, 31)
    assert [(a.actor, a.target) for a in audit(office, "extension.refused")] == [
        ("denghongjun", "task:T4"),
        ("liuyang", "task:T4"),
    ]
    assert office.send("wangxinhui", "同意 T4").startswith("已同意 T4")
    assert office.task("T4").deadline == date(2027, 4, 30)
    assert [a.actor for a in audit(office, "extension.approved")] == ["wangxinhui"]


def test_configured_deciders_decide_and_are_asked(office: Office):
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        'id = "org"\nname = "组织人事部"\nleader = "wangxinhui"',
        'id = "org"\nname = "组织人事部"\nleader = "wangxinhui"\ndeciders = ["liuyang"]',
    )
    config = parse_config(text)
    assert config.directory() != load_config(EXAMPLE, env={}).directory()
    with transaction(office.sessions) as session:
        sync_directory(session, config.directory(), now=office.clock())
    reply = office.send("lilei", "T4 延期至4月30日 原因：专家评审延后")
    assert "已报王新会、刘洋审批" in reply
    asked = sorted(n.recipient for n in office.notices("extension_request"))
    assert asked == ["user:liuyang", "user:wangxinhui"]
    assert office.send("liuyang", "不同意 T4 原因：请按期完成").startswith("已退回 T4")
    assert office.send("denghongjun", "同意 T4").startswith("抱歉，您没有权限审批 T4")
