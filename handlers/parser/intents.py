"""Whole-message commands said in any polite or casual way: "我有哪些任务", "汇总一下各部门进展".

A message is a command when it holds one of the command's words and everything else in
it is a word that may surround that command (politeness, scope, question words). A real
report always carries something else — a task, a date, an object — so it is never taken
for a command just because it contains "任务" or "逾期".
"""

from __future__ import annotations

from functools import lru_cache

from .vocab import Grammar

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .models import Command, Period

# Longest message (without spaces and punctuation) that may be a command.
MAX_COMMAND_CHARS = 30
_DIGITS = frozenset("0123456789")

_COMMON = """
请 麻烦 劳驾 帮我 帮忙 帮 给我 给 我想 我要 想 要 请问 问下 问一下 能否 能不能 可不可以 可以 可否
一下 下 吧 呢 啊 呀 哈 吗 嘛 哦 噢 了 的 是 有 都 还 一共 目前 现在 当前 最新 截至目前 截止目前
到目前为止 截至 截止 今天 谢谢 多谢 感谢 好吗 行吗 好不好 您好 你好 领导 老师 小助手 助手 机器人
看看 看一下 看下 查看 查询 查一下 查下 查 看 发我 发一下 发给我 发来 发个 发 列出 列一下 列个 显示
告诉我 告知 通报 提供 出 导出 拉 拉一下 整理 麻烦你 辛苦 一份 个 把 将 不好意思 抱歉 对不起
怎么样 如何 怎样 咋样 啥情况 什么情况 咋回事 具体 哪
"""
_SCOPE = """
我 我们 我部 我处 我科 我室 我单位 本部门 我们部门 我们处 我们单位 咱们 咱 自己 我的 我们的
名下 负责 承担 牵头 的 哪些 哪几项 哪几个 什么 几项 几个 多少 全部 所有 全 各项 重点 重点工作
工作 任务 事项 督办 清单 列表 名单 情况 进展 进度 推进 推进情况 完成情况 落实情况 详细 具体
明细 一览 有哪些
"""
_EXTRA = {
    "help": """
怎么 如何 怎样 咋 这个 系统 督办助手 回复 填 报 使用 用 操作 说明 方法 格式 示例 例子 有什么 有哪些
你 您 能 会 可以做 能够 可以用来 做 干 些 功能 里 报送 上报 提交 汇报 反馈 有何 要求
什么要求
""",
    "list": """
我有 我还有 还有 待办 在办 正在办 台账 我部门 本处 本科 我们科 部门 单位 手上 手里 手头 啥 没完成
未完成 没做完 没办完 在手
""",
    "undo": """
上一条 上条 刚 刚才 刚刚 刚才那条 刚才的 刚发的 这条 那条 上一次 上次 信息 消息 记录 更新 报送
填报 回复 内容 发错了 报错了 填错了 写错了 搞错了 弄错了 发错 报错 填错 写错 错了 有误 不对
有错 错误 那个 它 请予 予以 予
""",
    "summary": """
一下 各 部门 单位 处室 全委 全局 整体 总体 本周 这周 本月 这个月 本月度 每周 每月 月度 周 月 数据
全面 总 重点任务 汇报 报告 一份 汇总表 表 报送 上报 落实
""",
    "overdue": """
任务 事项 还 仍 尚 已经 已 超过 到期 截止日期 期限 完成 办结 按期完成 按时完成 没完成 未完成 未办结
没办结 没有完成 了 过了 截止 时间 哪些 有没有 有无 清单
""",
    "not_reported": """
谁 谁还 还有谁 还有 哪些 哪个 哪几个 哪位 部门 单位 人 同志 联络员 进度 进展 情况 名单 本周 这周
本月 今天 都 还 尚 尚未 报送 报 填报 反馈 了 呢 没有
""",
    "unknowns": "消息 回复 内容 记录 清单 列表 最近 本周 近期 有 哪些 机器人 没看懂 看不懂",
}
_PRIORITY: tuple[Command, ...] = (
    "unknowns",
    "not_reported",
    "undo",
    "overdue",
    "summary",
    "help",
    "list",
)
_WEEK = ("本周", "这周", "每周", "周报", "本星期", "这星期", "周汇总", "一周")
_MONTH = ("本月", "这个月", "每月", "月报", "月调度", "月度", "月汇总", "月情况")


@lru_cache(maxsize=64)
def _lexicon(grammar: Grammar, command: str) -> tuple[frozenset[str], int]:
    words = set(_COMMON.split()) | set(_SCOPE.split()) | set(_EXTRA[command].split())
    words |= set(grammar.command_words[command])
    words = {w.lower() for w in words}
    return frozenset(words), max(len(w) for w in words)


def _covered(text: str, words: frozenset[str], longest: int) -> bool:
    """Can ``text`` be cut into words of the lexicon? (word-break, linear in the text)"""
    n = len(text)
    reach = [False] * (n + 1)
    reach[0] = True
    for i in range(n):
        if not reach[i]:
            continue
        for size in range(1, min(longest, n - i) + 1):
            if text[i : i + size] in words:
                reach[i + size] = True
    return reach[n]


def command_of(core: str, grammar: Grammar) -> Command | None:
    """The command that ``core`` (squeezed: no spaces or punctuation, lower case) asks for."""
    if not core or len(core) > MAX_COMMAND_CHARS or not _DIGITS.isdisjoint(core):
        return None  # no command word holds a digit: "T3进度" is about a task
    found = {m.lastgroup for m in grammar.commands_re.finditer(core)}
    if not found:
        return None
    for command in _PRIORITY:
        if command in found:
            words, longest = _lexicon(grammar, command)
            if _covered(core, words, longest):
                return command
    return None


def period_of(core: str) -> Period | None:
    """The period a summary command names: "本周汇总" → week, "月调度" → month."""
    if any(w in core for w in _MONTH):
        return "month"
    if any(w in core for w in _WEEK):
        return "week"
    return None
