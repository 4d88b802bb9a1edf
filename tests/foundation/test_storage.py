"""Schema migrations and config sync, on SQLite and on PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date

from sqlalchemy import delete, insert, inspect, select, update

from bot.config import Config
from storage.db import make_engine, migrate, transaction
from storage.models import (
    AuditEntry,
    Department,
    InboxMessage,
    Milestone,
    PendingReply,
    Person,
    ProgressRecord,
    Task,
)
from storage.queries import world_revision
from storage.snapshot import read_snapshot
from storage.sync import sync_directory

TABLES = {
    "departments",
    "people",
    "tasks",
    "milestones",
    "progress_records",
    "extension_requests",
    "inbox",
    "outbox",
    "audit_log",
    "pending_replies",
    "world_revision",
    "alembic_version",
}


def test_migrates_from_empty_and_again_is_a_no_op(database_url):
    engine = make_engine(database_url)
    try:
        assert set(inspect(engine).get_table_names()) == set()
        migrate(engine)
        assert set(inspect(engine).get_table_names()) >= TABLES
        outbox = {c["name"] for c in inspect(engine).get_columns("outbox")}
        assert {"dedupe_key", "state", "attempts", "next_attempt_at", "last_error"} <= outbox
        migrate(engine)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar() == 1
    finally:
        engine.dispose()


def test_sqlite_gets_wal_and_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'd.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_sync_creates_everything_then_changes_nothing(sessions, example_config: Config, clock):
    spec = example_config.directory()
    with transaction(sessions) as session:
        first = sync_directory(session, spec, now=clock())
    assert len(first.created) == 7 + 12 + 14
    with transaction(sessions) as session:
        second = sync_directory(session, spec, now=clock())
        assert not second.changed
        t1 = session.get(Task, "T1")
        assert t1 is not None and [m.title for m in t1.milestones] == [
            "印发大会筹备工作方案",
            "完成大会文件起草",
        ]
        assert session.scalar(select(AuditEntry).where(AuditEntry.target == "任务 T1")) is not None


def test_every_change_to_the_world_bumps_its_revision_and_nothing_else_does(
    sessions, example_config: Config, clock
):
    with transaction(sessions) as session:
        sync_directory(session, example_config.directory(), now=clock())
    world_changes = [
        update(Department).where(Department.id == "org").values(name="组织部（新）"),
        update(Person).where(Person.userid == "lilei").values(role="leader"),
        update(Task).where(Task.id == "T3").values(percent=40),
        delete(Milestone).where(Milestone.task_id == "T1"),
        insert(PendingReply).values(
            userid="lilei", text="80%", reason="missing_task", candidates=["T3"], expires_at=clock()
        ),
        delete(PendingReply),
    ]
    other_writes = [
        insert(InboxMessage).values(key="msg:1", sender="lilei", received_at=clock()),
        insert(AuditEntry).values(at=clock(), actor="lilei", action="test", target=None),
        insert(ProgressRecord).values(
            task_id="T3",
            author="lilei",
            action="progress",
            percent=40,
            raw_text="T3 40%",
            created_at=clock(),
        ),
    ]
    revisions = [revision(sessions)]
    for statement in world_changes:
        with transaction(sessions) as session:
            session.execute(statement)
        revisions.append(revision(sessions))
    assert revisions == sorted(set(revisions)), revisions  # each change, a new revision
    for statement in other_writes:
        with transaction(sessions) as session:
            session.execute(statement)
    assert revision(sessions) == revisions[-1]
    # A sync that changes a task's deadline is a change too.
    spec = example_config.directory()
    moved = replace(spec, tasks=tuple(replace(t, deadline=date(2027, 12, 31)) for t in spec.tasks))
    with transaction(sessions) as session:
        sync_directory(session, moved, now=clock())
    assert revision(sessions) > revisions[-1]


def revision(sessions) -> int:
    with sessions() as session:
        return world_revision(session)


def test_removed_task_is_archived_with_its_records_and_restored_later(
    sessions, example_config, clock
):
    spec = example_config.directory()
    with transaction(sessions) as session:
        sync_directory(session, spec, now=clock())
        session.add(
            ProgressRecord(
                task_id="T14",
                author="huangli",
                created_at=clock(),
                action="progress",
                percent=40,
                raw_text="T14 40%",
            )
        )
    without = replace(spec, tasks=tuple(t for t in spec.tasks if t.id != "T14"))
    with transaction(sessions) as session:
        report = sync_directory(session, without, now=clock())
        assert report.archived == ["任务 T14"] and not report.created and not report.updated
        task = session.get(Task, "T14")
        assert task is not None and task.archived
        assert session.scalars(
            select(ProgressRecord.raw_text).where(ProgressRecord.task_id == "T14")
        ).all() == ["T14 40%"]
    with sessions() as session:  # what plans and reports no longer sees it
        snapshot = read_snapshot(session, UTC)
        assert "T14" not in snapshot.tasks and "T13" in snapshot.tasks
    with transaction(sessions) as session:
        assert not sync_directory(session, without, now=clock()).changed
    with transaction(sessions) as session:
        assert sync_directory(session, spec, now=clock()).restored == ["任务 T14"]


def test_changes_are_applied_and_reported(sessions, example_config, clock):
    spec = example_config.directory()
    with transaction(sessions) as session:
        sync_directory(session, spec, now=clock())
    tasks = list(spec.tasks)
    tasks[2] = replace(tasks[2], title="十大代表和委员人选资格审查", milestones=())
    people = tuple(replace(p, name="李蕾") if p.userid == "lilei" else p for p in spec.people)
    with transaction(sessions) as session:
        report = sync_directory(
            session, replace(spec, tasks=tuple(tasks), people=people), now=clock()
        )
        assert sorted(report.updated) == ["人员 lilei", "任务 T3"]
        t3 = session.get(Task, "T3")
        assert t3 is not None and t3.title == "十大代表和委员人选资格审查" and t3.milestones == []
        assert session.scalars(select(Milestone).where(Milestone.task_id == "T3")).all() == []


def test_approved_extension_survives_sync_until_the_admin_moves_the_deadline(
    sessions, example_config, clock
):
    spec = example_config.directory()
    with transaction(sessions) as session:
        sync_directory(session, spec, now=clock())
        task = session.get(Task, "T4")
        assert task is not None
        task.deadline = date(2027, 4, 30)  # as an approved extension would
    with transaction(sessions) as session:
        assert not sync_directory(session, spec, now=clock()).changed
        assert session.get(Task, "T4").deadline == date(2027, 4, 30)  # type: ignore[union-attr]
    moved = replace(
        spec,
        tasks=tuple(
            replace(t, deadline=date(2027, 5, 31)) if t.id == "T4" else t for t in spec.tasks
        ),
    )
    with transaction(sessions) as session:
        assert sync_directory(session, moved, now=clock()).updated == ["任务 T4"]
        t4 = session.get(Task, "T4")
        assert t4 is not None and (t4.deadline, t4.config_deadline) == (date(2027, 5, 31),) * 2
