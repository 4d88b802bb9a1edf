"""Reply parser: turns a short chat reply into an update, a command or a question.

Pure (standard library only, no I/O), deterministic, and never raises.

Clarify reasons: ``missing_task`` (several own open tasks, no id), ``unknown_task`` (an id
that is not configured; ``detail`` is the id as written), ``percent_over_100``,
``missing_date`` (a deadline-moving word with no date or duration), ``empty_update`` (an
id with nothing understandable after it), ``no_tasks`` (no own open task and no id), and
``too_many_tasks`` (approve/reject naming several tasks; candidates are them).

Conventions beyond the brief: ``撤销T3`` is the ``undo`` command with ``task`` set (plain
``撤销`` leaves it None); a ``done`` update carries ``percent`` 100; ``未启动`` is
progress 0; an extension's ``note`` is its reason when one is given; ``N个工作日`` skips
weekends only (the parser knows no holidays); a summary command may carry a ``period``.
An office's own words come in as a :class:`Vocabulary` (the config's ``[parser]``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .commands import is_decision_word
from .core import parse
from .models import UNKNOWN, Clarify, ParseResult, TaskRef, Update
from .tasks import id_key
from .text import normalize
from .vocab import BUILTIN, DEFAULT, Vocabulary, grammar

__all__ = [
    "BUILTIN",
    "Clarify",
    "ParseResult",
    "TaskRef",
    "Update",
    "Vocabulary",
    "choose_candidate",
    "is_decision_word",
    "parse_date",
    "parse_reply",
]


def parse_reply(
    text: str, *, today: date, tasks: Sequence[TaskRef], vocabulary: Vocabulary = DEFAULT
) -> ParseResult:
    """Parse one reply from a sender; ``tasks`` are all configured tasks."""
    try:
        return parse(text, today, tasks, grammar(vocabulary))
    except Exception as exc:  # a last resort: a chat bot must answer, never crash on a message
        _log_failure("parse_reply", text, exc)
        return UNKNOWN


def choose_candidate(text: str, candidates: Sequence[str]) -> str | None:
    """Resolve the answer to "which task?" (``T4``, ``4``, ``第4项``, ``２``) or None."""
    try:
        return _choose(text, candidates)
    except Exception as exc:
        _log_failure("choose_candidate", text, exc)
        return None


def parse_date(text: str, *, today: date) -> date | None:
    """A deadline written on its own ("2024年6月底", "6月30日前", "春节前", "三季度末"), by
    the same rules as dates in replies; None when it names no day ("长期坚持")."""
    try:
        from .dates import standalone_date

        return standalone_date(normalize(text), today)
    except Exception as exc:
        _log_failure("parse_date", text, exc)
        return None


def _choose(text: str, candidates: Sequence[str]) -> str | None:
    from .choose import pick

    return pick(normalize(text), candidates, id_key)


def _log_failure(where: str, text: str, exc: Exception) -> None:
    """Say that the parser failed, with the exception's type and where it was raised, and
    the length of the text: never the text (members' messages stay out of logs)."""
    import logging  # only on failure: importing it would cost every start-up its time
    import traceback

    frames = "".join(traceback.format_tb(exc.__traceback__))
    logging.getLogger(__name__).error(
        "%s failed on a text of %d characters: %s\n%s",
        where,
        len(text),
        type(exc).__name__,
        frames.rstrip(),
    )
