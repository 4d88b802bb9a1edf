"""The typed shape of config.toml. Loading, interpolation and cross-checks live in bot.config."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

LIVE_API_BASE = "https://qyapi.weixin.qq.com"
WEEKDAYS = "一二三四五六日"
_WEEKDAY_WORDS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


def problem(message: str, hint: str = "") -> PydanticCustomError:
    """A validation error in the admin's words, with how to fix it."""
    return PydanticCustomError("duban", message, {"hint": hint})


def _pattern(regex: str, what: str, hint: str) -> AfterValidator:
    compiled = re.compile(regex)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise problem(f"{what}格式不对", hint)
        return value

    return AfterValidator(check)


DepartmentId = Annotated[
    str,
    _pattern(
        r"[a-z][a-z0-9_-]{0,63}", "部门 id ", "用小写英文字母开头，可含数字、- 和 _，如 office"
    ),
]
UserId = Annotated[
    str,
    _pattern(
        r"[A-Za-z0-9_.@-]{1,64}",
        "企业微信账号（userid）",
        "填成员在企业微信后台的账号，如 zhangsan",
    ),
]
TaskId = Annotated[
    str, _pattern(r"T?\d{1,4}(\.\d{1,3}){0,2}", "任务编号", "写成 T3 或 3.2 这样的编号")
]
Name = Annotated[str, Field(min_length=1, max_length=200)]


def _clock_time(value: str) -> time:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", value.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise problem("时间格式不对", '写成 24 小时制的 "09:10"')
    return time(int(match[1]), int(match[2]))


def _clock(value: Any) -> time:
    if isinstance(value, time):
        return value
    if not isinstance(value, str):
        raise problem("应为文本", '写成 24 小时制的 "09:10"')
    return _clock_time(value)


# A time of day: written "09:10" in the file, a datetime.time once loaded.
ClockTime = Annotated[time, BeforeValidator(_clock), PlainSerializer(lambda t: f"{t:%H:%M}")]


class Weekly(BaseModel):
    model_config = ConfigDict(frozen=True)
    weekday: int  # Monday is 0
    at: time

    def __str__(self) -> str:
        return f"每周{WEEKDAYS[self.weekday]} {self.at:%H:%M}"


def parse_weekly(value: Any) -> Weekly:
    if not isinstance(value, str):
        raise problem("应为文本", '写成 "周五 16:20"')
    text = value.strip().lower()
    match = re.fullmatch(r"(?:每)?(?:周|星期|礼拜)([一二三四五六日天])\s*(\d{1,2}:\d{2})", text)
    word = re.fullmatch(r"(mon|tue|wed|thu|fri|sat|sun)\w*\s+(\d{1,2}:\d{2})", text)
    if match:
        weekday = WEEKDAYS.index(match[1].replace("天", "日"))
        at = _clock_time(match[2])
    elif word:
        weekday, at = _WEEKDAY_WORDS[word[1]], _clock_time(word[2])
    else:
        raise problem("发送时间格式不对", '写成 "周五 16:20"（星期几 + 24 小时制时间）')
    return Weekly(weekday=weekday, at=at)


def _weekly(value: Any) -> Any:
    return value if isinstance(value, Weekly) else parse_weekly(value)


class Monthly(BaseModel):
    model_config = ConfigDict(frozen=True)
    day: int  # 1–31; a shorter month uses its last day
    at: time

    def __str__(self) -> str:
        return f"每月{self.day}日 {self.at:%H:%M}"


def parse_monthly(value: Any) -> Monthly:
    if isinstance(value, Monthly):
        return value
    if not isinstance(value, str):
        raise problem("应为文本", '写成 "25日 16:20"')
    match = re.fullmatch(r"(?:每月)?\s*(\d{1,2})\s*[日号]\s*(\d{1,2}:\d{2})", value.strip())
    if not match or not 1 <= int(match[1]) <= 31:
        raise problem(
            "月度汇总时间格式不对",
            '写成 "25日 16:20"（每月几号 + 24 小时制时间；31 日遇小月取月末）',
        )
    return Monthly(day=int(match[1]), at=_clock_time(match[2]))


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise problem("未知时区", '中国大陆填 "Asia/Shanghai"') from None
    return value


def _database_url(value: str) -> str:
    if not re.match(r"(sqlite|postgres(ql)?)(\+\w+)?://", value):
        raise problem(
            "数据库地址格式不对",
            '用 "sqlite:///data/duban.db" 或 "postgresql://用户@主机:5432/库名"',
        )
    return value


def _http_url(value: str) -> str:
    if not re.match(r"https?://[^/\s]+", value):
        raise problem("网址格式不对", '写完整网址，如 "https://duban.example.com"')
    return value


def _unit(value: str) -> str:
    if re.search(r"[\x00-\x1f\x7f]", value):
        raise problem("单位名称不能含换行或控制字符", '写成一行，如 "河南省科协"')
    return value


