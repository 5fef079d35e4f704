"""The servable items of the loaded banks, keyed by card id (`bank.id/item.id`).

A card whose item has left its bank is simply absent here: its history stays in
the store, it is no longer served. A changed item keeps its id, so its schedule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from immunoquiz.banks.model import Bank, Item
from immunoquiz.study.filters import Filters


@dataclass(frozen=True, slots=True)
class Card:
    """One item as a session serves it."""

    bank: Bank
    item: Item
    card_id: str
    is_new: bool = False

    @property
    def topic(self) -> str:
        return self.bank.topic


def build_catalog(banks: Iterable[Bank], filters: Filters | None = None) -> dict[str, Card]:
    """Matching items in bank order, then item order."""
    filters = filters or Filters()
    catalog: dict[str, Card] = {}
    for bank in banks:
        for item in bank.questions:
            if filters.matches(bank, item):
                catalog[bank.card_id(item)] = Card(bank, item, bank.card_id(item))
    return catalog


def interleave_topics(cards: Iterable[Card]) -> list[str]:
    """Card ids round-robin over topics (first-seen topic order), each topic in bank order.

    Mixing topics (interleaving) helps learners tell similar ideas apart.
    """
    groups: dict[str, list[str]] = {}
    for card in cards:
        groups.setdefault(card.topic, []).append(card.card_id)
    queues = [list(reversed(ids)) for ids in groups.values()]
    out: list[str] = []
    while queues:
        for queue in queues:
            out.append(queue.pop())
        queues = [q for q in queues if q]
    return out
