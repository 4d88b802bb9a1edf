"""The sandbox WeCom HTTP API: same paths, JSON shapes and errcodes as qyapi.weixin.qq.com.

Where live WeCom fails silently the sandbox is stricter on purpose, so bugs show up in
tests: a member over the 30/min or 1000/h limit gets 45009 (live WeCom drops the excess),
and over-long app text always gets 45002 "content size out of limit" (doc 90236 speaks of
truncation; the live API has been seen answering 45002). The errcode for touser > 1000
(40032, "invalid userid list size") is a best guess from doc 90313. message/send honours
`enable_duplicate_check` (doc 90236): the same message to the same member within
`duplicate_check_interval` is answered but not delivered again. The `lost_answer` fault
does the work and then withholds the answer, as a lost response would.

Files (docs/wecom.md "文件"): `media/upload` and `webhook/upload_media` take the multipart
field `media`, 5 bytes to the type's limit (file: 20 MB); a media_id is usable for 3 days
of the sandbox clock, a robot's only by that robot, the app's by the app and its chats.
Refusals: 41005 no `media` field, 44001 empty, 40006 size, 40004 type, and 40007 for an
unknown, expired or someone else's media_id (the last two are best guesses from doc 90313).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import BodyPartReader, web

from bot.sandbox.state import Media, SandboxState
from bot.wecom import errors as codes
from bot.wecom import limits

log = logging.getLogger(__name__)

STATE_KEY = web.AppKey("sandbox_state", SandboxState)
_RELEASE_KEY = web.AppKey("sandbox_release", asyncio.Event)
_HOLD_KEY = web.AppKey("sandbox_hold", float)

# Card types whose message/send answer carries a response_code (doc 90236).
_INTERACTIVE_CARDS = frozenset({"button_interaction", "vote_interaction", "multiple_interaction"})
_APP_MSGTYPES = frozenset({"text", "markdown", "template_card", "file"})
_CHAT_MSGTYPES = frozenset({"text", "markdown", "file"})
# Upload size limits by media type (doc 90253); a robot uploads files only.
_MEDIA_MAX_BYTES = {
    "file": limits.MEDIA_MAX_BYTES,
    "image": 10 * 1024 * 1024,
    "video": 10 * 1024 * 1024,
    "voice": 2 * 1024 * 1024,
}
APP = "app"  # the owner of what media/upload stores

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class _Fail(Exception):
    """Answer this errcode (HTTP 200, as WeCom does) and stop handling the request."""

    def __init__(self, errcode: int, errmsg: str, **extra: Any) -> None:
        super().__init__(errmsg)
        self.errcode, self.errmsg, self.extra = errcode, errmsg, extra


def _ok(**fields: Any) -> web.Response:
    return web.json_response({"errcode": 0, "errmsg": "ok", **fields})


@web.middleware
async def _wecom_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    # Faults and counters are for the WeCom API only, not for the simulator's own pages.
    if "/cgi-bin/" not in request.path:
        return await handler(request)
    state = request.app[STATE_KEY]
    state.requests += 1
    if state.latency > 0:
        await asyncio.sleep(state.latency)
    fault = state.faults.take()
    if fault == "http_500":
        return web.Response(status=500, text="Internal Server Error")
    if fault == "lost_answer":
        # WeCom did the work, but its answer never arrives: the client's retry must not
        # deliver twice (message/send's duplicate check is how).
        with contextlib.suppress(_Fail):
            await handler(request)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(request.app[_RELEASE_KEY].wait(), request.app[_HOLD_KEY])
        return web.json_response({"errcode": codes.BUSY, "errmsg": "system busy (held)"})
    if fault == "timeout":
        # Hold the answer until the client gives up (or the app shuts down).
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(request.app[_RELEASE_KEY].wait(), request.app[_HOLD_KEY])
        return web.json_response({"errcode": codes.BUSY, "errmsg": "system busy (held)"})
    if fault == "errcode:-1":
        return web.json_response({"errcode": codes.BUSY, "errmsg": "system busy"})
    if fault == "errcode:45009":
        return web.json_response({"errcode": 45009, "errmsg": "api freq out of limit"})
    if fault == "expire_tokens":
        state.expire_tokens()
    try:
        return await handler(request)
    except _Fail as fail:
        body = {"errcode": fail.errcode, "errmsg": fail.errmsg, **fail.extra}
        return web.json_response(body)
    except web.HTTPException:
        raise
    except Exception:  # a sandbox bug must not look like a WeCom outage to the client
        log.exception("sandbox handler failed on %s", request.path)
        return web.json_response({"errcode": codes.BUSY, "errmsg": "sandbox internal error"})


async def _json_body(request: web.Request) -> dict[str, Any]:
    raw = await request.read()
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _Fail(codes.BAD_JSON, "Warning: wrong json format. data format error") from None
    if not isinstance(data, dict):
        raise _Fail(codes.BAD_JSON, "Warning: wrong json format. data format error")
    return data


def _require_token(request: web.Request) -> None:
    errcode = request.app[STATE_KEY].check_token(request.query.get("access_token"))
    messages = {
        codes.MISSING_TOKEN: "access_token missing",
        codes.INVALID_TOKEN: "invalid access_token",
        codes.TOKEN_EXPIRED: "access_token expired",
    }
    if errcode:
        raise _Fail(errcode, messages[errcode])


def _require_agent(state: SandboxState, data: dict[str, Any]) -> None:
    agentid = data.get("agentid")
    if agentid is None:
        raise _Fail(41011, "missing agentid")
    if str(agentid) != str(state.agent_id):
        raise _Fail(codes.INVALID_AGENTID, "invalid agentid")


def _payload(
    data: dict[str, Any], allowed: frozenset[str], max_bytes: dict[str, int]
) -> tuple[str, dict[str, Any]]:
    """(msgtype, payload) after WeCom's type, emptiness and size checks."""
    msgtype = data.get("msgtype")
    if not isinstance(msgtype, str) or msgtype not in allowed:
        raise _Fail(40008, "invalid message type")
    payload = data.get(msgtype)
    if not isinstance(payload, dict):
        raise _Fail(codes.EMPTY_CONTENT, f"{msgtype} missing")
    if msgtype in max_bytes:
        content = payload.get("content")
        if not isinstance(content, str) or not content:
            raise _Fail(codes.EMPTY_CONTENT, "content is empty")
        size = limits.utf8_len(content)
        if size > max_bytes[msgtype]:
            raise _Fail(*_too_long(msgtype, size, max_bytes[msgtype], max_bytes))
    elif msgtype == "template_card" and not isinstance(payload.get("card_type"), str):
        raise _Fail(codes.INVALID_PARAMETER, "template_card.card_type missing")
    return msgtype, payload