class BotSettings(Section):
    # The office's name, for the ledger's titles (台账): "河南省科协重点任务督办台账".
    unit: Annotated[str, Field(max_length=40), AfterValidator(_unit)] = ""
    timezone: Annotated[str, AfterValidator(_timezone)] = "Asia/Shanghai"
    database_url: Annotated[str, AfterValidator(_database_url)] = "sqlite:///data/duban.db"
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    public_url: Annotated[str, AfterValidator(_http_url)] | None = None
    # This instance's name among several sharing a database (default: host name and port).
    instance: (
        Annotated[
            str, _pattern(r"[A-Za-z0-9_.:@-]{1,64}", "实例名", "用字母、数字和 _.:@-，如 bot-1")
        ]
        | None
    ) = None

    @property
    def sqlalchemy_url(self) -> str:
        """PostgreSQL URLs without a driver get psycopg 3, the driver duban installs."""
        return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", self.database_url)

    @property
    def base_url(self) -> str:
        """Where WeCom and members reach the bot."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def local_host(self) -> str:
        """Where this machine reaches the bot: a wildcard listen address is not one to dial."""
        return "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host


def _aes_key(value: str) -> str:
    if value and not re.fullmatch(r"[A-Za-z0-9+/]{43}", value):
        raise problem(
            "EncodingAESKey 应为 43 位字母和数字",
            "从企业微信后台「接收消息」设置页复制，或用环境变量 ${WECOM_AES_KEY}",
        )
    return value


class WeComSettings(Section):
    mode: Literal["sandbox", "live"] = "sandbox"
    corp_id: str = ""
    agent_id: int = Field(default=1000002, ge=0)
    secret: str = ""
    token: str = ""
    encoding_aes_key: Annotated[str, AfterValidator(_aes_key)] = ""
    api_base: Annotated[str, AfterValidator(_http_url)] | None = None
    callback_path: Annotated[
        str, _pattern(r"/[A-Za-z0-9/_-]*", "回调路径", '以 / 开头，如 "/wecom/callback"')
    ] = "/wecom/callback"
    # A callback whose timestamp is further off than this is a replay and is refused.
    timestamp_window: int = Field(default=300, ge=10, le=86400)


Offsets = list[Annotated[int, Field(ge=0, le=60)]]


class ReminderSettings(Section):
    """When reminders go out and to whom (README "提醒规则"; docs/rules.md)."""

    time: ClockTime = time(9, 10)
    days_before: Offsets = [3, 1]
    overdue_every: int = Field(default=1, ge=1, le=20)
    escalate_after: int = Field(default=3, ge=1, le=60)
    stale_after: int = Field(default=10, ge=0, le=60)  # 0: no nudges
    monthly_report_day: int | None = Field(default=None, ge=1, le=31)
    monthly_window: int = Field(default=3, ge=0, le=15)
    catch_up_hours: int = Field(default=12, ge=0, le=72)


class SummarySettings(Section):
    """When a task counts as at risk (yellow)."""

    warn_days: int = Field(default=5, ge=0, le=60)
    behind_margin: int = Field(default=20, ge=0, le=100)


class CalendarSettings(Section):
    holidays: list[date] = []
    workdays: list[date] = []


class DepartmentConfig(Section):
    id: DepartmentId
    name: Name
    leader: UserId | None = None
    contacts: list[UserId] | None = None
    # Who besides the leader decides this department's extension requests (an admin
    # decides only when named here).
    deciders: list[UserId] = []


class PersonConfig(Section):
    userid: UserId
    name: Name
    department: str | None = None
    role: Literal["staff", "leader", "admin"] = "staff"


class MilestoneConfig(Section):
    date: date
    title: Name


class TaskReminders(Section):
    days_before: Offsets | None = None
    quiet: bool = False


class TaskConfig(Section):
    id: TaskId
    title: Annotated[str, Field(min_length=1, max_length=500)]
    department: str
    partners: list[str] = []
    contacts: list[UserId] | None = None
    # Required, except for a 13710 task: its settle node is its deadline by default.
    deadline: date | None = None
    milestones: list[MilestoneConfig] = []
    assigned: date | None = None  # 下达日期: when the task's clock started
    profile: Literal["13710"] | None = None
    major: bool = False  # 13710: a major matter settles within a month, not 7 working days
    reminders: TaskReminders | None = None

    @property
    def due(self) -> date:
        """The deadline (bot.config fills it in for a 13710 task that gives none)."""
        assert self.deadline is not None, "a validated config has every deadline"
        return self.deadline


def _webhook(value: str) -> str:
    parts = urlsplit(value)
    if (
        parts.scheme not in ("https", "http")
        or not parts.netloc
        or not parts.path.endswith("/cgi-bin/webhook/send")
        or "key" not in parse_qs(parts.query, keep_blank_values=True)
    ):
        raise problem(
            "群机器人地址不对",
            "在群里「添加群机器人」后复制完整的 Webhook 地址："
            '"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${机器人密钥变量}"',
        )
    return value


class GroupConfig(Section):
    id: DepartmentId
    name: Name
    webhook: Annotated[str, AfterValidator(_webhook)] | None = None
    chat_id: str | None = None
    summary: Annotated[Weekly, BeforeValidator(_weekly), PlainSerializer(lambda w: str(w))] = (
        Weekly(weekday=4, at=time(16, 20))
    )
    # The monthly report for the scheduling meeting (月调度), with the ledger attached.
    monthly: Annotated[Monthly, BeforeValidator(parse_monthly), PlainSerializer(str)] | None = None
    departments: list[str] | None = None

    @model_validator(mode="after")
    def _one_destination(self) -> GroupConfig:
        if (self.webhook is None) == (self.chat_id is None):
            raise problem(
                "webhook 和 chat_id 须填且只填一个",
                "人建的群用群机器人 webhook；应用创建的群聊用 chat_id",
            )
        return self
