"""Handlers against a real database (SQLite and PostgreSQL) holding the example config."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import load_config
from bot.inbound import Desk
from handlers.inbound import Inbound
from storage.db import transaction
from storage.models import OutboxNotice, ProgressRecord, Task
from storage.sync import sync_directory
from tests.conftest import EXAMPLE, FakeClock

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass
class Office:
    """Sends messages through the shell's desk, one batch each: the world it keeps in
    memory between messages must follow every change, the handlers' own and the tests'."""

    sessions: sessionmaker[Session]
    clock: FakeClock
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.desk = Desk(self.sessions, self.clock, SHANGHAI)

    def send(self, userid: str, text: str) -> str:
        message = Inbound(
            sender=userid, sent_at=self.clock(), text=text, msg_id=f"m{next(self.ids)}"
        )
        (reply,) = self.desk.process([message])
        assert reply is not None
        return str(reply["content"])

    def task(self, task_id: str) -> Task:
        with self.sessions() as session:
            task = session.get(Task, task_id)
            assert task is not None
            return task

    def records(self, task_id: str | None = None) -> list[ProgressRecord]:
        query = select(ProgressRecord).order_by(ProgressRecord.id)
        if task_id is not None:
            query = query.where(ProgressRecord.task_id == task_id)
        with self.sessions() as session:
            return list(session.scalars(query))

    def notices(self, kind: str | None = None) -> list[OutboxNotice]:
        query = select(OutboxNotice).order_by(OutboxNotice.id)
        if kind is not None:
            query = query.where(OutboxNotice.kind == kind)
        with self.sessions() as session:
            return list(session.scalars(query))

    def later(self, **delta: float) -> None:
        self.clock.advance(**delta)


@pytest.fixture
def office(sessions: sessionmaker[Session], clock: FakeClock) -> Office:
    with transaction(sessions) as session:
        sync_directory(session, load_config(EXAMPLE, env={}).directory(), now=clock())
    return Office(sessions, clock)


def at(clock: FakeClock, when: datetime) -> None:
    clock.current = when


__all__ = ["Office", "at", "timedelta"]
