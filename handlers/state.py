"""A task's derived state, replayed from its progress records (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class RecordLike(Protocol):
    @property
    def action(self) -> str: ...
    @property
    def percent(self) -> int | None: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def undone_at(self) -> datetime | None: ...


@dataclass(frozen=True)
class TaskState:
    status: str = "open"  # open | done
    percent: int | None = None
    done_at: datetime | None = None
    last_update_at: datetime | None = None


def derive_state(records: Iterable[RecordLike]) -> TaskState:
    """Replay the records that count, oldest first.

    `done` closes the task at 100 %; a later progress or blocked report reopens it (the
    reporter says work goes on); a percent carries forward until a new one is given;
    an extension request changes neither status nor percent.
    """
    state = TaskState()
    for r in sorted((r for r in records if r.undone_at is None), key=lambda r: r.created_at):
        status, percent, done_at = state.status, state.percent, state.done_at
        if r.action == "done":
            status, percent, done_at = "done", 100, r.created_at
        elif r.action in ("progress", "blocked"):
            if r.percent is not None:
                percent = r.percent
            if status == "done":
                status, done_at = "open", None
                if r.percent is None:
                    percent = None
        state = TaskState(status, percent, done_at, r.created_at)
    return state
