"""The servable items of the loaded banks, keyed by card id (`bank.id/item.id`).

A card whose item has left its bank is simply absent here: its history stays in
the store, it is no longer served. A changed item keeps its id, so its schedule.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from immunoquiz.banks.model import Bank, CaseItem, Item
from immunoquiz.records import dataclass
from immunoquiz.study.filters import Filters, Marked, item_tags


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


def build_catalog(
    banks: Iterable[Bank], filters: Filters | None = None, marked: Marked | None = None
) -> dict[str, Card]:
    """Matching items in bank order, then item order (`marked`: see `study.marks`)."""
    filters = filters or Filters()
    catalog: dict[str, Card] = {}
    for bank in banks:
        for item in bank.questions:
            if filters.matches(bank, item, marked):
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


# The learning path for new items: foundations before applications. A newcomer meets
# what checkpoints are before why TNBC is the main use, before comparisons with other
# treatments, before adverse events; and recall before understanding before judgment.
TOPIC_PATH = ("checkpoints", "tnbc", "treatment-comparisons", "adverse-events")
LEVEL_PATH = ("recall", "understanding", "application", "analysis")
ADVANCED_TAG = "advanced"


def _band(card: Card) -> int:
    """Topic rank + level rank: each band mixes the next topic's basics with the deeper
    levels of the topics already begun, so the path widens and deepens together."""
    topic = TOPIC_PATH.index(card.topic) if card.topic in TOPIC_PATH else len(TOPIC_PATH)
    level = LEVEL_PATH.index(card.item.level) if card.item.level in LEVEL_PATH else 0
    return topic + level


def learning_path(cards: Iterable[Card]) -> list[str]:
    """New card ids in the order a newcomer should meet them.

    Bands of `_band` in turn, topics interleaved within a band (bank order within a
    topic); items tagged `advanced` after all others; a case only once every item
    sharing one of its tags has come before it (it applies what they teach).
    """
    pool = list(cards)
    plain = [c for c in pool if not isinstance(c.item, CaseItem)]
    order: list[Card] = []
    for advanced in (False, True):
        by_band: dict[int, list[Card]] = {}  # each card's band worked out once
        for c in plain:
            if (ADVANCED_TAG in c.item.tags) == advanced:
                by_band.setdefault(_band(c), []).append(c)
        for band in sorted(by_band):
            in_band = by_band[band]
            by_id = {c.card_id: c for c in in_band}
            order.extend(by_id[cid] for cid in interleave_topics(in_band))
    # The items not tagged advanced are the start of `order`, in rising bands.
    basics = [c for c in order if ADVANCED_TAG not in c.item.tags]
    bands = [_band(c) for c in basics]
    tags_of = [item_tags(c.item) for c in basics]
    slots: list[tuple[float, int, str]] = [(float(i), 0, c.card_id) for i, c in enumerate(order)]
    for n, case in enumerate(c for c in pool if isinstance(c.item, CaseItem)):
        if ADVANCED_TAG in case.item.tags:
            slots.append((float(len(order)), n + 1, case.card_id))
            continue
        # Not before its own band, and after every item it builds on.
        band_start = bisect_left(bands, _band(case))
        if band_start == len(basics):
            band_start = len(order)
        tags = item_tags(case.item)
        builds_on = [i for i, shared in enumerate(tags_of) if shared & tags]
        slot = max([band_start - 1, *builds_on]) + 0.5
        slots.append((slot, n + 1, case.card_id))
    return [card_id for _slot, _n, card_id in sorted(slots)]
