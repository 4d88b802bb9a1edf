"""`duban parse`, run as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import EXAMPLE, ROOT
from tests.foundation.test_cli import duban


def test_parse_prints_the_parsers_result_as_one_json_object():
    result = duban(
        "parse",
        "--config",
        str(EXAMPLE),
        "--user",
        "lilei",
        "--today",
        "2027-03-01",
        "T3 80% 预计4月底完成",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1
    assert json.loads(result.stdout) == {
        "kind": "update",
        "command": None,
        "task": None,
        "note": None,
        "updates": [
            {
                "task": "T3",
                "action": "progress",
                "percent": 80,
                "expected_date": "2027-04-30",
                "new_deadline": None,
                "note": None,
                "problems": None,
                "next_steps": None,
            }
        ],
        "clarify": None,
    }


def test_own_tasks_follow_the_authorization_rule():
    result = duban("parse", "--config", str(EXAMPLE), "--user", "lilei", "80%")
    assert json.loads(result.stdout)["clarify"] == {
        "reason": "missing_task",
        "candidates": ["T3", "T4"],
        "detail": None,
    }
    # wujun is a popsci member (the department names zhaomin as contact): T9 and T10 are his.
    result = duban("parse", "--config", str(EXAMPLE), "--user", "wujun", "80%")
    assert json.loads(result.stdout)["clarify"]["candidates"] == ["T9", "T10"]


def test_an_unknown_user_still_parses_with_no_own_tasks():
    result = duban("parse", "--config", str(EXAMPLE), "--user", "nobody", "80%")
    assert result.returncode == 0
    assert json.loads(result.stdout)["clarify"]["reason"] == "no_tasks"
    result = duban("parse", "--config", str(EXAMPLE), "--user", "nobody", "T5 已完成")
    assert json.loads(result.stdout)["updates"][0]["action"] == "done"


def test_jsonl_reads_lines_and_writes_one_result_each():
    lines = [
        {"text": "80%", "user": "lilei", "today": "2027-03-01"},
        {"text": "T4 延期一个月", "user": "lilei", "today": "2027-03-01"},
        {"text": "汇总", "user": "wangxinhui"},
        {"text": "你好", "user": "zhoufang", "today": "2027-03-01"},
    ]
    stdin = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    result = duban_stdin(stdin)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["kind"] for o in out] == ["clarify", "update", "command", "unknown"]
    assert out[1]["updates"][0]["new_deadline"] == "2027-04-30"
    assert out[2]["command"] == "summary"


def test_non_ascii_is_printed_as_is():
    result = duban(
        "parse",
        "--config",
        str(EXAMPLE),
        "--user",
        "zhoufang",
        "--today",
        "2027-03-01",
        "T6 受阻 问题：经费未到位",
    )
    assert "经费未到位" in result.stdout


def test_bad_input_is_reported_not_a_traceback():
    result = duban("parse", "--config", str(EXAMPLE), "--today", "2027-13-01", "T3 80%")
    assert result.returncode == 2 and "输入有误" in result.stderr
    result = duban_stdin("not json\n")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def duban_stdin(stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "parse", "--config", str(EXAMPLE), "--jsonl"],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=dict(os.environ),
    )


def test_parse_reads_the_office_words_from_the_config(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8") + '\n[parser]\ndone_words = ["已归档"]\n'
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    args = ("parse", "--user", "zhoufang", "--today", "2027-03-01", "T5 已归档")
    result = duban(*args[:1], "--config", str(config), *args[1:])
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["updates"][0]["action"] == "done"
    plain = duban(*args[:1], "--config", str(EXAMPLE), *args[1:])
    assert json.loads(plain.stdout)["updates"][0]["action"] == "progress"
