from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from bot.sandbox import SandboxState
from bot.wecom.api import WeComClient
from bot.wecom.errors import (
    BadCredentials,
    ContentTooLong,
    InvalidRecipients,
    TransportError,
)
from tests.conftest import FakeClock
from tests.wecom.conftest import FakeSleep
from tests.wecom.helpers import markdown, text


async def test_token_is_fetched_once_for_concurrent_callers(
    client: WeComClient, state: SandboxState
) -> None:
    tokens = await asyncio.gather(*(client.token() for _ in range(20)))
    assert len(set(tokens)) == 1
    assert state.tokens_issued == 1


async def test_token_is_refreshed_before_it_expires(
    client: WeComClient, state: SandboxState, clock: FakeClock
) -> None:
    first = await client.token()
    clock.advance(3600)
    assert await client.token() == first
    clock.advance(3600)  # 7200 s after issue: WeCom would answer 42001
    second = await client.token()
    assert second != first
    assert state.tokens_issued == 2
    await client.send(["u1"], text("hi"))
    assert state.tokens_issued == 2


async def test_send_markdown_is_recorded(client: WeComClient, state: SandboxState) -> None:
    result = await client.send(["u1", "u2"], markdown("**T3** 请报送进展"))
    assert result.msgid and result.calls == 1 and result.invalid_users == ()
    entries = state.entries(channel="app")
    assert [(e.peer, e.msgtype, e.body) for e in entries] == [
        ("u1", "markdown", {"content": "**T3** 请报送进展"}),
        ("u2", "markdown", {"content": "**T3** 请报送进展"}),
    ]
    assert state.conversation("u1") == entries[:1]


@pytest.mark.parametrize("fault", ["http_500", "timeout", "errcode:-1", "errcode:45009"])
async def test_transient_faults_are_retried_and_delivered_once(
    client: WeComClient, state: SandboxState, fake_sleep: FakeSleep, fault: str
) -> None:
    await client.token()
    state.faults.inject(fault, times=2)
    result = await client.send(["u1"], text("提醒"))
    assert result.msgid
    assert len(state.entries(channel="app")) == 1
    assert len(fake_sleep.delays) == 2  # backed off before each retry
    assert state.requests == 1 + 3


async def test_throttling_backs_off_longer_than_transport_errors(
    client: WeComClient, state: SandboxState, fake_sleep: FakeSleep
) -> None:
    await client.token()
    state.faults.inject("http_500")
    await client.send(["u1"], text("a"))
    state.faults.inject("errcode:45009")
    await client.send(["u1"], text("b"))
    transport, throttled = fake_sleep.delays
    assert transport < 1 <= 5 <= throttled


async def test_expired_tokens_are_refetched_and_the_call_retried(
    client: WeComClient, state: SandboxState, fake_sleep: FakeSleep
) -> None:
    await client.token()
    state.faults.inject("expire_tokens")
    await client.send(["u1"], text("hi"))
    assert state.tokens_issued == 2
    assert len(state.entries(channel="app")) == 1
    assert fake_sleep.delays == []  # a token refetch needs no backoff


async def test_gives_up_after_max_attempts(
    client: WeComClient, state: SandboxState, fake_sleep: FakeSleep
) -> None:
    await client.token()
    state.faults.inject("http_500", times=5)
    with pytest.raises(TransportError):
        await client.send(["u1"], text("hi"))
    assert state.entries() == []
    assert len(fake_sleep.delays) == 4


async def test_bad_secret_is_not_retried(
    make_client: Callable[..., WeComClient], state: SandboxState, fake_sleep: FakeSleep
) -> None:
    client = make_client(secret="wrong")
    with pytest.raises(BadCredentials) as info:
        await client.send(["u1"], text("hi"))
    assert info.value.errcode == 40001
    assert state.requests == 1 and fake_sleep.delays == []


async def test_bad_corpid(make_client: Callable[..., WeComClient]) -> None:
    with pytest.raises(BadCredentials) as info:
        await make_client(corp_id="nope").token()
    assert info.value.errcode == 40013


async def test_all_recipients_invalid_is_not_retried(
    client: WeComClient, state: SandboxState
) -> None:
    with pytest.raises(InvalidRecipients) as info:
        await client.send(["ghost1", "ghost2"], text("hi"))
    assert info.value.errcode == 81013
    assert state.requests == 2  # gettoken + one message/send


async def test_partly_invalid_recipients_are_reported(
    client: WeComClient, state: SandboxState
) -> None:
    result = await client.send(["u1", "ghost"], text("hi"))
    assert result.invalid_users == ("ghost",)
    assert [e.peer for e in state.entries()] == ["u1"]


async def test_touser_is_sent_in_chunks_of_1000(
    make_client: Callable[..., WeComClient], state: SandboxState
) -> None:
    # A thousand recipients take the sandbox longer than the fixture's 0.2 s on a busy
    # machine; a timeout and its retry would be one more request than this test counts.
    client = make_client(timeout=5.0)
    users = [f"m{i}" for i in range(2500)]
    result = await client.send(users, text("全员通知"))
    assert result.calls == 3 and len(result.msgids) == 3
    assert state.requests == 4
    assert sorted(e.peer for e in state.entries(channel="app")) == sorted(users)


async def test_content_over_the_byte_limit_is_refused_before_sending(
    client: WeComClient, state: SandboxState
) -> None:
    with pytest.raises(ContentTooLong):
        await client.send(["u1"], markdown("督" * 683))  # 2049 bytes
    with pytest.raises(ContentTooLong):
        await client.appchat_send("chat1", text("a" * 2049))
    assert state.requests == 0
    await client.send(["u1"], markdown("a" * 2048))
    assert len(state.entries()) == 1


async def test_member_rate_limit_is_waited_out(
    client: WeComClient, state: SandboxState, clock: FakeClock, fake_sleep: FakeSleep
) -> None:
    start = clock()
    for i in range(30):
        await client.send(["u1"], text(f"#{i}"))
    assert fake_sleep.delays == []
    await client.send(["u1"], text("#30"))  # sandbox says 45009 until the minute has passed
    assert (clock() - start).total_seconds() >= 60
    assert len(state.entries(peer="u1")) == 31


async def test_template_card_round_trip(client: WeComClient, state: SandboxState) -> None:
    card = {
        "card_type": "button_interaction",
        "main_title": {"title": "T4 延期申请"},
        "task_id": "ext-4",
        "button_list": [{"text": "同意", "key": "approve"}, {"text": "驳回", "key": "reject"}],
    }
    result = await client.send(["u1"], {"msgtype": "template_card", "template_card": card})
    assert result.response_code
    assert state.card(result.response_code).body == card  # type: ignore[union-attr]
    done = {**card, "button_list": [], "sub_title_text": "已同意"}
    await client.update_template_card(["u1"], result.response_code, done)
    updated = state.card(result.response_code)
    assert updated is not None and updated.body == done
    assert state.conversation("u1") == [updated]


async def test_appchat_send(client: WeComClient, state: SandboxState) -> None:
    await client.appchat_send("chat1", markdown("# 周报"))
    (entry,) = state.entries(channel="appchat")
    assert (entry.peer, entry.body) == ("chat1", {"content": "# 周报"})
