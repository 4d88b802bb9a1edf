"""Answers to a "which task?" question."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .numbers import to_int

_ANSWER_RE = re.compile(
    r"(?:选|选择|是|就是|回复)?\s*(?:第\s*)?(?:任务\s*)?(?P<id>[Tt]?\s?[0-9]{1,4}(?:\.[0-9]{1,3})*"
    r"|[一二三四五六七八九十]{1,3})\s*(?:项|号|个|条)?(?:任务)?(?:吧|的)?"
)


def pick(text: str, candidates: Sequence[str], key: Callable[[str], str]) -> str | None:
    core = text.strip(" ,;。!?:、~")
    m = _ANSWER_RE.fullmatch(core)
    if m is None:
        return None
    raw = m.group("id").replace(" ", "")
    if not raw[0].isascii():
        value = to_int(raw)
        if value is None:
            return None
        raw = str(value)
    wanted = key(raw)
    for candidate in candidates:
        ck = key(candidate)
        if ck == wanted or (ck.startswith("T") and ck[1:] == wanted):
            return candidate
    if not wanted.startswith("T") and wanted.isdigit():
        n = int(wanted)
        if 1 <= n <= len(candidates):
            return candidates[n - 1]
    return None
