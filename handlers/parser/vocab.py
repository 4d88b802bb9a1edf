"""The words the parser knows, by category, and an office's own additions.

An office adds words in the config's ``[parser]`` section; they reach the parser as one
frozen :class:`Vocabulary`, and :func:`grammar` compiles the patterns for it once.
"""

from __future__ import annotations

import re
from functools import lru_cache

TYPE_CHECKING = False
if TYPE_CHECKING:  # type checkers see a dataclass; record.py builds the same, cheaper
    from dataclasses import dataclass as record
else:
    from .record import record

# Clause-final verbs that finish a task, with a subject in front or without one.
DONE_WORDS = (
    "完成",
    "办结销号",
    "完成销号",
    "销号清零",
    "办理完毕",
    "办理完成",
    "处理完毕",
    "处理完成",
    "办结",
    "完结",
    "完毕",
    "完工",
    "竣工",
    "竣工验收",
    "完成验收",
    "落幕",
    "闭幕",
    "结业",
    "结项",
    "结题",
    "销号",
    "清零",
    "收官",
    "结束",
    "闭环",
    "验收通过",
    "审议通过",
    "审定通过",
    "通过验收",
    "搞定",
    "弄完",
    "做完",
    "办完",
    "干完",
    "忙完",
    "整完",
    "写完",
    "印完",
    "发完",
    "改完",
    "审完",
    "交完",
    "报完",
    "建完",
    "修完",
    "装完",
    "开完",
    "评完",
    "签完",
    "批完",
    "培训完",
    "整理完",
    "印好了",
    "印好",
    "弄好",
    "搞好",
    "做好",
    "办好",
    "整好",
    "完事",
)
# Verbs that close a task on their own, even after a subject that names a part.
STRONG_DONE_WORDS = frozenset(
    {
        "办结",
        "办结销号",
        "完成销号",
        "销号清零",
        "完结",
        "结项",
        "结题",
        "销号",
        "清零",
        "收官",
        "闭环",
    }
)
# Finished, but only as a whole clause ("T5 落实到位"): after a subject they name a part.
PURE_DONE_WORDS = (
    "落实到位",
    "全部到位",
    "好了",
    "ok了",
    "已经好了",
    "都好了",
    "已经ok了",
    "done",
    "done了",
    "妥了",
    "齐活了",
    "齐活",
)
NOT_STARTED_WORDS = (
    "启动",
    "开始",
    "开展",
    "动工",
    "开工",
    "实施",
    "着手",
    "动手",
    "推进",
    "进行",
    "行动",
    "动",
    "弄",
    "做",
    "搞",
    "干",
    "办",
    "举办",
    "召开",
    "开",
    "顾上",
    "顾得上",
    "来得及",
)
BLOCKED_WORDS = (
    "受阻",
    "暂停",
    "停滞",
    "停摆",
    "停工",
    "中断",
    "叫停",
    "搁置",
    "暂缓",
    "卡住",
    "卡壳",
    "卡在",
    "有点卡",
    "卡着",
    "卡了",
    "暂时停",
    "停下来",
    "弄不完",
    "做不完",
    "无法推进",
    "推不动",
    "难以推进",
    "推进困难",
    "推进难",
    "无法开展",
    "无法进行",
    "进行不下去",
    "推进不下去",
    "没法推进",
    "没法弄",
    "搞不定",
    "弄不了",
    "完不成",
    "来不及",
    "无法按期",
    "难以按期",
    "不能按期",
    "无法完成",
    "难以完成",
)
# Verbs that move a deadline whatever follows them ("T4 可能要推迟" asks for a date).
EXTENSION_WORDS = (
    "延期",
    "延后",
    "推迟",
    "顺延",
    "展期",
    "推后",
    "往后推",
    "往后延",
    "往后挪",
    "往后放",
    "往后调",
    "往后拖",
    "改期",
    "后延",
    "后推",
    "延迟",
    "延到",
    "延至",
    "拖到",
    "拖至",
    "缓至",
)
# Verbs that move a deadline only when a date or a duration follows.
EXTENSION_DATED_WORDS = (
    "延",
    "延长",
    "推到",
    "推至",
    "挪到",
    "挪至",
    "改到",
    "改至",
    "改为",
    "放到",
    "调整为",
    "调整到",
    "调整至",
    "变更为",
    "变更至",
)
# The words that make a short message a command (see intents.py for what may surround them).
COMMAND_WORDS: dict[str, tuple[str, ...]] = {
    "help": (
        "帮助",
        "help",
        "h",
        "怎么用",
        "咋用",
        "如何使用",
        "怎么使用",
        "使用说明",
        "操作说明",
        "操作指南",
        "使用指南",
        "说明书",
        "使用方法",
        "操作方法",
        "用法",
        "菜单",
        "指令",
        "命令",
        "功能",
        "怎么回复",
        "如何回复",
        "怎么填",
        "怎么报",
        "如何报",
        "如何填报",
        "怎么填报",
        "怎么操作",
        "如何操作",
        "教程",
        "能做什么",
        "能干什么",
        "会什么",
        "格式",
        "填报要求",
        "报送要求",
    ),
    "list": (
        "任务",
        "任务清单",
        "任务列表",
        "清单",
        "列表",
        "待办",
        "事项",
        "进度",
        "台账",
        "快到期",
        "即将到期",
        "临期",
        "快截止",
        "哪几项工作",
        "哪些工作",
        "什么工作",
        "几项工作",
        "list",
        "ls",
        "tasks",
    ),
    "undo": ("撤销", "撤回", "撤消", "删除", "删掉", "作废", "收回", "回退", "undo"),
    "summary": (
        "汇总",
        "总结",
        "小结",
        "周报",
        "月报",
        "月调度",
        "调度",
        "统计",
        "概况",
        "一览",
        "总体情况",
        "整体情况",
        "全局",
        "各部门",
        "各单位",
        "各处室",
        "所有部门",
        "本周情况",
        "这周情况",
        "本月情况",
        "这个月情况",
        "summary",
    ),
    "overdue": (
        "逾期",
        "超期",
        "过期",
        "拖期",
        "未按期",
        "未按时",
        "没按期",
        "没按时",
        "没有按期",
        "没有按时",
        "不按期",
        "到期未",
        "过了截止",
        "overdue",
    ),
    "not_reported": (
        "未报送",
        "没报送",
        "未报",
        "没报",
        "没有报",
        "未填报",
        "没填报",
        "未反馈",
        "没反馈",
        "未上报",
        "没上报",
        "未提交",
        "没提交",
        "没交",
        "未交",
        "没回复",
        "未回复",
    ),
    "unknowns": (
        "未识别",
        "没识别",
        "未能识别",
        "无法识别",
        "识别不了",
        "识别失败",
        "未解析",
        "没解析",
        "没看懂的",
        "看不懂的",
        "不理解的",
    ),
}
COMMANDS = tuple(COMMAND_WORDS)

