"""``record``: the part of ``dataclasses.dataclass`` the parser uses, without its import.

Importing ``dataclasses`` (and ``inspect`` with it) took a third of the parser's start-up
(bench/parse.py). Type checkers see the real ``dataclass`` (models.py imports it under
TYPE_CHECKING); at run time this builds the same class: ``__slots__``, an ``__init__``
with the defaults, equality and ``repr`` by value, and for ``frozen`` no assignment and a
hash by value.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T", bound=type)


def _repr(self: Any) -> str:
    fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
    return f"{self.__class__.__qualname__}({fields})"


def _frozen(self: Any, name: str, value: Any = None) -> None:
    raise AttributeError(f"cannot assign to field {name!r}")


def record(*, frozen: bool = False, slots: bool = True) -> Callable[[T], T]:
    def build(cls: T) -> T:
        names = list(cls.__dict__.get("__annotations__", {}))  # noqa: RUF063 (no inspect)
        defaults = {n: cls.__dict__[n] for n in names if n in cls.__dict__}
        body = {k: v for k, v in cls.__dict__.items() if k not in names}
        body.pop("__dict__", None)
        body.pop("__weakref__", None)
        body["__slots__"] = tuple(names)
        params = ", ".join(f"{n}=_default_{n}" if n in defaults else n for n in names)
        assign = "object.__setattr__(self, {0!r}, {0})" if frozen else "self.{0} = {0}"
        lines = [f"    {assign.format(n)}\n" for n in names] or ["    pass\n"]
        namespace: dict[str, Any] = {f"_default_{n}": v for n, v in defaults.items()}
        exec(f"def __init__(self, {params}):\n" + "".join(lines), namespace)
        values = attrgetter(*names) if names else (lambda self: ())

        def __eq__(self: Any, other: object) -> bool:
            if other.__class__ is not self.__class__:
                return NotImplemented
            return bool(values(self) == values(other))

        def __hash__(self: Any) -> int:
            return hash(values(self))

        body.update(__init__=namespace["__init__"], __eq__=__eq__, __repr__=_repr)
        body["__hash__"] = __hash__ if frozen else None
        if frozen:
            body.update(__setattr__=_frozen, __delattr__=_frozen)
        built: T = type(cls)(cls.__name__, cls.__bases__, body)
        built.__qualname__ = cls.__qualname__
        return built

    return build
