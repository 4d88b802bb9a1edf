"""Every corpus reply parses to what a person would expect."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from handlers.parser import choose_candidate, parse_reply

from .corpus import CASES, CHOICES, MISSING
from .corpus2 import CASES2
from .corpus3 import CASES3
from .corpus4 import CASES4
from .fixtures import TASKS

ALL = CASES + CASES2 + CASES3 + CASES4


def _expected(exp: dict[str, Any]) -> dict[str, Any]:
    base: dict[str, Any] = {
        "kind": exp["kind"],
        "command": None,
        "task": None,
        "note": None,
        "updates": [],
        "clarify": None,
    }
    if exp["kind"] == "update":
        base["updates"] = exp["updates"]
    elif exp["kind"] == "command":
        base.update(command=exp["command"], task=exp["task"], note=exp["note"])
        if exp["period"] is not None:
            base["period"] = exp["period"]
    return base


@pytest.mark.parametrize(
    ("sender", "today", "text", "exp"),
    ALL,
    ids=[f"{i:03d}-{c[2][:24]!r}" for i, c in enumerate(ALL)],
)
def test_corpus(sender: str, today: date, text: str, exp: dict[str, Any]) -> None:
    got = parse_reply(text, today=today, tasks=TASKS[sender]).to_dict()
    if exp["kind"] == "clarify":
        assert got["kind"] == "clarify", got
        assert got["updates"] == []
        clarify = got["clarify"]
        assert clarify["reason"] == exp["reason"], got
        assert clarify["candidates"] == exp["candidates"], got
        if exp["detail"] is not MISSING:
            assert clarify["detail"] == exp["detail"], got
        return
    assert got == _expected(exp)


def test_corpus_is_large_and_unique() -> None:
    assert len(CASES) >= 320
    assert len(CASES2) >= 250  # round 2: casual chat and formal reports
    assert len(CASES3) >= 200  # round 3: fresh replies across the held-out categories
    assert len(CASES4) >= 250  # round 4: formal report text as pasted from work reports
    keys = [(s, t, x) for s, t, x, _ in ALL]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(("text", "candidates", "exp"), CHOICES)
def test_choose_candidate(text: str, candidates: list[str], exp: str | None) -> None:
    assert choose_candidate(text, candidates) == exp
