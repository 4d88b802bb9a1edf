"""Whole-message commands and the word lists that classify short replies."""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .models import Command

_POLITE_HEAD_RE = re.compile(r"^(?:请|麻烦|帮我|我要|我想|给我|请帮我|这个|这|请问)+")
_POLITE_TAIL_RE = re.compile(r"(?:一下|下|吧|呢|啊|呀|谢谢|多谢|有哪些|是什么|有什么)+$")
_STRIP_RE = re.compile(r"[\s,;。!?:、~\-—…()\"'“”‘’]+")

_COMMANDS: tuple[tuple[Command, re.Pattern[str]], ...] = (
    (
        "help",
        re.compile(
            r"(?:帮助|help|怎么用|如何使用|怎么使用|使用说明|用法|菜单|指令|命令|功能|"
            r"怎么回复|如何回复|怎么填|怎么报|h|帮助菜单|说明)"
        ),
    ),
    (
        "list",
        re.compile(
            r"(?:查看|查询|看看|看|查)?(?:我的任务|我的任务清单|我的清单|我的待办|我的督办|我的|任务|"
            r"任务清单|任务列表|清单|进度|列表|待办|督办任务|list|ls|tasks)"
        ),
    ),
    (
        "undo",
        re.compile(
            r"(?:撤销|撤回|undo|回退)(?:上一条|上条|刚才|刚才那条|刚才的|上一次|更新|上一条更新)?"
        ),
    ),
    (
        "summary",
        re.compile(
            r"(?:查看|看看|看)?(?:本周|这周|每周)?(?:汇总|总结|小结|周报|情况汇总|进展汇总)|summary"
        ),
    ),
    (
        "overdue",
        re.compile(
            r"(?:查看|看看|看|哪些|有哪些)?(?:逾期|超期|过期)(?:任务|清单|情况|事项|列表|的任务|了哪些|了吗)?"
            r"|overdue|哪些逾期了?"
        ),
    ),
)


def squeeze(text: str) -> str:
    """Lower-case ``text`` without spaces and punctuation."""
    return _STRIP_RE.sub("", text).lower()


def plain_command(text: str) -> Command | None:
    """A command that needs no task id, or None."""
    if text and all(ch in "?" for ch in text):
        return "help"
    core = squeeze(text)
    if not core or len(core) > 20:
        return None
    core = _POLITE_TAIL_RE.sub("", _POLITE_HEAD_RE.sub("", core)) or core
    for command, pattern in _COMMANDS:
        if pattern.fullmatch(core):
            return command
    return None


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
SHOW_PRE_RE = re.compile(r"(?:请|帮我|麻烦)?(?:查看|查询|查一下|查下|看看|看下|看一下|查|看|show)?")
SHOW_BODY_RE = re.compile(
    r"(?:的)?(?:进度|进展|情况|详情|状态|信息|进度情况)?(?:怎么样了?|如何|怎样|咋样|呢|是多少)?"
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
