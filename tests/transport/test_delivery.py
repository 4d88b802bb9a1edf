"""The outbox delivered to the sandbox WeCom: faults, pacing, failures a person can see."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta

from storage import outbox
from storage.db import transaction
from storage.models import OutboxNotice
from tests.conftest import EXAMPLE, ROOT
from tests.transport.conftest import Bot, running_bot


def enqueue(bot: Bot, recipient: str, text: str, key: str) -> bool:
    with transaction(bot.runtime.sessions) as session:
        return outbox.enqueue(
            session,
            kind="message",
            recipient=recipient,
            payload={"text": text},
            dedupe_key=key,
            now=bot.clock(),
        )


async def drain(bot: Bot, *, rounds: int = 400) -> None:
    """Deliver until nothing is pending, jumping the clock to each next due time."""
    for _ in range(rounds):
        await bot.delivery.run_once()
        with bot.runtime.sessions() as session:
            due = outbox.next_due(session, now=bot.clock())
        if due is None:
            return
        if due > bot.clock():
            bot.clock.current = due
    raise AssertionError("outbox did not drain")


def states(bot: Bot) -> dict[str, str]:
    with bot.runtime.sessions() as session:
        return {
            n.dedupe_key: n.state for n in outbox.listing(session, ("pending", "sent", "failed"))
        }


async def test_enqueue_is_idempotent(bot: Bot):
    assert enqueue(bot, "user:lilei", "一", "same") is True
    assert enqueue(bot, "user:lilei", "二", "same") is False
    assert bot.count(OutboxNotice) == 1


async def test_every_notice_is_delivered_exactly_once_through_faults(bot: Bot):
    recipients = ["user:lilei", "user:zhoufang", "user:sunhao", "group:leaders"]
    expected = {}
    for i in range(12):
        recipient = recipients[i % len(recipients)]
        expected[f"n{i}"] = (recipient, f"第 {i} 条通知")
        enqueue(bot, recipient, f"第 {i} 条通知", f"n{i}")
    for fault in (
        "http_500",
        "timeout",
        "errcode:-1",
        "errcode:45009",
        "expire_tokens",
        "http_500",
    ):
        bot.sandbox.faults.inject(fault, times=2)
    await drain(bot)

    assert set(states(bot).values()) == {"sent"}
    seen: dict[str, list[str]] = {}
    for entry in bot.sandbox.entries(channel="app") + bot.sandbox.entries(channel="robot"):
        seen.setdefault(entry.peer, []).append(entry.body["content"])
    for recipient, text in expected.values():
        peer = recipient.split(":")[1]
        assert seen.get(peer, []).count(text) == 1, (recipient, text)
    assert sum(len(v) for v in seen.values()) == len(expected)
    assert not bot.sandbox.faults.pending()


async def test_an_invalid_user_ends_failed_and_shows_in_duban_outbox(bot: Bot, tmp_path):
    enqueue(bot, "user:ghost", "查无此人", "ghost")
    enqueue(bot, "user:lilei", "正常送达", "ok")
    await drain(bot)
    assert states(bot) == {"ghost": "failed", "ok": "sent"}

    config = str(tmp_path / "config.toml")
    shown = subprocess.run(
        [sys.executable, "-m", "bot", "outbox", "--config", config],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert shown.returncode == 0
    (row,) = [line for line in shown.stdout.splitlines() if "user:ghost" in line]
    assert "失败" in row and "InvalidRecipients" in row
    retried = subprocess.run(
        [sys.executable, "-m", "bot", "outbox", "--config", config, "--retry", "all"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert retried.stdout.strip() == "已重新排队 1 条通知。"
    assert states(bot)["ghost"] == "pending"


async def test_a_hundred_notices_to_one_member_never_break_30_a_minute(bot: Bot):
    for i in range(100):
        enqueue(bot, "user:lilei", f"提醒 {i}", f"r{i}")
    start = bot.clock()
    await drain(bot)

    times = sorted(e.at for e in bot.sandbox.entries(channel="app", peer="lilei"))
    assert len(times) == 100
    assert busiest_minute(times) <= 30
    assert bot.sandbox.over_limit == []
    with bot.runtime.sessions() as session:
        rows = outbox.listing(session, ("sent",))
    assert all(n.attempts == 0 for n in rows)  # paced, never refused and retried
    # Paced, not dawdling: four minutes of windows for 100 messages.
    assert times[-1] - start < timedelta(minutes=4)


async def test_each_part_of_long_notices_counts_against_the_limit(bot: Bot):
    for i in range(20):  # three parts each: 60 messages
        enqueue(bot, "user:lilei", f"第 {i} 份进展：" + "推进代表资格审查。" * 200, f"long{i}")
    enqueue(bot, "group:leaders", "周报：" + "推进代表资格审查。" * 700, "weekly")  # 5 parts
    for i in range(18):
        enqueue(bot, "group:leaders", "提醒", f"group{i}")
    await drain(bot)

    member = sorted(e.at for e in bot.sandbox.entries(channel="app", peer="lilei"))
    robot = sorted(e.at for e in bot.sandbox.entries(channel="robot"))
    assert len(member) == 60 and busiest_minute(member) <= 30
    assert len(robot) == 5 + 18 and busiest_minute(robot) <= 20
    assert bot.sandbox.over_limit == []  # paced by the bot, not refused by WeCom
    with bot.runtime.sessions() as session:
        assert all(n.attempts == 0 for n in outbox.listing(session, ("sent",)))


def busiest_minute(times: list[datetime]) -> int:
    return max(
        sum(1 for u in times[i:] if u < t + timedelta(seconds=60)) for i, t in enumerate(times)
    )


async def test_long_notice_goes_out_in_numbered_parts(bot: Bot):
    enqueue(bot, "user:lilei", "进展情况：" + "推进代表资格审查。" * 300, "long")
    await drain(bot)
    parts = [e.body["content"] for e in bot.sandbox.entries(channel="app", peer="lilei")]
    assert (
        len(parts) >= 3
        and parts[0].startswith("（1/")
        and all(len(p.encode()) <= 2048 for p in parts)
    )


async def test_a_group_chat_made_by_the_app_gets_its_notices(tmp_path, clock, database_url):
    chat_group = '[[groups]]\nid = "office"\nname = "办公室工作群"\nchat_id = "wrOffice01"\n'
    text = EXAMPLE.read_text(encoding="utf-8") + "\n" + chat_group
    async with running_bot(tmp_path, clock, database_url, text) as bot:
        enqueue(bot, "group:office", "本周督办进展已汇总。", "weekly-office")
        await drain(bot)
        (entry,) = bot.sandbox.entries(channel="appchat")
        assert entry.peer == "wrOffice01" and "本周督办进展已汇总。" in entry.body["content"]
        assert bot.sandbox.chats == {"wrOffice01": "办公室工作群"}
