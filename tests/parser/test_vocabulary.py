"""An office's own words ([parser] in the config) change what the parser understands."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, parse_config
from handlers.parser import Vocabulary, parse_reply
from handlers.parser.vocab import grammar

from .fixtures import MAR17, TASKS

CONFIG = """
[parser]
done_words = ["已归档"]
not_started_words = ["八字没一撇"]
blocked_words = ["卡脖子"]
extension_words = ["缓办"]
retention_days = 30

[parser.commands]
list = ["我的本子"]
summary = ["全盘情况"]
"""


@pytest.fixture(scope="module")
def office_words() -> Vocabulary:
    return parse_config(CONFIG).vocabulary()


def parse(text: str, vocabulary: Vocabulary | None = None) -> dict[str, object]:
    result = parse_reply(
        text, today=MAR17, tasks=TASKS["party"], vocabulary=vocabulary or Vocabulary()
    )
    return result.to_dict()


def action(data: dict[str, object]) -> object:
    updates = data["updates"]
    assert isinstance(updates, list) and len(updates) == 1, data
    return (updates[0]["action"], updates[0]["percent"], updates[0]["new_deadline"])


@pytest.mark.parametrize(
    ("text", "without", "with_words"),
    [
        ("T5 已归档", ("progress", None, None), ("done", 100, None)),
        ("T5 材料整理已归档", ("progress", None, None), ("done", 100, None)),
        ("T6 八字没一撇", ("progress", None, None), ("progress", 0, None)),
        ("T6 师资卡脖子", ("progress", None, None), ("blocked", None, None)),
        ("T6 缓办至6月底", ("progress", None, None), ("extend", None, "2027-06-30")),
    ],
)
def test_office_words_change_the_update(
    office_words: Vocabulary, text: str, without: object, with_words: object
) -> None:
    assert action(parse(text)) == without
    assert action(parse(text, office_words)) == with_words


@pytest.mark.parametrize(("text", "command"), [("我的本子", "list"), ("看看全盘情况", "summary")])
def test_office_words_make_commands(office_words: Vocabulary, text: str, command: str) -> None:
    assert parse(text)["kind"] != "command"
    got = parse(text, office_words)
    assert (got["kind"], got["command"]) == ("command", command)


def test_the_grammar_is_compiled_once_per_vocabulary(office_words: Vocabulary) -> None:
    again = parse_config(CONFIG).vocabulary()
    assert again == office_words and grammar(again) is grammar(office_words)
    assert grammar(Vocabulary()) is not grammar(office_words)


def test_retention_and_defaults() -> None:
    assert parse_config(CONFIG).parser.retention_days == 30
    default = parse_config("")
    assert default.parser.retention_days == 90 and default.vocabulary() == Vocabulary()


@pytest.mark.parametrize(
    ("toml", "path", "words"),
    [
        ('done_words = ["已归档", ""]', "parser.done_words[1]", "不能为空"),
        ('done_words = ["已 归档"]', "parser.done_words[0]", "空格或标点"),
        ('done_words = "已归档"', "parser.done_words", "应为"),
        ('blocked_words = ["已完成"]', 'parser.blocked_words[0] = "已完成"', "“已完成”一类"),
        (
            'done_words = ["已归档"]\nextension_words = ["已归档"]',
            'parser.extension_words[0] = "已归档"',
            "已写在 parser.done_words[0]",
        ),
        ('[parser.commands]\nsummary = ["任务"]', 'parser.commands.summary[0] = "任务"', "list"),
        ("retention_days = 0", "parser.retention_days = 0", "太小"),
        ('done_words = ["T3"]', 'parser.done_words[0] = "T3"', "任务编号"),
        ('done_words = ["1"]', 'parser.done_words[0] = "1"', "任务编号"),
        ('done_words = ["%"]', 'parser.done_words[0] = "%"', "至少要有一个汉字"),
        ('done_words = ["同意"]', 'parser.done_words[0] = "同意"', "审批延期"),
        ('[parser.commands]\nlist = ["驳回"]', 'parser.commands.list[0] = "驳回"', "审批延期"),
        (
            'done_words = ["已销号", "已销号"]',
            'parser.done_words[1] = "已销号"',
            "与 parser.done_words[0] 重复",
        ),
        ("done_word = []", "parser.done_word：", "done_words"),
    ],
)
def test_a_bad_parser_value_reports_its_path(toml: str, path: str, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config("[parser]\n" + toml + "\n")
    (problem,) = caught.value.problems
    assert str(problem).startswith(path) and words in str(problem), str(problem)
