"""A problem in config.toml: its TOML path, what is wrong, and the fix, in plain Chinese.

Shared by the loader (bot/config.py), the schema checks (bot/config_schema.py) and the
cross-checks (bot/config_checks.py)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# C0 and C1 control characters, except tab and line breaks: invisible, and PostgreSQL
# refuses NUL in text outright.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}：" if self.path else ""
        fix = f" → {self.hint}" if self.hint else ""
        return f"{where}{self.message}{fix}"


def unknown_key(loc: tuple[Any, ...], known: Iterable[str]) -> Problem:
    guess = difflib.get_close_matches(str(loc[-1]), list(known), n=1, cutoff=0.6)
    hint = f"是否想写 {guess[0]}？" if guess else f"可用的键：{'、'.join(known)}"
    return Problem(toml_path(loc), "不认识的配置项（会被忽略，所以不允许）", hint)


def suggest(value: str, known: Iterable[str], what: str) -> str:
    guess = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.5)
    return f'是否想写 "{guess[0]}"？' if guess else f"应为 {what} 之一"


def toml_path(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        name = shorten(str(part))
        out += f"[{part}]" if isinstance(part, int) else (f".{name}" if out else name)
    return out


def toml_value(value: Any) -> str:
    return f'"{shorten(value)}"' if isinstance(value, str) else shorten(str(value))


def shorten(text: str, limit: int = 40) -> str:
    """A value as quoted in a problem: its start, not a whole page of it."""
    text = CONTROL_CHARACTERS.sub("?", text)
    return text if len(text) <= limit else f"{text[:limit]}…（共 {len(text)} 个字符）"
