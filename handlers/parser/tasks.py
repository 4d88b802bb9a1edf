"""Task references: ``T3``, ``3``, ``3号``, ``第三项``, ``任务3``, ``【T3】``, ``#3``, ``3.2``."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from .models import TaskRef
from .numbers import to_int
from .text import SEP_CHARS, is_cjk, mask_quoted

_ID_SHAPE = re.compile(r"^(T?)([0-9]+(?:\.[0-9]+)*)$")


@lru_cache(maxsize=4096)  # every message indexes the same configured ids again
def id_key(raw: str) -> str:
    """A comparable form of an id: ``"ｔ03"`` and ``"T3"`` share the key ``"T3"``."""
    key = unicodedata.normalize("NFKC", raw).upper().replace(" ", "")
    m = _ID_SHAPE.match(key)
    if m:
        return m.group(1) + ".".join(p.lstrip("0") or "0" for p in m.group(2).split("."))
    return key


class TaskIndex:
    """Configured ids by key, with the sender's own open tasks in configured order."""

    __slots__ = ("by_key", "deadlines", "extra_re", "mine", "own_open", "titles")

    def __init__(self, tasks: Sequence[TaskRef]) -> None:
        by_key: dict[str, str] = {}
        self.deadlines: dict[str, date] = {}
        self.titles: dict[str, str] = {}
        for task in tasks:
            by_key.setdefault(id_key(task.id), task.id)
            self.deadlines.setdefault(task.id, task.deadline)
            self.titles.setdefault(task.id, task.title)
        # A bare number stands for a T-id (and "T3.2" for "3.2"), never shadowing a real id.
        for task in tasks:
            key = id_key(task.id)
            m = _ID_SHAPE.match(key)
            if m:
                alias = m.group(2) if m.group(1) else "T" + key
                by_key.setdefault(alias, task.id)
        self.by_key = by_key
        self.own_open = tuple(t.id for t in tasks if t.mine and not t.done)
        self.mine = frozenset(t.id for t in tasks if t.mine)
        odd = tuple(sorted({t.id for t in tasks if not _ID_SHAPE.match(id_key(t.id))}))
        self.extra_re = _literal_ids_re(odd) if odd else None

    def lookup(self, raw: str) -> str | None:
        return self.by_key.get(id_key(raw))


@lru_cache(maxsize=32)
def _literal_ids_re(ids: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = [re.escape(unicodedata.normalize("NFKC", i).strip()) for i in ids]
    parts = sorted((p for p in parts if p), key=len, reverse=True)
    if not parts:
        return None
    return re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(parts) + r")(?![A-Za-z0-9])", re.I)


class Ref:
    __slots__ = ("end", "hao", "raw", "start", "task")

    def __init__(self, start: int, end: int, raw: str, task: str | None, hao: bool = False) -> None:
        self.start, self.end, self.raw = start, end, raw
        self.task = task  # None: looks like an id but is not configured
        self.hao = hao  # a bare "N号": a room, a building or a date as often as a task


_NUMID = r"[0-9]{1,4}(?:\.[0-9]{1,3})*"
_CNNUM = r"[一二三四五六七八九十]{1,3}"
_REF_RE = re.compile(
    r"【\s*(?P<br>[Tt]?\s?" + _NUMID + r")\s*】"
    r"|(?:任务|事项)\s*(?:编号)?\s*[#:]?\s*(?P<tk>[Tt]?" + _NUMID + r"|" + _CNNUM + r")"
    r"(?![0-9])(?:\s*号)?"
    r"|第\s*(?P<ord>" + _NUMID + r"|" + _CNNUM + r")\s*项(?:任务|工作)?"
    r"|#\s*(?P<hash>" + _NUMID + r")(?![0-9])"
    r"|(?<![A-Za-z0-9])(?P<t>[Tt]\s?" + _NUMID + r")(?![0-9])"
    r"|(?<![0-9A-Za-z.%#第])(?P<bare>" + _NUMID + r")(?![0-9])(?P<hao>\s*号(?:任务)?)?"
)
_KINDS = ("br", "tk", "ord", "hash", "t", "bare")
# After a bare number these mean a date, a count or a percentage, not a task.
_UNIT_CHARS = set(
    "%月日年天周个项名人场次期篇万元家所余点时分秒成倍级批届条部册份件只台米亿千百亩岁位座块类"
)
_HAO_DATE_RE = re.compile(
    r"\s*(?:之前|以前|前|左右|完成|截止|到期|上午|下午|中午|晚上|召开|开会|到|办结|前后|当天)"
)
# An id after "、" or ","; a number with a unit ("2、3月10日…") is no id.
_NEXT_REF_RE = re.compile(
    r"\s*(?:[Tt]?[0-9]+(?:\.[0-9]+)*(?![0-9.]*[%月日年号天个项名人])|第|任务|#|【)"
)
_CONNECTORS = ("以及", "和", "及", "与", "跟", "同", "&", "+")
# Words after which an id may follow directly ("查看T3", "同意T5").
_PREFIX_WORDS_RE = re.compile(
    r"(?:关于|报告|汇报|更新|反馈|回复|上报|查看|查询|看看|看下|看一下|查一下|查|同意|批准|通过|"
    r"驳回|不同意|拒绝|不批准|准予|编号|请|撤销|撤回|看看|帮我看看|请问|问下|问一下|了解一下|了解|看下|"
    r"查查|帮我查一下|帮我查|关于|至于|还有|现将|特将|兹将|现就)$"
)
# Prepositions that make "需与T4协调" mention a task rather than report on it.
_MENTION_CHARS = set("与和及跟同需要由等对向给将把在从配协")


