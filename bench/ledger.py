"""The ledger export at scale: 10k tasks and 100k progress records on SQLite.

    .venv/bin/python bench/ledger.py [--sizes 1000 10000] [--rounds 3] [--out 台账.xlsx]

The synthetic office of bench/plan.py (10 records per task, 3 milestones, departments of
50 tasks). A fresh process per size exports the ledger `--rounds` times; the report gives
the median time to read (snapshot, every record, the month's history), to build the
workbook, the total, the SQL statements (bounded: the same for every size) and the file's
size. Target (issue #9): 10k tasks and 100k records < 10 s. `--out` keeps the last file to
open in Excel or WPS.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.plan import build  # noqa: E402  (the same synthetic office)

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 6, 15)


def measure(path: Path, rounds: int, out: str | None) -> dict[str, float]:
    from sqlalchemy import event

    from bot.ledger import read_ledger_data, workbook_bytes
    from domain.rules import DEFAULT_LIGHTS
    from scheduler.calendar import WorkCalendar
    from storage.db import make_engine, make_sessions

    engine = make_engine(f"sqlite:///{path}")
    sessions = make_sessions(engine)
    statements: list[int] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(1))
    calendar = WorkCalendar()
    calendar.is_workday(DAY)  # the year's days are looked up once per process
    reads, builds, size, records = [], [], 0, 0
    for _ in range(rounds):
        statements.clear()
        start = time.perf_counter()
        # What bot.ledger.ledger_workbook does, timed in its two halves.
        with sessions() as session:
            snapshot, ledger, summary = read_ledger_data(
                session,
                day=DAY,
                timezone=SHANGHAI,
                calendar=calendar,
                lights=DEFAULT_LIGHTS,
                unit="河南省科协",
            )
        read = time.perf_counter()
        data = workbook_bytes(
            snapshot,
            ledger,
            summary,
            day=DAY,
            timezone=SHANGHAI,
            calendar=calendar,
            lights=DEFAULT_LIGHTS,
        )
        done = time.perf_counter()
        reads.append(read - start)
        builds.append(done - read)
        size, records = len(data), ledger.record_count
    if out:
        Path(out).write_bytes(data)
    return {
        "read_s": statistics.median(reads),
        "build_s": statistics.median(builds),
        "total_s": statistics.median(r + b for r, b in zip(reads, builds, strict=True)),
        "statements": len(statements),
        "mb": size / 2**20,
        "records": records,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", help="keep the last workbook here")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: the child process
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure), args.rounds, args.out)))
        return
    print(
        f"{'tasks':>8} {'records':>8} {'read s':>8} {'build s':>8} {'total s':>8} {'SQL':>5} "
        f"{'MB':>6}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            path = Path(folder) / f"ledger-{size}.db"
            build(path, size)
            command = [sys.executable, __file__, "--measure", str(path)]
            command += ["--rounds", str(args.rounds)] + (["--out", args.out] if args.out else [])
            out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            r = json.loads(out)
            print(
                f"{size:>8} {r['records']:>8} {r['read_s']:>8.2f} {r['build_s']:>8.2f} "
                f"{r['total_s']:>8.2f} {r['statements']:>5} {r['mb']:>6.1f}"
            )


if __name__ == "__main__":
    main()
