"""Fuzz the reply parser and the WeCom callback at scale, seeded and bounded.

    .venv/bin/python bench/fuzz.py [--parser 1000000] [--callback 100000] [--seed 1]

Parser: corpus replies mutated (characters inserted, dropped, doubled, swapped; dates,
numbers, ids and keywords spliced in; random Unicode), and token soups, each parsed for a
sender with their tasks on a random day. A *crash* is an exception inside the parser's
core (which `parse_reply` would hide behind "unknown"); an *escape* is one out of
`parse_reply` itself. Both must be 0.

Callback: the bot's real `Callback` handler (decrypt, parse, validate) on random bodies:
garbage, XML-ish, corrupt ciphertext under a valid signature, and signed plaintexts of
mutated WeCom messages (nested, repeated, huge, wrong-typed or missing fields, entities,
bad UTF-8). Every answer must be 2xx or 4xx, and only well-formed messages may reach the
handlers; an exception escaping the handler would be a 500.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import logging
import multiprocessing
import os
import random
import signal
import struct
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from multidict import MultiDict, MultiDictProxy  # noqa: E402
from wechatpy.work.crypto import WeChatCrypto  # noqa: E402

from bot.runtime import SANDBOX_AES_KEY, SANDBOX_CORP_ID, SANDBOX_TOKEN  # noqa: E402
from bot.wecom.callback import Callback  # noqa: E402
from handlers.inbound import Inbound  # noqa: E402
from handlers.parser import parse_reply  # noqa: E402
from handlers.parser.core import parse  # noqa: E402
from tests.parser.corpus import CASES  # noqa: E402
from tests.parser.fixtures import TASKS  # noqa: E402
from tests.wxbizmsgcrypt import WXBizMsgCrypt, _pad, signature  # noqa: E402

SPLICES = [
    "T3",
    "t4",
    "Ｔ３",
    "第3项",
    "3号",
    "#12",
    "【T1】",
    "3.1",
    "T99999",
    "T0",
    "80%",
    "１００％",
    "百分之六十",
    "120%",
    "-5%",
    "已完成",
    "办结",
    "完成",
    "受阻",
    "延期至",
    "延期一个月",
    "延后两周",
    "预计",
    "4月30日",
    "2027-04-30",
    "4/30",
    "下周五",
    "本周内",
    "月底",
    "上旬",
    "年底",
    "国庆前",
    "五一前",
    "明年3月",
    "30号",
    "3天内",
    "2周内",
    "二季度末",
    "2月30日",
    "13月1日",
    "0月0日",
    "原因：",
    "问题：",
    "下一步：",
    "；",
    "，",
    "。",
    "\n",
    " ",
    "\u3000",
    "同意",
    "不同意",
    "撤销",
    "我的任务",
    "帮助",
    "汇总",
    "逾期",
    "9" * 30,
    "〇一二三四五六七八九十百千万亿",
]
ALPHABET = "0123456789０１２３４５６７８９%％T t.-/：:；;，,。 \n年月日号周天内前后至约左右"


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(text))
        kind = rng.randrange(7)
        if kind == 0:
            text = text[:at] + rng.choice(ALPHABET) + text[at:]
        elif kind == 1:
            text = text[:at] + text[at + rng.randint(1, 4) :]
        elif kind == 2:
            end = min(len(text), at + rng.randint(1, 6))
            text = text[:end] + text[at:end] + text[end:]
        elif kind == 3:
            text = text[:at] + rng.choice(SPLICES) + text[at:]
        elif kind == 4:
            text = (
                text[:at]
                + chr(rng.randint(0, 0x10FFFF))
                .encode("utf-8", "replace")
                .decode("utf-8", "replace")
                + text[at:]
            )
        elif kind == 5 and len(text) > 1:
            i, j = sorted(rng.sample(range(len(text)), 2))
            text = text[:i] + text[j] + text[i + 1 : j] + text[i] + text[j + 1 :]
        else:
            text = text * rng.randint(2, 5)
    return text


def parser_inputs(count: int, rng: random.Random) -> Any:
    corpus = [text for _sender, _day, text, _expected in CASES]
    senders = sorted(TASKS)
    for _ in range(count):
        roll = rng.random()
        if roll < 0.75:
            text = mutate(rng.choice(corpus), rng)
        elif roll < 0.95:
            text = "".join(rng.choice(SPLICES) for _ in range(rng.randint(1, 8)))
        else:
            text = "".join(chr(rng.randint(0, 0x2FFFF)) for _ in range(rng.randint(0, 40)))
            text = text.encode("utf-8", "replace").decode("utf-8", "replace")
        today = date(2000, 1, 1) + timedelta(days=rng.randrange(365 * 100))
        yield text, today, TASKS[rng.choice(senders)]


# An input the parser takes longer than this over is a hang (a regex backtracking without
# end would otherwise stall the fuzz, as it would stall the bot).
HANG_S = 1.0


class _Hang(Exception):
    pass


def _alarm(_signum: int, _frame: object) -> None:
    raise _Hang


Share = tuple[list[tuple[str, str]], int, list[tuple[str, int]], float]


def _parser_share(job: tuple[int, int]) -> Share:
    count, seed = job
    rng = random.Random(seed)
    crashes: list[tuple[str, str]] = []
    hangs: list[tuple[str, int]] = []
    escapes = 0
    slowest = 0.0
    signal.signal(signal.SIGALRM, _alarm)
    for text, today, tasks in parser_inputs(count, rng):
        started = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, HANG_S)
        try:
            parse(text, today, tasks)
        except _Hang:
            hangs.append((text[:120], len(text)))
            continue
        except Exception as exc:  # what parse_reply would hide behind "unknown"
            signal.setitimer(signal.ITIMER_REAL, 0)
            crashes.append((text, repr(exc)))
            try:
                parse_reply(text, today=today, tasks=tasks)
            except Exception:
                escapes += 1
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        slowest = max(slowest, time.perf_counter() - started)
    return crashes, escapes, hangs, slowest


def fuzz_parser(count: int, seed: int, workers: int) -> dict[str, Any]:
    """`count` inputs in `workers` processes, each with its own seed derived from `seed`."""
    shares = [(count // workers + (i < count % workers), seed * 1000 + i) for i in range(workers)]
    started = time.perf_counter()
    with multiprocessing.Pool(workers) as pool:
        results = pool.map(_parser_share, shares)
    elapsed = time.perf_counter() - started
    crashes = [c for found, _, _, _ in results for c in found]
    hangs = [h for _, _, found, _ in results for h in found]
    return {
        "inputs": count,
        "workers": workers,
        "crashes": len(crashes),
        "escapes": sum(e for _, e, _, _ in results),
        f"hangs (over {HANG_S:.0f} s)": len(hangs),
        "slowest input ms": round(max(s for _, _, _, s in results) * 1000, 1),
        "per second": round(count / elapsed),
        "seconds": round(elapsed, 1),
        "first crashes": crashes[:5],
        "first hangs": hangs[:5],
    }


# --- the callback -----------------------------------------------------------------------

OFFICIAL = WXBizMsgCrypt(SANDBOX_TOKEN, SANDBOX_AES_KEY, SANDBOX_CORP_ID)
FIELDS = [
    "ToUserName",
    "FromUserName",
    "CreateTime",
    "MsgType",
    "Content",
    "MsgId",
    "AgentID",
    "Event",
    "EventKey",
    "TaskId",
    "ResponseCode",
]
VALUES = [
    "lilei",
    "",
    "1",
    "-1",
    "9" * 30,
    "text",
    "event",
    "template_card_event",
    "<a>1</a>",
    "&amp;",
    "<![CDATA[x]]>",
    "帮助",
    "x" * 3000,
    "\u0000",
    "T3 80%",
    "1.5",
    "１２３",
]


def message_xml(rng: random.Random, now: int) -> str:
    fields = {
        "ToUserName": SANDBOX_CORP_ID,
        "FromUserName": "lilei",
        "CreateTime": str(now),
        "MsgType": "text",
        "Content": "T3 80%",
        "MsgId": str(rng.randrange(10**18)),
        "AgentID": "1000002",
    }
    for _ in range(rng.randint(0, 3)):
        name = rng.choice(FIELDS)
        roll = rng.random()
        if roll < 0.2:
            fields.pop(name, None)
        elif roll < 0.5:
            fields[name] = rng.choice(VALUES)
        elif roll < 0.7:
            fields[name] = "".join(chr(rng.randint(32, 0xFFFF)) for _ in range(rng.randint(0, 20)))
        elif roll < 0.85:
            fields[name] = f"<{name}>{rng.choice(VALUES)}</{name}>" * rng.randint(1, 3)
        else:
            fields[name] = "<x>" * rng.randint(1, 300) + "</x>" * rng.randint(1, 300)
    body = "".join(
        f"<{k}>{v}</{k}>" if rng.random() < 0.7 else f"<{k}><![CDATA[{v}]]></{k}>"
        for k, v in fields.items()
    )
    prefix = rng.choice(["", "", '<?xml version="1.0"?>', '<!DOCTYPE x [<!ENTITY e "ee">]>'])
    return f"{prefix}<xml>{body}</xml>"


def encrypt_bytes(body: bytes) -> str:
    plain = os.urandom(16) + struct.pack("!I", len(body)) + body + SANDBOX_CORP_ID.encode()
    encryptor = OFFICIAL._cipher().encryptor()
    return base64.b64encode(encryptor.update(_pad(plain)) + encryptor.finalize()).decode()


def callback_input(rng: random.Random, now: int) -> tuple[str, bytes, str]:
    """(query string, body, kind)."""
    timestamp = str(now) if rng.random() < 0.9 else rng.choice(["", "abc", "-1", "9" * 25, "0"])
    nonce = str(rng.randrange(10**9))
    kind = rng.choice(["garbage", "xml", "corrupt", "plain", "plain", "plain", "bytes"])
    if kind == "garbage":
        encrypt, body = "x", rng.randbytes(rng.randint(0, 3000))
    elif kind == "xml":
        encrypt = ""
        body = message_xml(rng, now).encode("utf-8", "replace")
    elif kind == "corrupt":
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
        encrypt = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))
        body = f"<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>".encode()
    else:
        if kind == "bytes":
            encrypt = encrypt_bytes(rng.randbytes(rng.randint(0, 200)))
        else:
            # Surrogates in a random field make invalid UTF-8 on purpose.
            encrypt = encrypt_bytes(message_xml(rng, now).encode("utf-8", "surrogatepass"))
        body = f"<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>".encode()
    sign = signature(SANDBOX_TOKEN, timestamp, nonce, encrypt)
    if rng.random() < 0.05:
        sign = "0" * 40
    query = f"msg_signature={sign}&timestamp={timestamp}&nonce={nonce}"
    return query, body, kind


class Request:
    """What the handler reads of an aiohttp request (the query, the body, the peer):
    aiohttp's own mocked request costs a hundred times the handler."""

    remote = "fuzz"

    def __init__(self, query: str, body: bytes):
        self.query = MultiDictProxy(MultiDict(parse_qsl(query, keep_blank_values=True)))
        self._body = body

    async def read(self) -> bytes:
        return self._body


