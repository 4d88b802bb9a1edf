"""A task's derived state, replayed from its progress records (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import reduce
from typing import Protocol

from storage.tasks import StoredState as TaskState


class RecordLike(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def action(self) -> str: ...
    @property
    def percent(self) -> int | None: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def undone_at(self) -> datetime | None: ...


def advance(state: TaskState, r: RecordLike) -> TaskState:
    """The state after one more record.

    `done` closes the task at 100 %; a later progress or blocked report reopens it (the
    reporter says work goes on); a percent carries forward until a new one is given;
    an extension request changes neither status nor percent; undone records count for nothing.
    """
    if r.undone_at is not None:
        return state
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
    return TaskState(status, percent, done_at, r.created_at, r.id)


def derive_state(records: Iterable[RecordLike]) -> TaskState:
    """Replay every record, oldest first: what undo needs after taking one back."""
    return reduce(advance, sorted(records, key=lambda r: (r.created_at, r.id)), TaskState())


__all__ = ["RecordLike", "TaskState", "advance", "derive_state"]
