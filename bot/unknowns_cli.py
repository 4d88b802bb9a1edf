"""`duban unknowns`: what the bot did not understand, grouped by how it was said."""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import timedelta
from typing import Any

from bot.config import Config
from bot.render import clip
from bot.runtime import open_runtime
from bot.table import render_table
from handlers.unknowns import Group, listing
from storage.db import transaction

OUTCOMES = {
    "unknown": "没看懂",
    "clarify": "已追问",
    "answered": "追问后已答复",
    "unanswered": "追问未答复",
}
_SINCE_RE = re.compile(r"(\d{1,4})\s*([dhw天时周]?)")
_UNITS = {"": "days", "d": "days", "天": "days", "h": "hours", "时": "hours", "w": "weeks"}
_UNITS["周"] = "weeks"
_SHOWN_PER_GROUP = 5


def since(text: str) -> timedelta:
    """ "7d", "24h", "2w" (or a bare number of days) → the span; ValueError otherwise."""
    match = _SINCE_RE.fullmatch(text.strip().lower())
    if match is None:
        raise ValueError(f"--since 写成 7d、24h 或 2w（收到“{text}”）")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def unknowns_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", default="7d", help="往前看多久：7d（默认）、24h、2w")
    parser.add_argument("--json", action="store_true", help="输出 JSON（每种说法一项，含全部原文）")


def cmd_unknowns(args: argparse.Namespace, config: Config) -> int:
    try:
        span = since(args.since)
    except ValueError as exc:
        print(f"输入有误：{exc}", file=sys.stderr)
        return 2
    runtime = open_runtime(config)
    try:
        now = runtime.now()
        with transaction(runtime.sessions) as session:
            groups = listing(
                session, now=now, since=now - span, review_days=config.parser.retention_days
            )
    finally:
        runtime.close()
    names = {p.userid: p.name for p in config.people}
    tz = runtime.timezone
    if args.json:
        print(json.dumps([_as_json(g, names, tz) for g in groups], ensure_ascii=False, indent=2))
        return 0
    if not groups:
        print(f"最近 {args.since} 没有未识别的回复。")
        return 0
    total = sum(len(g.entries) for g in groups)
    print(f"最近 {args.since} 未识别的回复 {total} 条，{len(groups)} 种说法（按出现次数）：\n")
    rows: list[list[str]] = []
    for group in groups:
        for n, e in enumerate(group.entries[:_SHOWN_PER_GROUP]):
            head = f"{len(group.entries)} 次 {group.pattern}" if n == 0 else ""
            reply = e.reply.splitlines()[0] if e.reply else ""
            rows.append(
                [
                    clip(head, 24),
                    e.at.astimezone(tz).strftime("%m-%d %H:%M"),
                    names.get(e.userid, e.userid),
                    clip(e.text.replace("\n", " "), 30),
                    OUTCOMES.get(e.outcome, e.outcome),
                    clip(reply, 30),
                ]
            )
    print(render_table(["说法", "时间", "发送人", "原文", "结果", "机器人回复"], rows))
    print("\n常见的说法可加进配置的 [parser] 一节（见 README「让机器人听懂本单位的说法」）。")
    return 0


def _as_json(group: Group, names: dict[str, str], tz: Any) -> dict[str, Any]:
    return {
        "pattern": group.pattern,
        "count": len(group.entries),
        "entries": [
            {
                "at": e.at.astimezone(tz).isoformat(),
                "userid": e.userid,
                "name": names.get(e.userid, e.userid),
                "text": e.text,
                "outcome": e.outcome,
                "reason": e.reason,
                "reply": e.reply,
            }
            for e in group.entries
        ],
    }
