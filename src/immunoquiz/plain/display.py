"""How one showing of an item is laid out: the shuffled order of each numbered list.

Numbers the learner types refer to this display; `Display` maps them back to the
bank's own indices, which are what responses (and the review log) hold.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field

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

LETTERS = string.ascii_lowercase
# Labels of the bow-tie lists: c1 (conditions), a1 (actions), p1 (parameters).
BOWTIE_PREFIX = {"conditions": "c", "actions": "a", "parameters": "p"}


@dataclass(frozen=True, slots=True)
class Display:
    # list name -> bank indices in the order shown (display number k is lists[name][k-1]).
    lists: dict[str, tuple[int, ...]] = field(default_factory=dict)
    parts: tuple[Display, ...] = ()

    def shown(self, name: str) -> tuple[int, ...]:
        return self.lists[name]

    def number_of(self, name: str, bank_index: int) -> int:
        """The 1-based number under which a bank entry was shown."""
        return self.lists[name].index(bank_index) + 1


def _order(n: int, rng: random.Random, shuffle: bool) -> tuple[int, ...]:
    order = list(range(n))
    if shuffle:
        rng.shuffle(order)
    return tuple(order)


def make_display(item: Item, rng: random.Random) -> Display:
    """A fresh layout; options stay in bank order when the item says `shuffle: false`."""
    if isinstance(item, SingleItem | MultipleItem):
        return Display({"options": _order(len(item.options), rng, item.shuffle)})
    if isinstance(item, OrderItem):
        # Always shuffled (showing the right order would give the answer away),
        # and never left in the right order by chance.
        n = len(item.items)
        order = list(range(n))
        while n > 1 and order == sorted(order):
            rng.shuffle(order)
        return Display({"items": tuple(order)})
    if isinstance(item, MatchItem):
        return Display({"rows": _order(len(item.rows), rng, item.shuffle)})
    if isinstance(item, BowtieItem):
        return Display(
            {name: _order(len(getattr(item, name)), rng, item.shuffle) for name in BOWTIE_PREFIX}
        )
    if isinstance(item, ClozeItem):
        return Display(
            {
                f"choices{i}": _order(len(b.choices), rng, item.shuffle)
                for i, b in enumerate(item.blanks)
                if b.choices
            }
        )
    if isinstance(item, CaseItem):
        return Display(parts=tuple(make_display(p, rng) for p in item.parts))
    return Display()
