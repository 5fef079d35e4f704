"""`dataclass`: the standard dataclass, with its methods made when first used.

`dataclasses.dataclass` compiles Python source for every method it adds: `__init__`,
`__repr__`, `__eq__`, `__hash__` and, when frozen, `__setattr__` and `__delattr__`,
about 0.8 M instructions each. A command defines 15 to 55 of these classes (the
bank model, the store's rows, the session's records...) and builds few of them, so
compiling their methods was the largest single cost of starting `validate`, `stats`,
`report`, `study --plain` and the TUI.

Classes made here are real dataclasses (`dataclasses.fields`, `replace`, `asdict`
and `is_dataclass` work on them) that behave as `dataclasses.dataclass` makes them:
- `__init__` is the same generated code, compiled when the class is first built
  (a class never built compiles nothing);
- `__repr__`, `__eq__`, `__hash__`, the ordering methods and the frozen
  `__setattr__`/`__delattr__` are shared functions reading the class's field list,
  giving the same results;
- a method the class body defines is kept, as dataclass() keeps it.
`InitVar` fields are not supported (none is used). `__dataclass_params__` says what
dataclass() was asked for (no methods, not frozen), so a standard frozen dataclass
cannot subclass one of these: use this decorator for both.
"""

# No `from __future__ import annotations` here: `exec` compiles the generated __init__
# with the future flags of the module calling it, and dataclass()'s own are compiled
# without (its annotations are the field types, not strings).

import dataclasses
from collections.abc import Callable
from dataclasses import MISSING, Field, FrozenInstanceError, asdict, field, fields, replace
from operator import attrgetter
from reprlib import recursive_repr
from typing import Any, TypeVar, dataclass_transform, overload

# dataclasses' names, for modules that use them with these classes
__all__ = ["MISSING", "asdict", "dataclass", "field", "fields", "replace"]

_T = TypeVar("_T")


@overload
def dataclass(cls: type[_T], /) -> type[_T]: ...
@overload
def dataclass(
    *,
    repr: bool = True,
    eq: bool = True,
    order: bool = False,
    frozen: bool = False,
    kw_only: bool = False,
    slots: bool = False,
) -> Callable[[type[_T]], type[_T]]: ...


@dataclass_transform(field_specifiers=(field, Field))
def dataclass(
    cls: type[_T] | None = None,
    /,
    *,
    repr: bool = True,  # noqa: A002 - dataclass()'s own parameter names
    eq: bool = True,
    order: bool = False,
    frozen: bool = False,
    kw_only: bool = False,
    slots: bool = False,
) -> type[_T] | Callable[[type[_T]], type[_T]]:
    """`dataclasses.dataclass` with these parameters (init, match_args as by default)."""

    def wrap(cls: type[_T]) -> type[_T]:
        return _process(cls, repr, eq, order, frozen, kw_only, slots)

    return wrap if cls is None else wrap(cls)


_FROZEN = "__record_frozen__"  # dataclass() was told frozen=False: its params say so


def _process(
    cls: type[_T], repr: bool, eq: bool, order: bool, frozen: bool, kw_only: bool, slots: bool
) -> type[_T]:
    if order and not eq:
        raise ValueError("eq must be true if order is true")
    bases = [b for b in cls.__mro__[1:] if "__dataclass_fields__" in b.__dict__]
    if bases and any(_frozen(b) is not frozen for b in bases):
        raise TypeError(
            "cannot inherit non-frozen dataclass from a frozen one"
            if not frozen
            else "cannot inherit frozen dataclass from a non-frozen one"
        )
    own = cls.__dict__
    class_hash = own.get("__hash__", MISSING)
    explicit_hash = not (class_hash is MISSING or (class_hash is None and "__eq__" in own))
    if not own.get("__doc__"):  # else dataclass() works one out through inspect.signature
        cls.__doc__ = cls.__name__
    # dataclass() gathers the fields, sets defaults, __match_args__ and slots; it is
    # asked for none of the methods it compiles.
    cls = dataclasses.dataclass(
        cls, init=False, repr=False, eq=False, frozen=False, kw_only=kw_only, slots=slots
    )
    field_list = fields(cls)  # type: ignore[arg-type]
    _check_defaults_order(field_list)
    setattr(cls, _FROZEN, frozen)
    _set_new(cls, "__init__", _lazy_init(cls, frozen, slots))
    if repr:
        _set_new(cls, "__repr__", _repr_fn([f.name for f in field_list if f.repr]))
    compared = _getter([f.name for f in field_list if f.compare])
    if eq:
        _set_new(cls, "__eq__", _cmp_fn("__eq__", compared))
    if order:
        for name in ("__lt__", "__le__", "__gt__", "__ge__"):
            if _set_new(cls, name, _cmp_fn(name, compared)):
                raise TypeError(
                    f"Cannot overwrite attribute {name} in class {cls.__name__}. "
                    "Consider using functools.total_ordering"
                )
    if frozen:
        names = frozenset(f.name for f in field_list)
        for fn in _frozen_fns(cls, names):
            if _set_new(cls, fn.__name__, fn):
                raise TypeError(f"Cannot overwrite attribute {fn.__name__} in class {cls.__name__}")
        if slots:
            _set_new(cls, "__getstate__", _getstate)
            _set_new(cls, "__setstate__", _setstate)
    if eq and not explicit_hash:
        if frozen:
            hashed = [f.name for f in field_list if (f.compare if f.hash is None else f.hash)]
            cls.__hash__ = _hash_fn(_getter(hashed))  # type: ignore[method-assign,assignment]
        else:
            cls.__hash__ = None  # type: ignore[assignment]
    return cls


