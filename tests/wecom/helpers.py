from __future__ import annotations

from typing import Any


def markdown(content: str) -> dict[str, Any]:
    return {"msgtype": "markdown", "markdown": {"content": content}}


def text(content: str) -> dict[str, Any]:
    return {"msgtype": "text", "text": {"content": content}}
