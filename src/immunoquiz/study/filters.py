"""Which items a session may serve: by bank, topic, tag, level, clinical-judgment step,
item type, words of the question, and the learner's own marks (recent misses, flagged)."""

from __future__ import annotations

from collections.abc import Mapping

from immunoquiz.banks.model import (
    Bank,
    BowtieItem,
    CaseItem,
    ClozeItem,
    Item,
    MatchItem,
    MultipleItem,
    OrderItem,
    SingleItem,
    TrueFalseItem,
)
from immunoquiz.records import dataclass, field

# Marks come from the learner's store, not from the bank: `study.marks` works them out.
MARKS: tuple[str, ...] = ("misses", "flagged")
Marked = Mapping[str, frozenset[str]]  # mark -> card ids carrying it


def item_steps(item: Item) -> frozenset[str]:
    """The NCSBN steps an item measures: its own, plus those of a case's parts."""
    steps = {item.step} if item.step else set()
    if isinstance(item, CaseItem):
        steps.update(p.step for p in item.parts if p.step)
    return frozenset(steps)


def item_tags(item: Item) -> frozenset[str]:
    tags = set(item.tags)
    if isinstance(item, CaseItem):
        for part in item.parts:
            tags.update(part.tags)
    return frozenset(tags)


def item_texts(item: Item) -> list[str]:
    """Every piece of text a learner reads in the question (not the feedback)."""
    texts = [item.stem]
    if isinstance(item, SingleItem | MultipleItem):
        texts += [o.text for o in item.options]
    elif isinstance(item, ClozeItem):
        texts += [c for b in item.blanks for c in (b.choices or ())]
    elif isinstance(item, OrderItem):
        texts += item.items
    elif isinstance(item, MatchItem):
        texts += [*item.rows, *item.columns]
    elif isinstance(item, BowtieItem):
        texts += [o.text for o in (*item.conditions, *item.actions, *item.parameters)]
    elif isinstance(item, CaseItem):
        for part in item.parts:
            texts += [part.update or "", *item_texts(part)]
    elif isinstance(item, TrueFalseItem):
        pass  # the statement is the stem
    return texts


def fold(text: str) -> str:
    """Case and spacing ignored: what a search compares."""
    return " ".join(text.casefold().split())


def search_words(search: str) -> tuple[str, ...]:
    return tuple(fold(search).split())


def matches_search(item: Item, words: tuple[str, ...], card_id: str = "") -> bool:
    """Every word of the search appears somewhere in the question's text (or its id)."""
    if not words:
        return True
    text = fold(" ".join([card_id, *item_texts(item)]))
    return all(word in text for word in words)


@dataclass(frozen=True, slots=True)
class Filters:
    """Empty = no restriction. Within one kind any value matches; kinds combine with AND.

    `search` is words that must all appear in the question's text (any case);
    `marks` ("misses", "flagged") need the learner's marked cards (`study.marks`).
    """

    banks: frozenset[str] = field(default_factory=frozenset)
    topics: frozenset[str] = field(default_factory=frozenset)
    tags: frozenset[str] = field(default_factory=frozenset)
    levels: frozenset[str] = field(default_factory=frozenset)
    steps: frozenset[str] = field(default_factory=frozenset)
    types: frozenset[str] = field(default_factory=frozenset)
    search: str = ""
    marks: frozenset[str] = field(default_factory=frozenset)

    def matches(self, bank: Bank, item: Item, marked: Marked | None = None) -> bool:
        if self.banks and bank.id not in self.banks:
            return False
        if self.topics and bank.topic not in self.topics:
            return False
        if self.levels and item.level not in self.levels:
            return False
        if self.types and item.type not in self.types:
            return False
        if self.tags and not (self.tags & item_tags(item)):
            return False
        if self.steps and not (self.steps & item_steps(item)):
            return False
        if self.marks:
            card_id = bank.card_id(item)
            if not any(card_id in (marked or {}).get(mark, ()) for mark in self.marks):
                return False
        return matches_search(item, search_words(self.search), bank.card_id(item))

    @property
    def empty(self) -> bool:
        return not (
            self.banks or self.topics or self.tags or self.levels or self.steps
            or self.types or self.search.strip() or self.marks
        )  # fmt: skip
