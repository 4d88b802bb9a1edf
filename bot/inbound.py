"""The shell around the handlers: de-duplicate, handle in one transaction, render."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.orm import Session

from bot.render import render_reply
from bot.runtime import Runtime
from bot.wecom import limits
from bot.wecom.callback import Process
from handlers.inbound import Context, Inbound
from handlers.router import handle
from storage import outbox
from storage.inbox import handle_once


def process(runtime: Runtime, message: Inbound) -> dict[str, Any] | None:
    """Handle a message once; a retried delivery gets the reply the first one got."""
    now = runtime.now()
    context = Context(now=now, timezone=runtime.timezone)

    def work(session: Session) -> dict[str, Any] | None:
        reply = handle(session, message, context)
        if reply is None:
            return None
        rendered = render_reply(reply)
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

    _first, reply = handle_once(
        runtime.sessions, key=message.dedupe_key, sender=message.sender, now=now, work=work
    )
    return reply


def processor(runtime: Runtime, wake: asyncio.Event | None = None) -> Process:
    """An async `process` for the callback, its database work through `runtime.offload`."""

    async def run(message: Inbound) -> dict[str, Any] | None:
        reply = await runtime.offload(process, runtime, message)
        if wake is not None:
            wake.set()  # the handler may have queued notices: let delivery look now
        return reply

    return run
