"""Properties that hold for any input: no exceptions, determinism, a stable JSON shape."""

from __future__ import annotations

import json
import logging
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.parser import choose_candidate, parse_date, parse_reply
from handlers.parser.core import parse
from handlers.parser.vocab import EXTENSION_DATED_WORDS, EXTENSION_WORDS

from .fixtures import KEYS, SENDERS, TASKS, UPDATE_KEYS

_PIECES = st.sampled_from(
    [
        "T3",
        "t4",
        "Ｔ１２",
        "3.2",
        "3",
        "3号",
        "第三项",
        "任务3",
        "【T3】",
        "#3",
        "T99",
        "80%",
        "８０％",
        "百分之",
        "七成五",
        "过半",
        "三分之一",
        "进度",
        "完成率",
        "120%",
        "已完成",
        "完成",
        "办结",
        "未启动",
        "进行中",
        "受阻",
        "暂停",
        "延期",
        "延期至",
        "申请延期",
        "一个月",
        "两周",
        "推迟到",
        "4月底",
        "下周五",
        "3.31",
        "2027-02-29",
        "13月45日",
        "上旬",
        "年底",
        "五一前",
        "国庆前",
        "明年",
        "周日",
        "本周内",
        "10天内",
        "原因：",
        "因",
        "问题：",
        "下一步：",
        "进展：",
        "，",
        "。",
        "；",
        "、",
        "：",
        " ",
        "\n",
        "和",
        "同意",
        "驳回",
        "查看",
        "帮助",
        "撤销",
        "汇总",
        "逾期",
        "?",
        "👍",
        "\x00",
        "\u200b",
        "9" * 30,
        "." * 5,
        "/",
        "-",
        "号前",
        "日内",
    ]
)
_TEXT = st.one_of(
    st.text(max_size=200),
    st.lists(_PIECES, max_size=25).map("".join),
    st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=20).map("".join),
    st.text(
        alphabet="0123456789０１２３４５６７８９一二三四五六七八九十百月日号周年.%％ T", max_size=60
    ),
)
_TODAY = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


def _check_shape(data: dict[str, object]) -> None:
    if data.get("period") is not None:  # a summary may name its period, nothing else does
        assert data["command"] == "summary" and data["period"] in ("week", "month")
        assert tuple(data) == (*KEYS, "period")
    else:
        assert tuple(data) == KEYS
    json.dumps(data, ensure_ascii=False)
    assert data["kind"] in ("update", "command", "clarify", "unknown")
    updates = data["updates"]
    assert isinstance(updates, list)
    if data["kind"] != "update":
        assert updates == []
    else:
        assert updates
    for update in updates:
        assert tuple(update) == UPDATE_KEYS
        assert update["action"] in ("progress", "done", "extend", "blocked")
        pct = update["percent"]
        assert pct is None or (isinstance(pct, int) and 0 <= pct <= 100)
        for key in ("expected_date", "new_deadline"):
            if update[key] is not None:
                date.fromisoformat(update[key])
    clarify = data["clarify"]
    assert (clarify is not None) == (data["kind"] == "clarify")
    if isinstance(clarify, dict):
        assert tuple(clarify) == ("reason", "candidates", "detail")


@settings(max_examples=400, deadline=None)
@given(text=_TEXT, today=_TODAY, sender=st.sampled_from(SENDERS))
def test_never_raises_and_shape_is_stable(text: str, today: date, sender: str) -> None:
    # The inner function has no safety net, so a bug shows up here as an exception.
    result = parse(text, today, TASKS[sender])
    data = result.to_dict()
    _check_shape(data)
    assert parse_reply(text, today=today, tasks=TASKS[sender]) == result
    assert parse(text, today, TASKS[sender]).to_dict() == data


@settings(max_examples=200, deadline=None)
@given(text=_TEXT, today=st.dates())
def test_extreme_dates_never_raise(text: str, today: date) -> None:
    _check_shape(parse(text, today, TASKS["mus"]).to_dict())


@settings(max_examples=200, deadline=None)
@given(text=_TEXT, candidates=st.lists(st.sampled_from(["T1", "T3", "T4", "3.2", "T12"])))
def test_choose_candidate_returns_a_candidate(text: str, candidates: list[str]) -> None:
    choice = choose_candidate(text, candidates)
    assert choice is None or choice in candidates
    assert choose_candidate(text, candidates) == choice


def test_huge_input_is_cheap() -> None:
    text = "T3 80% 已完成代表资格审查，" * 5000
    parse(text, date(2027, 3, 17), TASKS["org"]).to_dict()


# ── a deadline that moves is never plain progress ────────────────────────────

_SUBJECTS = ["", "活动", "院士专家地方行", "这个", "布展", "活动时间", "完成时间", "申报"]
_MODALS = ["", "需要", "可能要", "得", "申请", "估计要", "只能", "拟"]
_TARGETS = ["", "到5月底", "至5月20日", "一周", "两个月", "到下个月", "至国庆后", "至明年3月"]
_ENDS = ["", "了", "吧", "，原因：院士行程调整", "。", "😂", "，特此申请"]


