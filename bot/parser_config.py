"""The config's ``[parser]`` section: an office's own words for the reply parser, and how
long the review list keeps what the bot did not understand."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated

from pydantic import AfterValidator, Field

from bot.config_model import Section, problem
from handlers.parser import BUILTIN, Vocabulary, is_decision_word

_ALREADY = re.compile(r"^(?:已经|已|均已|都已|业已)")
_PUNCTUATION = re.compile(r"[\s,，;；。:：、!！?？\"'“”]")


_TASK_ID = re.compile(r"[Tt]?\d+(?:\.\d+)*")
_WORDLIKE = re.compile(r"[^\W\d_]")  # a letter of any script: 汉字 or A–Z


def _word(value: str) -> str:
    if _PUNCTUATION.search(value):
        raise problem("词语里不能有空格或标点", '每个词单独写一项，如 ["已销号", "已归档"]')
    if _TASK_ID.fullmatch(value):
        raise problem("这是任务编号的写法，不能当作用语", '写成汉字词语，如 "已销号"')
    if not _WORDLIKE.search(value):
        raise problem("用语里至少要有一个汉字或字母", '写成汉字词语，如 "已销号"')
    if is_decision_word(value):
        raise problem("这是领导审批延期用的词（同意、驳回等），不能另作他用", "删去这一项")
    return value


Word = Annotated[str, Field(min_length=1, max_length=20), AfterValidator(_word)]


class CommandWords(Section):
    """Extra words for each chat command (``[parser.commands]``)."""

    help: tuple[Word, ...] = ()
    list: tuple[Word, ...] = ()
    undo: tuple[Word, ...] = ()
    summary: tuple[Word, ...] = ()
    overdue: tuple[Word, ...] = ()
    not_reported: tuple[Word, ...] = ()
    unknowns: tuple[Word, ...] = ()


class ParserSettings(Section):
    done_words: tuple[Word, ...] = ()
    not_started_words: tuple[Word, ...] = ()
    blocked_words: tuple[Word, ...] = ()
    extension_words: tuple[Word, ...] = ()
    commands: CommandWords = CommandWords()
    # Days the review list ("duban unknowns", 未识别) keeps an entry.
    retention_days: int = Field(default=90, ge=1, le=3650)


_STATUS_KEYS = {
    "done_words": "done",
    "not_started_words": "not_started",
    "blocked_words": "blocked",
    "extension_words": "extension",
}
_COMMANDS = tuple(CommandWords.model_fields)
_LABELS = {"done": "已完成", "not_started": "未启动", "blocked": "受阻", "extension": "延期"}


def _label(category: str) -> str:
    if category.startswith("command."):
        return f"“{category.removeprefix('command.')}”命令"
    return f"“{_LABELS[category]}”"


def _entries(settings: ParserSettings) -> Iterator[tuple[str, str, str]]:
    """(TOML path, category, word) for every configured word."""
    for key, category in _STATUS_KEYS.items():
        for i, word in enumerate(getattr(settings, key)):
            yield f"parser.{key}[{i}]", category, word
    for name in _COMMANDS:
        for i, word in enumerate(getattr(settings.commands, name)):
            yield f"parser.commands.{name}[{i}]", f"command.{name}", word


def word_conflicts(settings: ParserSettings) -> list[tuple[str, str, str]]:
    """A word may belong to one category only: (path, message, hint) for each that does not."""
    problems = []
    seen: dict[str, tuple[str, str]] = {}  # word → (category, path)
    for path, category, word in _entries(settings):
        first = seen.setdefault(word, (category, path))
        core = _ALREADY.sub("", word)  # "已完成" is the built-in "完成"
        builtin = next((c for c, words in BUILTIN.items() if core in words and c != category), None)
        if first[1] != path and first[0] == category:
            problems.append((f'{path} = "{word}"', f"与 {first[1]} 重复", "删去重复的一项"))
            continue
        if first[0] != category:
            message = f"“{word}”已写在 {first[1]}（{_label(first[0])}一类）"
        elif builtin is not None:
            message = f"“{word}”已是内置的{_label(builtin)}一类用语"
        else:
            continue
        problems.append((f'{path} = "{word}"', message, "一个词只能归入一类，删去这一处"))
    return problems


def vocabulary_of(settings: ParserSettings) -> Vocabulary:
    commands = tuple(
        (name, tuple(words)) for name in _COMMANDS if (words := getattr(settings.commands, name))
    )
    return Vocabulary(
        done=tuple(settings.done_words),
        not_started=tuple(settings.not_started_words),
        blocked=tuple(settings.blocked_words),
        extension=tuple(settings.extension_words),
        commands=commands,
    )
