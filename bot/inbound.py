"""The shell around the handlers: de-duplicate, handle in one transaction, render.

Messages are handled in batches: whatever arrives while one batch is in the database
forms the next, in one transaction — the group commit of databases. An idle bot handles
each message alone, at once; a busy one spends one commit on dozens of messages.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot import summaries
from bot.render import render_reply
from bot.runtime import Clock, Offload, Runtime
from bot.wecom import limits
from bot.wecom.callback import Process
from domain.rules import DEFAULT_LIGHTS, LightRules, WorkDays
from handlers import unknowns
from handlers.inbound import Context, Inbound, Reading, Reply
from handlers.lookup import World
from handlers.router import Router
from scheduler.calendar import WorkCalendar
from storage import outbox
from storage.db import transaction
from storage.inbox import handle_once
from storage.queries import world_revision

log = logging.getLogger(__name__)

Rendered = dict[str, Any] | None
Outcome = Rendered | Exception
# Enough to spread a burst's cost; few enough that the last of a batch answers quickly.
MAX_BATCH = 64
# The working days and the lights in force (they follow `duban sync` on a running bot).
Rules = Callable[[], tuple[WorkDays, LightRules]]


class Desk:
    """Handles batches of messages in one long-lived session, keeping the world it read.

    The world (directory, tasks, waiting questions) stays in memory between batches for
    as long as the database's world revision is unchanged: one read of a counter instead
    of four queries. Any change, by this bot, another instance or `duban sync`, bumps the
    revision (database triggers, see WorldRevision), and the next batch reads afresh.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        now: Clock,
        timezone: tzinfo,
        rules: Rules | None = None,
        reading: Reading | None = None,
    ):
        self.session = sessions()
        self.now = now
        self.timezone = timezone
        default = (WorkCalendar(), DEFAULT_LIGHTS)
        # Asked per batch: working days and lights follow a schedule changed while running.
        self.rules: Rules = rules or (lambda: default)
        self.reading = reading or Reading()
        self.held: tuple[int, World] | None = None  # the world, as of a revision

    def process(self, messages: Sequence[Inbound]) -> list[Rendered]:
        """Handle each message once, all in one transaction; a retried delivery gets the
        reply the first one got."""
        now = self.now()
        context = Context(now, self.timezone, *self.rules(), self.reading)
        # Let go of the world until this batch shows it still true: a failure keeps nothing.
        session, held, self.held = self.session, self.held, None
        with session.begin():
            revision = world_revision(session)
            if held is not None and held[0] != revision:
                held = None
            if held is None:
                session.expunge_all()  # objects of an older world must not linger
            router = Router(session, context, held[1] if held else None)

            def work(i: int) -> Rendered:
                return self._render(session, router.handle(messages[i]), messages[i], context)

            arrivals = [(m.dedupe_key, m.sender) for m in messages]
            replies = handle_once(session, arrivals, now=now, work=work)
            # Kept only if nothing changed it since it was read, here or elsewhere.
            unchanged = world_revision(session) == revision
        if router.world is not None and unchanged:
            self.held = (revision, router.world)
        return replies

    def process_each(self, messages: Sequence[Inbound]) -> list[Outcome]:
        """`process` for a batch, or, when the batch fails, for each message alone: one
        message that cannot be handled must not cost the others their answers."""
        try:
            return list(self.process(messages))
        except Exception as exc:
            if len(messages) == 1:
                return [exc]
            log.warning("a batch of %d failed (%r); handling each alone", len(messages), exc)
        outcomes: list[Outcome] = []
        for message in messages:
            try:
                outcomes.extend(self.process([message]))
            except Exception as exc:
                outcomes.append(exc)
        return outcomes

    def _render(
        self, session: Session, reply: Reply | None, message: Inbound, context: Context
    ) -> Rendered:
        if reply is None:
            return None
        now = context.now
        if reply.template == "summary":  # the handler said what to show; the data is ours
            calendar, lights = self.rules()
            reply = summaries.chat_reply(
                session, reply.data, now, timezone=self.timezone, calendar=calendar, lights=lights
            )
        rendered = render_reply(reply)
        if reply.review is not None:  # not understood: on the review list, with the answer
            unknowns.keep(
                session,
                userid=message.sender,
                review=reply.review,
                reply=rendered["content"],
                context=context,
            )
        if limits.utf8_len(rendered["content"]) <= limits.APP_TEXT_MAX_BYTES:
            return rendered
        # Too long for one passive reply: it goes out as numbered messages instead.
        outbox.enqueue(
            session,
            kind="message",
            recipient=f"user:{message.sender}",
            payload={"text": rendered["content"]},
            dedupe_key=f"reply:{message.dedupe_key}",
            now=now,
        )
        return None


class Batches:
    """Queues messages for the desk, one batch at a time, and hands out the replies."""

    def __init__(self, desk: Desk, offload: Offload, wake: asyncio.Event | None = None):
        self.desk = desk
        self.offload = offload
        self.wake = wake
        self.waiting: list[tuple[Inbound, asyncio.Future[Rendered]]] = []
        self.draining: asyncio.Task[None] | None = None

    async def submit(self, message: Inbound) -> Rendered:
        future = asyncio.get_running_loop().create_future()
        self.waiting.append((message, future))
        if self.draining is None:
            self._drain_soon()
        return await future

    def _drain_soon(self) -> None:
        # Started, not run: whatever the loop decodes before it starts joins the batch.
        self.draining = asyncio.create_task(self._drain())

    async def _drain(self) -> None:
        batch, self.waiting = self.waiting[:MAX_BATCH], self.waiting[MAX_BATCH:]
        try:
            outcomes: list[Outcome] = await self.offload(
                self.desk.process_each, [m for m, _ in batch]
            )
        except BaseException:  # cancelled at shutdown: no request may wait forever
            for _message, future in batch + self.waiting:
                future.cancel()
            self.waiting = []
            raise
        finally:
            self.draining = None
            if self.waiting:
                self._drain_soon()
        for (_message, future), outcome in zip(batch, outcomes, strict=True):
            if future.done():
                continue  # its request was cancelled; the reply is in the inbox
            if isinstance(outcome, Exception):
                future.set_exception(outcome)
            else:
                future.set_result(outcome)
        if self.wake is not None:
            self.wake.set()  # handlers may have queued notices: let delivery look now


def processor(
    runtime: Runtime, wake: asyncio.Event | None = None, rules: Rules | None = None
) -> Process:
    """An async `process` for the callback, batching its database work."""
    config = runtime.config
    reading = Reading(config.vocabulary(), config.parser.retention_days)
    desk = Desk(runtime.sessions, runtime.now, runtime.timezone, rules, reading)
    return Batches(desk, runtime.offload, wake).submit


def tidy_review_list(sessions: sessionmaker[Session], review_days: int, now: datetime) -> int:
    """The review list's daily upkeep (the timetable runs it): expired questions settled,
    entries past the retention forgotten; how many went."""
    with transaction(sessions) as session:
        return unknowns.tidy(session, now=now, review_days=review_days)
