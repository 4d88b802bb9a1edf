"""The duban command line, run as a user runs it."""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, ROOT, free_port, start_bot, write_config


def duban(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd or ROOT,
        env={**os.environ, **(env or {})},
    )


def test_check_config_on_the_example():
    result = duban("check-config", "--config", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "配置正确：7 个部门，14 项任务，1 个领导群"


def test_check_config_lists_every_problem(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace(
        'department = "org"\ndeadline = 2027-04-30', 'department = "ogr"\ndeadline = 2027-04-30'
    )
    text = text.replace('id = "T5"', 'id = "T4"').replace(
        'summary = "周五 16:20"', 'summary = "周五"'
    )
    text = text.replace(
        'leader = "wangxinhui"\n\n[[departments]]\nid = "org"',
        'leader = "wangxh"\n\n[[departments]]\nid = "org"',
    )
    text = text.replace("[reminders]\n", "[reminders]\ntimes = 2\n")
    result = duban("check-config", "--config", str(write_config(tmp_path, text)))
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("  ")]
    assert len(lines) == 5, result.stderr
    for path in (
        "tasks[2].department",
        "tasks[4].id",
        "groups[0].summary",
        "departments[0].leader",
        "reminders.times",
    ):
        assert any(path in line for line in lines), (path, lines)
    assert "Traceback" not in result.stderr


def test_missing_config_is_a_message_not_a_traceback(tmp_path):
    result = duban("tasks", cwd=tmp_path, env={"DUBAN_CONFIG": ""})
    assert result.returncode == 1
    assert "找不到配置文件" in result.stderr and "Traceback" not in result.stderr


def test_config_from_environment_variable(tmp_path):
    result = duban("check-config", cwd=tmp_path, env={"DUBAN_CONFIG": str(EXAMPLE)})
    assert result.returncode == 0


def test_sync_twice_then_archive(tmp_path):
    config = write_config(tmp_path)
    first = duban("sync", "--config", str(config))
    assert first.returncode == 0 and "任务 T1、T2" in first.stdout
    second = duban("sync", "--config", str(config))
    assert second.stdout.strip() == "已是最新，没有变化。"
    text = config.read_text(encoding="utf-8")
    start = text.index('[[tasks]]\nid = "T14"')
    config.write_text(text[:start] + text[text.index("# ───────── 领导群") :], encoding="utf-8")
    third = duban("sync", "--config", str(config))
    assert third.stdout.strip() == "归档：任务 T14"
    tasks = duban("tasks", "--config", str(config))
    assert "T13" in tasks.stdout and "T14" not in tasks.stdout


def test_tasks_table(tmp_path):
    config = str(write_config(tmp_path))
    assert duban("sync", "--config", config).returncode == 0
    result = duban("tasks", "--config", config)
    assert result.returncode == 0 and result.stderr == ""
    header, _rule, *rows = result.stdout.splitlines()
    assert header.split() == ["编号", "牵头部门", "任务", "截止", "状态", "进度", "最近填报"]
    assert len(rows) == 14 and rows[2].split()[:4] == [
        "T3",
        "组织人事部",
        "十大代表和委员人选审核",
        "2027-04-30",
    ]


def test_tasks_only_reads_and_says_when_the_database_lags_the_config(tmp_path):
    path = write_config(tmp_path)
    config = str(path)
    duban("sync", "--config", config)
    text = path.read_text(encoding="utf-8")
    start = text.index('[[tasks]]\nid = "T14"')
    path.write_text(text[:start] + text[text.index("# ───────── 领导群") :], encoding="utf-8")
    result = duban("tasks", "--config", config)
    assert result.returncode == 0
    assert "T14" in result.stdout  # still in the database: tasks did not sync
    assert "数据库中的任务 T14 已从配置中删除" in result.stderr and "duban sync" in result.stderr
    assert duban("sync", "--config", config).stdout.strip() == "归档：任务 T14"


READ_ONLY = [
    ("tasks",),
    ("preview", "reminders", "--at", "2027-03-29 09:10"),
    ("preview", "summary", "--at", "2027-03-26 16:20"),
]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", READ_ONLY, ids=lambda c: " ".join(c[:2]))
def test_read_only_commands_create_no_database(tmp_path, command):
    database = tmp_path / "data" / "duban.db"
    config = str(write_config(tmp_path, database_url=f"sqlite:///{database}"))
    result = duban(*command, "--config", config)
    assert not database.parent.exists()  # no file, not even its folder
    assert "数据库尚未初始化，先运行 duban sync" in result.stderr
    if command[0] == "tasks" or command[1] == "summary":  # nothing to show without records
        assert result.returncode == 1 and result.stdout == ""
    else:  # what the config alone would send, and it says so
        assert result.returncode == 0 and "按配置预览" in result.stderr
        assert "── 发给" in result.stdout


@pytest.mark.parametrize("command", READ_ONLY, ids=lambda c: " ".join(c[:2]))
def test_read_only_commands_change_nothing_in_an_up_to_date_database(tmp_path, command):
    config = str(write_config(tmp_path))
    assert duban("sync", "--config", config).returncode == 0
    database = tmp_path / "duban.db"
    before = digest(database)
    result = duban(*command, "--config", config)
    assert result.returncode == 0, result.stderr
    assert digest(database) == before


@pytest.mark.parametrize("command", READ_ONLY, ids=lambda c: " ".join(c[:2]))
def test_read_only_commands_do_not_upgrade_an_older_schema(tmp_path, command):
    """A newer duban must not upgrade a database running instances share: it says what to do."""
    config = str(write_config(tmp_path))
    assert duban("sync", "--config", config).returncode == 0
    database = tmp_path / "duban.db"
    with contextlib.closing(sqlite3.connect(database)) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = '0005'")
    before = digest(database)
    result = duban(*command, "--config", config)
    assert result.returncode == 1 and result.stdout == ""
    assert "数据库结构比程序旧，先运行 duban sync 升级" in result.stderr
    assert digest(database) == before


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_run_serves_healthz_and_stops_cleanly(tmp_path, stop):
    port = free_port()
    config = write_config(tmp_path, port=port)
    proc = start_bot(config)
    try:
        body = None
        for _ in range(200):  # polling a starting server, not timing behaviour
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/healthz", timeout=1
                ) as response:
                    body = response.read()
                    break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.05)
        assert body == b'{"status": "ok"}', proc.stdout.read() if proc.poll() is not None else ""
        proc.send_signal(stop)
        output, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, output
    assert "Traceback" not in output and "duban stopped" in output