def _robot_owner(key: str) -> str:
    return f"robot:{key}"


def _file_body(state: SandboxState, payload: dict[str, Any], owner: str) -> dict[str, Any]:
    """A file message's payload as recorded: the media_id, and the file it names."""
    media_id = payload.get("media_id")
    media = state.usable_media(media_id, owner) if isinstance(media_id, str) else None
    if media is None:
        raise _Fail(codes.INVALID_MEDIA_ID, "invalid media_id")
    return {"media_id": media.id, "filename": media.filename, "size": len(media.data)}


async def _read_media(request: web.Request, max_bytes: int) -> tuple[str, bytes]:
    """The multipart field `media`: (filename, bytes), read no further than the limit."""
    try:
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader) or part.name != "media":
                continue
            data = bytearray()
            while chunk := await part.read_chunk(64 * 1024):
                data += chunk
                if len(data) > max_bytes:
                    raise _Fail(codes.INVALID_FILE_SIZE, f"invalid file size: over {max_bytes}")
            return part.filename or "", bytes(data)
    except (AssertionError, ValueError, KeyError):  # not a multipart body, or a broken one
        pass
    raise _Fail(codes.MISSING_MEDIA, "media data missing")


async def _upload(request: web.Request, owner: str, kind: str) -> web.Response:
    state = request.app[STATE_KEY]
    filename, data = await _read_media(request, _MEDIA_MAX_BYTES[kind])
    if not data:
        raise _Fail(codes.EMPTY_MEDIA, "empty media data")
    if len(data) < limits.MEDIA_MIN_BYTES:
        raise _Fail(codes.INVALID_FILE_SIZE, f"invalid file size: under {limits.MEDIA_MIN_BYTES}")
    media: Media = state.store_media(owner, kind, filename or "file", data)
    created = str(int(media.uploaded_at.timestamp()))
    return _ok(type=kind, media_id=media.id, created_at=created)