def _frozen(cls: type) -> bool:
    return bool(vars(cls).get(_FROZEN, vars(cls)["__dataclass_params__"].frozen))


def _set_new(cls: type, name: str, value: Any) -> bool:
    """Set a method unless the class body defines it (True then), as dataclass() does."""
    if name in cls.__dict__:
        return True
    value.__qualname__ = f"{cls.__qualname__}.{name}"
    setattr(cls, name, value)
    return False


def _check_defaults_order(field_list: tuple[Field[Any], ...]) -> None:
    seen_default = False
    for f in field_list:
        if not f.init or f.kw_only:
            continue
        if f.default is not MISSING or f.default_factory is not MISSING:
            seen_default = True
        elif seen_default:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")


def _getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple of these attributes, as dataclass()'s `(self.a,self.b,)` builds it."""
    if len(names) >= 2:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def _cmp_fn(name: str, fields_of: Callable[[Any], tuple[Any, ...]]) -> Callable[..., Any]:
    op = {
        "__eq__": tuple.__eq__,
        "__lt__": tuple.__lt__,
        "__le__": tuple.__le__,
        "__gt__": tuple.__gt__,
        "__ge__": tuple.__ge__,
    }[name]

    def compare(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return op(fields_of(self), fields_of(other))
        return NotImplemented

    compare.__name__ = name
    return compare


def _hash_fn(fields_of: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(fields_of(self))

    return __hash__


def _repr_fn(names: list[str]) -> Callable[[Any], str]:
    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({shown})"

    return recursive_repr()(__repr__)


def _frozen_fns(cls: type[Any], names: frozenset[str]) -> tuple[Callable[..., None], ...]:
    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __setattr__, __delattr__


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, f.name) for f in fields(self)]


def _setstate(self: Any, state: list[Any]) -> None:
    for f, value in zip(fields(self), state, strict=False):
        object.__setattr__(self, f.name, value)


def _lazy_init(cls: type, frozen: bool, slots: bool) -> Callable[..., None]:
    """An `__init__` that compiles the class's own on its first call and hands over."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        init = _init_fn(cls, frozen, slots)
        if cls.__dict__.get("__init__") is __init__:
            cls.__init__ = init  # type: ignore[misc]
        init(self, *args, **kwargs)

    return __init__


class _Factory:
    def __repr__(self) -> str:
        return "<factory>"


_HAS_DEFAULT_FACTORY = _Factory()  # the default shown for a field made by a factory


def _init_fn(cls: type, frozen: bool, slots: bool) -> Callable[..., None]:
    """The `__init__` dataclass() writes for `cls`: the same parameters and assignments."""
    field_list = fields(cls)
    self_name = "__dataclass_self__" if "self" in {f.name for f in field_list} else "self"
    names: dict[str, Any] = {
        "_HAS_DEFAULT_FACTORY": _HAS_DEFAULT_FACTORY,
        "__dataclass_builtins_object__": object,
        "__name__": cls.__module__,
    }
    params: list[str] = []
    kw_params: list[str] = []
    body: list[str] = []
    for f in field_list:
        default_name = f"_dflt_{f.name}"
        if f.init:
            names[f"_type_{f.name}"] = f.type
            param = f"{f.name}:_type_{f.name}"
            if f.default is not MISSING:
                names[default_name] = f.default
                param += f"={default_name}"
            elif f.default_factory is not MISSING:
                names[default_name] = f.default_factory
                param += "=_HAS_DEFAULT_FACTORY"
            (kw_params if f.kw_only else params).append(param)
        value: str | None
        if f.default_factory is not MISSING:
            names[f"_dflt_{f.name}"] = f.default_factory
            value = (
                f"{default_name}() if {f.name} is _HAS_DEFAULT_FACTORY else {f.name}"
                if f.init
                else f"{default_name}()"
            )
        elif f.init:
            value = f.name
        elif slots and f.default is not MISSING:
            names[default_name] = f.default
            value = default_name
        else:
            value = None  # read from the class attribute that holds the default
        if value is not None:
            if frozen:
                body.append(
                    f"__dataclass_builtins_object__.__setattr__({self_name},{f.name!r},{value})"
                )
            else:
                body.append(f"{self_name}.{f.name}={value}")
    if hasattr(cls, "__post_init__"):
        body.append(f"{self_name}.__post_init__()")
    signature = ", ".join([self_name, *params, *(["*", *kw_params] if kw_params else [])])
    source = f"def __init__({signature}) -> None:\n" + "".join(
        f" {line}\n" for line in body or ["pass"]
    )
    # exec of the text, as dataclass() does (its annotations are then the field types)
    exec(source, names)  # noqa: S102 - our own text, from the class's field names
    init: Callable[..., None] = names["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init
