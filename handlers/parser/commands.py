"""Commands that name a task (approve, reject, undo, show) and the words around them."""

from __future__ import annotations

import re

_STRIP_RE = re.compile(r"[\s,;。!?:、~\-—…()\"'“”‘’]+")


def squeeze(text: str) -> str:
    """Lower-case ``text`` without spaces and punctuation."""
    return _STRIP_RE.sub("", text).lower()


APPROVE_PRE_RE = re.compile(r"(?:请)?(?:同意|批准|通过|准予|准许|同意批准)")
REJECT_PRE_RE = re.compile(r"(?:请)?(?:不同意|驳回|拒绝|不批准|不予批准|否决|退回)")
APPROVE_BODY_RE = re.compile(r"(?:的)?(?:延期|推迟|延后)?(?:申请|请求)?(?:了)?")
BODY_APPROVE_RE = re.compile(r"(?:的)?(?:延期|推迟)?(?:申请)?(?:同意|批准|通过)(?:延期)?(?:申请)?")
BODY_REJECT_RE = re.compile(r"(?:的)?(?:延期|推迟)?(?:申请)?(?:不同意|驳回|不批准|不予批准)")
REJECT_NOTE_HEAD_RE = re.compile(
    r"^(?:的)?(?:延期|推迟|延后)?(?:申请|请求)?[\s,;。:]*(?:(?:原因|理由)\s*(?:是|为)?\s*:\s*"
    r"|(?:原因|理由)\s*(?:是|为)\s*)?"
)
UNDO_RE = re.compile(r"(?:请|帮我)?(?:撤销|撤回|undo)(?:一下)?(?:上一条|刚才的?|更新)?")
SHOW_PRE_RE = re.compile(
    r"(?:请问|请|帮我|麻烦|我想|想)?(?:查看|查询|查一下|查下|看看|看下|看一下|了解一下|了解|问一下|问下|"
    r"问问|查|看|告知|告诉我|介绍|说|show)?(?:一下)?"
)
# What a question about a task may consist of: "的进度", "目前进展如何", "办理情况".
SHOW_BODY_RE = re.compile(
    r"(?:的)?(?:目前|现在|当前|最新|最近)?(?:的)?(?:工作|任务)?(?:有没有|有无)?(?:新的?|最新的?)?"
    r"(?:进度|进展|情况|详情|状态|信息|进度情况|进展情况|办理情况|推进情况|完成情况|落实情况|"
    r"办理进度|办理进展)?(?:到)?(?:怎么样了?|如何了?|怎样了?|咋样了?|到哪一?步了?|到哪了|什么情况|"
    r"啥情况|是多少|多少了?|呢|吗|了吗)?"
)
# The end of a question: "…进展如何？", "…完成了吗", "…什么时候能完成".
QUESTION_RE = re.compile(
    r"(?:吗|如何|怎么样|怎样|咋样|了没有?|没有?完成|多少|到哪了|到哪一?步了?|什么情况|啥情况|什么程度|"
    r"啥程度|哪个阶段|几成|什么进度|啥进度|什么状态|"
    r"什么时候|何时|几时|是否|能否|有没有|进展呢|进度呢|情况呢)了?$"
)
# An instruction to others, not a report: "请各部门本周五前报送进展".
INSTRUCTION_RE = re.compile(
    r"^(?:请|烦请|麻烦|望|务必|希望|提醒)?(?:各部门|各单位|各处室|各位|大家|各联络员|相关部门|"
    r"各有关部门|各相关部门|你们|各相关单位|相关单位)"
    r"|^(?:请|烦请|务必|望)(?:抓紧|尽快|加快|及时|按时|务必|于|在)"
)
# Every word here is spelt one way only from the others (no 你好 beside 你 and 好, no 嗯+
# inside the outer +): a word with two spellings made a long run of it backtrack through
# every split before failing — seconds for 80 × 辛苦了 (bench/fuzz.py found it). The
# language is the same: 你好 is 你 then 好, 嗯嗯 is 嗯 twice.
_ACK_RE = re.compile(
    r"(?:好滴|好哒|好|收到|已收到|谢谢|谢了|感谢|多谢|辛苦|嗯|哦|噢|"
    r"okay|ok|是的|对|明白|了解|知道了|在吗|在|早上好|上午好|下午好|晚上好|早安|"
    r"hello|hi|thankyou|thanks|thx|没问题|行|可以|领导|老师|各位|大家|哈|呵|马上|稍等|"
    r"同意|不同意|的|啦|了|呢|吧|呀|嘞|您|你)+"
)


def is_ack(text: str) -> bool:
    """Greetings, thanks and emoji: nothing for the bot to act on."""
    core = "".join(ch for ch in text if ch.isalnum()).lower()
    return not core or _ACK_RE.fullmatch(core) is not None


def is_question(text: str) -> bool:
    """A question (not a statement): ends with "?" or a question word."""
    stripped = text.rstrip(" !~。")
    return stripped.endswith("?") or QUESTION_RE.search(squeeze(stripped)) is not None


def is_decision_word(word: str) -> bool:
    """Whether `word` is how a leader decides an extension (同意, 驳回…): taken already."""
    return bool(APPROVE_PRE_RE.fullmatch(word) or REJECT_PRE_RE.fullmatch(word))
