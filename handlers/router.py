"""Route an inbound message to what it asks for and say what to answer."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from domain.snapshot import Person
from handlers import cards, clarify, commands, extensions, progress, undo, unknowns
from handlers.auth import Actor, actor_of, task_refs
from handlers.inbound import Context, Inbound, Reply, Review
from handlers.lookup import World, load_world
from handlers.parser import ParseResult, parse_reply


class Router:
    """Handles messages one after another in one transaction, reading the world once.

    A message that writes (a record, a moved deadline, a question) puts what it changed
    into the world, so the next message sees it. `world` may come from an earlier
    transaction when the caller knows that nothing has changed it since.
    """

    def __init__(self, session: Session, context: Context, world: World | None = None):
        self.session = session
        self.context = context
        self.world = world

    def current_world(self) -> World:
        if self.world is None:
            self.world = load_world(self.session, self.context.timezone)
        return self.world

    def handle(self, message: Inbound) -> Reply | None:
        world = self.current_world()
        person = world.people.get(message.sender)
        if person is None or person.archived:
            return Reply("not_registered", {"userid": message.sender})
        actor = actor_of(person)
        if message.event == "template_card_event":
            return cards.click(self.session, actor, world, message, self.context)
        if message.event is not None:
            return None  # entering the app, subscribing…: nothing to say
        if message.text is None:
            return Reply("text_only")
        text, context = message.text, self.context
        question = world.questions.pop(actor.userid, None)
        completed = clarify.resume(self.session, question, text=text, context=context)
        if completed is not None:
            text = completed
        refs = task_refs(actor, world.snapshot)
        vocabulary = context.reading.vocabulary
        result = parse_reply(text, today=context.today, tasks=refs, vocabulary=vocabulary)
        reply = route(self.session, actor, person, world, message, text, result, context)
        if result.kind in ("unknown", "clarify"):  # for the review list (duban unknowns)
            reason = result.clarify.reason if result.clarify is not None else None
            reply = replace(reply, review=Review(text, result.kind, reason))
        return reply


def route(
    session: Session,
    actor: Actor,
    person: Person,
    world: World,
    message: Inbound,
    text: str,
    result: ParseResult,
    context: Context,
) -> Reply:
    if result.kind == "update":
        return progress.apply_updates(
            session,
            actor=actor,
            world=world,
            updates=result.updates,
            message=message,
            raw_text=text,
            context=context,
        )
    if result.kind == "clarify" and result.clarify is not None:
        return clarify.ask(
            session,
            userid=actor.userid,
            text=text,
            clarify=result.clarify,
            world=world,
            context=context,
        )
    if result.kind == "command":
        match result.command:
            case "help":
                return Reply("help", {"name": person.name, "role": person.role})
            case "list":
                return commands.list_tasks(actor, world, context)
            case "show":
                return commands.show_task(session, actor, world, result.task, context)
            case "summary" | "overdue" | "not_reported":
                return commands.summary(
                    actor, world, context, view=result.command, period=result.period
                )
            case "unknowns":
                return unknowns.review(session, actor, world, context)
            case "undo":
                return undo.undo(session, actor=actor, world=world, context=context)
            case "approve" | "reject":
                return extensions.decide(
                    session,
                    actor=actor,
                    world=world,
                    task_id=result.task,
                    approve=result.command == "approve",
                    note=result.note,
                    context=context,
                )
    return Reply("unknown", {"name": person.name})
