"""Question banks: YAML files -> immutable `Bank`s, with located problems and a cache.

`load(path)` reads one file and raises `BankError` with every problem in it;
`load_many(paths)` and `bundled_and_extra(extra)` return `(banks, problems)`.
"""

from immunoquiz.banks.loader import bundled_and_extra, load, load_many, parse_bank
from immunoquiz.banks.model import Bank, Item
from immunoquiz.banks.problems import BankError, Problem

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
