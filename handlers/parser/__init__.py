"""Reply parser: turns a short chat reply into an update, a command or a question.

Pure (standard library only, no I/O), deterministic, and never raises.

Clarify reasons: ``missing_task`` (several own open tasks, no id), ``unknown_task`` (an id
that is not configured; ``detail`` is the id as written), ``percent_over_100``,
``missing_date`` (an extension with no date or duration), ``empty_update`` (an id with
nothing understandable after it), ``no_tasks`` (no own open task and no id), and the
addition ``too_many_tasks`` (approve/reject naming several tasks; candidates are them).

Conventions beyond the brief: ``撤销T3`` is the ``undo`` command with ``task`` set (plain
``撤销`` leaves it None); a ``done`` update carries ``percent`` 100; ``未启动`` is
progress 0; an extension's ``note`` is its reason when one is given; ``N个工作日`` skips
weekends only (the parser knows no holidays).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .core import parse
from .models import UNKNOWN, Clarify, ParseResult, TaskRef, Update
from .tasks import id_key
from .text import normalize

__all__ = ["Clarify", "ParseResult", "TaskRef", "Update", "choose_candidate", "parse_reply"]


def parse_reply(text: str, *, today: date, tasks: Sequence[TaskRef]) -> ParseResult:
    """Parse one reply from a sender; ``tasks`` are all configured tasks."""
    try:
        return parse(text, today, tasks)
    except Exception:  # a last resort: a chat bot must answer, never crash on a message
        return UNKNOWN


def choose_candidate(text: str, candidates: Sequence[str]) -> str | None:
    """Resolve the answer to "which task?" (``T4``, ``4``, ``第4项``, ``２``) or None."""
    try:
        return _choose(text, candidates)
    except Exception:
        return None


def _choose(text: str, candidates: Sequence[str]) -> str | None:
    from .choose import pick

    return pick(normalize(text), candidates, id_key)
