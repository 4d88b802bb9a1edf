"""Who may do what, as pure functions of the snapshot (usable with or without a database).

Updating a task: a member of the task's department, a contact named on the task, or a
contact named on the department. Querying everything: leaders and admins. Deciding on
an extension: the department's leader and configured deciders (rules.deciders, the same
rule that says who is asked).
"""

from __future__ import annotations

from dataclasses import dataclass

from domain import rules
from domain.snapshot import Person, Snapshot, TaskView
from handlers.parser import TaskRef


@dataclass(frozen=True)
class Actor:
    userid: str
    department_id: str | None = None
    role: str = "staff"  # staff | leader | admin


def actor_of(person: Person) -> Actor:
    return Actor(person.userid, person.department_id, person.role)


def may_update(actor: Actor, task: TaskView, snapshot: Snapshot) -> bool:
    department = snapshot.departments.get(task.department_id)
    return (
        (actor.department_id is not None and actor.department_id == task.department_id)
        or actor.userid in (task.contacts or ())
        or (department is not None and actor.userid in (department.contacts or ()))
    )


def may_query_all(actor: Actor) -> bool:
    return actor.role in ("leader", "admin")


def may_view(actor: Actor, task: TaskView, snapshot: Snapshot) -> bool:
    return (
        may_query_all(actor)
        or may_update(actor, task, snapshot)
        or (actor.department_id is not None and actor.department_id in task.partners)
    )


def may_decide(actor: Actor, task: TaskView, snapshot: Snapshot) -> bool:
    """Only who decides for the task's department (the one rule: rules.deciders — its
    leader and configured deciders; an admin only when named there)."""
    return actor.userid in rules.deciders(task.department_id, snapshot)


def task_refs(actor: Actor | None, snapshot: Snapshot) -> list[TaskRef]:
    """The parser's view of the tasks: all of them, `mine` where the actor may update."""
    return [
        TaskRef(
            id=t.id,
            title=t.title,
            deadline=t.deadline,
            done=t.done,
            mine=actor is not None and may_update(actor, t, snapshot),
        )
        for t in snapshot.tasks.values()
    ]
