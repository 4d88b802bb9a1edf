"""A real `kill -9` in `make test`: bench/soak.py's machinery, short. `duban run` runs as a
real process, is killed with SIGKILL after seeded random stretches of traffic (replies
through signed callbacks, notices queued into the outbox), restarted, and at last left to
finish; then the sandbox's log and the database are checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.soak import Soak
from tests.conftest import PG_URL, reset_postgres

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not PG_URL, reason="DUBAN_TEST_DATABASE_URL is not set"),
    ),
]


@pytest.mark.parametrize("backend", BACKENDS)
async def test_kill_9_loses_no_confirmed_reply_and_no_notice(tmp_path: Path, backend: str):
    database = None
    if backend == "postgresql":
        assert PG_URL
        reset_postgres(PG_URL)
        database = PG_URL
    soak = Soak(tmp_path, cycles=2, seed=10, database=database, traffic=(0.3, 1.2), drain_limit=20)
    result = await soak.run()
    log = (tmp_path / "bot.log").read_text(encoding="utf-8", errors="replace")[-3000:]

    assert result["kills"] == 2
    assert result["replies confirmed"] > 0 and result["notices enqueued"] > 0
    assert result["confirmed on record exactly once"] == result["replies confirmed"], log
    assert result["records twice"] == 0, log
    assert result["outbox drained"] and result["never delivered"] == 0, log
    assert result["notices enqueued"] == result["notices expected"], log
    assert result["duplicates"] == 0, log  # members: WeCom's duplicate check drops a resend
    assert result["refused by WeCom limits"] == 0