_RANGE_RE = re.compile(r"\s*(?:-|~|—+|至|到)\s*")
_T_NUMBER = re.compile(r"T([0-9]{1,4})")
MAX_RANGE = 50


def find_refs(text: str, index: TaskIndex) -> list[Ref]:
    """The task references in ``text`` (already normalized), ranges spelled out."""
    refs = _scan(mask_quoted(text), index)
    # "3号展厅" beside an explicit id is a place; alone, "3号" is a task only if it is mine.
    if any(not r.hao for r in refs):
        refs = [r for r in refs if not r.hao]
    else:
        refs = [r for r in refs if r.task in index.mine]
    return _ranges(text, refs, index)


def _ranges(text: str, refs: list[Ref], index: TaskIndex) -> list[Ref]:
    """Ranges ("T1-T3", "T1至T3"): the tasks in between join the two ends."""
    result: list[Ref] = []
    for i, ref in enumerate(refs):
        result.append(ref)
        if i + 1 == len(refs) or not _RANGE_RE.fullmatch(text, ref.end, refs[i + 1].start):
            continue
        low = _T_NUMBER.fullmatch(id_key(ref.task or ""))
        high = _T_NUMBER.fullmatch(id_key(refs[i + 1].task or ""))
        if low is None or high is None:
            continue
        first, last = int(low.group(1)), int(high.group(1))
        for n in range(first + 1, min(last, first + MAX_RANGE)):
            task = index.lookup(f"T{n}")
            if task is not None:
                result.append(Ref(ref.end, ref.end, f"T{n}", task))
    return result


def _scan(text: str, index: TaskIndex) -> list[Ref]:
    refs: list[Ref] = []
    last_end = -1
    candidates: list[tuple[int, int, str, str | None, bool]] = []
    for m in _REF_RE.finditer(text):
        kind = next(k for k in _KINDS if m.group(k) is not None)
        hao = bool(m.group("hao")) and "任务" not in m.group("hao")
        candidates.append((m.start(), m.end(), kind, m.group(kind), hao))
    if index.extra_re is not None:
        for m in index.extra_re.finditer(text):
            candidates.append((m.start(), m.end(), "t", m.group(0), False))
        candidates.sort(key=lambda c: (c[0], -c[1]))
    for start, end, kind, raw, has_hao in candidates:
        if start < last_end:
            continue
        ref = _accept(text, start, end, kind, raw or "", has_hao, index, last_end)
        if ref is not None:
            refs.append(ref)
            last_end = ref.end
    return refs


def _accept(
    text: str,
    start: int,
    end: int,
    kind: str,
    raw: str,
    has_hao: bool,
    index: TaskIndex,
    last_end: int,
) -> Ref | None:
    raw = raw.replace(" ", "")
    if kind in ("tk", "ord") and not raw[0].isascii():
        value = to_int(raw)
        raw = str(value) if value is not None else raw
    after = text[end:].lstrip(" ")
    if kind == "bare":
        task = index.lookup(raw)
        if task is None or not _at_boundary(text, start, last_end, strict=True):
            return None
        if has_hao:
            if _HAO_DATE_RE.match(after):
                return None
        elif after:
            if after[0] in _UNIT_CHARS or after[0] in "/-~。)":
                return None
            if after[0] in "、," and not _NEXT_REF_RE.match(after, 1):
                return None  # a list marker such as "1、" or "2。"
        return Ref(start, end, raw, task, hao=has_hao)
    if kind == "tk" and text[end : end + 1] in _UNIT_CHARS:  # "任务3项", not "任务4 只能…"
        return None
    if kind == "t" and "." in raw and index.lookup(raw) is None:
        head = raw.split(".", 1)[0]
        if index.lookup(head) is not None and text[end : end + 1] in ("%", "月", "日", "号"):
            end = start + text[start:end].index(".")
            raw = head
    if not _at_boundary(text, start, last_end):
        before = text[:start]
        if before and before[-1] in _MENTION_CHARS:
            return None
    return Ref(start, end, raw.upper(), index.lookup(raw))


def _at_boundary(text: str, start: int, last_end: int, strict: bool = False) -> bool:
    if start == 0:
        return True
    if text[start - 1] in " 【(:" or text[start - 1] in SEP_CHARS or text[start - 1] == "、":
        return True
    before = text[:start].rstrip(" ")
    if not before:
        return True
    for word in _CONNECTORS:
        if before.endswith(word):
            head = before[: -len(word)].rstrip(" ")
            return len(head) == last_end or (last_end > 0 and head.endswith("、"))
    if _PREFIX_WORDS_RE.search(before):
        return True
    return not strict and not is_cjk(before[-1]) and not before[-1].isalnum()
