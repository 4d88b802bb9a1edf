"""A TCP proxy the test controls, between the bot and PostgreSQL: pass, stall or refuse.

It runs its own event loop in a thread, so the bot's blocking database calls (SQLite
inline, set-up before the loop) cannot stall the proxy they go through.

Stalling holds every byte (both ways, and new connections too) as a silently dead network
would; refusing cuts every open connection and turns new ones away, as a restarting
server would. Only this test's connections go through it; the server is never touched.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from typing import Any


class Proxy:
    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.port = 0
        self.refusing = False
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    def stall(self) -> None:
        self._flowing.clear()

    def refuse(self) -> None:
        self.refusing = True
        self._flowing.set()
        for writer in list(self._open):
            writer.transport.abort()
        self._open.clear()

    def restore(self) -> None:
        self.refusing = False
        self._flowing.set()

    async def close(self) -> None:
        self.refuse()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.refusing:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._open.update((writer, up_writer))
        await asyncio.gather(
            self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
        )
        for w in (writer, up_writer):
            self._open.discard(w)
            w.transport.abort()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while data := await reader.read(65536):
                await self._flowing.wait()
                if self.refusing:
                    return
                writer.write(data)
                await writer.drain()


class ThreadedProxy:
    """`Proxy` on an event loop of its own thread; the methods are safe from any thread."""

    def __init__(self, host: str, port: int):
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self.proxy = Proxy(host, port)
        self.port = self._run(self.proxy.start)

    def _run(self, work: Callable[[], Any]) -> Any:
        async def call() -> Any:
            result = work()
            return await result if asyncio.iscoroutine(result) else result

        return asyncio.run_coroutine_threadsafe(call(), self._loop).result(timeout=10)

    def stall(self) -> None:
        self._run(self.proxy.stall)

    def refuse(self) -> None:
        self._run(self.proxy.refuse)

    def restore(self) -> None:
        self._run(self.proxy.restore)

    def close(self) -> None:
        self._run(self.proxy.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
