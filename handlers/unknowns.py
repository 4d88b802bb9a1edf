"""The review list: what the bot did not understand, kept so the admin can add words.

Every reply answered "unknown" or with a question is kept with its sender, time and what
the bot said; a question never answered is marked so. Settling expired questions and
forgetting entries older than [parser]'s retention is `tidy`: the bot runs it daily
(bot/timetable.py), and the review list runs it before it is read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from handlers.auth import Actor
from handlers.clarify import REMEMBER_FOR
from handlers.inbound import Context, Reply, Review
from handlers.lookup import World
from storage import unknowns
from storage.models import UnknownReply

CHAT_DAYS = 7  # what "未识别" in chat looks back on
CHAT_GROUPS = 10
_ID_RE = re.compile(r"(?<![A-Za-z0-9])[Tt]\s?[0-9]+(?:\.[0-9]+)*|[0-9]+(?:\.[0-9]+)*")
_SPACE_RE = re.compile(r"\s+")


def pattern_of(text: str) -> str:
    """What several replies share once ids and numbers are blanked: "T3 往后挪挪" and
    "T12 往后挪挪" are both "T# 往后挪挪"."""
    flat = _SPACE_RE.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    shape = _ID_RE.sub(lambda m: "T#" if m.group(0)[0] in "Tt" else "#", flat)
    return shape[:200]


def keep(session: Session, *, userid: str, review: Review, reply: str, context: Context) -> None:
    """Put a reply on the review list (the message path: one insert, nothing more)."""
    unknowns.add(
        session,
        UnknownReply(
            at=context.now,
            userid=userid,
            text=review.text,
            pattern=pattern_of(review.text),
            outcome=review.outcome,
            reason=review.reason,
            reply=reply,
        ),
    )


@dataclass(frozen=True)
class Group:
    pattern: str
    entries: tuple[UnknownReply, ...]  # newest first

    @property
    def latest(self) -> datetime:
        return self.entries[0].at


def grouped(entries: Sequence[UnknownReply]) -> list[Group]:
    """Entries by pattern, the most frequent first (then the most recent)."""
    by_pattern: dict[str, list[UnknownReply]] = {}
    for entry in sorted(entries, key=lambda e: (e.at, e.id), reverse=True):
        by_pattern.setdefault(entry.pattern, []).append(entry)
    groups = [Group(p, tuple(es)) for p, es in by_pattern.items()]
    groups.sort(key=lambda g: (-len(g.entries), -g.latest.timestamp(), g.pattern))
    return groups


def tidy(session: Session, *, now: datetime, review_days: int) -> int:
    """Settle the questions that expired unanswered and forget entries older than the
    retention; how many entries went."""
    unknowns.close_expired_questions(session, now, REMEMBER_FOR)
    return unknowns.prune(session, now - timedelta(days=review_days))


def listing(session: Session, *, now: datetime, since: datetime, review_days: int) -> list[Group]:
    """The review list from `since` on, tidied first."""
    tidy(session, now=now, review_days=review_days)
    return grouped(unknowns.since(session, since))


def review(session: Session, actor: Actor, world: World, context: Context) -> Reply:
    """ "未识别" in chat: the last week's review list, for admins."""
    if actor.role != "admin":
        return Reply("not_allowed", {"action": "unknowns"})
    groups = listing(
        session,
        now=context.now,
        since=context.now - timedelta(days=CHAT_DAYS),
        review_days=context.reading.review_days,
    )
    rows: list[dict[str, Any]] = [
        {
            "pattern": g.pattern,
            "count": len(g.entries),
            "text": g.entries[0].text,
            "who": world.person_name(g.entries[0].userid),
            "at": context.local_date(g.entries[0].at),
            "outcome": g.entries[0].outcome,
        }
        for g in groups[:CHAT_GROUPS]
    ]
    return Reply(
        "unknowns",
        {
            "days": CHAT_DAYS,
            "rows": rows,
            "total": sum(len(g.entries) for g in groups),
            "more": max(0, len(groups) - CHAT_GROUPS),
            "today": context.today,
        },
    )
