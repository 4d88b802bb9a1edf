"""The sandbox pages' costs: rendering a chat, and the journal (appending, starting again).

Every long-poll answer re-renders the whole conversation from the templates, so a chat's
render time is what a page waits for after each new message. The journal adds a line per
message and is replayed when `duban run` starts; at most 2 × KEEP lines before it compacts.

Run: .venv/bin/python bench/sandbox.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.sandbox.journal import KEEP, Journal  # noqa: E402
from bot.sandbox.state import SandboxState  # noqa: E402
from bot.sandbox.view import CHAT_WINDOW, render_entries  # noqa: E402

DIGEST = (
    "**督办提醒** 3月1日（周一）\n李磊您好，以下任务请关注：\n"
    + "\n".join(
        f'🔴 **T{n}** 十大代表和委员人选审核\n> <font color="warning">已逾期 {n} 个工作日</font>'
        f"\n> 截止 3月{n}日（周{n % 7 + 1}）｜上次 `T{n} 60%`（2月20日）"
        for n in range(1, 9)
    )
    + "\n回复示例：`T3 80% 已完成…`、`T3 已完成`"
)
CARD = {
    "card_type": "button_interaction",
    "source": {"desc": "督办提醒"},
    "main_title": {"title": "T2 编印年度重点工作任务分解和落实措施", "desc": "截止 3月31日"},
    "sub_title_text": "还剩 3 个工作日\n上次报 60%（2月20日）",
    "horizontal_content_list": [{"keyname": "牵头部门", "value": "办公室"}],
    "task_id": "rc-20270301-abcdef",
    "button_list": [
        {"text": "已完成", "style": 1, "key": "done:T2"},
        {"text": "申请延期", "style": 2, "key": "extend:T2"},
        {"text": "查看详情", "style": 2, "key": "detail:T2"},
    ],
}


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2027, 3, 1, 1, 10, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=40)
        return self.now


def state(journal: Journal | None = None) -> SandboxState:
    return SandboxState(
        now=Clock(),
        corp_id="ww",
        secret="s",
        agent_id=1,
        users={"lilei": "李磊"},
        robots={},
        journal=journal,
    )


def fill(s: SandboxState, count: int) -> None:
    """A member's chat: their replies, the bot's answers, digests and cards, in turn."""
    for n in range(count):
        kind = n % 4
        if kind == 0:
            s.record("user", "lilei", "text", {"content": f"T3 {n % 100}% 已完成代表资格审查"})
        elif kind == 1:
            s.record("reply", "lilei", "text", {"content": "已记录 T3 进度 80%。"})
        elif kind == 2:
            s.record("app", "lilei", "markdown", {"content": DIGEST})
        else:
            s.record("app", "lilei", "template_card", CARD, response_code=f"code-{n}")


def render_ms(count: int, rounds: int) -> float:
    s = state()
    fill(s, count)
    entries = s.conversation("lilei")
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        render_entries(entries)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    print("chat render (a long-poll answer), median:")
    for count, rounds in ((40, 50), (CHAT_WINDOW, 20), (KEEP, 20)):
        shown = min(count, CHAT_WINDOW)
        print(f"  {count:>5} messages ({shown} shown): {render_ms(count, rounds):6.1f} ms")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sandbox.jsonl"
        s = state(Journal(path))
        count = 2 * KEEP
        start = time.perf_counter()
        fill(s, count)
        elapsed = time.perf_counter() - start
        s.close()
        size = path.stat().st_size / 1e6
        print(f"journal: {count} messages recorded in {elapsed * 1000:.0f} ms")
        print(f"  ({elapsed / count * 1e6:.0f} µs each, compaction included), file {size:.1f} MB")
        # The largest journal a start meets: 2 × KEEP lines, just before it compacts.
        memory = state()
        fill(memory, 2 * KEEP)
        biggest = Journal(Path(folder) / "biggest.jsonl")
        for entry in memory.entries():
            biggest.append(entry)
        biggest.close()
        start = time.perf_counter()
        again = state(Journal(biggest.path))
        elapsed = time.perf_counter() - start
        print(
            f"start: {2 * KEEP} lines replayed and compacted to {len(again.entries())} entries "
            f"in {elapsed * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
