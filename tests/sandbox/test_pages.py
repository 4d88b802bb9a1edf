"""The chat simulator's pages and JSON endpoints, over real HTTP, mounted under /sandbox."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from html.parser import HTMLParser

import pytest

from bot.sandbox.home import Row, rows
from bot.sandbox.state import SandboxState
from bot.sandbox.view import (
    CHAT_WINDOW,
    Glance,
    render_card,
    render_entries,
    render_markdown,
)
from tests.sandbox.conftest import Clock, FakeBot, Site, start_site

CARD = {
    "card_type": "button_interaction",
    "source": {"desc": "督办助手"},
    "main_title": {"title": "T3 代表资格审查", "desc": "截止 3月31日"},
    "horizontal_content_list": [{"keyname": "责任部门", "value": "组织部"}],
    "task_id": "task-3",
    "button_list": [
        {"text": "已完成", "key": "done", "style": 1},
        {"text": "申请延期", "key": "extend"},
    ],
}


@pytest.fixture
async def site(state: SandboxState, clock: Clock) -> AsyncIterator[Site]:
    s = await start_site(state, clock, FakeBot())
    yield s
    await s.close()


async def get(site: Site, path: str) -> tuple[int, str]:
    async with site.session.get(site.base + path) as resp:
        return resp.status, await resp.text()


async def post(site: Site, path: str, payload: object) -> tuple[int, dict[str, object]]:
    async with site.session.post(site.base + path, json=payload) as resp:
        return resp.status, await resp.json()


# --- pure rendering ------------------------------------------------------------------


def test_markdown_subset() -> None:
    out = render_markdown(
        '## 本周督办\n**T3** <font color="warning">逾期</font> `T3 80%`\n> 请尽快办理\n'
        "[台账](https://example.org/a?b=1&c=2)"
    )
    assert '<h2 class="md-h">本周督办</h2>' in out
    assert "<b>T3</b>" in out
    assert '<span class="md-warning">逾期</span>' in out
    assert "<code>T3 80%</code>" in out
    assert '<blockquote class="md-quote">请尽快办理</blockquote>' in out
    assert 'href="https://example.org/a?b=1&amp;c=2"' in out


@pytest.mark.parametrize(
    "evil",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<font color="info" onmouseover="alert(1)">x</font>',
        "[x](javascript:alert(1))",
        '[x](https://a.b/"onmouseover="alert(1))',
        "**<b onclick=x>**",
    ],
)
def test_markdown_escapes_everything_else(evil: str) -> None:
    out = render_markdown(evil)
    assert "<script" not in out and "<img" not in out and "<font" not in out
    assert "javascript:" not in out or "href" not in out
    assert 'onmouseover="' not in out and "onclick=" not in out.replace("onclick=x&gt;", "")


class Tags(HTMLParser):
    """Every start tag of an HTML fragment with its attributes, as a browser reads them."""

    def __init__(self, fragment: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(fragment)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def test_card_escapes_and_carries_click_data() -> None:
    card = {**CARD, "main_title": {"title": "<script>x</script>"}, "task_id": 'a"b'}
    out = render_card(card, response_code="rc<1>")
    assert "<script>" not in out and "&lt;script&gt;" in out
    buttons = Tags(out).named("button")
    # The attributes carry the values exactly, quotes and brackets included.
    assert [(b["data-key"], b["data-task"], b["data-code"]) for b in buttons] == [
        ("done", 'a"b', "rc<1>"),
        ("extend", 'a"b', "rc<1>"),
    ]
    assert all("disabled" not in b for b in buttons)
    for update in ("replace_name", "replace_text"):  # an update_button reply, or a new card
        replaced = Tags(render_card({**CARD, update: "已完成"}, response_code="rc"))
        assert replaced.named("button") == [{"class": "card-btn done", "disabled": None}]
    stale = Tags(render_card(CARD, response_code=None)).named("button")
    assert len(stale) == 2 and all("disabled" in b for b in stale)  # no code: not clickable


# --- over HTTP -------------------------------------------------------------------------


async def test_index_lists_people_and_groups_with_relative_links(site: Site) -> None:
    status, text = await get(site, "/sandbox/")
    assert status == 200
    assert "督办 · 企业微信沙箱" in text
    assert 'href="chat/zhangsan"' in text and "张三" in text
    assert 'href="group/robot-key-1"' in text and "党组领导群" in text
    assert 'href="chat/x%3Cb%3E"' in text  # odd userids are quoted
    assert "<script>alert(1)</script>" not in text  # a hostile display name is escaped
    assert 'href="static/sandbox.css"' in text and 'href="/' not in text


async def test_chat_page_shows_bot_messages(site: Site, state: SandboxState) -> None:
    state.record("app", "zhangsan", "text", {"content": "请于3月20日前报送<T3>进展"})
    state.record("app", "zhangsan", "template_card", CARD, response_code="rc-1")
    status, text = await get(site, "/sandbox/chat/zhangsan")
    assert status == 200
    assert "请于3月20日前报送&lt;T3&gt;进展" in text
    assert "T3 代表资格审查" in text and 'data-code="rc-1"' in text
    assert 'src="../static/chat.js"' in text
    assert "发送" in text
    status, _ = await get(site, "/sandbox/chat/nobody")
    assert status == 404


async def test_static_files_are_served(site: Site) -> None:
    for name, needle in [("chat.js", "../api/chat/"), ("sandbox.css", ".bubble")]:
        status, text = await get(site, f"/sandbox/static/{name}")
        assert status == 200 and needle in text
    status, _ = await get(site, "/sandbox/static/secret.py")
    assert status == 404


async def test_typing_a_reply_goes_through_the_callback(site: Site, state: SandboxState) -> None:
    status, data = await post(site, "/sandbox/api/chat/zhangsan", {"text": "T5 已完成"})
    assert status == 200
    assert data["status"] == 200 and data["reply_text"] == "收到：T5 已完成"
    assert site.fake.seen[0]["Content"] == "T5 已完成"
    status, text = await get(site, "/sandbox/api/conversation/zhangsan?after=0")
    assert status == 200
    assert "T5 已完成" in text and "收到：T5 已完成" in text

    status, data = await post(site, "/sandbox/api/chat/zhangsan", {"text": "   "})
    assert status == 400 and data["error"]
    status, _ = await post(site, "/sandbox/api/chat/nobody", {"text": "hi"})
    assert status == 404


async def test_clicking_a_card_updates_it(site: Site, state: SandboxState) -> None:
    state.record("app", "zhangsan", "template_card", CARD, response_code="rc-1")
    status, data = await post(
        site,
        "/sandbox/api/click/zhangsan",
        {"response_code": "rc-1", "event_key": "done", "task_id": "task-3"},
    )
    assert status == 200 and data["status"] == 200 and data["error"] is None
    assert site.fake.seen[0]["EventKey"] == "done"
    async with site.session.get(site.base + "/sandbox/api/conversation/zhangsan") as resp:
        conv = await resp.json()
    assert "你点击了「已完成」" in conv["html"]
    assert '<button class="card-btn done" disabled>已确认</button>' in conv["html"]
    status, data = await post(site, "/sandbox/api/click/zhangsan", {"response_code": "rc-1"})
    assert status == 400


async def test_bot_down_is_reported_not_crashed(site: Site) -> None:
    site.driver.callback_url = "http://127.0.0.1:1/nothing-listens-here"
    status, data = await post(site, "/sandbox/api/chat/zhangsan", {"text": "帮助"})
    assert status == 502 and "回调" in str(data["error"])


async def test_conversation_long_poll_wakes_on_new_message(site: Site, state: SandboxState) -> None:
    after = state.last_seq

    async def later() -> None:
        await asyncio.sleep(0.2)
        state.record("app", "zhangsan", "markdown", {"content": "**新提醒**"})

    task = asyncio.create_task(later())
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with site.session.get(
        site.base + f"/sandbox/api/conversation/zhangsan?after={after}&wait=10"
    ) as resp:
        data = await resp.json()
    await task
    assert loop.time() - started < 5
    assert data["seq"] > after
    assert "<b>新提醒</b>" in data["html"]
    assert data["messages"][-1]["msgtype"] == "markdown"


async def test_group_page_shows_robot_posts(site: Site, state: SandboxState) -> None:
    state.record("robot", "robot-key-1", "markdown", {"content": "# 第12周督办汇总\n逾期 **2** 项"})
    status, text = await get(site, "/sandbox/group/robot-key-1")
    assert status == 200 and "党组领导群" in text and "第12周督办汇总" in text
    assert "composer" not in text  # robots are send-only: nothing to type
    status, _ = await get(site, "/sandbox/group/unknown")
    assert status == 404
    async with site.session.get(site.base + "/sandbox/api/group/robot-key-1") as resp:
        assert "<b>2</b>" in (await resp.json())["html"]


async def test_appchat_messages_are_listed(site: Site, state: SandboxState) -> None:
    state.record("appchat", "chat-001", "text", {"content": "应用群消息"})
    _, index = await get(site, "/sandbox/")
    assert 'href="appchat/chat-001"' in index
    assert (
        Row("appchat", "chat-001", "chat-001", 1, Glance("应用群消息", False))
        in (rows(state)["chats"])
    )
    status, text = await get(site, "/sandbox/appchat/chat-001")
    assert status == 200 and "应用群消息" in text


def test_a_long_chat_shows_its_latest_messages(state: SandboxState) -> None:
    state.record("app", "zhangsan", "template_card", CARD, response_code="rc-old")
    for n in range(CHAT_WINDOW):
        state.record("app", "zhangsan", "text", {"content": f"第{n}条"})
    state.record("event", "zhangsan", "event", {"event_key": "done", "response_code": "rc-old"})
    out = render_entries(state.conversation("zhangsan"))
    assert out.startswith('<div class="older">更早的 2 条消息未显示</div>')
    assert "第0条" not in out and "第1条<" in out and "第199条" in out
    assert "你点击了「已完成」" in out  # the card is out of sight, its button still named


def test_the_index_counts_and_previews_each_chat(state: SandboxState) -> None:
    state.record("user", "zhangsan", "text", {"content": "T3 80%"})
    state.record("reply", "zhangsan", "text", {"content": "已记录"})
    state.record("app", "zhangsan", "template_card", CARD, response_code="rc-1")
    state.record("app", "lisi", "markdown", {"content": "**督办提醒** 3月1日\n> 请回复"})
    state.record("robot", "robot-key-1", "markdown", {"content": "# 第12周督办汇总"})
    lists = rows(state)
    assert lists["people"][:2] == [
        Row("chat", "zhangsan", "张三", 2, Glance("T3 代表资格审查", True)),
        Row("chat", "lisi", "李四", 1, Glance("督办提醒 3月1日 请回复", False)),
    ]
    assert lists["groups"] == [
        Row("group", "robot-key-1", "党组领导群", 1, Glance("第12周督办汇总", False))
    ]
    assert lists["chats"] == []
