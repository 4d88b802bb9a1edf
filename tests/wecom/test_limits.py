from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.wecom.errors import (
    BadCredentials,
    ContentTooLong,
    InvalidRecipients,
    Throttled,
    TokenInvalid,
    WeComError,
    error_for,
)
from bot.wecom.limits import (
    MEMBER_LIMITS,
    PACING_SLACK_S,
    ROBOT_LIMITS,
    Window,
    exceeds,
    next_send_time,
    paced,
    split_content,
    utf8_len,
)

PREFIX = re.compile(r"^（(\d+)/(\d+)）\n")
T0 = datetime(2025, 3, 3, 9, 0, 0)


def bodies(parts: list[str]) -> list[str]:
    return [PREFIX.sub("", p, count=1) for p in parts]


def test_text_that_fits_is_returned_unchanged() -> None:
    assert split_content("T3 80% 已完成", 2048) == ["T3 80% 已完成"]
    exact = "中" * 682 + "ab"  # 2048 bytes exactly
    assert split_content(exact, 2048) == [exact]


def test_long_text_is_numbered_and_within_the_byte_limit() -> None:
    text = "\n".join(f"{i}. 部门联络员请于本周五前报送进展情况" for i in range(200))
    parts = split_content(text, 2048)
    assert len(parts) > 1
    assert all(utf8_len(p) <= 2048 for p in parts)
    assert [PREFIX.match(p).groups() for p in parts] == [  # type: ignore[union-attr]
        (str(i), str(len(parts))) for i in range(1, len(parts) + 1)
    ]
    assert "".join(bodies(parts)) == text


def test_cuts_prefer_line_breaks() -> None:
    lines = [f"第{i}行" + "进展" * 10 for i in range(40)]
    parts = split_content("\n".join(lines), 300)
    for body in bodies(parts)[:-1]:
        assert body.endswith("\n")


def test_a_line_longer_than_the_limit_is_cut_between_characters() -> None:
    parts = split_content("督" * 1000, 100)  # 3000 bytes, no line breaks
    assert all(utf8_len(p) <= 100 for p in parts)
    assert "".join(bodies(parts)) == "督" * 1000


def test_too_small_a_limit_is_refused() -> None:
    with pytest.raises(ValueError):
        split_content("x" * 100, 8)


@given(st.text(min_size=0, max_size=3000), st.integers(min_value=20, max_value=600))
@settings(max_examples=200, deadline=None)
def test_split_content_property(text: str, max_bytes: int) -> None:
    parts = split_content(text, max_bytes)
    assert all(utf8_len(p) <= max_bytes for p in parts)
    if utf8_len(text) <= max_bytes:
        assert parts == [text]
    else:
        assert "".join(bodies(parts)) == text
        assert all(PREFIX.match(p) for p in parts)


def test_member_may_receive_thirty_a_minute() -> None:
    sent = [T0] * 29
    assert next_send_time(sent, T0, MEMBER_LIMITS) == T0
    sent.append(T0)
    assert next_send_time(sent, T0, MEMBER_LIMITS) == T0 + timedelta(seconds=60)


def test_member_hourly_limit() -> None:
    # 1000 sends spread so that no minute holds more than 30.
    sent = [T0 + timedelta(seconds=2.5 * i) for i in range(1000)]
    now = sent[-1] + timedelta(seconds=60)
    assert next_send_time(sent, now, MEMBER_LIMITS) == sent[0] + timedelta(hours=1)


def test_robot_twenty_a_minute() -> None:
    sent = [T0 + timedelta(seconds=i) for i in range(20)]
    assert exceeds(sent, T0 + timedelta(seconds=30), ROBOT_LIMITS)
    assert next_send_time(sent, T0 + timedelta(seconds=30), ROBOT_LIMITS) == T0 + timedelta(
        seconds=60
    )
    assert not exceeds(sent, T0 + timedelta(seconds=60), ROBOT_LIMITS)


def windows_hold(times: list[datetime], limits: tuple[Window, ...]) -> bool:
    for w in limits:
        span = timedelta(seconds=w.seconds)
        for start in times:
            if sum(1 for t in times if start <= t < start + span) > w.count:
                return False
    return True


@given(
    st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=80),
    st.sampled_from([ROBOT_LIMITS, MEMBER_LIMITS, (Window(3, 10), Window(5, 60))]),
)
@settings(max_examples=150, deadline=None)
def test_sending_when_told_never_breaks_a_limit(
    gaps: list[int], limits: tuple[Window, ...]
) -> None:
    sent: list[datetime] = []
    wanted = T0
    for gap in gaps:
        wanted += timedelta(seconds=gap)
        now = max([wanted, *sent])
        at = next_send_time(sent, now, limits)
        assert at >= now
        if at > now:  # it is the earliest: a moment sooner would break a window
            assert exceeds(sent, at - timedelta(microseconds=1), limits)
        sent.append(at)
    assert windows_hold(sent, limits)


@pytest.mark.parametrize(
    ("errcode", "cls", "retryable"),
    [
        (42001, TokenInvalid, True),
        (40014, TokenInvalid, True),
        (-1, Throttled, True),
        (45009, Throttled, True),
        (45033, Throttled, True),
        (40001, BadCredentials, False),
        (40013, BadCredentials, False),
        (93000, BadCredentials, False),
        (81013, InvalidRecipients, False),
        (45002, ContentTooLong, False),
        (60011, WeComError, False),
    ],
)
def test_error_for(errcode: int, cls: type[WeComError], retryable: bool) -> None:
    exc = error_for(errcode, "msg")
    assert type(exc) is cls
    assert exc.retryable is retryable
    assert (exc.errcode, exc.errmsg) == (errcode, "msg")


def test_40058_is_content_too_long_only_for_length_messages() -> None:
    assert isinstance(error_for(40058, "markdown.content exceed max length 4096."), ContentTooLong)
    assert type(error_for(40058, "invalid Request Parameter")) is WeComError


def arrivals(
    windows: tuple[Window, ...], jitter: list[float], limit_windows: tuple[Window, ...]
) -> list[datetime]:
    """A sender as eager as its pacing allows: it reserves each send at the earliest time
    `windows` permit; the message reaches WeCom `jitter` seconds later."""
    reserved: list[datetime] = []
    arrived: list[datetime] = []
    now = T0
    for delay in jitter:
        now = next_send_time(reserved, now, windows)
        reserved.append(now)
        arrived.append(now + timedelta(seconds=delay))
    return sorted(arrived)


def refused(arrived: list[datetime], windows: tuple[Window, ...]) -> int:
    """How many arrivals WeCom (as the sandbox counts) would refuse."""
    return sum(exceeds(arrived[:i], at, windows) for i, at in enumerate(arrived))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0, PACING_SLACK_S - 0.01), min_size=31, max_size=90))
def test_pacing_with_slack_never_breaks_a_window_whatever_the_latency(jitter: list[float]):
    for limits_ in (MEMBER_LIMITS, ROBOT_LIMITS):
        assert refused(arrivals(paced(limits_), jitter, limits_), limits_) == 0


def test_pacing_by_the_bare_window_breaks_it_when_sends_arrive_late():
    jitter = [2.0] * 30 + [0.0]  # a minute's messages arrive 2 s late, the next one at once
    assert refused(arrivals(MEMBER_LIMITS, jitter, MEMBER_LIMITS), MEMBER_LIMITS) == 1
    assert refused(arrivals(paced(MEMBER_LIMITS), jitter, MEMBER_LIMITS), MEMBER_LIMITS) == 0