# Config categories and the built-in words each already has (for the [parser] checks).
BUILTIN: dict[str, frozenset[str]] = {
    "done": frozenset(DONE_WORDS + PURE_DONE_WORDS),
    "not_started": frozenset("未" + w for w in NOT_STARTED_WORDS),
    "blocked": frozenset(BLOCKED_WORDS),
    "extension": frozenset(EXTENSION_WORDS + EXTENSION_DATED_WORDS),
    **{f"command.{c}": frozenset(words) for c, words in COMMAND_WORDS.items()},
}


@record(frozen=True, slots=True)
class Vocabulary:
    """An office's own words, added to the built-in ones (empty: the built-ins alone)."""

    done: tuple[str, ...] = ()
    not_started: tuple[str, ...] = ()
    blocked: tuple[str, ...] = ()
    extension: tuple[str, ...] = ()
    commands: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (command, words)

    def command_words(self, command: str) -> tuple[str, ...]:
        return next((words for name, words in self.commands if name == command), ())


DEFAULT = Vocabulary()


def _alt(words: tuple[str, ...] | list[str]) -> str:
    """A regex alternation of literal words, longest first (so "完成销号" beats "完成")."""
    unique = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in unique)


_PARTICLES = r"(?:了|啦|啊|呀|咯|喽|哈|呢|哦|噢|嘛|吧|哟|么|~|!)*"
# A done clause ends in one of the verbs; what comes before is adverbs and a subject.
# "圆满完成各项任务": finishing the task's work as a whole is finishing the task.
_DONE_TAIL = (
    r"(?P<verb>{verbs})(?:了)?(?:(?:各项|全部|所有|既定|全年|年度|预定)?(?:目标任务|任务|工作|目标))?"
    + _PARTICLES
    + "$"
)
_NOT_STARTED = (
    r"(?:尚|还|仍|暂|暂时|目前|当前|现在|都|均|也|至今|迄今|一直|根本)*\s*"
    r"(?:未|没有|没|无)(?:有)?(?:正式|真正|开始|来得及|顾上|顾得上)?(?:{verbs})(?:实施|工作)?"
    r"|(?:尚|还|暂|目前|暂时)?(?:无|没有|没)(?:任何)?(?:进展|动静|进度)"
)
_BLOCKED = (
    r"{words}|遇到(?:了)?(?:一些|较大|很大|不少|比较大的|重大)?(?:的)?(?:困难|问题|阻力|障碍|瓶颈)"
    r"|存在(?:较大|很大|重大)(?:的)?(?:困难|阻力|障碍)"
)
_EXTENSION = (
    r"(?:(?:申请|特申请|现申请|拟|需要|需|请求|建议|要求|希望|想|只能|只好|可能|要|得|恐需|或需|能否|"
    r"可否|能不能|是否可以|估计|大概|看来)\s*(?:将)?\s*)*(?:(?:完成|办结)?(?:时限|期限|时间|截止日期|截止时间|节点)\s*)?"
    r"(?P<verb>{words})(?!(?<=后推)进)(?:了)?"
    r"(?:办理|完成|办结)?\s*(?:了)?\s*(?:时间|期限)?\s*(?:至|到|为|于|到了)?\s*"
    r"|(?:(?:申请|特申请|现申请|拟|建议|请求|需)\s*(?:将)?\s*(?:该项|本项|此项|这项)?\s*"
    r"(?:任务|工作)?\s*(?:的)?\s*)?"
    r"(?:(?:截止|完成|办结)(?:日期|时间|时限)?|期限|时限|节点|时间节点)\s*"
    r"(?:调整|变更|改|推|延|延长|放宽|顺延)\s*(?:为|至|到)\s*"
)
_EXTENSION_DATED = (
    r"(?:(?:申请|特申请|拟|需要|需|请求|希望|想|只能|可能|要|得|计划|现|能否|能不能|可否)\s*"
    r"(?:将)?\s*)*"
    r"(?:(?:完成|办结)?(?:时限|期限|时间|截止日期|截止时间)\s*)?"
    r"(?P<verb>{words})\s*(?:了)?\s*(?:至|到|为)?\s*"
)


