"""Pausing the collector while a read model is built loses nothing it should free."""

from __future__ import annotations

import gc
import weakref

import pytest

from domain.memory import collection_paused, without_collection


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


def test_cyclic_garbage_alive_during_a_build_is_still_freed_later() -> None:
    """A request in flight while a snapshot is built (here: a cycle made before and
    dropped after) must not be parked where the collector never looks."""
    assert gc.isenabled()
    before = Node()
    ref = weakref.ref(before)
    with collection_paused():
        made = [(i, str(i)) for i in range(1000)]
    assert gc.isenabled() and len(made) == 1000
    del before
    gc.collect()
    assert ref() is None


def test_collection_is_on_again_after_nested_and_failing_builds() -> None:
    @without_collection
    def build(fail: bool) -> int:
        assert not gc.isenabled()
        with collection_paused():
            pass
        assert not gc.isenabled()  # the inner pause does not turn it back on
        if fail:
            raise ValueError
        return 1

    assert build(False) == 1
    with pytest.raises(ValueError):
        build(True)
    assert gc.isenabled()
