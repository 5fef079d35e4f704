"""The seeded display order of every list an item shows.

Each list gets its own generator, seeded by the layout seed and the list's
name, so a client that builds its lists in another order (the TUI's bow-tie
shows actions first, plain mode conditions first) still shows the same order.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from types import MappingProxyType

from immunoquiz.banks.model import (
    BowtieItem,
    CaseItem,
    ClozeItem,
    Item,
    MatchItem,
    MultipleItem,
    OrderItem,
    SingleItem,
)
from immunoquiz.records import dataclass, field

# The bow-tie's three lists, in bank (and response) terms.
BOWTIE_GROUPS: tuple[str, ...] = ("conditions", "actions", "parameters")


def _empty() -> Mapping[str, tuple[int, ...]]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Layout:
    """What is shown where: list name -> bank indices in the order shown.

    List names: `options` (single, multiple), `items` (order), `rows` (match),
    `conditions` / `actions` / `parameters` (bow-tie), `choices<i>` (the
    drop-down of cloze blank i). A case has one Layout per part in `parts`.
    Display position k (0-based) of list `name` shows bank entry
    `lists[name][k]`.
    """

    lists: Mapping[str, tuple[int, ...]] = field(default_factory=_empty)
    parts: tuple[Layout, ...] = ()

    def shown(self, name: str) -> tuple[int, ...]:
        return self.lists[name]

    def number_of(self, name: str, bank_index: int) -> int:
        """The 1-based number under which a bank entry is shown."""
        return self.lists[name].index(bank_index) + 1

    def as_dict(self) -> dict[str, tuple[int, ...]]:
        return dict(self.lists)


def _order(n: int, seed: str, name: str, shuffle: bool) -> tuple[int, ...]:
    order = list(range(n))
    if shuffle:
        random.Random(f"{seed}/{name}").shuffle(order)
    return tuple(order)


def _deranged(n: int, seed: str, name: str) -> tuple[int, ...]:
    """Shuffled and never the right order by chance (that would give the answer away)."""
    rng = random.Random(f"{seed}/{name}")
    order = list(range(n))
    while n > 1 and order == sorted(order):
        rng.shuffle(order)
    return tuple(order)


def layout(item: Item, seed: str | int, *, shuffle: bool = True) -> Layout:
    """The layout of `item` for `seed`.

    `shuffle=False` (a session with `shuffle: false`) and an item's own
    `shuffle: false` keep options in the bank's order; order items are always
    shuffled.
    """
    key = str(seed)
    mix = shuffle and item.shuffle
    lists: dict[str, tuple[int, ...]] = {}
    parts: tuple[Layout, ...] = ()
    if isinstance(item, SingleItem | MultipleItem):
        lists["options"] = _order(len(item.options), key, "options", mix)
    elif isinstance(item, OrderItem):
        lists["items"] = _deranged(len(item.items), key, "items")
    elif isinstance(item, MatchItem):
        lists["rows"] = _order(len(item.rows), key, "rows", mix)
    elif isinstance(item, BowtieItem):
        for name in BOWTIE_GROUPS:
            lists[name] = _order(len(getattr(item, name)), key, name, mix)
    elif isinstance(item, ClozeItem):
        for i, blank in enumerate(item.blanks):
            if blank.choices:
                lists[f"choices{i}"] = _order(len(blank.choices), key, f"choices{i}", mix)
    elif isinstance(item, CaseItem):
        parts = tuple(
            layout(part, f"{key}/part{i}", shuffle=shuffle) for i, part in enumerate(item.parts)
        )
    return Layout(MappingProxyType(lists), parts)
