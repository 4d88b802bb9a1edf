"""Hole 7: config files at the edges get a clear Chinese answer, never a traceback, and an
item with several mistakes has all of them reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.config import parse_config
from storage.db import transaction
from storage.snapshot import read_snapshot
from storage.sync import sync_directory
from tests.conftest import EXAMPLE

OFFICE = """
[calendar]
holidays = [2027-01-01]

[[departments]]
id = "office"
name = "办公室"

[[people]]
userid = "clerk"
name = "{name}"
department = "office"
"""
TASK = """
[[tasks]]
id = "T1"
title = "编印任务分解"
department = "office"
deadline = 2027-03-31
"""


def check(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    code = main(["check-config", "--config", str(path)])
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize("text", ["", "\n\n# 只有注释\n"])
def test_an_empty_file_says_so(tmp_path, capsys, text):
    code, said = check(tmp_path, text, capsys)
    assert code == 1 and "配置文件是空的" in said and "配置正确" not in said


def test_deep_nesting_is_a_problem_not_a_traceback(tmp_path, capsys):
    for depth in (40, 100_000):
        code, said = check(tmp_path, "x = " + "[" * depth + "]" * depth + "\n", capsys)
        assert code == 1 and "嵌套超过" in said and "Traceback" not in said


def test_a_5_mb_value_is_quoted_by_its_start(tmp_path, capsys):
    code, said = check(tmp_path, OFFICE.format(name="长" * 5_000_000) + TASK, capsys)
    assert code == 1 and "太长了" in said and "（共 5000000 个字符）" in said
    assert len(said) < 1000


def test_a_5_mb_file_of_tasks_is_read(tmp_path, capsys):
    task = TASK.replace("编印任务分解", "编印任务分解" * 50)
    tasks = "".join(task.replace('"T1"', f'"T{i}"') for i in range(1, 5501))
    text = OFFICE.format(name="职员") + tasks
    assert len(text.encode()) > 5_000_000
    code, said = check(tmp_path, text, capsys)
    assert code == 0 and said.startswith("配置正确：1 个部门，5500 项任务")


def test_control_characters_are_refused_by_check_config(tmp_path, capsys):
    code, said = check(tmp_path, OFFICE.format(name="职\\u0000员") + TASK, capsys)
    assert code == 1 and "people[0].name" in said and "U+0000" in said


def test_a_task_with_a_bad_date_still_has_its_unknown_department_reported(tmp_path, capsys):
    text = OFFICE.format(name="职员") + TASK.replace('"office"', '"ofice"').replace(
        "2027-03-31", '"3月底"'
    )
    code, said = check(tmp_path, text, capsys)
    assert code == 1 and "2 处问题" in said
    assert "tasks[0].deadline" in said and 'tasks[0].department = "ofice"' in said


def test_no_tasks_and_nobody_to_remind_are_warnings(tmp_path, capsys):
    code, said = check(tmp_path, OFFICE.format(name="职员"), capsys)
    assert code == 0 and "还没有任务" in said
    lonely = OFFICE.format(name="职员").replace('department = "office"', 'role = "admin"') + TASK
    code, said = check(tmp_path, lonely, capsys)
    assert code == 0 and "没有联络人" in said


UNUSUAL = ["𠮷野家 🍜", "Zoë ‮עברית‬", "李\u200d磊", "ﾃｽﾄ　全角", "Ω≈ç√∫"]


def test_unusual_unicode_is_kept_on_both_databases(sessions: sessionmaker[Session], clock):
    for name in UNUSUAL:
        config = parse_config(OFFICE.format(name=name) + TASK)
        with transaction(sessions) as session:
            sync_directory(session, config.directory(), now=clock())
        with sessions() as session:
            assert read_snapshot(session, clock().tzinfo).people["clerk"].name == name


def test_the_example_config_stays_valid(tmp_path, capsys):
    code, said = check(tmp_path, EXAMPLE.read_text(encoding="utf-8"), capsys)
    assert code == 0 and said.startswith("配置正确")
