"""Group-robot (群机器人) webhook client: send-only markdown/text to a WeCom group."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Mapping
from typing import Any

import aiohttp
from yarl import URL

from bot.wecom import limits
from bot.wecom.api import Sleep, call_with_retries, check_content, request_json


class RobotClient:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        sleep: Sleep = asyncio.sleep,
        timeout: float = 5.0,
        max_attempts: int = 5,
        rewrite_base: str | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be >= 1")
        self._session = session
        self._sleep = sleep
        self._timeout = timeout
        self._max_attempts = max_attempts
        self._rewrite_base = rewrite_base
        self._rng = rng or random.Random()

    def target(self, webhook_url: str) -> str:
        """The URL actually posted to: in sandbox mode the webhook's host is swapped out."""
        if self._rewrite_base is None:
            return webhook_url
        original = URL(webhook_url)
        rewritten = URL(self._rewrite_base.rstrip("/") + "/cgi-bin/webhook/send")
        return str(rewritten.with_query(original.query))

    async def send(self, webhook_url: str, message: Mapping[str, Any]) -> None:
        check_content(message, limits.ROBOT_MAX_BYTES)
        url = self.target(webhook_url)

        async def attempt() -> dict[str, Any]:
            return await request_json(
                self._session, "POST", url, body=message, timeout=self._timeout
            )

        # The key is a secret: log the path only.
        await call_with_retries(
            attempt,
            what="robot webhook/send",
            sleep=self._sleep,
            rng=self._rng,
            max_attempts=self._max_attempts,
        )
