"""Reads the shell and the handlers share."""

from __future__ import annotations

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from storage.models import WorldRevision

_REVISION_TABLE: Table = WorldRevision.__table__  # type: ignore[assignment]
_REVISION = select(_REVISION_TABLE.c.value).where(_REVISION_TABLE.c.id == 1)


def world_revision(session: Session) -> int:
    """The counter the database bumps on any change to the world (see WorldRevision)."""
    return int(session.connection().scalar(_REVISION) or 0)
