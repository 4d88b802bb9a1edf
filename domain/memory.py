"""Building a read model without the garbage collector's quadratic tax.

A snapshot of 100,000 tasks is a few hundred thousand small tuples made in one go. Every
few thousand of them start a collection, and the oldest generation's collections scan
everything built so far, again and again: a third of the time of a large snapshot
(bench/plan.py). The records are acyclic, so nothing is lost by pausing collection while
they are built.

Turned back on, the collector scans what was built once as young objects (about half a
second at 100,000 tasks, nothing at an office's few hundred): linear, and paid once. Nothing
is moved to the permanent generation here: `gc.freeze` would park everything alive at that
moment, in every thread (requests in flight, sessions), where cyclic garbage is never
freed; a long-running bot reads snapshots all day. Only start-up freezes (bot/app.py).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause automatic garbage collection while building (nested or threaded callers are
    safe: only the one that found collection on turns it back on)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def without_collection(build: Callable[P, T]) -> Callable[P, T]:
    """`build` runs with garbage collection paused (see collection_paused)."""

    @wraps(build)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        with collection_paused():
            return build(*args, **kwargs)

    return run
