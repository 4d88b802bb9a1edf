"""Who may do what, as pure functions of plain data (usable with or without a database).

Updating a task: a member of the task's department, a contact named on the task, or a
contact named on the department. Querying everything: leaders and admins. Deciding on
an extension: see `decider_ids`, the one rule for who approves and who is asked.
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
    deciders: tuple[str, ...] = ()  # who decides its extension requests (decider_ids)
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


def decider_ids(
    leader: str | None, configured: Sequence[str] | None, active: Mapping[str, str]
) -> tuple[str, ...]:
    """Who decides a department's extension requests — both who may approve or reject and
    who is asked: its leader and its configured `deciders` (an admin only when named
    there), as far as they are active members. A department with none of them falls to
    every active leader, so no request waits for nobody. `active`: userid → role."""
    named = tuple(u for u in dict.fromkeys([leader or "", *(configured or ())]) if u in active)
    if named:
        return named
    return tuple(sorted(u for u, role in active.items() if role == "leader"))


def may_decide(actor: Actor, task: TaskFacts) -> bool:
    return actor.userid in task.deciders


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
    deciders: Sequence[str],
) -> TaskFacts:
    return TaskFacts(
        id=task_id,
        title=title,
        deadline=deadline,
        department_id=department_id,
        contacts=_tuple(contacts),
        department_contacts=_tuple(department_contacts),
        deciders=tuple(deciders),
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
    active = {p.userid: p.role for p in spec.people}
    departments: Mapping[str, tuple[tuple[str, ...] | None, tuple[str, ...]]] = {
        d.id: (d.contacts, decider_ids(d.leader, d.deciders, active)) for d in spec.departments
    }
    result = []
    for t in spec.tasks:
        dept_contacts, deciders = departments.get(t.department, (None, ()))
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
                deciders=deciders,
            )
        )
    return result
