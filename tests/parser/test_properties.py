"""Properties that hold for any input: no exceptions, determinism, a stable JSON shape."""

from __future__ import annotations

import json
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.parser import choose_candidate, parse_reply
from handlers.parser.core import parse

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
