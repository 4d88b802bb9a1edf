"""`duban preview summary` and `duban send-summary`, run as an admin runs them, on a
database holding the example config and a week of replies."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.config import load_config
from bot.inbound import Desk
from bot.reports import send_summary
from bot.runtime import open_runtime
from bot.schedule import config_schedule
from handlers.inbound import Inbound
from scheduler.summary import WEEK
from storage.models import OutboxNotice
from tests.conftest import FakeClock, write_config
from tests.foundation.test_cli import duban
from tests.handlers.conftest import SHANGHAI

MONDAY_0910 = datetime(2027, 3, 8, 1, 10, tzinfo=UTC)


def office(tmp_path: Path, database_url: str) -> Path:
    """The example synced, and four replies on Monday 8 March 2027."""
    config = write_config(tmp_path, database_url=database_url)
    runtime = open_runtime(load_config(config, env={}), database_url=database_url)
    try:
        runtime.sync()
        desk = Desk(runtime.sessions, FakeClock(MONDAY_0910), SHANGHAI)
        for n, (userid, text) in enumerate(
            (
                ("lilei", "T3 60% 已完成代表资格初审"),
                ("zhoufang", "T5 已完成"),
                ("huangli", "T13 受阻 问题：展项供货延迟 下一步：协调厂家"),
                ("lilei", "T4 延期至4月30日 原因：候选人考察尚未结束"),
            )
        ):
            message = Inbound(sender=userid, sent_at=MONDAY_0910, text=text, msg_id=f"m{n}")
            (reply,) = desk.process([message])
            assert reply is not None and not str(reply["content"]).startswith("抱歉")
    finally:
        runtime.close()
    return config


def preview(config: Path, *args: str) -> dict[str, Any]:
    result = duban("preview", "summary", "--config", str(config), "--json", *args)
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_preview_summary_json_has_every_field(tmp_path: Path, database_url: str):
    data = preview(office(tmp_path, database_url), "--at", "2027-03-12 16:20")
    parts = data.pop("parts")
    assert isinstance(parts, list) and len(parts) == 1
    assert parts[0].startswith(
        "## 党组成员群 · 第10周督办汇总\n3月8日—3月14日，截至 3月12日（周五）"
    )

    def department(
        id: str, name: str, rank: int, tied: bool, lights: tuple[int, int, int], **rest: Any
    ) -> dict[str, Any]:
        green, yellow, red = lights
        return {
            "id": id,
            "name": name,
            "rank": rank,
            "tied": tied,
            "total": 2,
            "done": rest.get("done", 0),
            "green": green,
            "yellow": yellow,
            "red": red,
            "on_time_rate": rest.get("rate"),
            "reported": rest.get("reported", False),
            "report_rate": rest.get("report_rate", 0.0),
        }

    assert data == {
        "group": "leaders",
        "title": "党组成员群",
        "day": "2027-03-12",
        "period": {"kind": "week", "start": "2027-03-08", "end": "2027-03-14"},
        "headline": {
            "total": 14,
            "done": 1,
            "green": 11,
            "yellow": 1,
            "red": 1,
            "on_time_rate": 0.0,
        },
        "departments": [
            department("org", "组织人事部", 1, False, (2, 0, 0), reported=True, report_rate=1.0),
            department("museum", "省科技馆", 2, False, (1, 1, 0), reported=True, report_rate=0.5),
            department("academic", "学会学术部", 3, True, (2, 0, 0)),
            department("popsci", "科学技术普及部", 3, True, (2, 0, 0)),
            department("research", "调研宣传部", 3, True, (2, 0, 0)),
            department("party", "机关党委", 6, False, (1, 0, 0), done=1, rate=0.0, reported=True),
            department("office", "办公室", 7, False, (1, 0, 1), rate=0.0),
        ],
        "not_reported": [
            {"task": task, "department": name}
            for task, name in (
                ("T1", "办公室"),
                ("T2", "办公室"),
                ("T6", "机关党委"),
                ("T7", "学会学术部"),
                ("T8", "学会学术部"),
                ("T9", "科学技术普及部"),
                ("T10", "科学技术普及部"),
                ("T11", "调研宣传部"),
                ("T12", "调研宣传部"),
                ("T14", "省科技馆"),
            )
        ],
        "red": [
            {
                "task": "T2",
                "department": "办公室",
                "overdue_days": 51,
                "reminded": 0,
                "last_report": None,
            }
        ],
        "completed": ["T5"],
        "changes": [
            {"task": "T3", "from": None, "to": 60},
            {"task": "T5", "from": None, "to": 100},
        ],
        "problems": [{"task": "T13", "date": "2027-03-08", "text": "展项供货延迟"}],
        "extensions": [{"task": "T4", "requested_date": "2027-04-30", "state": "pending"}],
        "escalations": [],
        "next": [{"task": "T3", "date": "2027-03-15", "what": "各选举单位报送候选人初步人选"}],
    }


def test_tied_departments_say_so_in_the_groups_message(tmp_path: Path, database_url: str):
    (part,) = preview(office(tmp_path, database_url), "--at", "2027-03-12 16:20")["parts"]
    ranking = part.split("**部门排名（按时完成率 › 逾期少 › 报送及时）**\n")[1].split("\n\n")[0]
    warn = '<font color="warning">未报送</font>'
    assert ranking.splitlines() == [
        "1. 组织人事部　2 项｜办结 0｜逾期 0｜按时 —｜已报送",
        "2. 省科技馆　2 项｜办结 0｜逾期 0｜按时 —｜已报送",
        f"3. 学会学术部（并列）　2 项｜办结 0｜逾期 0｜按时 —｜{warn}",
        f"3. 科学技术普及部（并列）　2 项｜办结 0｜逾期 0｜按时 —｜{warn}",
        f"3. 调研宣传部（并列）　2 项｜办结 0｜逾期 0｜按时 —｜{warn}",
        "6. 机关党委　2 项｜办结 1｜逾期 0｜按时 0%｜已报送",
        f"7. 办公室　2 项｜办结 0｜逾期 1｜按时 0%｜{warn}",
    ]


def test_a_send_on_a_periods_first_day_previews_the_previous_period(
    tmp_path: Path, database_url: str
):
    config = office(tmp_path, database_url)
    # Monday 15 March: the week of 8–14 March, with Monday's replies in it.
    monday = preview(config, "--at", "2027-03-15 09:00")
    assert monday["period"] == {"kind": "week", "start": "2027-03-08", "end": "2027-03-14"}
    assert monday["completed"] == ["T5"]
    assert "**上周办结**（1 项）" in monday["parts"][0]
    tuesday = preview(config, "--at", "2027-03-16 09:00")
    assert tuesday["period"] == {"kind": "week", "start": "2027-03-15", "end": "2027-03-21"}
    first = preview(config, "--period", "month", "--at", "2027-04-01")
    assert first["period"] == {"kind": "month", "start": "2027-03-01", "end": "2027-03-31"}
    assert first["completed"] == ["T5"] and "3月督办汇总（月调度）" in first["parts"][0]


def summary_keys(config: Path, database_url: str) -> list[str]:
    runtime = open_runtime(load_config(config, env={}), database_url=database_url)
    try:
        with runtime.sessions() as session:
            notices = session.scalars(select(OutboxNotice).where(OutboxNotice.kind == "summary"))
            return sorted(n.dedupe_key for n in notices)
    finally:
        runtime.close()


def test_a_manual_send_summary_does_not_cancel_the_scheduled_one(tmp_path: Path, database_url: str):
    config = office(tmp_path, database_url)
    result = duban("send-summary", "--config", str(config), "--group", "leaders")
    assert result.returncode == 0, result.stderr
    assert "已把 党组成员群" in result.stdout and "放入发件箱" in result.stdout
    (manual,) = summary_keys(config, database_url)
    assert manual.startswith("summary:leaders:week:") and ":manual:" in manual
    # The scheduled send of the same week (its Friday 16:20) still goes out.
    start = date.fromisoformat(manual.split(":")[3])
    friday = datetime.combine(start + timedelta(days=4), time(16, 20), SHANGHAI)
    loaded = load_config(config, env={})
    schedule = config_schedule(loaded)
    (group,) = schedule.groups
    runtime = open_runtime(loaded, database_url=database_url)
    try:
        sent = send_summary(runtime.sessions, schedule, group, friday, kind=WEEK, now=friday)
        assert sent.queued and sent.period.start == start
        # A manual send repeated within its minute is queued once; the next minute, again.
        at = friday + timedelta(minutes=5)
        again = [
            send_summary(runtime.sessions, schedule, group, t, kind=WEEK, now=t, manual=True)
            for t in (at, at + timedelta(seconds=30), at + timedelta(minutes=1))
        ]
        assert [s.queued for s in again] == [True, False, True]
    finally:
        runtime.close()
    keys = summary_keys(config, database_url)
    assert f"summary:leaders:week:{start}" in keys and len(keys) == 4
