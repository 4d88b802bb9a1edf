"""The sandbox journal: what the chats show survives a restart, within bounds."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import journal_path
from bot.config import load_config
from bot.sandbox import Journal, SandboxState
from bot.sandbox.records import CardUpdate, CodeUsed, Entry, Mark
from tests.conftest import EXAMPLE
from tests.sandbox.conftest import AGENT_ID, CORP_ID, ROBOTS, USERS, Clock

CARD = {
    "card_type": "button_interaction",
    "main_title": {"title": "T3 代表资格审查"},
    "task_id": "rc-3",
    "button_list": [{"text": "已完成", "key": "done:T3", "style": 1}],
}


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "sandbox.jsonl"


def sandbox(clock: Clock, journal: Journal | None) -> SandboxState:
    return SandboxState(
        now=clock,
        corp_id=CORP_ID,
        secret="s3cret",
        agent_id=AGENT_ID,
        users=USERS,
        robots=ROBOTS,
        journal=journal,
    )


@pytest.fixture
def open_state(clock: Clock, path: Path) -> Callable[..., SandboxState]:
    def make(keep: int = 100) -> SandboxState:
        return sandbox(clock, Journal(path, keep=keep))

    return make


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_a_restart_replays_messages_card_updates_and_used_codes(
    open_state: Callable[..., SandboxState], path: Path
) -> None:
    before = open_state()
    before.record("user", "zhangsan", "text", {"content": "T3 80%"}, msgid="4096001")
    before.record("reply", "zhangsan", "text", {"content": "已记录 T3 进度 80%"})
    before.record("app", "zhangsan", "template_card", CARD, response_code="code-1")
    before.record("robot", "robot-key-1", "markdown", {"content": "# 第12周督办汇总"})
    before.update_cards("code-1", ["zhangsan"], {**CARD, "replace_text": "已完成"})
    before.use_response_code("code-1")
    before.close()

    after = open_state()
    assert after.entries() == before.entries()
    assert after.conversation("zhangsan")[-1].body["replace_text"] == "已完成"
    assert after.used_response_codes == {"code-1"}
    assert after.last_seq == before.last_seq  # the card update took a number too
    assert after.msgid_floor == 4096001
    # Numbers go on where they stopped: an open page's long-poll sees the next change.
    assert after.record("app", "lisi", "text", {"content": "新消息"}).seq == before.last_seq + 1


def test_without_a_journal_nothing_is_written(clock: Clock, tmp_path: Path) -> None:
    state = sandbox(clock, None)
    state.record("app", "zhangsan", "text", {"content": "只在内存里"})
    assert list(tmp_path.iterdir()) == []


def test_a_corrupt_last_line_is_skipped_not_fatal(
    open_state: Callable[..., SandboxState], path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first = open_state()
    first.record("app", "zhangsan", "text", {"content": "第一条"})
    first.record("app", "zhangsan", "text", {"content": "第二条"})
    first.close()
    with path.open("a", encoding="utf-8") as out:
        out.write('{"t": "entry", "seq": 3, "at": "2025-03-')  # a crash cut the last write

    second = open_state()
    assert [e.body["content"] for e in second.entries()] == ["第一条", "第二条"]
    assert "line 3 unreadable" in caplog.text
    # The start compacted the journal, so the next record is a line of its own.
    second.record("app", "zhangsan", "text", {"content": "第三条"})
    second.close()
    journal = Journal(path)
    assert [r.body["content"] for r in journal.read() if isinstance(r, Entry)] == [
        "第一条",
        "第二条",
        "第三条",
    ]
    assert journal.skipped == 0


def test_an_append_after_a_cut_line_starts_a_line_of_its_own(path: Path) -> None:
    path.parent.mkdir()
    path.write_text('{"t": "used", "code": "a"}\n{"t": "used", "co', encoding="utf-8")
    journal = Journal(path)
    journal.append(CodeUsed("b"))
    journal.close()
    again = Journal(path)
    assert again.read() == [CodeUsed("a"), CodeUsed("b")]
    assert again.skipped == 1


@pytest.mark.parametrize(
    "line",
    [
        "not json",
        "[1, 2]",
        '{"t": "entry", "seq": "1"}',
        '{"t": "entry", "seq": 1, "at": "2025-03-17T09:00:00", "channel": "app", "peer": "a",'
        ' "msgtype": "text", "body": {}}',  # a time without its zone
        '{"t": "update", "seq": 2, "code": "c", "userids": [1], "body": {}}',
        '{"t": "mark", "seq": true, "msgid": 1}',
        '{"t": "unknown"}',
    ],
)
def test_unreadable_lines_anywhere_are_skipped(
    open_state: Callable[..., SandboxState], path: Path, line: str
) -> None:
    first = open_state()
    first.record("app", "zhangsan", "text", {"content": "前"})
    first.close()
    with path.open("a", encoding="utf-8") as out:
        out.write(line + "\n")
    later = Entry(
        9, datetime(2025, 3, 17, 2, 0, tzinfo=UTC), "app", "zhangsan", "text", {"content": "后"}
    )
    Journal(path).append(later)

    state = open_state()
    assert [e.body["content"] for e in state.entries()] == ["前", "后"]
    assert state.last_seq == 9


def test_the_journal_is_bounded_and_compacted(
    open_state: Callable[..., SandboxState], path: Path
) -> None:
    state = open_state(keep=5)
    state.record("app", "zhangsan", "template_card", CARD, response_code="old-card")
    state.use_response_code("old-card")
    for n in range(30):
        state.record("app", "zhangsan", "text", {"content": f"第{n}条"})
        assert len(lines(path)) <= 2 * 5 + 1  # compacted as it grows, not only at start
    state.close()

    again = open_state(keep=5)
    assert [e.body["content"] for e in again.entries()] == [f"第{n}条" for n in range(25, 30)]
    assert again.used_response_codes == set()  # its card is gone, so is the code
    assert again.last_seq == state.last_seq
    records = Journal(path).read()
    assert isinstance(records[0], Mark) and len(records) == 6  # the counters, five entries


def test_a_journal_that_cannot_be_written_leaves_the_sandbox_in_memory(
    clock: Clock, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    state = sandbox(clock, Journal(blocker / "sandbox.jsonl"))
    state.record("app", "zhangsan", "text", {"content": "照常显示"})
    state.record("app", "zhangsan", "text", {"content": "也照常显示"})
    assert len(state.entries()) == 2
    assert caplog.text.count("cannot be written") == 1


def test_records_round_trip_through_the_file(path: Path) -> None:
    at = datetime(2025, 3, 17, 9, 0, tzinfo=UTC)
    records = [
        Mark(7, 42),
        CodeUsed("c-1"),
        Entry(5, at, "app", "u", "template_card", CARD, msgid="m", response_code="c-1"),
        CardUpdate(6, "c-1", ("u",), {**CARD, "replace_name": "已处理"}),
        CardUpdate(7, "c-1", None, {"card_type": "text_notice"}),
    ]
    journal = Journal(path)
    for record in records:
        journal.append(record)
    journal.close()
    assert Journal(path).read() == records
    assert all(json.loads(line)["t"] for line in lines(path))


def test_journal_path_is_beside_the_sqlite_file_or_in_data(tmp_path: Path) -> None:
    config = load_config(EXAMPLE, env={})
    assert journal_path(config) == Path("data/sandbox.jsonl")  # sqlite:///data/duban.db
    text = EXAMPLE.read_text(encoding="utf-8")
    for url, expected in [
        (f"sqlite:///{tmp_path}/db/duban.db", tmp_path / "db" / "sandbox.jsonl"),
        ("postgresql://duban@db.internal:5432/duban", Path("data/sandbox.jsonl")),
    ]:
        other = tmp_path / "config.toml"
        other.write_text(text.replace("sqlite:///data/duban.db", url), encoding="utf-8")
        assert journal_path(load_config(other, env={})) == expected
