"""immunoquiz.records.dataclass makes the classes dataclasses.dataclass makes.

Each case defines the same class body twice, once per decorator, and compares what a
caller can see: the __init__ signature, the values set (defaults and factories
included), repr, ==, hash, ordering, frozen errors, replace(), fields(), pickling.
"""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from collections.abc import Callable
from typing import Any

import pytest

from immunoquiz import records
from immunoquiz.banks.model import Bank, MultipleItem, Option, SingleItem

Decorator = Callable[..., Any]


def _plain(cls: type) -> type:
    return dataclasses.dataclass(cls)


def _define(dataclass: Decorator, field: Callable[..., Any], flags: dict[str, Any]) -> type:
    """A base and a subclass, fields with defaults, a factory, an uncompared field."""

    def deco(cls: type) -> type:
        return dataclass(**flags)(cls) if flags else dataclass(cls)

    @deco
    class Base:
        """Doc."""

        a: int
        b: str = "b"
        seen: list[int] = field(default_factory=list, compare=False, repr=False)

    @deco
    class Child(Base):
        c: float = 1.5
        d: tuple[int, ...] = field(default=(), hash=False)

    return Child


FLAGS = [
    {},
    {"frozen": True},
    {"frozen": True, "slots": True},
    {"frozen": True, "kw_only": True},
    {"order": True},
    {"frozen": True, "order": True, "slots": True},
    {"eq": False},
    {"repr": False, "frozen": True},
]


def _pair(flags: dict[str, Any]) -> tuple[type, type]:
    return (
        _define(dataclasses.dataclass, dataclasses.field, flags),
        _define(records.dataclass, records.field, flags),
    )


def _args(flags: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    if flags.get("kw_only"):
        return (), {"a": 1, "c": 2.5, "d": (1,)}
    return (1, "x"), {"c": 2.5, "d": (1,)}


@pytest.mark.parametrize("flags", FLAGS, ids=str)
def test_same_as_the_standard_dataclass(flags: dict[str, Any]) -> None:
    std, ours = _pair(flags)
    args, kwargs = _args(flags)
    ours(*args, **kwargs)  # compiles its __init__
    assert str(inspect.signature(ours.__init__)) == str(inspect.signature(std.__init__))
    x_std, y_std, x, y = (
        std(*args, **kwargs),
        std(*args, **kwargs),
        ours(*args, **kwargs),
        ours(*args, **kwargs),
    )
    if flags.get("repr", True):
        assert repr(x) == repr(x_std)
    assert x.seen == [] and x.seen is not y.seen  # a fresh list from the factory each time
    assert (x == y) == (x_std == y_std)
    assert (x != y) == (x_std != y_std)
    assert (ours.__hash__ is None) == (std.__hash__ is None)
    if std.__hash__ is not None and flags.get("eq", True):
        assert hash(x) == hash(x_std)  # the same tuple of fields hashed
        assert hash(x) == hash(y)
    assert [f.name for f in dataclasses.fields(ours)] == [f.name for f in dataclasses.fields(std)]
    assert ours.__match_args__ == std.__match_args__
    assert dataclasses.asdict(x) == dataclasses.asdict(x_std)
    z, z_std = dataclasses.replace(x, c=9.0), dataclasses.replace(x_std, c=9.0)
    assert z.c == z_std.c == 9.0 and z.a == 1
    if flags.get("slots"):
        assert not hasattr(x, "__dict__") and hasattr(ours, "__slots__")
    if flags.get("order"):
        w = ours(*args, **{**kwargs, "c": 0.5})
        w_std = std(*args, **{**kwargs, "c": 0.5})
        assert (w < x, w <= x, w > x, w >= x) == (
            w_std < x_std,
            w_std <= x_std,
            w_std > x_std,
            w_std >= x_std,
        )
    if flags.get("frozen"):
        for obj in (x, x_std):
            with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'a'"):
                obj.a = 2
            with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'b'"):
                del obj.b
    else:
        x.a = 3
        assert x.a == 3


def test_missing_and_unexpected_arguments_fail_as_with_dataclass() -> None:
    std, ours = _pair({"frozen": True, "kw_only": True})
    for cls in (std, ours):
        with pytest.raises(TypeError, match=r"Child.__init__\(\) missing 1 required keyword-only"):
            cls()
        with pytest.raises(TypeError, match="takes 1 positional argument"):
            cls(1)


def test_a_default_before_a_field_without_one_is_refused_at_definition() -> None:
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):

        @records.dataclass
        class Wrong:
            a: int = 0
            b: int


def test_post_init_runs_and_methods_of_the_body_are_kept() -> None:
    calls: list[int] = []

    @records.dataclass(frozen=True)
    class Kept:
        a: int

        def __post_init__(self) -> None:
            calls.append(self.a)

        def __repr__(self) -> str:
            return "mine"

    assert repr(Kept(4)) == "mine" and calls == [4]


def test_frozen_and_not_frozen_do_not_mix() -> None:
    @records.dataclass(frozen=True)
    class Frozen:
        a: int

    with pytest.raises(TypeError, match="cannot inherit non-frozen dataclass from a frozen one"):

        @records.dataclass
        class Thawed(Frozen):
            b: int = 0


def test_frozen_slots_pickle_like_dataclass() -> None:
    option = Option("text", correct=True, why="because", line=3, col=4)
    back = pickle.loads(pickle.dumps(option))
    assert back == option and (back.line, back.col) == (3, 4)


def test_the_bank_model_compares_without_locations() -> None:
    one = Option("a", True, line=1, col=2)
    assert one == Option("a", True, line=7, col=9)
    assert hash(one) == hash(Option("a", True))
    assert repr(one) == "Option(text='a', correct=True, why=None)"
    item = SingleItem(id="q1", explanation="e", prompt="p", options=(one, Option("b")))
    assert item == SingleItem(
        id="q1", explanation="e", prompt="p", options=(one, Option("b")), line=5
    )
    assert item != MultipleItem(id="q1", explanation="e", prompt="p", options=(one, Option("b")))
    bank = Bank(id="b", title="t", topic="x", questions=(item,), path="a.yaml")
    assert bank == Bank(id="b", title="t", topic="x", questions=(item,), path="b.yaml")
    assert hash(bank) == hash(Bank(id="b", title="t", topic="x", questions=(item,)))
