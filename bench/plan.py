"""Reminder planning at scale: snapshot read + plan for 1k, 10k and 100k tasks on SQLite.

    .venv/bin/python bench/plan.py [--sizes 1000 10000 100000] [--rounds 3]

Each size gets a synthetic office in a fresh SQLite file: 10 records per task, 3 milestones
per task, deadlines spread over a year, 5 contacts per department of 50 tasks. A fresh
process per size then reads the snapshot and plans one send time, `--rounds` times; the
report gives the median time of each step, the number of SQL statements (bounded: it must
not grow with the tasks) and the peak memory the step added (max RSS over the baseline).
Targets (issue #8): 10k tasks < 0.5 s, 100k < 5 s, growth no worse than linear.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHANGHAI = ZoneInfo("Asia/Shanghai")
SEND_TIME = datetime(2026, 6, 15, 9, 10, tzinfo=SHANGHAI)  # a Monday
TASKS_PER_DEPARTMENT = 50
CONTACTS_PER_DEPARTMENT = 5
RECORDS_PER_TASK = 10
MILESTONES_PER_TASK = 3


def build(target: Path | str, tasks: int) -> None:
    """Write a synthetic office of `tasks` tasks into a new SQLite file (a Path) or an empty
    database (a URL)."""
    from sqlalchemy import insert

    from storage.db import make_engine, migrate
    from storage.models import Department, Milestone, Person, ProgressRecord, Task

    engine = make_engine(f"sqlite:///{target}" if isinstance(target, Path) else target)
    migrate(engine)
    departments = (tasks + TASKS_PER_DEPARTMENT - 1) // TASKS_PER_DEPARTMENT
    created = datetime(2026, 1, 5, 2, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(
            insert(Department),
            [
                {
                    "id": f"d{d}",
                    "name": f"部门{d}",
                    "leader": f"lead{d % 20}",
                    "position": d,
                    "archived": False,
                    "contacts": None,
                }
                for d in range(departments)
            ],
        )
        people = [
            {
                "userid": f"lead{n}",
                "name": f"领导{n}",
                "department_id": None,
                "role": "leader",
                "archived": False,
            }
            for n in range(20)
        ]
        people += [
            {
                "userid": f"u{d}_{c}",
                "name": f"联络员{d}-{c}",
                "department_id": f"d{d}",
                "role": "staff",
                "archived": False,
            }
            for d in range(departments)
            for c in range(CONTACTS_PER_DEPARTMENT)
        ]
        connection.execute(insert(Person), people)
        record_id = 0
        task_rows, milestone_rows, record_rows = [], [], []
        for n in range(tasks):
            deadline = date(2026, 1, 1) + timedelta(days=(n * 7) % 365)
            done = n % 5 == 0
            last_at = created + timedelta(days=(n % 150), hours=RECORDS_PER_TASK)
            for r in range(RECORDS_PER_TASK):
                record_id += 1
                action = "done" if done and r == RECORDS_PER_TASK - 1 else "progress"
                record_rows.append(
                    {
                        "id": record_id,
                        "task_id": f"T{n}",
                        "author": f"u{n // 50}_0",
                        "created_at": last_at - timedelta(hours=RECORDS_PER_TASK - r),
                        "action": action,
                        "percent": 10 * (r + 1),
                        "note": "按计划推进，已完成阶段工作",
                        "problems": None,
                        "next_steps": "下一步继续推进",
                        "raw_text": f"T{n} {10 * r}%",
                        "expected_date": None,
                        "source_msg_id": None,
                        "undone_at": None,
                    }
                )
            task_rows.append(
                {
                    "id": f"T{n}",
                    "title": f"重点任务第{n}项",
                    "department_id": f"d{n // 50}",
                    "partners": [],
                    "contacts": None,
                    "config_deadline": deadline,
                    "deadline": deadline,
                    "position": n,
                    "status": "done" if done else "open",
                    "percent": 100,
                    "done_at": None,
                    "last_update_at": last_at,
                    "last_record_id": record_id,
                    "archived": False,
                    "created_at": created,
                    "assigned": None,
                    "profile": None,
                    "major": False,
                    "reminders": None,
                }
            )
            for m in range(MILESTONES_PER_TASK):
                milestone_rows.append(
                    {
                        "task_id": f"T{n}",
                        "position": m,
                        "title": f"节点{m + 1}",
                        "date": deadline - timedelta(days=30 * (MILESTONES_PER_TASK - m)),
                    }
                )
        connection.execute(insert(Task), task_rows)
        connection.execute(insert(Milestone), milestone_rows)
        for start in range(0, len(record_rows), 50_000):
            connection.execute(insert(ProgressRecord), record_rows[start : start + 50_000])
    engine.dispose()


def measure(path: Path, rounds: int) -> dict[str, float]:
    """In this (fresh) process: read the snapshot and plan, `rounds` times."""
    from sqlalchemy import event

    from scheduler.calendar import WorkCalendar
    from scheduler.planner import ReminderRules, plan
    from storage.db import make_engine, make_sessions
    from storage.snapshot import read_snapshot

    engine = make_engine(f"sqlite:///{path}")
    sessions = make_sessions(engine)
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(1))
    rules = ReminderRules(timezone=SHANGHAI, monthly_report_day=25)
    calendar = WorkCalendar()
    calendar.is_workday(date(2026, 1, 1))  # the year's days are looked up once per process
    reads, plans, notices = [], [], 0
    for _ in range(rounds):
        statements.clear()
        start = time.perf_counter()
        with sessions() as session:
            snapshot = read_snapshot(session, SHANGHAI)
        read = time.perf_counter()
        planned = plan(snapshot, SEND_TIME, rules, calendar)
        done = time.perf_counter()
        reads.append(read - start)
        plans.append(done - read)
        notices = len(planned)
        del snapshot, planned
    queries = len(statements)  # of the last round
    # One more round under tracemalloc for the peak memory of snapshot + plan (max RSS
    # would not do: a child inherits its parent's high-water mark across exec on Linux).
    tracemalloc.start()
    with sessions() as session:
        snapshot = read_snapshot(session, SHANGHAI)
    plan(snapshot, SEND_TIME, rules, calendar)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "read_s": statistics.median(reads),
        "plan_s": statistics.median(plans),
        "total_s": statistics.median(r + p for r, p in zip(reads, plans, strict=True)),
        "statements": queries,
        "peak_mb": peak / 2**20,
        "digests": notices,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: the child process
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure), args.rounds)))
        return
    print(
        f"{'tasks':>8} {'read s':>8} {'plan s':>8} {'total s':>8} {'SQL':>5} {'peak MB':>8} "
        f"{'digests':>8} {'µs/task':>8}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            path = Path(folder) / f"plan-{size}.db"
            build(path, size)
            out = subprocess.run(
                [sys.executable, __file__, "--measure", str(path), "--rounds", str(args.rounds)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            r = json.loads(out)
            print(
                f"{size:>8} {r['read_s']:>8.3f} {r['plan_s']:>8.3f} {r['total_s']:>8.3f} "
                f"{r['statements']:>5} {r['peak_mb']:>8.1f} {r['digests']:>8} "
                f"{1e6 * r['total_s'] / size:>8.1f}"
            )


if __name__ == "__main__":
    main()
