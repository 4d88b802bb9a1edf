"""A `file` notice in the outbox: uploaded through the destination's channel, then sent as a
file message; a retry uploads again; a bad file fails visibly instead of looping."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from bot.delivery import FILE, file_payload
from bot.wecom.errors import TRANSPORT_ERRCODE, TransportError
from storage import outbox
from storage.db import transaction
from tests.conftest import EXAMPLE, FakeClock
from tests.transport.conftest import Bot, running_bot
from tests.transport.test_delivery import drain, states

LEDGER = "督办台账（2027年3月）.xlsx"
# Bigger than the bot's 64 KB request limit for callbacks: uploads are not held to it.
WORKBOOK = os.urandom(200 * 1024)


def enqueue_file(bot: Bot, recipient: str, key: str, payload: dict[str, Any]) -> None:
    with transaction(bot.runtime.sessions) as session:
        outbox.enqueue(
            session,
            kind=FILE,
            recipient=recipient,
            payload=payload,
            dedupe_key=key,
            now=bot.clock(),
        )


async def test_a_file_reaches_a_member_and_a_robot_group(bot: Bot) -> None:
    payload = file_payload(LEDGER, WORKBOOK, "3月台账")
    enqueue_file(bot, "user:lilei", "f-user", payload)
    enqueue_file(bot, "group:leaders", "f-group", payload)
    await drain(bot)

    assert states(bot) == {"f-user": "sent", "f-group": "sent"}
    (member,) = bot.sandbox.entries(channel="app", peer="lilei")
    (group,) = bot.sandbox.entries(channel="robot", peer="leaders")
    for entry, owner in ((member, "app"), (group, "robot:leaders")):
        assert entry.msgtype == "file"
        assert entry.body["filename"] == LEDGER and entry.body["size"] == len(WORKBOOK)
        media = bot.sandbox.media(entry.body["media_id"])
        assert media is not None and media.data == WORKBOOK and media.owner == owner


async def test_a_failed_send_uploads_again_on_retry(bot: Bot) -> None:
    real_send = bot.delivery.robot.send
    calls: list[dict[str, Any]] = []

    async def flaky(url: str, message: Any) -> None:
        calls.append(message)
        if len(calls) == 1:
            raise TransportError(TRANSPORT_ERRCODE, "connection reset")
        await real_send(url, message)

    bot.delivery.robot.send = flaky  # type: ignore[method-assign]
    enqueue_file(bot, "group:leaders", "f-retry", file_payload(LEDGER, WORKBOOK, "3月台账"))
    await drain(bot)

    assert states(bot) == {"f-retry": "sent"}
    first, second = (m["file"]["media_id"] for m in calls)
    assert first != second  # uploaded twice: a fresh media_id for the retry
    (entry,) = bot.sandbox.entries(channel="robot", peer="leaders")
    assert entry.body["media_id"] == second


async def test_a_file_wecom_would_refuse_fails_with_its_reason(bot: Bot) -> None:
    enqueue_file(bot, "user:lilei", "f-tiny", file_payload("a.txt", b"abc", "太小"))
    enqueue_file(
        bot, "user:lilei", "f-garbled", {"filename": "a.xlsx", "content": "%%%", "title": "坏"}
    )
    await drain(bot)

    assert states(bot) == {"f-tiny": "failed", "f-garbled": "failed"}
    with bot.runtime.sessions() as session:
        errors = {n.dedupe_key: n.last_error or "" for n in outbox.listing(session, ("failed",))}
    assert "at least 5" in errors["f-tiny"]
    assert "base64" in errors["f-garbled"]
    assert bot.sandbox.entries(channel="app") == []
    assert bot.sandbox.requests <= 1  # at most a token: nothing was uploaded


async def test_a_file_reaches_an_app_chat(tmp_path: Path, database_url: str) -> None:
    text = EXAMPLE.read_text(encoding="utf-8") + (
        '\n[[groups]]\nid = "office-chat"\nname = "办公室工作群"\nchat_id = "wrkSFfCgAA"\n'
    )
    async with running_bot(tmp_path, FakeClock(), database_url, text) as bot:
        enqueue_file(bot, "group:office-chat", "f-chat", file_payload(LEDGER, WORKBOOK, "台账"))
        await drain(bot)
        assert states(bot) == {"f-chat": "sent"}
        (entry,) = bot.sandbox.entries(channel="appchat", peer="wrkSFfCgAA")
        assert entry.msgtype == "file" and entry.body["filename"] == LEDGER
        media = bot.sandbox.media(entry.body["media_id"])
        assert media is not None and media.owner == "app" and media.data == WORKBOOK
