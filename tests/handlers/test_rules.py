"""Pure rules: who may update what, the parser's view of the tasks, a task's derived state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from bot.config import load_config
from domain.snapshot import Department, Person, Snapshot, TaskView
from handlers.auth import (
    Actor,
    actor_of,
    may_decide,
    may_query_all,
    may_update,
    may_view,
    task_refs,
)
from handlers.clarify import completed_text
from handlers.state import TaskState, derive_state
from storage.snapshot import config_snapshot
from tests.conftest import EXAMPLE

T = TaskView(
    "T9",
    "全国科普日",
    "popsci",
    date(2027, 9, 20),
    date(2027, 9, 20),
    date(2027, 3, 1),
    partners=("museum",),
)
S = Snapshot.of([T], [Department("popsci", "科学技术普及部", "denghongjun", ("zhaomin",))], [])


def test_staff_update_their_departments_tasks_only():
    assert may_update(Actor("wujun", "popsci"), T, S)  # department member, not the contact
    assert may_update(Actor("zhaomin", "popsci"), T, S)
    assert not may_update(Actor("huangli", "museum"), T, S)  # a partner department
    assert not may_update(Actor("lilei", "org"), T, S)


def test_task_and_department_contacts_may_update_from_elsewhere():
    own_contact = T._replace(contacts=("lilei",))
    assert may_update(Actor("lilei", "org"), own_contact, S)
    outsider = Actor("zhaomin", "office")
    assert may_update(outsider, T, S)  # listed as the department's contact


def test_leaders_and_admins_query_everything_but_update_by_the_same_rule():
    leader, admin = Actor("denghongjun", None, "leader"), Actor("liuyang", "office", "admin")
    assert may_query_all(leader) and may_query_all(admin)
    assert not may_query_all(Actor("wujun", "popsci"))
    assert may_view(leader, T, S) and may_view(admin, T, S)
    assert not may_update(leader, T, S) and not may_update(admin, T, S)


def test_partners_may_view_but_strangers_may_not():
    assert may_view(Actor("huangli", "museum"), T, S)
    assert not may_view(Actor("lilei", "org"), T, S)


def test_who_decides_extensions():
    people = [
        Person("denghongjun", "邓洪军", None, "leader"),
        Person("wangxinhui", "王新会", None, "leader"),
        Person("liuyang", "刘洋", "office", "admin"),
        Person("zhaomin", "赵敏", "popsci"),
    ]
    s = Snapshot.of([T], S.departments.values(), people)
    assert may_decide(Actor("denghongjun", None, "leader"), T, s)
    assert not may_decide(Actor("wangxinhui", None, "leader"), T, s)  # another's leader
    assert not may_decide(Actor("liuyang", "office", "admin"), T, s)  # admins: only if named
    assert not may_decide(Actor("zhaomin", "popsci"), T, s)
    # A department leader who is not a leader by role still decides for their department.
    assert may_decide(Actor("denghongjun", "popsci", "staff"), T, s)
    named = Department("popsci", "科学技术普及部", "denghongjun", ("zhaomin",), ("liuyang",))
    s = Snapshot.of([T], [named], people)
    assert may_decide(Actor("liuyang", "office", "admin"), T, s)
    # A department whose leader and deciders are gone falls to every leader.
    s = Snapshot.of([T], [named], [p for p in people if p.userid not in ("denghongjun", "liuyang")])
    assert may_decide(Actor("wangxinhui", None, "leader"), T, s)


def test_task_refs_from_the_config_mark_the_senders_tasks():
    snapshot = config_snapshot(load_config(EXAMPLE, env={}).directory(), date(2027, 3, 1))

    def refs_of(userid: str | None):  # type: ignore[no-untyped-def]
        person = snapshot.people.get(userid or "")
        return task_refs(actor_of(person) if person else None, snapshot)

    refs = refs_of("lilei")
    assert [r.id for r in refs if r.mine] == ["T3", "T4"]
    assert len(refs) == 14 and not any(r.done for r in refs)
    t3 = next(r for r in refs if r.id == "T3")
    assert (t3.title, t3.deadline) == ("十大代表和委员人选审核", date(2027, 4, 30))
    assert [r.id for r in refs_of("wujun") if r.mine] == ["T9", "T10"]
    assert not any(r.mine for r in refs_of("wangxinhui"))
    assert not any(r.mine for r in refs_of(None))


@dataclass
class R:
    action: str
    percent: int | None
    created_at: datetime
    undone_at: datetime | None = None
    id: int = 0


def at(day: int) -> datetime:
    return datetime(2027, 3, day, 2, tzinfo=UTC)


def test_no_records_is_an_open_task_without_progress():
    assert derive_state([]) == TaskState()


def test_percent_carries_forward_and_done_closes_at_100():
    state = derive_state(
        [
            R("progress", 30, at(1), id=1),
            R("blocked", None, at(2), id=2),
            R("extend", None, at(3), id=3),
        ]
    )
    assert state == TaskState("open", 30, None, at(3), last_record_id=3)
    done = derive_state([R("progress", 30, at(1), id=1), R("done", 100, at(4), id=2)])
    assert done == TaskState("done", 100, at(4), at(4), last_record_id=2)


def test_undone_records_do_not_count_and_order_is_by_time():
    records = [
        R("done", 100, at(5), undone_at=at(6), id=3),
        R("progress", 60, at(4), id=2),
        R("progress", 20, at(2), id=1),
    ]
    assert derive_state(records) == TaskState("open", 60, None, at(4), last_record_id=2)


def test_progress_after_done_reopens_the_task():
    assert derive_state([R("done", 100, at(1), id=1), R("progress", 90, at(2), id=2)]) == TaskState(
        "open", 90, None, at(2), last_record_id=2
    )
    assert derive_state([R("done", 100, at(1)), R("progress", None, at(2))]).percent is None


def test_the_chosen_id_replaces_a_wrong_one_or_goes_in_front():
    assert completed_text("T9 50%", "T4", "T9") == "T4 50%"
    assert completed_text("80% 预计4月底", "T3", None) == "T3 80% 预计4月底"
    assert completed_text("Ｔ９ 50%", "T4", "T9") == "T4 50%"
