"""Who may do what, as pure functions of plain data (usable with or without a database).

Updating a task: a member of the task's department, a contact named on the task, or a
contact named on the department. Querying everything: leaders and admins. Deciding on
an extension: admins, any leader, and the department's own leader.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from handlers.parser import TaskRef
from storage.directory import DirectorySpec


@dataclass(frozen=True)
class Actor:
    userid: str
    department_id: str | None = None
    role: str = "staff"  # staff | leader | admin


@dataclass(frozen=True)
class TaskFacts:
    """What authorization and the parser need to know about one task."""

    id: str
    title: str
    deadline: date
    department_id: str
    contacts: tuple[str, ...] | None = None
    department_contacts: tuple[str, ...] | None = None
    department_leader: str | None = None
    partners: tuple[str, ...] = ()
    done: bool = False


def may_update(actor: Actor, task: TaskFacts) -> bool:
    return (
        (actor.department_id is not None and actor.department_id == task.department_id)
        or actor.userid in (task.contacts or ())
        or actor.userid in (task.department_contacts or ())
    )


def may_query_all(actor: Actor) -> bool:
    return actor.role in ("leader", "admin")


def may_view(actor: Actor, task: TaskFacts) -> bool:
    return (
        may_query_all(actor)
        or may_update(actor, task)
        or (actor.department_id is not None and actor.department_id in task.partners)
    )


def may_decide(actor: Actor, task: TaskFacts) -> bool:
    return actor.role in ("leader", "admin") or actor.userid == task.department_leader


def task_refs(actor: Actor | None, tasks: Iterable[TaskFacts]) -> list[TaskRef]:
    """The parser's view of the tasks: all of them, `mine` where the actor may update."""
    return [
        TaskRef(
            id=t.id,
            title=t.title,
            deadline=t.deadline,
            done=t.done,
            mine=actor is not None and may_update(actor, t),
        )
        for t in tasks
    ]


def _tuple(values: Sequence[str] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(values)


def facts(
    task_id: str,
    title: str,
    deadline: date,
    department_id: str,
    *,
    contacts: Sequence[str] | None,
    partners: Sequence[str],
    done: bool,
    department_contacts: Sequence[str] | None,
    department_leader: str | None,
) -> TaskFacts:
    return TaskFacts(
        id=task_id,
        title=title,
        deadline=deadline,
        department_id=department_id,
        contacts=_tuple(contacts),
        department_contacts=_tuple(department_contacts),
        department_leader=department_leader,
        partners=tuple(partners),
        done=done,
    )


def directory_actor(spec: DirectorySpec, userid: str) -> Actor | None:
    for person in spec.people:
        if person.userid == userid:
            return Actor(person.userid, person.department, person.role)
    return None


def directory_facts(spec: DirectorySpec) -> list[TaskFacts]:
    """The config's tasks (deadlines as configured, none done)."""
    departments: Mapping[str, tuple[tuple[str, ...] | None, str | None]] = {
        d.id: (d.contacts, d.leader) for d in spec.departments
    }
    result = []
    for t in spec.tasks:
        dept_contacts, leader = departments.get(t.department, (None, None))
        result.append(
            facts(
                t.id,
                t.title,
                t.deadline,
                t.department,
                contacts=t.contacts,
                partners=t.partners,
                done=False,
                department_contacts=dept_contacts,
                department_leader=leader,
            )
        )
    return result
