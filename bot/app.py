"""The aiohttp application `duban run` serves: health, the WeCom callback, delivery, sandbox."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from collections.abc import AsyncIterator, Callable
from datetime import date, datetime
from functools import partial
from pathlib import Path

import aiohttp
from aiohttp import web
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from wechatpy.work.crypto import WeChatCrypto

from bot.config import Config, ConfigError, load_config
from bot.delivery import Delivery, Destination, default_instance
from bot.inbound import processor, tidy_review_list
from bot.reminders import next_day_with_reminders
from bot.runtime import Runtime, WeComAccess, open_runtime
from bot.sandbox import Journal, SandboxState, create_sandbox_api
from bot.sandbox.driver import SandboxDriver
from bot.sandbox.journal import FILE_NAME as JOURNAL_FILE
from bot.sandbox.pages import add_pages
from bot.sandbox.panel import Action, Day, Panel, Ran, Reminders
from bot.schedule import config_schedule
from bot.timetable import Timetable
from bot.wecom import limits
from bot.wecom.api import Sleep, WeComClient
from bot.wecom.callback import Callback
from bot.wecom.robot import RobotClient
from storage.db import ping

log = logging.getLogger(__name__)

# WeCom's callbacks are a few KB; anything much larger is not from WeCom.
MAX_CALLBACK_BYTES = 64 * 1024
SANDBOX_PATH = "/sandbox"

RUNTIME = web.AppKey("runtime", Runtime)
DELIVERY = web.AppKey("delivery", Delivery)
CALLBACK = web.AppKey("callback", Callback)
SANDBOX = web.AppKey("sandbox", SandboxState)
DRIVER = web.AppKey("driver", SandboxDriver)
TIMETABLE = web.AppKey("timetable", Timetable)


# A load balancer's health check must get an answer, whatever the database does.
HEALTH_WITHIN_S = 1.5


async def healthz(request: web.Request) -> web.Response:
    """200 when the bot can reach its database, 503 when it cannot (or not quickly)."""
    runtime = request.app[RUNTIME]
    try:
        await asyncio.wait_for(runtime.offload(ping, runtime.engine), HEALTH_WITHIN_S)
    except (SQLAlchemyError, TimeoutError) as exc:
        reason = "no answer in time" if isinstance(exc, TimeoutError) else type(exc).__name__
        log.warning("health check: database unreachable (%s)", reason)
        return web.json_response({"status": "database unreachable"}, status=503)
    return web.json_response({"status": "ok"})


def destinations(config: Config, access: WeComAccess) -> Callable[[str], Destination | None]:
    """Resolve an outbox recipient ("user:<userid>", "group:<id>") to where it is sent."""
    groups = {g.id: g for g in config.groups}

    def resolve(recipient: str) -> Destination | None:
        kind, _, key = recipient.partition(":")
        if kind == "user" and key:
            return Destination("user", key, limits.APP_MARKDOWN_MAX_BYTES, limits.MEMBER_LIMITS)
        group = groups.get(key) if kind == "group" else None
        if group is None:
            return None
        if group.chat_id:
            return Destination(
                "appchat", group.chat_id, limits.APP_MARKDOWN_MAX_BYTES, limits.ROBOT_LIMITS
            )
        # The sandbox knows each robot by its group's id; live mode posts to the real webhook.
        url = (
            f"{access.api_base}/cgi-bin/webhook/send?key={group.id}"
            if access.sandbox
            else str(group.webhook)
        )
        return Destination("robot", url, limits.ROBOT_MARKDOWN_MAX_BYTES, limits.ROBOT_LIMITS)

    return resolve


def reminder_panel(runtime: Runtime, timetable: Timetable) -> Reminders:
    """The sandbox's 「提醒」 buttons: run today's send time now, or the next working day's
    that has something due; either way the tick queues each reminder once and wakes delivery.
    """

    def day_of(day: date) -> Day:
        calendar = timetable.schedule.calendar
        return Day(day, calendar.is_workday(day), calendar.special(day), calendar.festival(day))

    async def run(action: Action | None) -> Panel:
        schedule = timetable.schedule
        rules = schedule.reminders
        today = runtime.now().astimezone(rules.timezone).date()
        # A thread even on SQLite: on a quiet calendar this plans day after day.
        upcoming = await asyncio.to_thread(
            next_day_with_reminders, timetable.sessions, schedule, today
        )
        ran = None
        if action is not None:
            day = today if action == "today" else upcoming
            ran = Ran(action, None if day is None else day_of(day))
            if day is not None and ran.day is not None and ran.day.workday:
                moment = datetime.combine(day, rules.time, rules.timezone)
                result = await timetable.remind(moment)
                ran = Ran(action, ran.day, result.planned, result.queued)
        return Panel(rules.time, day_of(today), upcoming, ran)

    return run


def journal_path(config: Config) -> Path:
    """Where `duban run` keeps the sandbox's journal: beside the SQLite database file, or
    `data/` (relative to the current directory) for a server database."""
    url = make_url(config.bot.sqlalchemy_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).parent / JOURNAL_FILE
    return Path("data") / JOURNAL_FILE


async def build_app(
    runtime: Runtime,
    *,
    deliver: bool = True,
    clockwork: bool = True,
    sleep: Sleep = asyncio.sleep,
    http_timeout: float = 5.0,
    sandbox_journal: Path | None = None,
) -> web.Application:
    """The whole bot as one app; must be awaited inside the event loop that serves it.

    `deliver=False` leaves the outbox to the caller, `clockwork=False` the reminder ticks
    (and the catch-up at start), and `sleep` paces the clients' quick retries: tests drive
    them with an injected clock. `sandbox_journal` keeps the sandbox's chats in that file
    across restarts (`duban run` does, see `journal_path`); without it they live in memory.
    """
    config, access = runtime.config, runtime.wecom
    app = web.Application(client_max_size=MAX_CALLBACK_BYTES)
    app[RUNTIME] = runtime
    app.router.add_get("/healthz", healthz)

    http = aiohttp.ClientSession()
    client = WeComClient(
        http,
        api_base=access.api_base,
        corp_id=access.corp_id,
        secret=access.secret,
        agent_id=access.agent_id,
        now=runtime.now,
        sleep=sleep,
        timeout=http_timeout,
        max_attempts=3,  # quick retries here; the outbox retries for longer
    )
    delivery = Delivery(
        runtime.sessions,
        app=client,
        robot=RobotClient(http, sleep=sleep, timeout=http_timeout, max_attempts=3),
        destinations=destinations(config, access),
        now=runtime.now,
        offload=runtime.offload,
        instance=config.bot.instance or default_instance(config.bot.port),
        sleep=sleep,
    )
    app[DELIVERY] = delivery
    timetable = Timetable(
        runtime.sessions,
        config_schedule(config),
        now=runtime.now,
        wake=delivery.wake,
        upkeep=partial(tidy_review_list, runtime.sessions, config.parser.retention_days),
    )
    app[TIMETABLE] = timetable
    crypto = WeChatCrypto(access.token, access.encoding_aes_key, access.corp_id)
    callback = Callback(
        crypto,
        processor(
            runtime,
            delivery.wake,
            lambda: (timetable.schedule.calendar, timetable.schedule.lights),
        ),
        now=runtime.now,
        timestamp_window=access.timestamp_window,
    )
    app.add_routes(callback.routes(access.callback_path))
    app[CALLBACK] = callback

    if access.sandbox:
        state = SandboxState(
            now=runtime.now,
            corp_id=access.corp_id,
            secret=access.secret,
            agent_id=access.agent_id,
            users={p.userid: p.name for p in config.people},
            robots={g.id: g.name for g in config.groups if g.webhook},
            chats={g.chat_id: g.name for g in config.groups if g.chat_id},
            journal=None if sandbox_journal is None else Journal(sandbox_journal),
        )
        driver = SandboxDriver(
            http,
            state,
            callback_url=f"http://{config.bot.local_host}:{config.bot.port}{access.callback_path}",
            token=access.token,
            encoding_aes_key=access.encoding_aes_key,
            corp_id=access.corp_id,
            agent_id=access.agent_id,
            now=runtime.now,
        )
        sandbox = create_sandbox_api(state)
        add_pages(sandbox, state, driver, reminders=reminder_panel(runtime, timetable))
        app.add_subapp(SANDBOX_PATH, sandbox)

        async def wake_long_polls(_app: web.Application) -> None:
            state.wake_waiters()  # or Ctrl-C waits for every open chat page's long-poll

        async def close_journal(_app: web.Application) -> None:
            state.close()

        app.on_shutdown.append(wake_long_polls)
        app.on_cleanup.append(close_journal)
        app[SANDBOX], app[DRIVER] = state, driver

    async def background(app: web.Application) -> AsyncIterator[None]:
        stop = asyncio.Event()
        loop = asyncio.create_task(delivery.run_forever(stop)) if deliver else None
        if clockwork:
            await timetable.start()
        yield
        timetable.stop()
        stop.set()
        delivery.wake.set()
        if loop is not None:
            await loop
        await http.close()

    app.cleanup_ctx.append(background)
    return app


async def served_app(
    runtime: Runtime, *, deliver: bool = True, sandbox_journal: Path | None = None
) -> web.Application:
    """`build_app` as `duban run` serves it (the bench serves the same).

    What start-up built (modules, config, templates, the app) lives as long as the
    process; rescanning its ~130,000 objects made every full garbage collection a 60–80 ms
    pause for the requests in flight (bench/callback.py). Frozen once started, only
    objects created later are scanned.
    """
    app = await build_app(runtime, deliver=deliver, sandbox_journal=sandbox_journal)

    async def freeze_startup_objects(_app: web.Application) -> None:
        gc.freeze()

    async def reload_on_sighup(app: web.Application) -> None:
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGHUP, lambda: asyncio.ensure_future(reload_config(app)))

    app.on_startup.append(freeze_startup_objects)
    app.on_startup.append(reload_on_sighup)
    return app


async def reload_config(app: web.Application) -> None:
    """SIGHUP: read the config file again, apply it (`duban sync`), follow its schedule and
    groups; a config with problems is refused and the running one kept."""
    runtime = app[RUNTIME]
    try:
        config = load_config(runtime.config.source)
    except ConfigError as exc:
        log.error("SIGHUP: config not reloaded, it has problems:\n%s", exc.report())
        return
    runtime.config = config
    report = await asyncio.to_thread(runtime.sync)
    app[TIMETABLE].apply(config_schedule(config))
    app[DELIVERY].destinations = destinations(config, runtime.wecom)
    log.info(
        "SIGHUP: config %s reloaded (%d changes applied)",
        config.source,
        len(report.created) + len(report.updated) + len(report.archived),
    )


def serve(config: Config) -> int:
    runtime = open_runtime(config)
    report = runtime.sync()
    if report.changed:
        log.info(
            "config applied: %d new, %d updated, %d archived",
            len(report.created),
            len(report.updated),
            len(report.archived),
        )
    base = f"http://{config.bot.local_host}:{config.bot.port}"
    callback = f"{config.bot.base_url}{runtime.wecom.callback_path}"
    log.info("duban listening on %s (WeCom callback URL %s)", base, callback)
    journal = None
    if runtime.wecom.sandbox:
        journal = journal_path(config)
        log.info("sandbox WeCom: open %s%s/ in a browser to chat with the bot", base, SANDBOX_PATH)
        log.info("sandbox chats are kept in %s across restarts", journal)
    try:
        # run_app turns SIGINT and SIGTERM into a graceful shutdown.
        app = served_app(runtime, sandbox_journal=journal)
        web.run_app(app, host=config.bot.host, port=config.bot.port, print=None)
    finally:
        runtime.close()
    log.info("duban stopped")
    return 0
