"""An exam session's questions: their order, and what an answer records per option.

The attempt itself (clock, deadline, answers, results file) is
`educator.attempt.Attempt`.
"""

from __future__ import annotations

import random

from immunoquiz import scoring
from immunoquiz.banks.model import (
    Bank,
    BowtieItem,
    Item,
    MultipleItem,
    SingleItem,
    TrueFalseItem,
)
from immunoquiz.educator.session_spec import SessionSpec
from immunoquiz.records import dataclass
from immunoquiz.responses import (
    BowtieResponse,
    MultipleResponse,
    Response,
    Score,
    SingleResponse,
    TrueFalseResponse,
)


@dataclass(frozen=True)
class ExamQuestion:
    number: int  # 1-based position in this session
    bank: Bank
    item: Item

    @property
    def id(self) -> str:
        return self.bank.card_id(self.item)


def order_questions(spec: SessionSpec, chosen: list[tuple[Bank, Item]]) -> list[ExamQuestion]:
    """The session's item order: as chosen, or shuffled with the session seed (same for all)."""
    if spec.shuffle:
        chosen = list(chosen)
        random.Random(spec.seed).shuffle(chosen)
    return [ExamQuestion(n, bank, item) for n, (bank, item) in enumerate(chosen, start=1)]


def choice_record(item: Item, response: Response | None) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Option labels in bank order and the indices picked, for option analysis."""
    if isinstance(item, (SingleItem, MultipleItem)):
        labels = tuple(o.text for o in item.options)
        if isinstance(response, SingleResponse):
            return labels, (response.choice,)
        if isinstance(response, MultipleResponse):
            return labels, tuple(sorted(response.choices))
        return labels, ()
    if isinstance(item, TrueFalseItem):
        picked = (
            () if not isinstance(response, TrueFalseResponse) else (0 if response.value else 1,)
        )
        return ("True", "False"), picked
    if isinstance(item, BowtieItem):
        names: list[str] = []
        picks: list[int] = []
        offset = 0
        for group, _ in BowtieItem.PICKS:
            options = getattr(item, group)
            names += [f"{group}: {o.text}" for o in options]
            if isinstance(response, BowtieResponse):
                picks += [offset + i for i in sorted(getattr(response, group))]
            offset += len(options)
        return tuple(names), tuple(picks)
    return (), ()


def unanswered_score(item: Item) -> Score:
    """What an item is worth with no answer: 0 out of its maximum."""
    return Score(0, scoring.max_points(item), "not answered")
