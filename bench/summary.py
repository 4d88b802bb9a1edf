"""A leaders' summary over a large office, on SQLite and on PostgreSQL.

    .venv/bin/python bench/summary.py [--tasks 10000] [--rounds 3] [--postgres URL]

The office of bench/plan.py (10 records per task: 100,000 records for 10,000 tasks, 3
milestones each). Each round computes the week's summary for all departments (snapshot +
history + summarize) and renders it into robot-sized parts; the report gives the median
time, the SQL statements per summary (bounded: they must not grow with the tasks) and the
parts; then the ledger of the same data is exported once. Targets (issue #9): a summary
under 1 s, the export under 10 s. With `--postgres` (default: the test database
CI uses, emptied first) the same office is built there too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from plan import SHANGHAI, build  # noqa: E402

AT = datetime(2026, 3, 20, 16, 20, tzinfo=SHANGHAI)  # a Friday, records all around it


def measure(url: str, rounds: int) -> dict[str, float]:
    from sqlalchemy import event

    from bot import summaries
    from bot.wecom import limits
    from domain.rules import DEFAULT_LIGHTS
    from scheduler.calendar import WorkCalendar
    from storage.db import make_engine, make_sessions

    engine = make_engine(url)
    sessions = make_sessions(engine)
    statements: list[int] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(1))
    calendar = WorkCalendar()
    times, renders, parts, queries = [], [], 0, 0
    for _ in range(rounds + 1):  # the first round warms the calendar and the templates
        statements.clear()
        start = time.perf_counter()
        with sessions() as session:
            summary, snapshot = summaries.compute(
                session, AT, timezone=SHANGHAI, calendar=calendar, lights=DEFAULT_LIGHTS
            )
        computed = time.perf_counter()
        rendered = summaries.pack(summary, snapshot, limits.ROBOT_MARKDOWN_MAX_BYTES)
        done = time.perf_counter()
        times.append(done - start)
        renders.append(done - computed)
        parts, queries = len(rendered), len(statements)
    from bot.ledger import ledger_workbook

    statements.clear()
    start = time.perf_counter()
    with sessions() as session:
        workbook = ledger_workbook(
            session,
            day=AT.date(),
            timezone=SHANGHAI,
            calendar=calendar,
            lights=DEFAULT_LIGHTS,
            unit="河南省科协",
        )
    export = time.perf_counter() - start
    engine.dispose()
    return {
        "total_s": statistics.median(times[1:]),
        "render_s": statistics.median(renders[1:]),
        "statements": queries,
        "parts": parts,
        "export_s": export,
        "export_statements": len(statements),
        "export_mb": len(workbook) / 2**20,
    }


def row(database: str, r: dict[str, float]) -> str:
    return (
        f"{database:>10} {r['total_s']:>10.3f} {r['render_s']:>9.3f} {r['statements']:>4.0f}"
        f" {r['parts']:>6.0f} {r['export_s']:>9.3f} {r['export_statements']:>4.0f}"
        f" {r['export_mb']:>5.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "DUBAN_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
        help="a PostgreSQL database to build the office in (its public schema is replaced)",
    )
    args = parser.parse_args()
    print(f"{args.tasks} tasks, {args.tasks * 10} progress records")
    print(
        f"{'database':>10} {'summary s':>10} {'render s':>9} {'SQL':>4} {'parts':>6}"
        f" {'export s':>9} {'SQL':>4} {'MB':>5}"
    )
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'summary.db'}"
        build(Path(folder) / "summary.db", args.tasks)
        r = measure(url, args.rounds)
        print(row("sqlite", r))
    if args.postgres:
        from tests.conftest import reset_postgres

        reset_postgres(args.postgres)
        build(args.postgres, args.tasks)
        r = measure(args.postgres, args.rounds)
        print(row("postgresql", r))


if __name__ == "__main__":
    main()
