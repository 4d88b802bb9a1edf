"""The directory as the handlers see it: actors and task facts, read through storage."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from handlers.auth import Actor, TaskFacts, decider_ids, facts
from storage import records
from storage.models import PendingReply, Task
from storage.queries import (
    DepartmentInfo,
    PersonInfo,
    active_tasks,
    departments_by_id,
    people_by_id,
)


def actor_of(person: PersonInfo) -> Actor:
    return Actor(person.userid, person.department_id, person.role)


@dataclass(frozen=True)
class World:
    """Everything a message is judged against, read once and shared by many messages."""

    tasks: dict[str, Task]  # active tasks in config order, live in the session
    facts: dict[str, TaskFacts]
    departments: dict[str, DepartmentInfo]
    people: dict[str, PersonInfo]
    questions: dict[str, PendingReply]  # by userid; kept current as they come and go

    def department_name(self, department_id: str | None) -> str:
        if department_id is None or department_id not in self.departments:
            return ""
        return self.departments[department_id].name

    def person_name(self, userid: str | None) -> str:
        if userid is None:
            return ""
        person = self.people.get(userid)
        return person.name if person is not None else userid


def load_world(session: Session) -> World:
    departments = departments_by_id(session)
    people = people_by_id(session)
    tasks = {t.id: t for t in active_tasks(session)}
    return World(
        tasks,
        task_facts(tasks, departments, people),
        departments,
        people,
        records.pending_replies(session),
    )


def refreshed(world: World) -> World:
    """`world` after a handler wrote: facts rebuilt from the live tasks (a task done, a
    deadline moved). Questions are kept current as they are asked and answered; the
    directory only changes by sync."""
    return replace(world, facts=task_facts(world.tasks, world.departments, world.people))


def department_deciders(
    department: DepartmentInfo | None, people: dict[str, PersonInfo]
) -> tuple[str, ...]:
    """Who decides the department's extension requests (the rule: auth.decider_ids)."""
    active = {u: p.role for u, p in people.items() if not p.archived}
    if department is None:
        return decider_ids(None, None, active)
    return decider_ids(department.leader, department.deciders, active)


def task_facts(
    tasks: dict[str, Task], departments: dict[str, DepartmentInfo], people: dict[str, PersonInfo]
) -> dict[str, TaskFacts]:
    result = {}
    deciders = {d: department_deciders(departments.get(d), people) for d in departments}
    for task in tasks.values():
        department = departments.get(task.department_id)
        result[task.id] = facts(
            task.id,
            task.title,
            task.deadline,
            task.department_id,
            contacts=task.contacts,
            partners=task.partners,
            done=task.status == "done",
            department_contacts=department.contacts if department else None,
            deciders=deciders.get(task.department_id) or department_deciders(department, people),
        )
    return result
