"""Encrypted callbacks per second through the whole bot, beside a bare decrypt/encrypt echo.

    .venv/bin/python bench/callback.py [--requests 3000] [--rounds 3] [--text "T3 60%"]

Three servers: the bare floor (aiohttp + wechatpy, no database); duban's transport with a
fixed reply (decrypt, de-duplicate through the inbox table, render, encrypt); and the full
path, where the real handlers also authorize, parse, answer and record.

Each server runs in its own process, started as `duban run` starts; this process only sends
pre-encrypted, distinct messages (new MsgIds, so every one is decrypted, de-duplicated,
handled with a database write, rendered and encrypted) at concurrency 1 and 50. The default
message, "帮助", only reads; "T3 60%" is recorded for its owner (one sender in seven) and
refused, with an audit entry, for the others, and a record makes the next batch read the
directory and tasks again.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.runtime import SANDBOX_AES_KEY, SANDBOX_CORP_ID, SANDBOX_TOKEN  # noqa: E402

USERS = ["lilei", "chenjing", "zhoufang", "sunhao", "zhaomin", "majie", "huangli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- the two servers --------------------------------------------------------------------


def serve_full(port: int, workdir: Path, *, fixed_reply: bool = False) -> None:
    from aiohttp import web

    from bot.app import served_app
    from bot.config import load_config
    from bot.runtime import open_runtime

    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    text = text.replace("sqlite:///data/duban.db", f"sqlite:///{workdir / 'bench.db'}")
    text = text.replace("port = 8080", f"port = {port}")
    (workdir / "config.toml").write_text(text, encoding="utf-8")
    runtime = open_runtime(load_config(workdir / "config.toml", env={}))
    runtime.sync()
    if fixed_reply:
        # The transport alone: decrypt, de-duplicate in the database, a fixed reply, encrypt.
        import bot.inbound
        from handlers.inbound import Reply

        class FixedReply:
            world = None

            def __init__(self, *_args: object):
                pass

            def handle(self, _message: object) -> Reply:
                return Reply("help", {"name": "同事", "role": "staff"})

        bot.inbound.Router = FixedReply  # type: ignore[misc,assignment]

    async def app() -> web.Application:
        return await served_app(runtime, deliver=False)

    web.run_app(app(), host="127.0.0.1", port=port, print=None, access_log=None)


def serve_bare(port: int) -> None:
    """The floor: aiohttp plus wechatpy's decrypt, parse, reply and encrypt, nothing else."""
    from aiohttp import web
    from wechatpy.work import create_reply, parse_message
    from wechatpy.work.crypto import WeChatCrypto

    crypto = WeChatCrypto(SANDBOX_TOKEN, SANDBOX_AES_KEY, SANDBOX_CORP_ID)

    async def echo(request: web.Request) -> web.Response:
        q = request.query
        xml = crypto.decrypt_message(
            await request.read(), q["msg_signature"], q["timestamp"], q["nonce"]
        )
        message = parse_message(xml)
        reply = create_reply(message.content, message).render()
        return web.Response(text=crypto.encrypt_message(reply, q["nonce"], q["timestamp"]))

    app = web.Application()
    app.router.add_post("/wecom/callback", echo)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


# --- the load ---------------------------------------------------------------------------


def messages(count: int, text: str) -> list[tuple[dict[str, str], bytes]]:
    from wechatpy.work.crypto import WeChatCrypto

    crypto = WeChatCrypto(SANDBOX_TOKEN, SANDBOX_AES_KEY, SANDBOX_CORP_ID)
    now = int(time.time())
    base = secrets.randbits(40) << 16
    prepared = []
    for i in range(count):
        plain = (
            f"<xml><ToUserName><![CDATA[{SANDBOX_CORP_ID}]]></ToUserName>"
            f"<FromUserName><![CDATA[{USERS[i % len(USERS)]}]]></FromUserName>"
            f"<CreateTime>{now}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{text}]]></Content><MsgId>{base + i}</MsgId>"
            "<AgentID>1000002</AgentID></xml>"
        )
        nonce = str(i)
        envelope = crypto.encrypt_message(plain, nonce, now)
        import xmltodict

        fields = xmltodict.parse(envelope)["xml"]
        body = f"<xml><Encrypt><![CDATA[{fields['Encrypt']}]]></Encrypt></xml>".encode()
        params = {"msg_signature": fields["MsgSignature"], "timestamp": str(now), "nonce": nonce}
        prepared.append((params, body))
    return prepared


async def load(
    port: int, prepared: list[tuple[dict[str, str], bytes]], concurrency: int
) -> dict[str, float]:
    url = f"http://127.0.0.1:{port}/wecom/callback"
    latencies: list[float] = []
    queue = iter(prepared)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def worker() -> None:
            for params, body in queue:
                started = time.perf_counter()
                async with http.post(url, params=params, data=body) as response:
                    await response.read()
                    assert response.status == 200, response.status
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }


def wait_ready(port: int, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("server did not start")


SERVERS = {
    "bare aiohttp+wechatpy": "bare",
    "duban transport": "transport",
    "duban full path": "full",
}


def measure(requests: int, text: str, rounds: int) -> dict[str, dict[int, dict[str, float]]]:
    """Run all servers side by side and take turns, so machine noise hits each alike.

    Each figure is the median over `rounds` runs.
    """
    samples: dict[str, dict[int, list[dict[str, float]]]] = {
        name: {1: [], 50: []} for name in SERVERS
    }
    with tempfile.TemporaryDirectory() as workdir:
        ports, procs = {}, []
        try:
            for name, kind in SERVERS.items():
                ports[name] = free_port()
                folder = Path(workdir) / kind
                folder.mkdir()
                argv = ["--serve", kind, "--port", str(ports[name]), "--workdir", str(folder)]
                procs.append(
                    subprocess.Popen(
                        [sys.executable, __file__, *argv],
                        cwd=ROOT,
                        env={**os.environ, "PYTHONPATH": str(ROOT)},
                    )
                )
                wait_ready(ports[name], procs[-1])
                asyncio.run(load(ports[name], messages(200, text), 10))  # warm up
            for _ in range(rounds):
                for concurrency in (1, 50):
                    count = requests if concurrency > 1 else max(300, requests // 5)
                    for name, port in ports.items():
                        result = asyncio.run(load(port, messages(count, text), concurrency))
                        samples[name][concurrency].append(result)
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(timeout=20)
    return {
        name: {
            c: {key: statistics.median(r[key] for r in runs) for key in runs[0]}
            for c, runs in by_concurrency.items()
        }
        for name, by_concurrency in samples.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--text", default="帮助")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve", choices=["full", "transport", "bare"])
    parser.add_argument("--port", type=int)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    if args.serve in ("full", "transport"):
        return serve_full(args.port, args.workdir, fixed_reply=args.serve == "transport")
    if args.serve == "bare":
        return serve_bare(args.port)

    print(
        f"{os.cpu_count()} cores, {args.requests} requests at concurrency 50, "
        f"message {args.text!r}, median of {args.rounds} alternating rounds"
    )
    runs = measure(args.requests, args.text, args.rounds)
    bare = runs["bare aiohttp+wechatpy"]
    print(f"{'':30}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'/bare':>7}")
    for concurrency in (1, 50):
        for name, result in runs.items():
            r = result[concurrency]
            ratio = r["rps"] / bare[concurrency]["rps"]
            label = f"{name} c={concurrency}"
            print(f"{label:30}{r['rps']:8.0f}{r['p50_ms']:9.2f}{r['p99_ms']:9.2f}{ratio:7.2f}")


if __name__ == "__main__":
    main()