async def media_upload(request: web.Request) -> web.Response:
    _require_token(request)
    kind = request.query.get("type", "")
    if kind not in _MEDIA_MAX_BYTES:
        raise _Fail(codes.INVALID_MEDIA_TYPE, "invalid media type")
    return await _upload(request, APP, kind)


async def webhook_upload_media(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    key = request.query.get("key", "")
    if key not in state.robots:
        raise _Fail(codes.BAD_WEBHOOK, "invalid webhook url, please check")
    if request.query.get("type") != "file":
        raise _Fail(codes.INVALID_MEDIA_TYPE, "invalid media type")
    return await _upload(request, _robot_owner(key), "file")


def _too_long(msgtype: str, size: int, limit: int, table: dict[str, int]) -> tuple[int, str]:
    if table is limits.ROBOT_MAX_BYTES:
        # What the live robot webhook answers, e.g. "markdown.content exceed max length 4096".
        return codes.INVALID_PARAMETER, f"{msgtype}.content exceed max length {limit}"
    return codes.CONTENT_TOO_LARGE, f"content size out of limit ({size} > {limit} bytes)"


async def gettoken(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    corpid, secret = request.query.get("corpid"), request.query.get("corpsecret")
    if not corpid:
        raise _Fail(41002, "corpid missing")
    if not secret:
        raise _Fail(41004, "corpsecret missing")
    if corpid != state.corp_id:
        raise _Fail(codes.INVALID_CORPID, "invalid corpid")
    if secret != state.secret:
        raise _Fail(codes.INVALID_SECRET, "invalid credential")
    return _ok(access_token=state.issue_token(), expires_in=limits.TOKEN_LIFETIME_S)


async def message_send(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    _require_token(request)
    data = await _json_body(request)
    _require_agent(state, data)
    msgtype, payload = _payload(data, _APP_MSGTYPES, limits.APP_MAX_BYTES)
    if msgtype == "file":
        payload = _file_body(state, payload, APP)
    touser = data.get("touser", "")
    if not isinstance(touser, str):
        raise _Fail(40031, "invalid userid list")
    ids = [u for u in touser.split("|") if u]
    if not ids and not data.get("toparty") and not data.get("totag"):
        raise _Fail(codes.NO_RECIPIENTS, "touser & toparty & totag all empty")
    if len(ids) > limits.MAX_TOUSER:
        raise _Fail(40032, f"invalid userid list size: at most {limits.MAX_TOUSER}")
    if ids == ["@all"]:
        ids = list(state.users)
    valid = [u for u in dict.fromkeys(ids) if u in state.users]
    invalid = [u for u in dict.fromkeys(ids) if u not in state.users]
    if not valid:
        raise _Fail(
            codes.ALL_RECIPIENTS_INVALID,
            "user & party & tag all invalid",
            invaliduser="|".join(invalid),
        )
    # WeCom's duplicate check: the same message to the same member within the interval
    # (default 1800 s, at most 4 hours) is not delivered again.
    check = data.get("enable_duplicate_check") == 1
    interval = min(int(data.get("duplicate_check_interval") or 1800), 4 * 3600)
    fingerprint = json.dumps([msgtype, payload], ensure_ascii=False, sort_keys=True)
    if check:
        fresh = [u for u in valid if not state.seen_within(u, fingerprint, interval)]
        state.duplicates_suppressed += len(valid) - len(fresh)
        valid = fresh
    # All or nothing, so a client retry after 45009 cannot deliver twice.
    if any(state.would_exceed("member", u) for u in valid):
        raise _Fail(codes.FREQUENCY_LIMIT, "api freq out of limit")
    msgid = state.new_id()
    card_type = payload.get("card_type") if msgtype == "template_card" else None
    response_code = state.new_id() if card_type in _INTERACTIVE_CARDS else None
    for userid in valid:
        state.remember_message(userid, fingerprint)
        state.count_delivery("member", userid)
        state.record("app", userid, msgtype, payload, msgid=msgid, response_code=response_code)
    extra: dict[str, Any] = {"response_code": response_code} if response_code else {}
    return _ok(
        invaliduser="|".join(invalid),
        invalidparty="",
        invalidtag="",
        unlicenseduser="",
        msgid=msgid,
        **extra,
    )


async def update_template_card(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    _require_token(request)
    data = await _json_body(request)
    _require_agent(state, data)
    code = data.get("response_code")
    if not isinstance(code, str) or state.card(code) is None:
        raise _Fail(codes.INVALID_PARAMETER, "invalid response_code")
    if code in state.used_response_codes:
        # Doc 94888: a response_code may be used to update a card only once.
        raise _Fail(codes.INVALID_PARAMETER, "response_code already used")
    userids = data.get("userids")
    if data.get("atall") == 1:
        userids = None
    elif not isinstance(userids, list) or not all(isinstance(u, str) for u in userids):
        raise _Fail(codes.NO_RECIPIENTS, "userids empty")
    card = data.get("template_card")
    button = data.get("button")
    if isinstance(card, dict):
        new_body = card
    elif isinstance(button, dict) and isinstance(button.get("replace_name"), str):
        current = state.card(code)
        assert current is not None
        new_body = {**current.body, "replace_name": button["replace_name"]}
    else:
        raise _Fail(codes.INVALID_PARAMETER, "template_card or button missing")
    state.update_cards(code, userids, new_body)
    state.use_response_code(code)
    known = {e.peer for e in state.entries(channel="app") if e.response_code == code}
    invalid = [u for u in userids or [] if u not in known]
    return _ok(invaliduser=invalid)


async def appchat_send(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    _require_token(request)
    data = await _json_body(request)
    chatid = data.get("chatid")
    if not isinstance(chatid, str) or not chatid:
        raise _Fail(86201, "chatid missing")
    if state.chats and chatid not in state.chats:
        raise _Fail(codes.CHAT_NOT_FOUND, "chatid not exist")
    msgtype, payload = _payload(data, _CHAT_MSGTYPES, limits.APP_MAX_BYTES)
    if msgtype == "file":
        payload = _file_body(state, payload, APP)
    state.record("appchat", chatid, msgtype, payload, msgid=state.new_id())
    return _ok()


async def webhook_send(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    key = request.query.get("key", "")
    if key not in state.robots:
        raise _Fail(codes.BAD_WEBHOOK, "invalid webhook url, please check")
    data = await _json_body(request)
    msgtype, payload = _payload(data, _CHAT_MSGTYPES, limits.ROBOT_MAX_BYTES)
    if msgtype == "file":
        payload = _file_body(state, payload, _robot_owner(key))
    if state.would_exceed("robot", key):
        raise _Fail(codes.FREQUENCY_LIMIT, "api freq out of limit")
    state.count_delivery("robot", key)
    state.record("robot", key, msgtype, payload)
    return _ok()


def create_sandbox_api(state: SandboxState, *, hold_seconds: float = 5.0) -> web.Application:
    """The WeCom API app; mount it (e.g. under /sandbox) or serve it on its own.

    `hold_seconds` bounds how long a "timeout" fault holds its answer.
    """
    app = web.Application(middlewares=[_wecom_errors])
    app[STATE_KEY] = state
    app[_RELEASE_KEY] = asyncio.Event()
    app[_HOLD_KEY] = hold_seconds

    async def release_held(app: web.Application) -> None:
        app[_RELEASE_KEY].set()

    app.on_shutdown.append(release_held)
    app.router.add_get("/cgi-bin/gettoken", gettoken)
    app.router.add_post("/cgi-bin/message/send", message_send)
    app.router.add_post("/cgi-bin/message/update_template_card", update_template_card)
    app.router.add_post("/cgi-bin/appchat/send", appchat_send)
    app.router.add_post("/cgi-bin/webhook/send", webhook_send)
    app.router.add_post("/cgi-bin/media/upload", media_upload)
    app.router.add_post("/cgi-bin/webhook/upload_media", webhook_upload_media)
    return app
