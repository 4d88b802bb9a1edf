"""The parts of a report: 进展情况 / 存在问题 / 下一步打算, as inline labels or heading lines,
and the list markers (一是, 1., （二）) that number their items."""

from __future__ import annotations

import re

from .text import tidy, trim

_LABELS = (
    r"(?:存在|遇到|面临)?的?(?:主要|突出)?(?:问题|困难|不足)(?:和|与|及)?(?:问题|困难|不足)?|"
    r"(?:下一步|下步|下一阶段|下阶段|后续|今后)(?:工作)?(?:打算|计划|安排|措施|思路|重点)?|"
    r"(?:工作|目前|总体|主要)?(?:进展|推进|完成|落实|开展|工作开展)情况|工作进展|目前进展|总体进展|"
    r"进展|工作情况|(?:有关|相关|具体|基本)情况|主要做法|打算|工作打算|工作计划|"
    r"延期原因|原因|理由|备注|说明"
)
_LABEL_RE = re.compile(
    r"(?P<label>" + _LABELS + r")\s*(?:是|为|(?:汇报|报告)?如下)?\s*(?P<colon>:)?"
)
# A line that is only a heading: "一、进展情况", "（三）下一步工作计划", "存在问题：".
_NUMBER = (
    r"(?:[一二三四五六七八九十]{1,2}\s*、|\(\s*[一二三四五六七八九十0-9]{1,2}\s*\)"
    r"|[0-9]{1,2}\s*[、。])\s*"
)
_HEADING_RE = re.compile(
    r"(?:" + _NUMBER + r"[^\n,;!?:]{0,14}?|[^\n,;!?:]{0,8}?(?=(?:进展|推进|完成|工作)情况|工作进展)"
    r")?(?P<label>" + _LABELS + r")\s*(?:(?:汇报|报告)?如下)?\s*:?\s*"
)
_SECTION_KIND = {"原因": "reason", "理由": "reason", "延期原因": "reason"}
_SECTION_KIND.update({"备注": "main", "说明": "main"})
_NEXT_WORDS = ("下", "后续", "今后", "计划", "打算", "安排")
# The number in front of a list item; stripped from notes.
MARKER_RE = re.compile(
    r"^(?:[一二三四五六七八九十]{1,2}\s*是|[一二三四五六七八九十]{1,2}\s*、|"
    r"\(\s*[一二三四五六七八九十0-9]{1,2}\s*\)\s*、?|[0-9]{1,2}\s*[、。)]|"
    r"第[一二三四五六七八九十]{1,2}\s*[,、]|其[一二三四五六]\s*[,、]?|首先\s*,?|其次\s*,?|"
    r"再次\s*,?|最后\s*,?|另外\s*,?|此外\s*,?)\s*"
)
SPLIT_RE = re.compile(r"[,;。!?\n]+")


# "（一）进展情况。赴广东…": a numbered heading with its text on the same line.
_NUMBERED_LABEL_RE = re.compile(_NUMBER + r"(?P<label>" + _LABELS + r")\s*[。:]\s*")


# Something a label needs: a line break, a colon, or a next-steps word (they need no colon).
_MAY_LABEL = ("\n", ":", "下", "后续", "今后", "打算", "计划", "安排", "措施", "思路")


def label_kind(label: str) -> str:
    if label in _SECTION_KIND:
        return _SECTION_KIND[label]
    if label.startswith(_NEXT_WORDS[:3]) or label.endswith((*_NEXT_WORDS[3:], "措施", "思路")):
        return "next"
    if "问题" in label or "困难" in label or "不足" in label:
        return "problems"
    return "main"


def _labels(body: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    pos = 0
    for line in body.split("\n"):
        heading = _HEADING_RE.fullmatch(line)
        if heading is not None and line.strip():
            found.append((pos, pos + len(line), label_kind(heading.group("label"))))
        else:
            numbered = _NUMBERED_LABEL_RE.match(line)
            if numbered is not None:
                found.append((pos, pos + numbered.end(), label_kind(numbered.group("label"))))
        pos += len(line) + 1
    for m in _LABEL_RE.finditer(body):
        start = m.start()
        if any(s <= start < e for s, e, _ in found):
            continue
        kind = label_kind(m.group("label"))
        if start > 0 and body[start - 1] not in " ,;。!?\n、:)是":
            continue
        if m.group("colon") is None and kind != "next":
            continue
        found.append((start, m.end(), kind))
    found.sort()
    return found


def split_sections(body: str) -> tuple[str, dict[str, list[str]]]:
    """The report's main text (its own labels removed) and its labelled parts by kind."""
    if not any(word in body for word in _MAY_LABEL):
        return body, {}  # no heading and no label: one run of text
    labels = _labels(body)
    sections: dict[str, list[str]] = {}
    if not labels:
        return body, sections
    main_parts = [body[: labels[0][0]]]
    for i, (_, end, kind) in enumerate(labels):
        stop = labels[i + 1][0] if i + 1 < len(labels) else len(body)
        content = body[end:stop]
        if kind == "main":
            main_parts.append(content)
        elif trim(content):
            sections.setdefault(kind, []).append(content)
    return "\n".join(main_parts), sections


def clauses(text: str) -> list[str]:
    """The clauses of ``text``, list markers removed, empty ones dropped."""
    result = []
    for piece in SPLIT_RE.split(text):
        piece = tidy(MARKER_RE.sub("", tidy(piece.strip(" ")), count=1))
        if piece:
            result.append(piece)
    return result


def joined(parts: list[str]) -> str | None:
    """A section as one text: its clauses joined with "，", several sections with "；"."""
    if not parts:
        return None
    texts = ["，".join(clauses(p)) for p in parts]
    return "；".join(t for t in texts if t) or None
