"""Result types of the reply parser (frozen, JSON-friendly via ``to_dict``)."""

from __future__ import annotations

from datetime import date

TYPE_CHECKING = False
if TYPE_CHECKING:  # importing typing at run time costs milliseconds of import time
    from dataclasses import dataclass as record
    from typing import Any, Literal

    Kind = Literal["update", "command", "clarify", "unknown"]
    Command = Literal[
        "help",
        "list",
        "show",
        "undo",
        "summary",
        "overdue",
        "approve",
        "reject",
        "not_reported",
        "unknowns",
    ]
    Period = Literal["week", "month"]
    Action = Literal["progress", "done", "extend", "blocked"]
else:  # a dataclass, built without importing dataclasses (record.py)
    from .record import record


@record(frozen=True, slots=True)
class TaskRef:
    id: str
    title: str
    deadline: date
    done: bool = False
    mine: bool = False


@record(frozen=True, slots=True)
class Update:
    task: str
    action: Action
    percent: int | None = None
    expected_date: date | None = None
    new_deadline: date | None = None
    note: str | None = None
    problems: str | None = None
    next_steps: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "action": self.action,
            "percent": self.percent,
            "expected_date": _iso(self.expected_date),
            "new_deadline": _iso(self.new_deadline),
            "note": self.note,
            "problems": self.problems,
            "next_steps": self.next_steps,
        }


@record(frozen=True, slots=True)
class Clarify:
    reason: str
    candidates: tuple[str, ...] = ()
    detail: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"reason": self.reason, "candidates": list(self.candidates), "detail": self.detail}


@record(frozen=True, slots=True)
class ParseResult:
    kind: Kind
    command: Command | None = None
    task: str | None = None
    note: str | None = None
    updates: tuple[Update, ...] = ()
    clarify: Clarify | None = None
    period: Period | None = None  # a summary's period: "本周汇总" week, "月调度" month

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "command": self.command,
            "task": self.task,
            "note": self.note,
            "updates": [u.to_dict() for u in self.updates],
            "clarify": self.clarify.to_dict() if self.clarify is not None else None,
        }
        if self.period is not None:  # only summaries name one; other results keep their shape
            data["period"] = self.period
        return data


UNKNOWN = ParseResult(kind="unknown")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None