async def fuzz_callback(count: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    now = datetime.now(UTC)
    accepted: list[Inbound] = []

    async def process(inbound: Inbound) -> dict[str, Any] | None:
        accepted.append(inbound)
        return None

    callback = Callback(
        WeChatCrypto(SANDBOX_TOKEN, SANDBOX_AES_KEY, SANDBOX_CORP_ID),
        process,
        now=lambda: now,
        timestamp_window=300,
    )
    statuses: dict[int, int] = {}
    escapes: list[str] = []
    started = time.perf_counter()
    for _ in range(count):
        query, body, kind = callback_input(rng, int(now.timestamp()))
        request = Request(query, body)
        try:
            response = await callback.receive(request)  # type: ignore[arg-type]
        except Exception as exc:
            escapes.append(f"{kind}: {exc!r}")
            continue
        statuses[response.status] = statuses.get(response.status, 0) + 1
    elapsed = time.perf_counter() - started
    bad = [i for i in accepted if not (i.sender and (i.msg_id or i.event))]
    return {
        "inputs": count,
        "escapes (would be 500)": len(escapes),
        "answers": dict(sorted(statuses.items())),
        "reached the handlers": len(accepted),
        "malformed that reached the handlers": len(bad),
        "per second": round(count / elapsed),
        "seconds": round(elapsed, 1),
        "first escapes": escapes[:5],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parser", type=int, default=1_000_000)
    parser.add_argument("--callback", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    # Each refused callback logs one warning; the counts below are what matters here.
    logging.basicConfig(level=logging.ERROR)
    print(f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}, seed {args.seed}")
    results = {
        "callback": asyncio.run(fuzz_callback(args.callback, args.seed)),
        "parser": fuzz_parser(args.parser, args.seed, args.workers),
    }
    for name, result in results.items():
        print(name)
        for key, value in result.items():
            print(f"  {key}: {value}")
    failed = (
        results["parser"]["crashes"]
        or results["parser"][f"hangs (over {HANG_S:.0f} s)"]
        or results["parser"]["escapes"]
        or results["callback"]["escapes (would be 500)"]
        or results["callback"]["malformed that reached the handlers"]
        or 500 in results["callback"]["answers"]
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
