"""The 09:10 burst: thousands of digests, one per member, delivered through the sandbox.

    .venv/bin/python bench/burst.py [--contacts 5000] [--latency-ms 100] [--database URL]

(A PostgreSQL `--database` is emptied first.)

The sandbox WeCom runs in its own process (as WeCom is elsewhere), answering every API
call after `--latency-ms`; it enforces the per-member limits and counts what it accepted
and what it refused. This process builds an office in which every member answers for two
tasks due 1 and 3 working days after Monday 15 June 2026, runs the real reminder tick for
09:10 that day (snapshot, plan, one digest per member claimed and queued in one
transaction), then runs the bot's delivery loop, as `duban run` does, until the outbox is
empty. It reports the planning time, the time to the last delivery, sends per second, and
what was dropped (still pending or failed), refused (45009 and the like) or sent twice.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from datetime import datetime  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

SEND_TIME = datetime(2026, 6, 15, 9, 10, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday


def office(contacts: int) -> str:
    """The example config with `contacts` more members, each answering for two tasks."""
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    lines = [text]
    for d in range(contacts // 50 + 1):
        lines.append(f'[[departments]]\nid = "b{d}"\nname = "基层单位{d}"\nleader = "wangxinhui"\n')
    for i in range(contacts):
        member = f"m{i:05d}"
        lines.append(
            f'[[people]]\nuserid = "{member}"\nname = "成员{i}"\ndepartment = "b{i // 50}"\n'
        )
        for n, due in ((1, "2026-06-16"), (2, "2026-06-18")):
            lines.append(
                f'[[tasks]]\nid = "{20 + i // 1000}.{i % 1000}.{n}"\n'
                f'title = "基层重点任务{i}-{n}"\ndepartment = "b{i // 50}"\n'
                f'contacts = ["{member}"]\nassigned = 2026-06-01\ndeadline = {due}\n'
            )
    return "\n".join(lines)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_sandbox(port: int, contacts: int, latency_ms: float) -> None:
    from collections import Counter
    from datetime import UTC, datetime

    from aiohttp import web

    from bot.runtime import SANDBOX_CORP_ID, SANDBOX_SECRET
    from bot.sandbox import SandboxState, create_sandbox_api

    state = SandboxState(
        now=lambda: datetime.now(UTC),
        corp_id=SANDBOX_CORP_ID,
        secret=SANDBOX_SECRET,
        agent_id=1000002,
        users={f"m{i:05d}": f"成员{i}" for i in range(contacts)},
        robots={},
        latency=latency_ms / 1000,
    )

    async def stats(_request: web.Request) -> web.Response:
        entries = state.entries(channel="app")
        per_member = Counter(e.peer for e in entries)
        times = [e.at for e in entries]
        return web.json_response(
            {
                "delivered": len(entries),
                "members": len(per_member),
                "twice": sum(n - 1 for n in per_member.values() if n > 1),
                "refused": len(state.over_limit),
                "requests": state.requests,
                "first": min(times).timestamp() if times else None,
                "last": max(times).timestamp() if times else None,
            }
        )

    root = web.Application()
    root.router.add_get("/stats", stats)
    root.add_subapp("/wecom", create_sandbox_api(state))
    web.run_app(root, host="127.0.0.1", port=port, print=None, access_log=None)


async def burst(database_url: str, sandbox: str, contacts: int) -> dict[str, float]:
    import aiohttp
    from aiohttp import web

    from bot.app import DELIVERY, build_app
    from bot.config import parse_config
    from bot.reminders import tick
    from bot.runtime import open_runtime
    from bot.schedule import config_schedule
    from storage import outbox

    text = office(contacts).replace("sqlite:///data/duban.db", database_url)
    text = text.replace("# api_base = ", f'api_base = "{sandbox}/wecom"  # ')
    config = parse_config(text, env={})
    runtime = open_runtime(config)
    runtime.sync()
    started = time.time()
    planned = tick(runtime.sessions, config_schedule(config), SEND_TIME, runtime.now())
    assert planned.queued == contacts, planned
    enqueued = time.time()
    app = await build_app(runtime, deliver=False)
    delivery = app[DELIVERY]
    runner = web.AppRunner(app)  # started, not served: its clients and cleanup are real
    await runner.setup()
    rounds = 0
    while await delivery.run_once():
        rounds += 1
    done = time.time()
    with runtime.sessions() as session:
        left = outbox.listing(session)
    async with aiohttp.ClientSession() as http, http.get(f"{sandbox}/stats") as response:
        stats = await response.json()
    await runner.cleanup()
    runtime.close()
    return {
        "plan_and_enqueue_s": enqueued - started,
        "deliver_s": done - enqueued,
        "last_delivery_s": (stats["last"] or done) - enqueued,
        "rounds": rounds,
        "dropped": len(left),
        **stats,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=5000)
    parser.add_argument("--latency-ms", type=float, default=100.0)
    parser.add_argument("--database", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--serve-sandbox", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_sandbox:
        return serve_sandbox(args.serve_sandbox, args.contacts, args.latency_ms)

    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--serve-sandbox",
            str(port),
            "--contacts",
            str(args.contacts),
            "--latency-ms",
            str(args.latency_ms),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        for _ in range(300):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        with tempfile.TemporaryDirectory() as workdir:
            url = args.database or f"sqlite:///{workdir}/burst.db"
            if url.startswith("postgresql"):
                from tests.conftest import reset_postgres

                reset_postgres(url)  # emptied first: every run plans the same fresh day
            result = asyncio.run(burst(url, f"http://127.0.0.1:{port}", args.contacts))
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    kind = url.split(":", 1)[0]
    print(
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; {args.contacts} digests to "
        f"{args.contacts} members on {kind}, {args.latency_ms:.0f} ms per WeCom call"
    )
    print(json.dumps(result, indent=1))
    sends = result["delivered"] / max(result["last_delivery_s"], 1e-9)
    print(
        f"last delivery after {result['last_delivery_s']:.1f} s ({sends:.0f} sends/s); "
        f"delivered {result['delivered']}, dropped {result['dropped']}, "
        f"refused {result['refused']}, delivered twice {result['twice']}"
    )


if __name__ == "__main__":
    main()
