"""The aiohttp application `duban run` serves."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.config import Config
from bot.runtime import Runtime, open_runtime

log = logging.getLogger(__name__)
RUNTIME = web.AppKey("runtime", Runtime)


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def create_app(runtime: Runtime) -> web.Application:
    app = web.Application(client_max_size=64 * 1024)
    app[RUNTIME] = runtime
    app.router.add_get("/healthz", healthz)
    return app


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
    app = create_app(runtime)
    app.on_cleanup.append(lambda _app: _close(runtime))
    log.info("duban listening on http://%s:%d", config.bot.host, config.bot.port)
    # run_app turns SIGINT and SIGTERM into a graceful shutdown.
    web.run_app(app, host=config.bot.host, port=config.bot.port, print=None)
    log.info("duban stopped")
    return 0


async def _close(runtime: Runtime) -> None:
    runtime.close()
