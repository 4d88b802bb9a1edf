"""Small helpers the simulator's routes share: pages, JSON errors, long-poll parameters."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.sandbox.state import SandboxState
from bot.sandbox.view import ENV, dumps

MAX_WAIT_S = 30.0
JSON = "application/json"


def page(template: str, **context: Any) -> web.Response:
    text = ENV.get_template(template).render(**context)
    return web.Response(text=text, content_type="text/html", charset="utf-8")


def json_response(data: dict[str, Any], status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=dumps)


def json_error(status: int, message: str) -> web.Response:
    return json_response({"error": message}, status)


def bad_request(message: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(text=dumps({"error": message}), content_type=JSON)


async def read_json(request: web.Request) -> dict[str, Any]:
    try:
        data = await request.json()
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        raise bad_request("请求不是 JSON 对象")
    return data


def wait_seconds(request: web.Request) -> tuple[int, float]:
    """A long-poll's `after` (the last change seen) and `wait` (seconds, capped)."""
    try:
        after = int(request.query.get("after", "0"))
        wait = float(request.query.get("wait", "0"))
    except ValueError:
        raise bad_request("after/wait 参数无效") from None
    return after, max(0.0, min(wait, MAX_WAIT_S))


async def wait_for_news(state: SandboxState, request: web.Request) -> None:
    """Hold a long-poll until the log changes after `after`, at most `wait` seconds."""
    after, wait = wait_seconds(request)
    if state.last_seq <= after and wait > 0:
        await state.wait_for_change(after, wait)
