"""The chat's world is reloaded after writes: it must not scan the reminder history,
which grows all year; one task's detail counts its own reminders."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event

from handlers.lookup import load_world
from storage.db import transaction
from storage.models import ReminderSent
from tests.handlers.conftest import SHANGHAI, Office


def test_loading_the_world_leaves_the_reminder_history_alone(office: Office) -> None:
    engine = office.sessions.kw["bind"]
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        with office.sessions() as session:
            load_world(session, SHANGHAI)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert statements and not [s for s in statements if "FROM reminders" in s]


def test_a_tasks_detail_still_counts_its_reminders(office: Office) -> None:
    with transaction(office.sessions) as session:
        for day, rule in ((date(2027, 2, 25), "before"), (date(2027, 2, 26), "overdue")):
            session.add(
                ReminderSent(
                    key=f"lilei|{rule}|T4|deadline|{day}",
                    day=day,
                    recipient="lilei",
                    rule=rule,
                    task_id="T4",
                    node="deadline",
                    notice_key="n",
                    created_at=office.clock(),
                )
            )
    assert "已提醒 2 次，最近 2月26日" in office.send("lilei", "T4")
