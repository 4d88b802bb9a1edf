"""A file sent to a group or a member shows in the sandbox as a download the sandbox serves,
and the journal keeps it across a restart."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import aiohttp
import pytest

from bot.delivery import FILE, file_payload
from bot.sandbox import Journal, SandboxState
from bot.sandbox.records import Media
from bot.sandbox.view import render_entries
from bot.wecom import limits
from storage import outbox
from storage.db import transaction
from tests.conftest import FakeClock
from tests.sandbox.conftest import Clock
from tests.sandbox.test_journal import open_state, path  # noqa: F401  (fixtures)
from tests.transport.conftest import Bot, running_bot
from tests.transport.test_delivery import drain

LEDGER = "督办台账 <2027年3月>.xlsx"
WORKBOOK = os.urandom(80 * 1024)


def send_file(bot: Bot, recipient: str, key: str) -> None:
    with transaction(bot.runtime.sessions) as session:
        outbox.enqueue(
            session,
            kind=FILE,
            recipient=recipient,
            payload=file_payload(LEDGER, WORKBOOK, "3月台账"),
            dedupe_key=key,
            now=bot.clock(),
        )


@pytest.fixture
async def bot(tmp_path: Path, database_url: str) -> AsyncIterator[Bot]:
    async with running_bot(tmp_path, FakeClock(), database_url) as bot:
        yield bot


async def get(bot: Bot, where: str) -> tuple[int, dict[str, str], bytes]:
    async with aiohttp.ClientSession() as http, http.get(f"{bot.url}/sandbox/{where}") as resp:
        return resp.status, dict(resp.headers), await resp.read()


def link(html: str) -> str:
    (href,) = re.findall(r'<a class="file" href="\.\./(media/[^"]+)"', html)
    return href


async def test_the_group_page_offers_the_file_for_download(bot: Bot) -> None:
    send_file(bot, "group:leaders", "file-group")
    await drain(bot)
    status, _, page = await get(bot, "group/leaders")
    html = page.decode()
    assert status == 200
    assert "督办台账 &lt;2027年3月&gt;.xlsx" in html  # escaped, as every piece of content
    assert "80.0 KB" in html
    status, headers, data = await get(bot, link(html))
    assert status == 200 and data == WORKBOOK
    assert headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert f"filename*=UTF-8''{quote(LEDGER, safe='')}" in headers["Content-Disposition"]
    _, _, index = await get(bot, "")
    assert "[文件] 督办台账 &lt;2027年3月&gt;.xlsx" in index.decode()


async def test_a_member_downloads_a_file_from_the_chat(bot: Bot) -> None:
    send_file(bot, "user:lilei", "file-member")
    await drain(bot)
    _, _, page = await get(bot, "chat/lilei")
    status, _, data = await get(bot, link(page.decode()))
    assert status == 200 and data == WORKBOOK


async def test_an_unknown_file_is_a_404_in_words(bot: Bot) -> None:
    status, _, body = await get(bot, "media/nope")
    assert status == 404 and "不在沙箱中" in body.decode()


def test_a_file_message_renders_as_a_download_link(clock: Clock) -> None:
    state = SandboxState(
        now=clock, corp_id="c", secret="s", agent_id=1, users={}, robots={"k": "群"}
    )
    media = state.store_media("robot:k", "file", "a&b.xlsx", b"123456")
    entry = state.record(
        "robot", "k", "file", {"media_id": media.id, "filename": "a&b.xlsx", "size": 6}
    )
    html = render_entries([entry], as_member=False)
    assert f'href="../media/{media.id}"' in html and "a&amp;b.xlsx" in html and "6 B" in html


def test_the_journal_keeps_files_across_a_restart(
    open_state: Callable[..., SandboxState],  # noqa: F811
    path: Path,  # noqa: F811
) -> None:
    before = open_state()
    sent = before.store_media("robot:robot-key-1", "file", LEDGER, WORKBOOK)
    before.record(
        "robot", "robot-key-1", "file", {"media_id": sent.id, "filename": LEDGER, "size": 1}
    )
    unsent = before.store_media("app", "file", "草稿.xlsx", b"123456")
    before.close()

    after = open_state()
    assert after.media(sent.id) == sent
    assert after.usable_media(unsent.id, "app") == unsent  # still within its 3 days
    assert any(isinstance(r, Media) for r in Journal(path).read())


def test_expired_files_no_message_shows_are_not_kept(
    open_state: Callable[..., SandboxState],  # noqa: F811
    clock: Clock,
) -> None:
    state = open_state()
    sent = state.store_media("app", "file", "发了.xlsx", b"123456")
    state.record("app", "u1", "file", {"media_id": sent.id, "filename": "发了.xlsx", "size": 6})
    unsent = state.store_media("app", "file", "没发.xlsx", b"123456")
    state.close()
    clock.current += timedelta(seconds=limits.MEDIA_LIFETIME_S + 1)

    again = open_state()
    assert again.media(sent.id) is not None  # a chat still shows it
    assert again.media(unsent.id) is None  # expired, and no message shows it
    assert again.usable_media(sent.id, "app") is None  # too old to send again
    assert timedelta(seconds=limits.MEDIA_LIFETIME_S) == timedelta(days=3)
