"""Which items a session may serve: by bank, topic, tag, level and clinical-judgment step."""

from __future__ import annotations

from dataclasses import dataclass, field

from immunoquiz.banks.model import Bank, CaseItem, Item


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


@dataclass(frozen=True, slots=True)
class Filters:
    """Empty set = no restriction. Within one kind any value matches; kinds combine with AND."""

    banks: frozenset[str] = field(default_factory=frozenset)
    topics: frozenset[str] = field(default_factory=frozenset)
    tags: frozenset[str] = field(default_factory=frozenset)
    levels: frozenset[str] = field(default_factory=frozenset)
    steps: frozenset[str] = field(default_factory=frozenset)

    def matches(self, bank: Bank, item: Item) -> bool:
        if self.banks and bank.id not in self.banks:
            return False
        if self.topics and bank.topic not in self.topics:
            return False
        if self.levels and item.level not in self.levels:
            return False
        if self.tags and not (self.tags & item_tags(item)):
            return False
        return not (self.steps and not (self.steps & item_steps(item)))

    @property
    def empty(self) -> bool:
        return not (self.banks or self.topics or self.tags or self.levels or self.steps)
