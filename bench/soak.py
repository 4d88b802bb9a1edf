"""kill -9 soak: `duban run` as a real process, killed at random points, restarted, checked.

    .venv/bin/python bench/soak.py [--cycles 50] [--seed 1] [--database URL]

This process plays WeCom: the sandbox API (served here, so its log outlives every bot) and
members replying through signed, encrypted callbacks. Each cycle starts `duban run`, sends
replies (records, and blocked reports that notify a leader) and queues notices straight
into the outbox (as the reminder planner would), then kills the bot with SIGKILL after a
random, seeded delay (its folder, with the database and bot.log, is kept and named at the
end). A reply that got no confirmation is sent again later with the same
MsgId, as WeCom retries. A last run kills nothing and waits until everything is out.

The check is against the sandbox's own log and the database: every confirmed reply is on
record exactly once; every notice queued was delivered; duplicates are counted, and each
is measured against the kill that followed its first delivery (the documented window: a
message WeCom accepted just before the kill, whose mark had not committed).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiohttp import web  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from bot.runtime import SANDBOX_AES_KEY, SANDBOX_CORP_ID, SANDBOX_SECRET, SANDBOX_TOKEN  # noqa: E402
from bot.sandbox import SandboxState, create_sandbox_api  # noqa: E402
from bot.sandbox.driver import SandboxDriver  # noqa: E402
from storage import outbox  # noqa: E402
from storage.db import make_engine, make_sessions, transaction  # noqa: E402
from storage.models import OutboxNotice, ProgressRecord  # noqa: E402

SYNTHETIC = 200  # extra members who receive queued notices, so pacing does not dominate
REPLIERS = {"lilei": ("T3", "T4"), "zhoufang": ("T5", "T6"), "sunhao": ("T7", "T8")}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_config(workdir: Path, database_url: str, port: int, sandbox: int) -> Path:
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    text = text.replace("sqlite:///data/duban.db", database_url)
    text = text.replace("port = 8080", f"port = {port}")
    text = text.replace("# api_base = ", f'api_base = "http://127.0.0.1:{sandbox}/wecom"  # ')
    text += "".join(
        f'\n[[people]]\nuserid = "s{i:03d}"\nname = "同事{i:03d}"\ndepartment = "office"\n'
        for i in range(SYNTHETIC)
    )
    path = workdir / "soak.toml"
    path.write_text(text, encoding="utf-8")
    return path


class Soak:
    """One soak run in `workdir`; `traffic` bounds each cycle's seconds of traffic before
    its kill, `drain_limit` the wait for the outbox at the end (tests/faults/test_kill9.py
    runs a short one in `make test`)."""

    def __init__(
        self,
        workdir: Path,
        *,
        cycles: int,
        seed: int,
        database: str | None = None,
        traffic: tuple[float, float] = (0.2, 2.5),
        drain_limit: float = 600.0,
    ):
        self.rng = random.Random(seed)
        self.cycles = cycles
        self.workdir = workdir
        self.traffic_seconds = traffic
        self.drain_limit = drain_limit
        self.url = database or f"sqlite:///{workdir / 'soak.db'}"
        self.port, self.sandbox_port = free_port(), free_port()
        self.config = write_config(workdir, self.url, self.port, self.sandbox_port)
        from bot.config import load_config

        people = {p.userid: p.name for p in load_config(self.config, env={}).people}
        self.state = SandboxState(
            now=lambda: datetime.now(UTC),
            corp_id=SANDBOX_CORP_ID,
            secret=SANDBOX_SECRET,
            agent_id=1000002,
            users=people,
            robots={"leaders": "党组成员群"},
        )
        self.msgids = iter(range(10**9, 2 * 10**9))
        self.texts: dict[int, tuple[str, str]] = {}  # msgid → (sender, text)
        self.confirmed: set[int] = set()
        self.queued: list[str] = []  # contents of notices queued straight into the outbox
        self.blocked: dict[int, str] = {}  # msgid → the text its leader notice must carry
        self.kills: list[float] = []
        self.starts: list[float] = []
        self.bot: subprocess.Popen[bytes] | None = None
        self.log = open(workdir / "bot.log", "ab")  # noqa: SIM115

    # --- the bot process ------------------------------------------------------------

    async def start_bot(self) -> None:
        self.starts.append(time.time())
        self.bot = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--config", str(self.config)],
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        async with aiohttp.ClientSession() as http:
            for _ in range(600):
                if self.bot.poll() is not None:
                    raise SystemExit(f"duban run exited with {self.bot.returncode}; see bot.log")
                try:
                    async with http.get(f"http://127.0.0.1:{self.port}/healthz") as r:
                        if r.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.05)
        raise SystemExit("duban run did not become healthy")

    def kill_bot(self) -> None:
        assert self.bot is not None
        self.bot.send_signal(signal.SIGKILL)
        self.bot.wait()
        self.kills.append(time.time())

    def stop_bot(self) -> None:
        assert self.bot is not None
        self.bot.send_signal(signal.SIGTERM)
        self.bot.wait(timeout=30)

    # --- traffic ----------------------------------------------------------------------

    def new_reply(self) -> int:
        msgid = next(self.msgids)
        sender = self.rng.choice(sorted(REPLIERS))
        task = self.rng.choice(REPLIERS[sender])
        if self.rng.random() < 0.05:  # each notifies one of two leaders, paced 30/min
            problem = f"第{msgid}号材料未到"
            self.blocked[msgid] = problem
            text = f"{task} 受阻 问题：{problem} 下一步：催办"
        else:
            text = f"{task} {self.rng.randint(1, 99)}% 第{msgid}号进展"
        self.texts[msgid] = (sender, text)
        return msgid

    async def reply(self, driver: SandboxDriver, msgid: int) -> None:
        sender, text = self.texts[msgid]
        try:
            result = await driver.send_text(sender, text, msgid=msgid)
        except (aiohttp.ClientError, TimeoutError):
            return  # the bot is down (or died mid-request): WeCom will retry
        if result.status == 200 and result.reply_text:
            self.confirmed.add(msgid)

    def queue_notices(self, sessions: object, count: int) -> None:
        with transaction(sessions) as session:  # type: ignore[arg-type]
            for _ in range(count):
                key = f"soak-{len(self.queued):06d}"
                text = f"督办提醒 {key}"
                outbox.enqueue(
                    session,
                    kind="message",
                    recipient=f"user:s{self.rng.randrange(SYNTHETIC):03d}",
                    payload={"text": text},
                    dedupe_key=key,
                    now=datetime.now(UTC),
                )
                self.queued.append(text)

    async def traffic(self, driver: SandboxDriver, sessions: object, seconds: float) -> None:
        """Replies (new, and unconfirmed ones again) and queued notices for `seconds`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            retries = [m for m in self.texts if m not in self.confirmed][:3]
            batch = retries + [self.new_reply() for _ in range(3)]
            self.queue_notices(sessions, 5)
            await asyncio.gather(*(self.reply(driver, m) for m in batch))
            await asyncio.sleep(0.05)

    # --- the run ----------------------------------------------------------------------

    async def run(self) -> dict[str, object]:
        api = web.Application()
        api.add_subapp("/wecom", create_sandbox_api(self.state))
        runner = web.AppRunner(api, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", self.sandbox_port).start()
        engine = make_engine(self.url)
        sessions = make_sessions(engine)
        started = time.monotonic()
        async with aiohttp.ClientSession() as http:
            driver = SandboxDriver(
                http,
                self.state,
                callback_url=f"http://127.0.0.1:{self.port}/wecom/callback",
                token=SANDBOX_TOKEN,
                encoding_aes_key=SANDBOX_AES_KEY,
                corp_id=SANDBOX_CORP_ID,
                agent_id=1000002,
                now=lambda: datetime.now(UTC),
            )
            for cycle in range(self.cycles):
                await self.start_bot()
                await self.traffic(driver, sessions, self.rng.uniform(*self.traffic_seconds))
                self.kill_bot()
                print(f"cycle {cycle + 1}/{self.cycles}: killed; {len(self.confirmed)} confirmed")
            await self.start_bot()  # the last run: nothing is killed
            for _ in range(200):
                pending = [m for m in self.texts if m not in self.confirmed]
                if not pending:
                    break
                await asyncio.gather(*(self.reply(driver, m) for m in pending))
            drained = await self.wait_for_outbox(sessions, self.drain_limit)
            self.stop_bot()
        await runner.cleanup()
        self.log.close()
        result = self.check(sessions, drained, time.monotonic() - started)
        engine.dispose()
        return result

    async def wait_for_outbox(self, sessions: object, limit: float = 600) -> bool:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            with sessions() as session:  # type: ignore[operator]
                left = session.scalar(
                    select(func.count())
                    .select_from(OutboxNotice)
                    .where(OutboxNotice.state != outbox.SENT)
                )
            if not left:
                return True
            await asyncio.sleep(0.5)
        return False

    def check(self, sessions: object, drained: bool, seconds: float) -> dict[str, object]:
        with sessions() as session:  # type: ignore[operator]
            records = Counter(session.scalars(select(ProgressRecord.source_msg_id)).all())
            enqueued = int(session.scalar(select(func.count()).select_from(OutboxNotice)) or 0)
        entries = self.state.entries(channel="app") + self.state.entries(channel="robot")
        contents = [e.body.get("content", "") for e in entries]
        times: dict[str, list[float]] = {}
        for entry, content in zip(entries, contents, strict=True):
            times.setdefault(content, []).append(entry.at.timestamp())
        wanted = list(self.queued) + list(self.blocked.values())
        delivered = {w: sum(1 for c in contents if w in c) for w in wanted}
        duplicates = {w: n - 1 for w, n in delivered.items() if n > 1}
        windows = []
        within_a_run = 0  # both sends by one process: a retry after a timed-out answer
        for w in duplicates:
            sent = sorted(t for c, ts in times.items() if w in c for t in ts)
            later = [k for k in self.kills if k >= sent[0]]
            if later and later[0] < sent[1]:
                windows.append(later[0] - sent[0])
            else:
                within_a_run += 1
            print(f"  duplicate {w}: sent at {[round(t - self.starts[0], 3) for t in sent]} s")
        on_record = sum(1 for m in self.confirmed if records.get(str(m)) == 1)
        return {
            "seconds": round(seconds, 1),
            "cycles": self.cycles,
            "kills": len(self.kills),
            "replies sent": len(self.texts),
            "replies confirmed": len(self.confirmed),
            "confirmed on record exactly once": on_record,
            "records found": sum(records.values()),
            "records twice": sum(1 for n in records.values() if n > 1),
            "notices enqueued": enqueued,
            "notices expected": len(wanted),
            "delivered": sum(1 for n in delivered.values() if n >= 1),
            "never delivered": sum(1 for n in delivered.values() if n == 0),
            "duplicates": sum(duplicates.values()),
            "duplicates across a kill": len(windows),
            "widest window before a kill s": round(max(windows), 3) if windows else 0.0,
            "duplicates within one run (timed-out answer, retried)": within_a_run,
            "refused by WeCom limits": len(self.state.over_limit),
            "dropped by WeCom's duplicate check": self.state.duplicates_suppressed,
            "outbox drained": drained,
        }


def passed(result: dict[str, object]) -> bool:
    """Every confirmed reply on record once, every notice delivered, none over WeCom's
    limits (live WeCom drops those silently), the outbox drained."""
    return bool(
        result["replies confirmed"] == result["confirmed on record exactly once"]
        and result["records twice"] == 0
        and result["never delivered"] == 0
        and result["refused by WeCom limits"] == 0
        and result["outbox drained"]
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cycles", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="duban-soak-"))
    soak = Soak(workdir, cycles=args.cycles, seed=args.seed, database=args.database)
    result = asyncio.run(soak.run())
    print(f"bot log: {workdir / 'bot.log'}")
    kind = soak.url.split(":", 1)[0]
    print("  kills at", [round(k - soak.starts[0], 3) for k in soak.kills])
    print(f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; {kind}; seed {args.seed}")
    for key, value in result.items():
        print(f"  {key}: {value}")
    sys.exit(0 if passed(result) else 1)


if __name__ == "__main__":
    main()
