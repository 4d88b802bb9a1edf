"""WeCom's markdown subset, parsed into blocks and spans for a template to render.

Nothing here builds HTML: the chat simulator's templates (``_messages.html``) turn the
blocks into markup, and Jinja's autoescaping escapes every piece of text and every link.
The subset (DESIGN.md, "WeCom facts"): headings, bold, links, ``>`` quotes, inline code and
``<font color="info|comment|warning">``. Anything else is text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

__all__ = ["Block", "Span", "parse_inline", "parse_markdown", "plain_text"]

SpanKind = Literal["text", "code", "bold", "font", "link"]
BlockKind = Literal["heading", "paragraph", "quote"]


@dataclass(frozen=True)
class Span:
    kind: SpanKind
    text: str = ""  # text and code: the characters shown
    children: tuple[Span, ...] = ()  # bold, font, link: what is inside
    color: str = ""  # font: info | comment | warning
    href: str = ""  # link: an http(s) URL


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    lines: tuple[tuple[Span, ...], ...]  # a heading has one line
    level: int = 0  # heading: 1-6


_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
# Inline constructs; at each point the leftmost match wins, ties going to the earlier one.
_INLINE: tuple[tuple[SpanKind, re.Pattern[str]], ...] = (
    ("code", re.compile(r"`([^`]+)`")),
    (
        "font",
        re.compile(r"<font\s+color=([\"']?)(info|comment|warning)\1>(.*?)</font>", re.IGNORECASE),
    ),
    ("link", re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")),
    ("bold", re.compile(r"\*\*(.+?)\*\*")),
)


def _span(kind: SpanKind, match: re.Match[str]) -> Span:
    if kind == "code":
        return Span("code", match.group(1))
    if kind == "font":
        return Span("font", children=parse_inline(match.group(3)), color=match.group(2).lower())
    if kind == "link":
        return Span("link", children=parse_inline(match.group(1)), href=match.group(2))
    return Span("bold", children=parse_inline(match.group(1)))


def parse_inline(text: str) -> tuple[Span, ...]:
    """One line's spans. Code is literal; bold, font and link text may nest the others."""
    spans: list[Span] = []
    found = [pattern.search(text) for _, pattern in _INLINE]
    pos = 0
    while pos < len(text):
        for i, (_, pattern) in enumerate(_INLINE):  # search again where a match fell behind
            old = found[i]
            if old is not None and old.start() < pos:
                found[i] = pattern.search(text, pos)
        hits = [(m.start(), i, m) for i, m in enumerate(found) if m is not None]
        if not hits:
            break
        start, first, match = min(hits, key=lambda hit: hit[:2])
        kind = _INLINE[first][0]
        if start > pos:
            spans.append(Span("text", text[pos:start]))
        spans.append(_span(kind, match))
        pos = match.end()
    if pos < len(text):
        spans.append(Span("text", text[pos:]))
    return tuple(spans)


@lru_cache(maxsize=1024)  # a page re-renders its chat on every change: parse each once
def parse_markdown(source: str) -> tuple[Block, ...]:
    """Blocks of a markdown message: a heading line, a paragraph of consecutive lines, a
    quote of consecutive ``>`` lines; a blank line ends a paragraph or quote."""
    blocks: list[Block] = []
    para: list[tuple[Span, ...]] = []
    quote: list[tuple[Span, ...]] = []

    def flush() -> None:
        if para:
            blocks.append(Block("paragraph", tuple(para)))
            para.clear()
        if quote:
            blocks.append(Block("quote", tuple(quote)))
            quote.clear()

    for line in source.replace("\r\n", "\n").split("\n"):
        heading = _HEADING.match(line)
        if heading:
            flush()
            level = len(heading.group(1))
            blocks.append(Block("heading", (parse_inline(heading.group(2)),), level))
        elif line.startswith(">"):
            if para:
                flush()
            quote.append(parse_inline(line[1:].lstrip()))
        elif not line.strip():
            flush()
        else:
            if quote:
                flush()
            para.append(parse_inline(line))
    flush()
    return tuple(blocks)


def _plain(spans: tuple[Span, ...]) -> str:
    return "".join(s.text if s.kind in ("text", "code") else _plain(s.children) for s in spans)


def plain_text(source: str) -> str:
    """The words of a markdown message without its markup, lines joined by spaces."""
    return " ".join(_plain(line) for block in parse_markdown(source) for line in block.lines)