class Grammar:
    """The patterns that depend on the vocabulary, compiled once per vocabulary."""

    __slots__ = (
        "blocked",
        "blocked_chars",
        "command_words",
        "commands_re",
        "done_tail",
        "done_word",
        "extension",
        "extension_chars",
        "extension_dated",
        "not_started_tail",
        "pure_done",
        "vocabulary",
    )

    def __init__(self, vocabulary: Vocabulary) -> None:
        v = vocabulary
        self.vocabulary = v
        self.done_tail = re.compile(_DONE_TAIL.format(verbs=_alt(DONE_WORDS + v.done)))
        self.done_word = re.compile(_alt(DONE_WORDS + v.done))
        self.pure_done = frozenset(PURE_DONE_WORDS)
        extra = f"|{_alt(v.not_started)}" if v.not_started else ""
        self.not_started_tail = re.compile(
            "(?:"
            + _NOT_STARTED.format(verbs=_alt(NOT_STARTED_WORDS))
            + extra
            + ")"
            + _PARTICLES
            + "$"
        )
        self.blocked = re.compile(_BLOCKED.format(words=_alt(BLOCKED_WORDS + v.blocked)))
        # A text without any of these characters cannot hold the pattern: one set test.
        self.blocked_chars = frozenset(w[0] for w in BLOCKED_WORDS + v.blocked) | set("遇存")
        moving = EXTENSION_WORDS + EXTENSION_DATED_WORDS + v.extension
        self.extension_chars = frozenset(w[0] for w in moving) | set("截期时完办节")
        self.extension = re.compile(_EXTENSION.format(words=_alt(EXTENSION_WORDS + v.extension)))
        self.extension_dated = re.compile(
            _EXTENSION_DATED.format(words=_alt(EXTENSION_DATED_WORDS))
        )
        words = {c: COMMAND_WORDS[c] + v.command_words(c) for c in COMMANDS}
        self.command_words = words
        # One search finds which commands a short message may be.
        self.commands_re = re.compile(
            "|".join(f"(?P<{c}>{_alt(words[c])})" for c in COMMANDS), re.IGNORECASE
        )


@lru_cache(maxsize=8)
def grammar(vocabulary: Vocabulary = DEFAULT) -> Grammar:
    return Grammar(vocabulary)
