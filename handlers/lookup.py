"""The world a message is judged against: the snapshot, and who is waiting for an answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import tzinfo

from sqlalchemy.orm import Session

from domain.snapshot import Department, Person, Snapshot, TaskView
from handlers.state import TaskState
from storage import records
from storage.models import PendingReply, ProgressRecord
from storage.snapshot import read_snapshot, report_of


@dataclass
class World:
    """The snapshot many messages share, read once.

    A handler that writes puts the task as it now stands (`put`), so the next message
    in the batch sees it; the snapshot itself is never changed in place.
    """

    snapshot: Snapshot
    questions: dict[str, PendingReply]  # by userid; kept current as they come and go

    @property
    def tasks(self) -> Mapping[str, TaskView]:
        return self.snapshot.tasks

    @property
    def departments(self) -> Mapping[str, Department]:
        return self.snapshot.departments

    @property
    def people(self) -> Mapping[str, Person]:
        return self.snapshot.people

    def department_name(self, department_id: str | None) -> str:
        return self.snapshot.department_name(department_id)

    def person_name(self, userid: str | None) -> str:
        return self.snapshot.person_name(userid)

    def put(self, task: TaskView) -> TaskView:
        self.snapshot = self.snapshot.with_task(task)
        return task


def load_world(session: Session, timezone: tzinfo) -> World:
    snapshot = read_snapshot(session, timezone, reminder_counts=False)
    return World(snapshot, records.pending_replies(session))


def with_state(task: TaskView, state: TaskState, latest: ProgressRecord | None) -> TaskView:
    """`task` after its derived state was stored, `latest` its latest counting record."""
    return task._replace(
        status=state.status,
        percent=state.percent,
        done_at=state.done_at,
        last_update_at=state.last_update_at,
        last_report=report_of(latest) if latest is not None else None,
    )
