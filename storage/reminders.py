"""The reminder history: items planned for people, each once, and the cards sent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Table, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models import Card, ReminderSent

REMINDERS: Table = ReminderSent.__table__  # type: ignore[assignment]
CARDS: Table = Card.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class Item:
    key: str  # (person, rule, task, node, day)
    day: date
    recipient: str
    rule: str
    task_id: str
    node: str


def claim_items(
    session: Session, items: Sequence[Item], *, notice_key: str, now: datetime
) -> set[str]:
    """Record `items` under `notice_key`; the keys that were new. An item another tick or
    instance recorded first is not returned: that tick sends it. Keys are taken in sorted
    order, so instances claiming overlapping items cannot deadlock."""
    if not items:
        return set()
    rows = [
        {
            "key": item.key,
            "day": item.day,
            "recipient": item.recipient,
            "rule": item.rule,
            "task_id": item.task_id,
            "node": item.node,
            "notice_key": notice_key,
            "created_at": now,
        }
        for item in sorted(items, key=lambda i: i.key)
    ]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(REMINDERS).on_conflict_do_nothing(index_elements=["key"]).returning(REMINDERS.c.key)
    )
    return set(session.execute(statement, rows).scalars())


def claimed_keys(session: Session, day: date) -> set[str]:
    """The items already recorded for `day`."""
    return set(session.scalars(select(ReminderSent.key).where(ReminderSent.day == day)))


def add_card(session: Session, *, card_id: str, userid: str, task_id: str, now: datetime) -> None:
    session.add(Card(id=card_id, userid=userid, task_id=task_id, created_at=now, state="open"))


def take_card(
    session: Session, card_id: str, *, action: str, now: datetime
) -> tuple[bool, Card | None]:
    """Mark the card handled by `action`. (True, card) the first time; (False, card) when a
    button of it already acted (a second click); (False, None) for a card not on record."""
    taken = session.execute(
        update(Card)
        .where(Card.id == card_id, Card.state == "open")
        .values(state="handled", action=action, handled_at=now)
        .returning(Card.id)
    ).first()
    card = session.get(Card, card_id, populate_existing=True)
    return taken is not None, card


def reopen_card(session: Session, card_id: str) -> None:
    """A click that did nothing after all (e.g. refused) leaves the card's buttons live."""
    session.execute(
        update(Card).where(Card.id == card_id).values(state="open", action=None, handled_at=None)
    )
