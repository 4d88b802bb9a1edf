"""Concurrent callbacks are handled in batches: each request still gets its own answer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.cli import main
from bot.inbound import MAX_BATCH, Batches, Outcome
from handlers.inbound import Inbound
from storage.models import InboxMessage, ProgressRecord
from tests.conftest import EXAMPLE, write_config
from tests.transport.conftest import Bot


class RecordingDesk:
    """Answers each message with its own text, or raises what the text names."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def process_each(self, messages: Sequence[Inbound]) -> list[Outcome]:
        self.batches.append([m.text or "" for m in messages])
        return [
            ValueError(m.text) if m.text == "fail" else {"content": f"re: {m.text}"}
            for m in messages
        ]


async def inline(work: Callable[..., Any], *args: Any) -> Any:
    return work(*args)


def gated(gate: asyncio.Event) -> Callable[..., Any]:
    """An offload that holds each batch until `gate` opens, like a slow database."""

    async def offload(work: Callable[..., Any], *args: Any) -> Any:
        await gate.wait()
        return work(*args)

    return offload


def inbound(text: str) -> Inbound:
    return Inbound(sender="lilei", sent_at=datetime(2027, 3, 1, tzinfo=UTC), text=text)


def batches(desk: RecordingDesk, offload: Callable[..., Any]) -> Batches:
    return Batches(desk, offload)  # type: ignore[arg-type]


async def test_messages_decoded_together_form_one_batch_with_their_own_replies():
    desk = RecordingDesk()
    queue = batches(desk, inline)
    replies = await asyncio.gather(*(queue.submit(inbound(f"m{i}")) for i in range(5)))
    assert desk.batches == [["m0", "m1", "m2", "m3", "m4"]]
    assert [r["content"] for r in replies if r] == [f"re: m{i}" for i in range(5)]


async def test_messages_arriving_while_a_batch_is_handled_form_the_next():
    desk, gate = RecordingDesk(), asyncio.Event()
    queue = batches(desk, gated(gate))
    first = asyncio.ensure_future(queue.submit(inbound("a")))
    await asyncio.sleep(0)
    await asyncio.sleep(0)  # the first batch is now in the database
    later = [asyncio.ensure_future(queue.submit(inbound(t))) for t in ("b", "c")]
    await asyncio.sleep(0)
    gate.set()
    await asyncio.gather(first, *later)
    assert desk.batches == [["a"], ["b", "c"]]


async def test_a_burst_larger_than_a_batch_is_split():
    desk = RecordingDesk()
    queue = batches(desk, inline)
    count = MAX_BATCH * 2 + 5
    replies = await asyncio.gather(*(queue.submit(inbound(str(i))) for i in range(count)))
    assert [len(b) for b in desk.batches] == [MAX_BATCH, MAX_BATCH, 5]
    assert [r["content"] for r in replies if r] == [f"re: {i}" for i in range(count)]


async def test_a_failure_reaches_only_its_own_request():
    queue = batches(RecordingDesk(), inline)
    ok, failed = await asyncio.gather(
        queue.submit(inbound("ok")), queue.submit(inbound("fail")), return_exceptions=True
    )
    assert ok == {"content": "re: ok"}
    assert isinstance(failed, ValueError)


async def test_shutdown_leaves_no_request_waiting():
    desk, gate = RecordingDesk(), asyncio.Event()
    queue = batches(desk, gated(gate))
    first = asyncio.ensure_future(queue.submit(inbound("a")))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    second = asyncio.ensure_future(queue.submit(inbound("b")))
    await asyncio.sleep(0)
    assert queue.draining is not None
    queue.draining.cancel()
    for request in (first, second):
        with pytest.raises(asyncio.CancelledError):
            await request
    assert queue.waiting == [] and desk.batches == []


async def test_concurrent_callbacks_over_http_each_get_their_answer(bot: Bot):
    senders = ["lilei", "chenjing", "sunhao", "zhoufang", "zhaomin"] * 6
    sends = [bot.driver.send_text(userid, "帮助") for userid in senders]
    sends += [bot.driver.send_text("lilei", "T3 40%", msgid=777) for _ in range(4)]
    results = await asyncio.gather(*sends)
    assert all(r.status == 200 and r.error is None for r in results)
    names = {"lilei": "李磊", "chenjing": "陈静", "sunhao": "孙浩"}
    for userid, result in zip(senders, results, strict=False):
        if userid in names:
            assert result.reply_text is not None
            assert result.reply_text.startswith(f"{names[userid]}您好")
    repeats = {r.reply_text for r in results[len(senders) :]}
    assert len(repeats) == 1 and repeats.pop().startswith("已记录 T3")  # type: ignore[union-attr]
    assert bot.count(InboxMessage) == len(senders) + 1
    assert bot.count(ProgressRecord) == 1


async def test_duban_sync_on_a_running_bot_applies_at_the_next_message(bot: Bot, tmp_path):
    first = await bot.driver.send_text("lilei", "帮助")
    assert first.reply_text is not None and first.reply_text.startswith("李磊您好")
    # The admin edits the config and runs `duban sync` while the bot runs.
    edited = EXAMPLE.read_text(encoding="utf-8").replace('name = "李磊"', 'name = "李雷"')
    folder = tmp_path / "admin"
    folder.mkdir()
    path = write_config(folder, edited, database_url=str(bot.runtime.engine.url))
    assert main(["sync", "--config", str(path)]) == 0
    again = await bot.driver.send_text("lilei", "帮助")
    assert again.reply_text is not None and again.reply_text.startswith("李雷您好")
