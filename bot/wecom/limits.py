"""WeCom size and rate limits, and pure helpers to respect them (no I/O)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

APP_TEXT_MAX_BYTES = 2048
APP_MARKDOWN_MAX_BYTES = 2048
ROBOT_TEXT_MAX_BYTES = 2048
ROBOT_MARKDOWN_MAX_BYTES = 4096
MAX_TOUSER = 1000
MAX_TOPARTY = 100
TOKEN_LIFETIME_S = 7200
# Files (media/upload, webhook/upload_media; docs/wecom.md "文件"): 5 bytes to 20 MB, and a
# media_id can be used for 3 days.
MEDIA_MIN_BYTES = 5
MEDIA_MAX_BYTES = 20 * 1024 * 1024
MEDIA_LIFETIME_S = 3 * 24 * 3600

APP_MAX_BYTES = {"text": APP_TEXT_MAX_BYTES, "markdown": APP_MARKDOWN_MAX_BYTES}
ROBOT_MAX_BYTES = {"text": ROBOT_TEXT_MAX_BYTES, "markdown": ROBOT_MARKDOWN_MAX_BYTES}


@dataclass(frozen=True)
class Window:
    """At most `count` messages in any `seconds`-long sliding window."""

    count: int
    seconds: float


# Per app per member (excess is dropped silently by WeCom, so we must pace ourselves).
MEMBER_LIMITS: tuple[Window, ...] = (Window(30, 60), Window(1000, 3600))
# Per group robot.
ROBOT_LIMITS: tuple[Window, ...] = (Window(20, 60),)
# The bot reserves a send in its budget when it decides to send; WeCom counts the message
# when it arrives, a moment later and not always the same moment later (latency, a retry
# after a timeout). Pacing leaves this much slack in every window, so jitter between
# deciding and arriving never puts one message too many into WeCom's window.
PACING_SLACK_S = 5.0


def paced(windows: Sequence[Window]) -> tuple[Window, ...]:
    """The windows the bot paces itself by: WeCom's, each `PACING_SLACK_S` longer."""
    return tuple(Window(w.count, w.seconds + PACING_SLACK_S) for w in windows)


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def content_size(message: Mapping[str, Any], limits: Mapping[str, int]) -> tuple[int, int] | None:
    """(size, limit) in bytes of a text/markdown message's content; None for other msgtypes."""
    msgtype = message.get("msgtype")
    if not isinstance(msgtype, str) or msgtype not in limits:
        return None
    part = message.get(msgtype)
    content = part.get("content") if isinstance(part, Mapping) else None
    if not isinstance(content, str):
        return None
    return utf8_len(content), limits[msgtype]


def media_size_problem(size: int) -> str | None:
    """Why WeCom would refuse a file of `size` bytes, or None when it is within the limits."""
    if size < MEDIA_MIN_BYTES:
        return f"file is {size} bytes, at least {MEDIA_MIN_BYTES} needed"
    if size > MEDIA_MAX_BYTES:
        return f"file is {size} bytes, limit {MEDIA_MAX_BYTES} (20 MB)"
    return None


def split_content(text: str, max_bytes: int) -> list[str]:
    """Split `text` into parts of at most `max_bytes` UTF-8 bytes, numbered `（i/n）\\n`.

    Cuts prefer line breaks (the newline stays with the earlier part, so stripping the
    prefixes and joining gives back the text) and never split a character.
    """
    if utf8_len(text) <= max_bytes:
        return [text]
    digits = 1
    while True:
        widest = f"（{'9' * digits}/{'9' * digits}）\n"
        budget = max_bytes - utf8_len(widest)
        if budget < 4:  # must hold at least one character of any width
            raise ValueError(f"max_bytes={max_bytes} is too small to split into parts")
        bodies = _chunk(text, budget)
        if len(str(len(bodies))) <= digits:
            n = len(bodies)
            return [f"（{i}/{n}）\n{body}" for i, body in enumerate(bodies, 1)]
        digits += 1


def _chunk(text: str, budget: int) -> list[str]:
    chunks: list[str] = []
    start = 0
    while start < len(text):
        used = 0
        end = start
        best_break, best_used = -1, 0  # a cut just after, or just before, a newline
        while end < len(text):
            size = utf8_len(text[end])
            if used + size > budget:
                break
            used += size
            end += 1
            if text[end - 1] == "\n" or (end < len(text) and text[end] == "\n"):
                best_break, best_used = end, used
        # Follow a line break unless it would leave the part less than half full.
        if end < len(text) and best_break > start and best_used * 2 >= budget:
            end = best_break
        chunks.append(text[start:end])
        start = end
    return chunks


def next_send_time(
    sent_at: Sequence[datetime], now: datetime, limits: Sequence[Window]
) -> datetime:
    """Earliest time >= now at which one more message may go out within every window.

    A message sent at s counts against a window at time t while t - s < window.seconds.
    `sent_at` are past sends (none later than `now`), in any order.
    """
    ordered = sorted(sent_at)
    t = now
    changed = True
    while changed:
        changed = False
        for window in limits:
            span = timedelta(seconds=window.seconds)
            recent = [s for s in ordered if t - s < span]
            if len(recent) >= window.count:
                # Wait until enough of the oldest ones slide out to leave one free slot.
                t = recent[len(recent) - window.count] + span
                changed = True
    return t


def exceeds(sent_at: Sequence[datetime], now: datetime, limits: Sequence[Window]) -> bool:
    """Whether one more message at `now` would break a window."""
    return next_send_time(sent_at, now, limits) > now
