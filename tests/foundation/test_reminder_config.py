"""The reminder rules in the config: every new key validated at its path, one type each."""

from __future__ import annotations

from datetime import date, time

from bot.config import parse_config
from bot.schedule import config_schedule, schedule_of, sections
from domain.snapshot import ReminderOverrides
from tests.foundation.test_config import MINIMAL, only, problems


def test_reminder_time_is_one_type_set_or_not():
    unset = parse_config(MINIMAL)
    given = parse_config('[reminders]\ntime = "08:40"\n' + MINIMAL)
    assert unset.reminders.time == time(9, 10) and given.reminders.time == time(8, 40)
    assert isinstance(unset.reminders.time, time) and isinstance(given.reminders.time, time)


def test_every_reminder_key_has_a_default_and_a_checked_range():
    rules = parse_config(MINIMAL).reminders
    assert (rules.days_before, rules.overdue_every, rules.escalate_after) == ([3, 1], 1, 3)
    assert (rules.stale_after, rules.monthly_report_day, rules.catch_up_hours) == (10, None, 12)
    bad = problems(
        "[reminders]\noverdue_every = 0\nmonthly_report_day = 32\ncatch_up_hours = -1\n"
        'time = "9点"\ndays_before = [3, 100]\nescalate_after = -1\nmonthly_window = -2\n'
        "stale_after = -5\n" + MINIMAL
    )
    assert {p.path.split(" = ")[0] for p in bad} == {
        "reminders.overdue_every",
        "reminders.monthly_report_day",
        "reminders.catch_up_hours",
        "reminders.time",
        "reminders.days_before[1]",
        "reminders.escalate_after",
        "reminders.monthly_window",
        "reminders.stale_after",
    }
    assert "09:10" in next(p.hint for p in bad if p.path.startswith("reminders.time"))


def test_a_tasks_own_reminder_rules_are_checked_and_kept():
    text = MINIMAL.replace(
        "deadline = 2027-03-31", "deadline = 2027-03-31\nreminders = { days_before = [10, 3] }"
    )
    config = parse_config(text)
    (spec,) = config.directory().tasks
    assert spec.reminders == ReminderOverrides(days_before=(10, 3), quiet=False)
    typo = only(text.replace("days_before = [10, 3]", "dayz_before = [10]"))
    assert typo.path == "tasks[0].reminders.dayz_before" and "days_before" in typo.hint
    quiet = parse_config(text.replace("days_before = [10, 3]", "quiet = true"))
    assert quiet.directory().tasks[0].reminders.quiet


def test_a_13710_task_needs_its_assigned_day_and_settles_by_default():
    base = MINIMAL.replace("deadline = 2027-03-31", 'profile = "13710"')
    missing = only(base)
    assert missing.path == "tasks[0].profile" and "assigned" in missing.hint
    config = parse_config(
        base.replace('profile = "13710"', 'profile = "13710"\nassigned = 2027-03-01')
    )
    (task,) = config.tasks
    assert task.due == date(2027, 3, 10)  # 7 working days after Monday 1 March
    major = parse_config(
        base.replace('profile = "13710"', 'profile = "13710"\nassigned = 2027-03-01\nmajor = true')
    )
    assert major.tasks[0].due == date(2027, 4, 1)
    wrong = only(
        MINIMAL.replace("deadline = 2027-03-31", 'deadline = 2027-03-31\nprofile = "1371"')
    )
    assert wrong.path.startswith("tasks[0].profile")


def test_a_task_without_a_deadline_is_reported():
    found = only(MINIMAL.replace("deadline = 2027-03-31", ""))
    assert (found.path, found.message) == ("tasks[0]", "任务 T1 缺少截止日期")


def test_a_round_send_time_is_warned_about():
    config = parse_config('[reminders]\ntime = "09:00"\n' + MINIMAL)
    assert any("整点和半点" in w.message for w in config.warnings)
    assert not any("整点" in w.message for w in parse_config(MINIMAL).warnings)


def test_summary_thresholds_are_checked():
    assert parse_config(MINIMAL).lights().warn_days == 5
    found = only("[summaries]\nwarn_days = -1\n" + MINIMAL)
    assert found.path.startswith("summaries.warn_days")


def test_the_stored_schedule_round_trips():
    config = parse_config('[reminders]\ntime = "08:40"\nmonthly_report_day = 25\n' + MINIMAL)
    stored = sections(config)
    again = schedule_of(stored)
    assert again.reminders == config_schedule(config).reminders
    assert again.reminders.time == time(8, 40) and again.reminders.monthly_report_day == 25
    assert again.calendar.knows(2027)