@settings(max_examples=300, deadline=None)
@given(
    ref=st.sampled_from(["T4 ", "t4", "【T4】", "任务4 ", "T4："]),
    subject=st.sampled_from(_SUBJECTS),
    modal=st.sampled_from(_MODALS),
    verb=st.sampled_from(EXTENSION_WORDS),
    target=st.sampled_from(_TARGETS),
    end=st.sampled_from(_ENDS),
)
def test_a_deadline_moving_message_is_never_plain_progress(
    ref: str, subject: str, modal: str, verb: str, target: str, end: str
) -> None:
    text = f"{ref}{subject}{modal}{verb}{target}{end}"
    data = parse_reply(text, today=date(2027, 3, 17), tasks=TASKS["org"]).to_dict()
    if data["kind"] == "clarify":
        assert data["clarify"]["reason"] == "missing_date", (text, data)  # type: ignore[index]
        return
    assert data["kind"] == "update", (text, data)
    assert [u["action"] for u in data["updates"]] == ["extend"], (text, data)  # type: ignore[union-attr]


@settings(max_examples=150, deadline=None)
@given(
    verb=st.sampled_from(EXTENSION_DATED_WORDS),
    target=st.sampled_from(["5月底", "5月20日", "六月中旬", "国庆后"]),
    sender=st.sampled_from(["org", "mus"]),
)
def test_a_move_to_a_date_is_an_extension(verb: str, target: str, sender: str) -> None:
    text = ("T4 " if sender == "org" else "") + f"时间{verb}{target}"
    data = parse_reply(text, today=date(2027, 3, 17), tasks=TASKS[sender]).to_dict()
    assert data["kind"] == "update", (text, data)
    assert [u["action"] for u in data["updates"]] == ["extend"], (text, data)  # type: ignore[union-attr]


# ── a question about a task is a query, never an update ──────────────────────

_ASK_BEFORE = ["", "请问", "查询", "查一下", "看看", "帮我查一下", "了解一下", "问下"]
_ASK_ABOUT = ["", "的", "目前", "现在", "筹备工作", "审查", "那个", "活动方案"]
_ASK_STATUS = ["", "进度", "进展", "完成了", "已完成", "办结", "受阻", "80%", "定了", "弄完"]
_ASK_END = ["吗", "了吗", "了没有", "了没", "如何", "怎么样了", "咋样", "？", "吗？", "到哪一步了"]


@settings(max_examples=300, deadline=None)
@given(
    before=st.sampled_from(_ASK_BEFORE),
    ref=st.sampled_from(["T3", "t3", "【T3】", "任务3", "3号任务"]),
    about=st.sampled_from(_ASK_ABOUT),
    status=st.sampled_from(_ASK_STATUS),
    end=st.sampled_from(_ASK_END),
    sender=st.sampled_from(["org", "lead", "party"]),
)
def test_a_question_with_a_task_id_is_never_an_update(
    before: str, ref: str, about: str, status: str, end: str, sender: str
) -> None:
    text = f"{before}{ref} {about}{status}{end}"
    data = parse_reply(text, today=date(2027, 3, 17), tasks=TASKS[sender]).to_dict()
    assert (data["kind"], data["command"], data["task"]) == ("command", "show", "T3"), (text, data)


# ── failures are logged without the text ─────────────────────────────────────


def test_a_parser_failure_is_logged_by_type_and_length_never_the_text(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import handlers.parser as parser

    def broken(text: str, *_args: object) -> None:
        raise ValueError(f"cannot read {text}")

    secret = "T3 机密内容 80%"
    monkeypatch.setattr(parser, "parse", broken)
    with caplog.at_level(logging.ERROR, logger="handlers.parser"):
        result = parse_reply(secret, today=date(2027, 3, 17), tasks=TASKS["org"])
    assert result.kind == "unknown"
    (record,) = caplog.records
    message = record.getMessage()
    assert "ValueError" in message and f"{len(secret)} characters" in message
    assert "机密" not in message and record.exc_info is None


def test_parse_date_reads_a_deadline_cell_by_the_reply_rules() -> None:
    today = date(2027, 3, 17)
    cells = {
        "2024年6月底": date(2024, 6, 30),
        "6月30日前": date(2027, 6, 30),
        "年底前": date(2027, 12, 31),
        "春节前": date(2028, 1, 25),
        "三季度末": date(2027, 9, 30),
        "2027-06-30": date(2027, 6, 30),
        " 3月10日前完成 ": date(2028, 3, 10),
        "长期坚持": None,
        "每季度": None,
        "6月30日前完成初稿，9月底前定稿": None,
        "": None,
    }
    assert {cell: parse_date(cell, today=today) for cell in cells} == cells
