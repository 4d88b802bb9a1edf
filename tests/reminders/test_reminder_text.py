"""What a person reads: the digest rendered from its template (a golden text, and an
eight-item digest that stays a phone-sized message)."""

from __future__ import annotations

from datetime import date, time

from bot.reminders import rendered
from bot.wecom import limits
from scheduler.planner import plan
from tests.scheduler.test_planner import CAL, RULES, SHANGHAI, at, office, reported, task


def test_a_digest_reads_as_the_readme_shows() -> None:
    day = date(2024, 3, 26)  # a Tuesday
    snapshot = office(
        task("T3", date(2024, 3, 29), title="十大代表资格审查"),  # 3 working days left
        task(
            "T4",
            date(2024, 3, 22),  # Friday: 2 working days overdue
            title="院士专家地方行活动",
            percent=60,
            last_report=reported(date(2024, 3, 11)),
            last_update_at=at(date(2024, 3, 11), time(15)),
        ),
    )
    notices = {n.to: n for n in plan(snapshot, at(day), RULES, CAL)}
    text = rendered(notices["lilei"], snapshot, SHANGHAI)["text"]
    assert text == (
        "**督办提醒** 3月26日（周二）\n"
        "李磊您好，以下任务请关注：\n"
        "🔴 **T4** 院士专家地方行活动\n"
        "> 已逾期 2 个工作日\n"
        "> 截止 3月22日（周五）｜最近填报 3月11日，进度 60%\n"
        "🟡 **T3** 十大代表资格审查\n"
        "> 还剩 3 个工作日截止\n"
        "> 截止 3月29日（周五）｜尚未填报\n"
        "回复示例：`T4 80% 已完成…`、`T4 已完成`、`T4 延期至X月X日 原因：…`"
    )


def test_eight_items_fit_one_app_message() -> None:
    day = date(2024, 3, 26)
    tasks = [
        task(f"T{i}", date(2024, 3, 20 + i), title="筹备召开省科协第十次代表大会有关工作" * 2)
        for i in range(1, 9)
    ]
    snapshot = office(*tasks)
    (notice,) = [n for n in plan(snapshot, at(day), RULES, CAL) if n.to == "lilei"]
    assert len(notice.entries) >= 6
    text = rendered(notice, snapshot, SHANGHAI)["text"]
    assert len(text.encode()) <= limits.APP_MARKDOWN_MAX_BYTES
    assert text.count("> 截止") == len(notice.entries)
