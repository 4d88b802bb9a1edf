"""Group-robot (群机器人) webhook client: send-only messages to a WeCom group, and files
through the robot's own upload (`webhook/upload_media`)."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Mapping
from typing import Any

import aiohttp
from yarl import URL

from bot.wecom import limits
from bot.wecom.api import (
    UPLOAD_TIMEOUT_S,
    Sleep,
    call_with_retries,
    check_content,
    check_media,
    request_json,
)

SEND_PATH = "/cgi-bin/webhook/send"
UPLOAD_PATH = "/cgi-bin/webhook/upload_media"


class RobotClient:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        sleep: Sleep = asyncio.sleep,
        timeout: float = 5.0,
        upload_timeout: float = UPLOAD_TIMEOUT_S,
        max_attempts: int = 5,
        rewrite_base: str | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be >= 1")
        self._session = session
        self._sleep = sleep
        self._timeout = timeout
        self._upload_timeout = max(timeout, upload_timeout)
        self._max_attempts = max_attempts
        self._rewrite_base = rewrite_base
        self._rng = rng or random.Random()

    def target(self, webhook_url: str, path: str = SEND_PATH) -> str:
        """The URL actually posted to: the webhook's own, or its upload address (same
        host and key); in sandbox mode the webhook's host is swapped out."""
        original = URL(webhook_url)
        if self._rewrite_base is None:
            if path == SEND_PATH:
                return webhook_url
            base = original.with_path(original.path.removesuffix(SEND_PATH) + path)
        else:
            base = URL(self._rewrite_base.rstrip("/") + path)
        return str(base.with_query(original.query))

    async def send(self, webhook_url: str, message: Mapping[str, Any]) -> None:
        check_content(message, limits.ROBOT_MAX_BYTES)
        await self._call("robot webhook/send", self.target(webhook_url), body=message)

    async def upload_media(self, webhook_url: str, filename: str, data: bytes) -> str:
        """Upload a file for this robot (`webhook/upload_media?key=KEY&type=file`) and
        return its media_id: only this robot can send it, within 3 days."""
        check_media(filename, data)
        url = URL(self.target(webhook_url, UPLOAD_PATH)).update_query(type="file")
        answer = await self._call("robot webhook/upload_media", str(url), upload=(filename, data))
        return str(answer["media_id"])

    async def _call(
        self,
        what: str,
        url: str,
        *,
        body: Mapping[str, Any] | None = None,
        upload: tuple[str, bytes] | None = None,
    ) -> dict[str, Any]:
        timeout = self._timeout if upload is None else self._upload_timeout

        async def attempt() -> dict[str, Any]:
            return await request_json(
                self._session, "POST", url, body=body, upload=upload, timeout=timeout
            )

        # The key is a secret: log the path only (`what`).
        return await call_with_retries(
            attempt,
            what=what,
            sleep=self._sleep,
            rng=self._rng,
            max_attempts=self._max_attempts,
        )
