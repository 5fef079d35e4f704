"""Question banks: YAML files -> immutable `Bank`s, with located problems and a cache.

`load(path)` reads one file and raises `BankError` with every problem in it;
`load_many(paths)` and `bundled_and_extra(extra)` return `(banks, problems)`.

The names below are looked up on first use: importing `immunoquiz.banks.model`
(which every layer above does) then costs the model alone, not the loader.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from immunoquiz.banks.loader import bundled_and_extra, load, load_many, parse_bank
    from immunoquiz.banks.model import Bank, Item
    from immunoquiz.banks.problems import BankError, Problem

_HOME = {
    "Bank": "model",
    "Item": "model",
    "BankError": "problems",
    "Problem": "problems",
    "bundled_and_extra": "loader",
    "load": "loader",
    "load_many": "loader",
    "parse_bank": "loader",
}

__all__ = [
    "Bank",
    "BankError",
    "Item",
    "Problem",
    "bundled_and_extra",
    "load",
    "load_many",
    "parse_bank",
]


def __getattr__(name: str) -> object:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{home}"), name)
