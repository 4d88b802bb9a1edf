"""Building a read model without the garbage collector's quadratic tax.

A snapshot of 100,000 tasks is a few hundred thousand small tuples made in one go. Every
few thousand of them start a collection, and the oldest generation's collections scan
everything built so far, again and again: a third of the time of a large snapshot
(bench/plan.py). The records are acyclic, so nothing is lost by pausing collection while
they are built.

Turned back on, the collector would then scan all of them at once as young objects (half a
second at 100,000 tasks), to learn what reference counting already handles. So what was
made while paused is moved to the permanent generation (`gc.freeze`), which the collector
never scans; it is freed by reference counting when dropped, like any acyclic object. The
young generations are collected first, so no earlier cyclic garbage is frozen with it;
what another thread makes meanwhile is frozen too (only cyclic garbage among that would
stay, and the event loop makes little).
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
    """Pause automatic garbage collection while building, then park what was built where
    the collector does not look (nested or threaded callers are safe: only the one that
    found collection on turns it back on)."""
    was_on = gc.isenabled()
    if was_on:
        gc.collect(1)
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.freeze()
            gc.enable()


def without_collection(build: Callable[P, T]) -> Callable[P, T]:
    """`build` runs with garbage collection paused (see collection_paused)."""

    @wraps(build)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        with collection_paused():
            return build(*args, **kwargs)

    return run
