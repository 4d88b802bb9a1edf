"""Settings a running bot follows without a restart, written by `duban sync`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from storage.models import Setting


def load_setting(session: Session, key: str) -> dict[str, Any] | None:
    row = session.get(Setting, key)
    return None if row is None else dict(row.value)


def save_setting(session: Session, key: str, value: dict[str, Any], *, now: datetime) -> bool:
    """Store `value` under `key`; True if it changed."""
    row = session.get(Setting, key)
    if row is not None and row.value == value:
        return False
    if row is None:
        session.add(Setting(key=key, value=value, updated_at=now))
    else:
        row.value, row.updated_at = value, now
    session.flush()
    return True
