"""Async client for the WeCom app API (gettoken, message/send, update_template_card, appchat,
media/upload).

Written on aiohttp rather than wechatpy's WeChatClient, which is synchronous, has no
timeout on gettoken and no backoff. The retry helper here is shared with robot.py.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

import aiohttp

from bot.wecom import limits
from bot.wecom.errors import (
    CONTENT_TOO_LARGE,
    INVALID_FILE_SIZE,
    NO_RECIPIENTS,
    TRANSPORT_ERRCODE,
    ContentTooLong,
    FileSizeInvalid,
    InvalidRecipients,
    Throttled,
    TokenInvalid,
    TransportError,
    error_for,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]

# Backoff bases in seconds. Frequency limits (45009/45033) are per minute, so their
# backoff must add up to more than a minute within the default five attempts.
TRANSPORT_BACKOFF_S = 0.5
THROTTLE_BACKOFF_S = 10.0
MAX_BACKOFF_S = 60.0
# Refresh the token this long before WeCom says it expires.
TOKEN_MARGIN_S = 300
# A file of up to 20 MB takes longer than a message.
UPLOAD_TIMEOUT_S = 30.0
# message/send's duplicate check (doc 90236): the same message to the same member within
# this many seconds is not delivered again; 4 hours is the longest WeCom allows.
DUPLICATE_CHECK_S = 4 * 3600
DUPLICATE_CHECK = {"enable_duplicate_check": 1, "duplicate_check_interval": DUPLICATE_CHECK_S}


def exponential_backoff(attempt: int, first: float, cap: float, rng: random.Random) -> float:
    """Seconds before retry number `attempt` (1-based): doubling from `first` up to `cap`,
    with "equal jitter" so that callers failing together do not retry together."""
    ceiling = min(cap, first * 2 ** (attempt - 1))
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


def backoff_delay(attempt: int, exc: Exception, rng: random.Random) -> float:
    """Delay before a quick in-call retry: longer when WeCom says we send too often."""
    throttled = isinstance(exc, Throttled) and exc.errcode != -1
    first = THROTTLE_BACKOFF_S if throttled else TRANSPORT_BACKOFF_S
    return exponential_backoff(attempt, first, MAX_BACKOFF_S, rng)


async def call_with_retries(
    attempt: Callable[[], Awaitable[T]],
    *,
    what: str,
    sleep: Sleep,
    rng: random.Random,
    max_attempts: int,
    on_token_invalid: Callable[[], None] | None = None,
) -> T:
    """Run `attempt` under WeCom's retry policy.

    Throttled and TransportError: back off, then retry. TokenInvalid: call
    `on_token_invalid` (drop the cached token) and retry at once. Anything else, or
    running out of attempts, raises. Every attempt, token retries included, counts.
    """
    for number in range(1, max_attempts + 1):
        try:
            return await attempt()
        except TokenInvalid as exc:
            if on_token_invalid is None or number == max_attempts:
                raise
            log.warning(
                "%s: %s; refetching the token (attempt %d/%d)", what, exc, number, max_attempts
            )
            on_token_invalid()
        except (Throttled, TransportError) as exc:
            if number == max_attempts:
                log.error("%s: giving up after %d attempts: %s", what, number, exc)
                raise
            delay = backoff_delay(number, exc, rng)
            log.warning(
                "%s: %s; retrying in %.1f s (attempt %d/%d)", what, exc, delay, number, max_attempts
            )
            await sleep(delay)
    raise AssertionError("unreachable: max_attempts must be >= 1")


async def request_json(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    *,
    timeout: float,
    params: Mapping[str, str] | None = None,
    body: Mapping[str, Any] | None = None,
    upload: tuple[str, bytes] | None = None,
) -> dict[str, Any]:
    """One HTTP round trip. Returns the JSON of an errcode-0 answer; raises otherwise.

    `body` goes as JSON; `upload` (filename, bytes) as the multipart field `media`.
    """
    data: Any = None
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if upload is not None:
        data, headers = media_form(*upload), {}
    elif body is not None:
        data = json.dumps(body, ensure_ascii=False).encode()
    try:
        async with session.request(
            method,
            url,
            params=params,
            data=data,
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=timeout),
            allow_redirects=False,  # WeCom answers in place; a redirect is not WeCom
        ) as resp:
            if resp.status >= 500 or 300 <= resp.status < 400:
                raise TransportError(TRANSPORT_ERRCODE, f"HTTP {resp.status}")
            raw = await resp.read()
    except TimeoutError:
        raise TransportError(TRANSPORT_ERRCODE, f"timed out after {timeout} s") from None
    except aiohttp.ClientError as exc:
        reason = redact(f"{type(exc).__name__}: {exc}")
        raise TransportError(TRANSPORT_ERRCODE, reason) from exc
    try:
        data = json.loads(raw)
    except ValueError:
        raise TransportError(TRANSPORT_ERRCODE, f"non-JSON answer: {raw[:80]!r}") from None
    if not isinstance(data, dict):
        raise TransportError(TRANSPORT_ERRCODE, f"unexpected JSON answer: {raw[:80]!r}")
    errcode = data.get("errcode", 0)
    if not isinstance(errcode, int):
        raise TransportError(TRANSPORT_ERRCODE, f"errcode is not a number: {errcode!r}")
    if errcode != 0:
        raise error_for(errcode, str(data.get("errmsg", "")))
    return data


_SECRET_PARAMS = re.compile(r"((?:access_token|key|corpsecret)=)[^&'\"\s]+", re.IGNORECASE)


def redact(text: str) -> str:
    """`text` with the values of secret URL parameters (access token, robot key, corp
    secret) replaced by "…": an error names the URL it failed on, and errors are logged."""
    return _SECRET_PARAMS.sub(r"\1…", text)


def media_form(filename: str, data: bytes) -> aiohttp.MultipartWriter:
    """The multipart body WeCom's upload endpoints take (doc 90253): one field `media`
    with the file's name and length. The name goes as UTF-8, as browsers send it, not
    percent-encoded: WeCom shows it to whoever receives the file."""
    form = aiohttp.MultipartWriter("form-data")
    part = form.append(data, {"Content-Type": "application/octet-stream"})
    part.set_content_disposition(
        "form-data", quote_fields=False, name="media", filename=filename, filelength=str(len(data))
    )
    return form


def check_media(filename: str, data: bytes) -> None:
    """Raise FileSizeInvalid before uploading what WeCom would refuse (5 bytes to 20 MB)."""
    problem = limits.media_size_problem(len(data))
    if problem is not None:
        raise FileSizeInvalid(INVALID_FILE_SIZE, f"{filename}: {problem}")
    if not filename.strip():
        raise FileSizeInvalid(INVALID_FILE_SIZE, "a file needs a name")


def check_content(message: Mapping[str, Any], max_bytes: Mapping[str, int]) -> None:
    """Raise ContentTooLong before sending what WeCom would reject or truncate."""
    measured = limits.content_size(message, max_bytes)
    if measured and measured[0] > measured[1]:
        size, limit = measured
        raise ContentTooLong(
            CONTENT_TOO_LARGE, f"{message['msgtype']} content is {size} bytes, limit {limit}"
        )


@dataclass(frozen=True)
class SendResult:
    """What message/send answered, merged over the 1000-id chunks of one send()."""

    msgids: tuple[str, ...] = ()
    invalid_users: tuple[str, ...] = ()
    response_codes: tuple[str, ...] = ()  # interactive template cards: one per chunk
    calls: int = 0

    @property
    def msgid(self) -> str | None:
        return self.msgids[0] if self.msgids else None

    @property
    def response_code(self) -> str | None:
        return self.response_codes[0] if self.response_codes else None


@dataclass
class _Token:
    value: str
    refresh_at: datetime


@dataclass
class _TokenCache:
    current: _Token | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class WeComClient:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        api_base: str,
        corp_id: str,
        secret: str,
        agent_id: int,
        now: Callable[[], datetime],
        sleep: Sleep = asyncio.sleep,
        timeout: float = 5.0,
        upload_timeout: float = UPLOAD_TIMEOUT_S,
        max_attempts: int = 5,
        rng: random.Random | None = None,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be >= 1")
        self._session = session
        self._upload_timeout = max(timeout, upload_timeout)
        self._base = api_base.rstrip("/")
        self._corp_id = corp_id
        self._secret = secret
        self.agent_id = agent_id
        self._now = now
        self._sleep = sleep
        self._timeout = timeout
        self._max_attempts = max_attempts
        self._rng = rng or random.Random()
        # One client holds one (corp_id, secret) pair, so its cache is per pair.
        self._token = _TokenCache()

    # --- token -----------------------------------------------------------------

    async def token(self) -> str:
        cached = self._token.current
        if cached and self._now() < cached.refresh_at:
            return cached.value
        async with self._token.lock:
            cached = self._token.current  # another caller may have fetched it meanwhile
            if cached and self._now() < cached.refresh_at:
                return cached.value
            data = await self._retrying("gettoken", self._fetch_token, token_retry=False)
            expires_in = int(data.get("expires_in", limits.TOKEN_LIFETIME_S))
            margin = min(TOKEN_MARGIN_S, expires_in // 10)
            self._token.current = _Token(
                str(data["access_token"]), self._now() + timedelta(seconds=expires_in - margin)
            )
            return self._token.current.value

    async def _fetch_token(self) -> dict[str, Any]:
        params = {"corpid": self._corp_id, "corpsecret": self._secret}
        return await request_json(
            self._session, "GET", self._url("gettoken"), params=params, timeout=self._timeout
        )

    def _forget_token(self, used: str) -> None:
        # Only drop the token that failed; a concurrent caller may have refreshed it already.
        if self._token.current and self._token.current.value == used:
            self._token.current = None

    # --- API calls -------------------------------------------------------------

    async def send(
        self, touser: Sequence[str], message: Mapping[str, Any], *, again: bool = False
    ) -> SendResult:
        """Send `message` to members, in chunks of 1000.

        A send that may already have reached WeCom (`again`: an earlier try's answer was
        lost, or its process died before recording it) asks WeCom's duplicate check to drop
        it if it did; so does every quick retry after a transport failure here.
        """
        check_content(message, limits.APP_MAX_BYTES)
        users = list(dict.fromkeys(touser))
        if not users:
            raise InvalidRecipients(NO_RECIPIENTS, "no recipients given")
        msgids: list[str] = []
        invalid: list[str] = []
        codes: list[str] = []
        all_invalid: InvalidRecipients | None = None
        chunks = [users[i : i + limits.MAX_TOUSER] for i in range(0, len(users), limits.MAX_TOUSER)]
        for chunk in chunks:
            body = {"touser": "|".join(chunk), "agentid": self.agent_id, **message}
            checked = {**body, **DUPLICATE_CHECK}
            try:
                data = await self._post(
                    "message/send", checked if again else body, uncertain_body=checked
                )
            except InvalidRecipients as exc:
                all_invalid = exc
                invalid.extend(chunk)
                continue
            if data.get("msgid"):
                msgids.append(str(data["msgid"]))
            if data.get("response_code"):
                codes.append(str(data["response_code"]))
            invalid.extend(u for u in str(data.get("invaliduser") or "").split("|") if u)
        if all_invalid is not None and not msgids:
            raise all_invalid
        return SendResult(tuple(msgids), tuple(invalid), tuple(codes), calls=len(chunks))

    async def update_template_card(
        self, userids: Sequence[str], response_code: str, card: Mapping[str, Any]
    ) -> None:
        body = {
            "userids": list(userids),
            "agentid": self.agent_id,
            "response_code": response_code,
            "template_card": dict(card),
        }
        await self._post("message/update_template_card", body)

    async def appchat_send(self, chatid: str, message: Mapping[str, Any]) -> None:
        check_content(message, limits.APP_MAX_BYTES)
        await self._post("appchat/send", {"chatid": chatid, **message})

    async def upload_media(self, filename: str, data: bytes) -> str:
        """Upload a file (`media/upload?type=file`) and return its media_id, which a
        message to a member or an app chat can use for 3 days."""
        check_media(filename, data)
        answer = await self._post(
            "media/upload", None, upload=(filename, data), params={"type": "file"}
        )
        return str(answer["media_id"])

    # --- plumbing --------------------------------------------------------------

    def _url(self, path: str) -> str:
        return f"{self._base}/cgi-bin/{path}"

    async def _post(
        self,
        path: str,
        body: Mapping[str, Any] | None,
        *,
        uncertain_body: Mapping[str, Any] | None = None,
        upload: tuple[str, bytes] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """POST with retries; after a transport failure (WeCom may have done the work and
        the answer was lost) the retries send `uncertain_body` instead, if given. `upload`
        (filename, bytes) goes as the multipart field `media` instead of a JSON body."""
        used: list[str] = []
        uncertain = False

        async def attempt() -> dict[str, Any]:
            nonlocal uncertain
            token = await self.token()
            used.append(token)
            try:
                return await request_json(
                    self._session,
                    "POST",
                    self._url(path),
                    params={**(params or {}), "access_token": token},
                    body=uncertain_body if uncertain and uncertain_body is not None else body,
                    upload=upload,
                    timeout=self._timeout if upload is None else self._upload_timeout,
                )
            except TransportError:
                uncertain = True
                raise

        return await self._retrying(path, attempt, forget=lambda: self._forget_token(used[-1]))

    async def _retrying(
        self,
        what: str,
        attempt: Callable[[], Awaitable[dict[str, Any]]],
        *,
        token_retry: bool = True,
        forget: Callable[[], None] | None = None,
    ) -> dict[str, Any]:
        return await call_with_retries(
            attempt,
            what=what,
            sleep=self._sleep,
            rng=self._rng,
            max_attempts=self._max_attempts,
            on_token_invalid=forget if token_retry else None,
        )
