"""`duban preview reminders` and `duban remind-now`, run as an admin runs them."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage.db import make_engine, make_sessions
from storage.models import ProgressRecord, Task
from tests.conftest import write_config
from tests.foundation.test_cli import duban

AT = "2027-03-25 09:10"  # a Thursday: the example office has overdue and stale tasks


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = write_config(tmp_path)
    result = duban("sync", "--config", str(path))
    assert result.returncode == 0, result.stderr
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def preview(config: Path, *args: str) -> tuple[list[dict], str]:
    result = duban("preview", "reminders", "--config", str(config), "--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def test_preview_prints_every_notice_and_writes_nothing(config: Path) -> None:
    database = config.parent / "duban.db"
    before = digest(database)
    notices, _ = preview(config, "--at", AT)
    assert digest(database) == before
    assert {"to", "rule", "tasks", "text"} <= set(notices[0])
    by_person = {n["to"]: n for n in notices}
    assert by_person["lilei"]["tasks"] == ["T4", "T3"]  # the nearer deadline first
    assert by_person["wangxinhui"]["rule"] == "escalate"  # the leader presses late tasks
    assert "T4" in by_person["lilei"]["text"] and "回复示例" in by_person["lilei"]["text"]
    # The same moment written in UTC is the same send time.
    again, _ = preview(config, "--at", "2027-03-25T01:10:00+00:00")
    assert again == notices
    text = duban("preview", "reminders", "--config", str(config), "--at", AT)
    assert "── 发给 李磊（lilei）" in text.stdout


@pytest.mark.parametrize(
    ("at", "reason"),
    [("2027-03-27 09:10", "3月27日为周末，不发送提醒"), ("2027-03-25 10:00", "不是提醒时间")],
)
def test_a_moment_that_is_not_a_send_time_says_why(config: Path, at: str, reason: str) -> None:
    notices, stderr = preview(config, "--at", at)
    assert notices == []
    assert reason in stderr


def test_recorded_progress_counts(config: Path) -> None:
    engine = make_engine(f"sqlite:///{config.parent / 'duban.db'}")
    reported = datetime(2027, 3, 25, 0, 30, tzinfo=UTC)  # 08:30 in Beijing, that morning
    with make_sessions(engine)() as session, session.begin():
        for task_id in ("T3", "T4"):
            session.add(
                ProgressRecord(
                    task_id=task_id,
                    author="lilei",
                    created_at=reported,
                    action="progress",
                    percent=60,
                    raw_text=f"{task_id} 60%",
                )
            )
            task = session.get(Task, task_id)
            assert task is not None
            task.percent, task.last_update_at = 60, reported
    engine.dispose()
    notices, _ = preview(config, "--at", AT)
    assert "lilei" not in {n["to"] for n in notices}  # reported today: not nagged today


def test_remind_now_queues_once(config: Path) -> None:
    first = duban("remind-now", "--config", str(config), "--at", AT)
    second = duban("remind-now", "--config", str(config), "--at", AT)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    notices, _ = preview(config, "--at", AT)
    assert f"计划 {len(notices)} 条提醒，新排队 {len(notices)} 条" in first.stdout
    assert f"计划 {len(notices)} 条提醒，新排队 0 条" in second.stdout
