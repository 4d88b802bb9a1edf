"""Config validation: every mistake reported once, at its TOML path, with a fix."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from bot.config import ConfigError, Problem, load_config, parse_config
from tests.conftest import EXAMPLE

DIRECTORY = """
[[departments]]
id = "office"
name = "办公室"
leader = "boss"

[[people]]
userid = "boss"
name = "领导"
role = "leader"

[[people]]
userid = "clerk"
name = "职员"
department = "office"

[[tasks]]
id = "T1"
title = "编印任务分解"
department = "office"
deadline = 2027-03-31
"""


# Holidays for the deadline year, so no "unknown calendar year" warning muddles the tests.
MINIMAL = "[calendar]\nholidays = [2027-01-01]\n" + DIRECTORY


def problems(text: str, env: dict[str, str] | None = None) -> list[Problem]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, env=env or {})
    return caught.value.problems


def only(text: str, env: dict[str, str] | None = None) -> Problem:
    found = problems(text, env)
    assert len(found) == 1, found
    return found[0]


def test_example_config_is_valid_and_realistic():
    config = load_config(EXAMPLE, env={})
    assert config.summary() == "7 个部门，14 项任务，1 个领导群"
    assert {d.name for d in config.departments} >= {"办公室", "组织人事部", "省科技馆"}
    assert sum(p.role == "leader" for p in config.people) == 2
    assert any(p.role == "admin" for p in config.people)
    assert any(t.milestones for t in config.tasks)
    assert len({t.deadline.month for t in config.tasks}) >= 6


def test_minimal_config_takes_defaults():
    config = parse_config(MINIMAL)
    assert config.bot.timezone == "Asia/Shanghai"
    assert config.bot.database_url == "sqlite:///data/duban.db"
    assert config.wecom.mode == "sandbox"
    assert config.wecom.callback_path == "/wecom/callback"
    assert config.tasks[0].deadline == date(2027, 3, 31)
    assert config.warnings == ()


def test_unknown_department_suggests_the_closest_id():
    p = only(MINIMAL.replace('department = "office"\ndeadline', 'department = "ofice"\ndeadline'))
    assert p.path == 'tasks[0].department = "ofice"'
    assert "没有这个部门" in p.message and '"office"' in p.hint


def test_department_name_instead_of_id_is_explained():
    p = only(MINIMAL.replace('department = "office"\ndeadline', 'department = "办公室"\ndeadline'))
    assert "部门 id" in p.hint and '"office"' in p.hint


def test_duplicate_task_id():
    text = (
        MINIMAL
        + '\n[[tasks]]\nid = "T1"\ntitle = "另一项"\ndepartment = "office"\ndeadline = 2027-05-01\n'
    )
    p = only(text)
    assert p.path == 'tasks[1].id = "T1"' and "tasks[0]" in p.message


def test_person_in_missing_department_and_staff_without_one():
    text = MINIMAL + '\n[[people]]\nuserid = "x"\nname = "甲"\ndepartment = "nowhere"\n'
    text += '\n[[people]]\nuserid = "y"\nname = "乙"\n'
    paths = [p.path for p in problems(text)]
    assert paths == ['people[2].department = "nowhere"', "people[3]"]


def test_leader_and_contacts_must_be_people():
    text = MINIMAL.replace('leader = "boss"', 'leader = "bos"\ncontacts = ["clerk", "ghost"]')
    found = problems(text)
    assert [p.path for p in found] == [
        'departments[0].leader = "bos"',
        'departments[0].contacts[1] = "ghost"',
    ]
    assert '"boss"' in found[0].hint


def test_milestone_after_deadline():
    text = MINIMAL + 'milestones = [{ date = 2027-04-01, title = "节点" }]\n'
    p = only(text)
    assert p.path == "tasks[0].milestones[0].date = 2027-04-01"
    assert "2027-03-31" in p.message


def test_invalid_dates_in_toml_and_in_strings():
    syntax = only(MINIMAL.replace("2027-03-31", "2027-02-30"))
    assert syntax.path == "" and "第 23 行" in syntax.message
    as_text = only(MINIMAL.replace("2027-03-31", '"2027-13-01"'))
    assert as_text.path == 'tasks[0].deadline = "2027-13-01"' and "日期无效" in as_text.message


def test_bad_webhook_url_and_schedule():
    text = (
        MINIMAL + '\n[[groups]]\nid = "leaders"\nname = "党组"\nwebhook = "https://example.com/x"\n'
    )
    text += 'summary = "周八 16:00"\n'
    found = problems(text)
    assert [p.path for p in found] == [
        'groups[0].webhook = "https://example.com/x"',
        'groups[0].summary = "周八 16:00"',
    ]
    assert "webhook/send?key=" in found[0].hint


def test_group_needs_exactly_one_destination():
    p = only(MINIMAL + '\n[[groups]]\nid = "leaders"\nname = "党组"\n')
    assert p.path == "groups[0]" and "webhook" in p.message


def test_schedule_forms():
    base = MINIMAL + '\n[[groups]]\nid = "g"\nname = "群"\nchat_id = "c1"\nsummary = "{}"\n'
    for written, weekday, at in [
        ("周五 16:20", 4, "16:20"),
        ("每周一 9:05", 0, "09:05"),
        ("星期日 20:00", 6, "20:00"),
        ("fri 16:20", 4, "16:20"),
    ]:
        summary = parse_config(base.replace("{}", written)).groups[0].summary
        assert (summary.weekday, summary.at.strftime("%H:%M")) == (weekday, at)


def test_unknown_keys_anywhere_with_suggestions():
    text = "[bot]\nprot = 8080\n" + MINIMAL.replace(
        'title = "编印任务分解"', 'titel = "编印任务分解"'
    )
    text += 'milestones = [{ date = 2027-03-01, titel = "节点" }]\n[extra]\na = 1\n'
    found = {p.path: p.hint for p in problems(text)}
    assert found["bot.prot"] == "是否想写 port？"
    assert found["tasks[0].titel"] == "是否想写 title？"
    assert found["tasks[0].milestones[0].titel"] == "是否想写 title？"
    assert "extra" in found
    assert "tasks[0].title" in found  # the real key is now missing


def test_wrong_types_and_ranges():
    text = '[bot]\nport = "八零"\ntimezone = "Mars/Base"\n[wecom]\nmode = "test"\n' + MINIMAL
    found = {re.sub(r" = .*", "", p.path): p.message for p in problems(text)}
    assert found == {"bot.port": "应为整数", "bot.timezone": "未知时区", "wecom.mode": "取值不对"}


def test_bad_ids():
    text = MINIMAL.replace('id = "T1"', 'id = "任务1"').replace(
        'id = "office"', 'id = "Office Dept"'
    )
    paths = [p.path for p in problems(text)]
    assert 'departments[0].id = "Office Dept"' in paths
    assert 'tasks[0].id = "任务1"' in paths


def test_five_distinct_mistakes_are_all_reported():
    text = MINIMAL.replace('department = "office"\ndeadline', 'department = "ofice"\ndeadline')
    text = text.replace('leader = "boss"', 'leader = "bos"')
    text += '\n[[tasks]]\nid = "T1"\ntitle = "重复"\ndepartment = "office"\ndeadline = 2027-01-01\n'
    text += 'milestones = [{ date = 2027-02-01, title = "晚了" }]\n'
    text += '\n[[groups]]\nid = "leaders"\nname = "党组"\nwebhook = "not a url"\n'
    found = problems(text)
    assert len(found) == 5
    assert all(p.path and p.message and p.hint for p in found)


def test_env_interpolation_present_default_and_missing():
    text = '[wecom]\nmode = "sandbox"\nsecret = "${SECRET}"\ntoken = "${TOKEN:-t0}"\n'
    text += 'corp_id = "${CORP}"\n' + MINIMAL
    config = parse_config(text, env={"SECRET": "s3cret"})
    assert (config.wecom.secret, config.wecom.token, config.wecom.corp_id) == ("s3cret", "t0", "")
    assert len(config.warnings) == 1 and "CORP" in config.warnings[0].message


def test_missing_secret_in_live_mode_names_the_variable():
    text = (
        '[wecom]\nmode = "live"\ncorp_id = "ww1"\nsecret = "${WECOM_SECRET}"\n'
        'token = "${WECOM_TOKEN}"\nencoding_aes_key = "${WECOM_AES_KEY}"\n' + MINIMAL
    )
    found = problems(text, env={"WECOM_TOKEN": "tok"})
    assert [(p.path, p.message) for p in found] == [
        ("wecom.secret", "环境变量 WECOM_SECRET 未设置"),
        ("wecom.encoding_aes_key", "环境变量 WECOM_AES_KEY 未设置"),
    ]
    env = {"WECOM_SECRET": "s", "WECOM_TOKEN": "t", "WECOM_AES_KEY": "a" * 43}
    assert parse_config(text, env=env).wecom.secret == "s"


def test_live_mode_requires_every_secret():
    found = problems('[wecom]\nmode = "live"\n' + MINIMAL)
    assert {p.path for p in found} == {
        "wecom.corp_id",
        "wecom.secret",
        "wecom.token",
        "wecom.encoding_aes_key",
    }


def test_department_with_tasks_but_no_contacts_is_a_warning():
    text = MINIMAL.replace(
        'department = "office"\n\n[[tasks]]', 'department = "office"\nrole = "admin"\n\n[[tasks]]'
    )
    config = parse_config(text)
    assert [w.path for w in config.warnings] == ["departments[0]"]


def test_postgres_url_gets_the_installed_driver():
    config = parse_config('[bot]\ndatabase_url = "postgresql://u@h:5432/db"\n' + MINIMAL)
    assert config.bot.sqlalchemy_url == "postgresql+psycopg://u@h:5432/db"


def test_missing_file_is_a_clear_problem(tmp_path: Path):
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "config.toml")
    assert "找不到配置文件" in caught.value.report()


def test_deadline_years_without_a_holiday_schedule_are_a_warning():
    far = DIRECTORY.replace("deadline = 2027-03-31", "deadline = 2035-03-30")
    (warning,) = parse_config(far).warnings
    assert warning.path == "calendar" and "2035 年" in warning.message
    known = "[calendar]\nholidays = [2035-01-01]\n" + far
    assert parse_config(known).warnings == ()
    assert parse_config(known).work_calendar().is_workday(date(2035, 1, 1)) is False


MONTHLY = MINIMAL + '\n[[groups]]\nid = "g"\nname = "群"\nchat_id = "c1"\nmonthly = "{}"\n'


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("32日 16:20", "月度汇总时间格式不对"),
        ("0日 16:20", "月度汇总时间格式不对"),
        ("25 16:20", "月度汇总时间格式不对"),
        ("月底 16:20", "月度汇总时间格式不对"),
        ("25日 25:00", "时间格式不对"),
    ],
)
def test_a_bad_monthly_time_is_rejected_at_its_path_with_a_hint(written: str, message: str):
    p = only(MONTHLY.replace("{}", written))
    assert p.path == f'groups[0].monthly = "{written}"'
    assert p.message == message
    assert p.hint.startswith("写成") and ("25日 16:20" in p.hint or "09:10" in p.hint)


def test_monthly_forms():
    monthly = parse_config(MONTHLY.replace("{}", "每月25号 9:00")).groups[0].monthly
    assert monthly is not None and (monthly.day, monthly.at.strftime("%H:%M")) == (25, "09:00")
