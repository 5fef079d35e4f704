"""TEMPORARY until present/ lands: the session's layout of an item (same for everyone)."""

from __future__ import annotations

import random
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
from immunoquiz.educator.classroom import Classroom
from immunoquiz.educator.exam import ExamQuestion
from immunoquiz.educator.presentation import layout_rng, shown_item


@dataclass(frozen=True)
class Display:
    lists: dict[str, tuple[int, ...]] = field(default_factory=dict)
    parts: tuple[Display, ...] = ()


def _order(n: int, rng: random.Random, shuffle: bool) -> tuple[int, ...]:
    order = list(range(n))
    if shuffle:
        rng.shuffle(order)
    return tuple(order)


def make_display(item: Item, rng: random.Random) -> Display:
    if isinstance(item, SingleItem | MultipleItem):
        return Display({"options": _order(len(item.options), rng, item.shuffle)})
    if isinstance(item, OrderItem):
        n = len(item.items)
        order = list(range(n))
        while n > 1 and order == sorted(order):
            rng.shuffle(order)
        return Display({"items": tuple(order)})
    if isinstance(item, MatchItem):
        return Display({"rows": _order(len(item.rows), rng, item.shuffle)})
    if isinstance(item, BowtieItem):
        return Display(
            {n: _order(len(getattr(item, n)), rng, item.shuffle) for n, _ in item.PICKS}
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


_cache: dict[tuple[str, str], Display] = {}


def layout_for(room: Classroom, question: ExamQuestion) -> Display:
    key = (room.spec.content_hash, question.id)
    if key not in _cache:
        item = shown_item(question.item, room.spec.shuffle)
        _cache[key] = make_display(item, layout_rng(room.spec, question))
    return _cache[key]
