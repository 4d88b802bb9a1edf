"""The outbox table on both databases: idempotent enqueue, claims that never overlap."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from storage import outbox
from storage.db import transaction


def fill(sessions, clock, count: int) -> None:
    with transaction(sessions) as session:
        for i in range(count):
            outbox.enqueue(
                session,
                kind="message",
                recipient=f"user:u{i}",
                payload={"text": str(i)},
                dedupe_key=f"k{i}",
                now=clock(),
            )


def test_concurrent_claims_take_different_rows(sessions, clock):
    fill(sessions, clock, 6)
    first: Session = sessions()
    second: Session = sessions()
    try:
        # The first claim is still uncommitted (its rows locked) while the second claims.
        mine = outbox.claim_due(
            first, now=clock(), lease=timedelta(minutes=2), limit=4, holder="a/1"
        )
        if first.get_bind().dialect.name == "sqlite":
            first.commit()  # SQLite has one writer: the second instance waits its turn
        theirs = outbox.claim_due(
            second, now=clock(), lease=timedelta(minutes=2), limit=4, holder="a/1"
        )
        first.commit()
        second.commit()
    finally:
        first.close()
        second.close()
    assert len(mine) == 4 and len(theirs) == 2
    assert not {n.id for n in mine} & {n.id for n in theirs}


def test_a_lapsed_claim_is_taken_again(sessions, clock):
    fill(sessions, clock, 1)
    with transaction(sessions) as session:
        assert (
            len(
                outbox.claim_due(
                    session, now=clock(), lease=timedelta(minutes=2), limit=5, holder="a/1"
                )
            )
            == 1
        )
    with transaction(sessions) as session:
        assert (
            outbox.claim_due(
                session, now=clock(), lease=timedelta(minutes=2), limit=5, holder="a/1"
            )
            == []
        )
    clock.advance(minutes=3)  # the claiming instance died without finishing
    with transaction(sessions) as session:
        assert (
            len(
                outbox.claim_due(
                    session, now=clock(), lease=timedelta(minutes=2), limit=5, holder="a/1"
                )
            )
            == 1
        )


def test_failed_notices_can_be_retried(sessions, clock):
    fill(sessions, clock, 2)
    with transaction(sessions) as session:
        a, b = outbox.claim_due(
            session, now=clock(), lease=timedelta(minutes=2), limit=5, holder="h"
        )
        outbox.mark_failed(session, a.id, holder="h", attempts=8, error="Throttled: 45009")
        outbox.mark_failed(session, b.id, holder="h", attempts=1, error="InvalidRecipients: 81013")
    with transaction(sessions) as session:
        assert outbox.retry_failed(session, now=clock(), ids=[a.id]) == 1
        assert outbox.retry_failed(session, now=clock()) == 1
        assert {n.state for n in outbox.listing(session)} == {"pending"}
