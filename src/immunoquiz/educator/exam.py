"""One learner's timed attempt at an exam session: navigation, flags, clock, submit.

Pure apart from the injected clock and the optional `on_answer` callback (which
the CLI uses to log every answer in the learner's store the moment it is given,
so a crash loses at most the answer being typed). Works the same under the TUI
and plain mode.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from immunoquiz import scoring
from immunoquiz.banks.model import (
    Bank,
    BowtieItem,
    CaseItem,
    Item,
    MultipleItem,
    SingleItem,
    TrueFalseItem,
)
from immunoquiz.educator.results import AttemptResult, ItemResult, PartResult
from immunoquiz.educator.session_spec import SessionSpec
from immunoquiz.responses import (
    BowtieResponse,
    CaseResponse,
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


@dataclass
class ExamRun:
    spec: SessionSpec
    learner: str
    questions: list[ExamQuestion]
    clock: Callable[[], datetime]
    on_answer: Callable[[ExamQuestion, Response, Score, float], None] | None = None
    started: datetime | None = None
    current: int = 0  # index into questions
    answers: dict[int, Response] = field(default_factory=dict)
    flagged: set[int] = field(default_factory=set)
    seconds: dict[int, float] = field(default_factory=dict)
    _viewing_since: datetime | None = None

    def start(self) -> None:
        self.started = self.clock()
        self._viewing_since = self.started

    # --- the clock ---------------------------------------------------------------

    def remaining_seconds(self) -> float | None:
        if self.spec.time_limit is None or self.started is None:
            return None
        elapsed = (self.clock() - self.started).total_seconds()
        return max(0.0, self.spec.time_limit * 60 - elapsed)

    def expired(self) -> bool:
        left = self.remaining_seconds()
        return left is not None and left <= 0

    # --- navigation --------------------------------------------------------------

    def _bank_time(self) -> None:
        now = self.clock()
        if self._viewing_since is not None:
            spent = (now - self._viewing_since).total_seconds()
            self.seconds[self.current] = self.seconds.get(self.current, 0.0) + max(0.0, spent)
        self._viewing_since = now

    def go(self, index: int) -> ExamQuestion:
        """Move to question `index` (0-based), charging time to the one being left."""
        if not 0 <= index < len(self.questions):
            raise IndexError(f"no question {index + 1}")
        self._bank_time()
        self.current = index
        return self.questions[index]

    def toggle_flag(self, index: int | None = None) -> bool:
        i = self.current if index is None else index
        self.flagged.symmetric_difference_update({i})
        return i in self.flagged

    def answer(self, response: Response, index: int | None = None) -> Score:
        """Keep (or replace) the answer to a question; an invalid one raises ValueError."""
        i = self.current if index is None else index
        if self.expired():
            raise TimeoutError("time is up: answers can no longer be changed")
        question = self.questions[i]
        reason = scoring.validate_response(question.item, response)
        if reason:
            raise ValueError(reason)
        self._bank_time()
        self.answers[i] = response
        result = scoring.score(question.item, response)
        if self.on_answer is not None:
            self.on_answer(question, response, result, self.seconds.get(i, 0.0))
        return result

    def unanswered(self) -> list[int]:
        return [i for i in range(len(self.questions)) if i not in self.answers]

    # --- submitting --------------------------------------------------------------

    def submit(self, *, timed_out: bool = False) -> AttemptResult:
        """Score everything given so far (unanswered items score 0) into an Attempt."""
        self._bank_time()
        ended = self.clock()
        assert self.started is not None, "start() the run before submitting"
        items = []
        for i, q in enumerate(self.questions):
            response = self.answers.get(i)
            result = scoring.score(q.item, response) if response else unanswered_score(q.item)
            parts: tuple[PartResult, ...] = ()
            if isinstance(q.item, CaseItem):
                part_scores = (
                    scoring.part_scores(q.item, response)
                    if isinstance(response, CaseResponse)
                    else tuple(unanswered_score(p) for p in q.item.parts)
                )
                parts = tuple(
                    PartResult(p.id, p.step, s.points, s.max)
                    for p, s in zip(q.item.parts, part_scores, strict=True)
                )
            options, picked = choice_record(q.item, response)
            items.append(
                ItemResult(
                    id=q.id,
                    type=q.item.type,
                    topic=q.bank.topic,
                    step=q.item.step,
                    score=result.points,
                    max=result.max,
                    seconds=self.seconds.get(i, 0.0),
                    response=response.to_json() if response else None,
                    options=options,
                    picked=picked,
                    parts=parts,
                )
            )
        return AttemptResult(
            session_title=self.spec.title,
            session_hash=self.spec.content_hash,
            learner=self.learner,
            started=self.started,
            ended=ended,
            items=tuple(items),
            pass_mark=self.spec.pass_mark,
            banks={q.bank.id: q.bank.content_hash for q in self.questions},
            timed_out=timed_out,
            status="time_up" if timed_out else "submitted",
        )
