"""Route an inbound message to what it asks for and say what to answer."""

from __future__ import annotations

from sqlalchemy.orm import Session

from handlers.inbound import Context, Inbound, Reply
from storage.models import Person


def handle(session: Session, message: Inbound, context: Context) -> Reply | None:
    person = session.get(Person, message.sender)
    if person is None or person.archived:
        return Reply("not_registered", {"userid": message.sender})
    if message.event == "template_card_event":
        return Reply("card_clicked", {"key": message.event_key})
    if message.event is not None:
        return None  # entering the app, subscribing…: nothing to say
    if message.text is None:
        return Reply("text_only")
    return Reply("help", {"name": person.name})
