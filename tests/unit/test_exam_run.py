"""An exam attempt: deterministic selection, navigation, flags, the clock and submission."""

from datetime import UTC, datetime, timedelta

import pytest

from immunoquiz.banks.model import Bank, CaseItem, Option, SingleItem, TrueFalseItem
from immunoquiz.educator.exam import ExamRun, order_questions
from immunoquiz.educator.session_spec import Draw, ItemRef, SessionSpec, select_items
from immunoquiz.responses import CaseResponse, SingleResponse, TrueFalseResponse


def single(i: int, level: str = "recall", step: str | None = None) -> SingleItem:
    return SingleItem(
        id=f"q{i}",
        explanation="e",
        prompt=f"Question {i}?",
        options=(Option("right", True), Option("wrong", why="no"), Option("unused", why="no")),
        level=level,
        step=step,
    )


BANK = Bank(
    id="demo",
    title="Demo",
    topic="checkpoints",
    content_hash="b" * 64,
    questions=(
        *(single(i, level="application" if i % 2 else "recall") for i in range(10)),
        TrueFalseItem(id="tf", explanation="e", statement="ICIs activate immunity.", answer=True),
        CaseItem(
            id="case",
            explanation="e",
            vignette="v",
            parts=(single(90, step="analyze-cues"), single(91, step="take-action")),
        ),
    ),
)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def spec(**kw) -> SessionSpec:
    base = dict(
        title="Check",
        items=(ItemRef("demo", "tf", 5, 7),),
        draws=(Draw(3, level="application", line=8, col=7),),
        seed=7,
        time_limit=10,
        pass_mark=50,
        content_hash="s" * 64,
        path="week.yaml",
    )
    return SessionSpec(**{**base, **kw})


def test_every_trainee_gets_the_same_items_in_the_same_order() -> None:
    first, problems = select_items(spec(), [BANK])
    again, _ = select_items(spec(), [BANK])
    assert problems == []
    assert [q.id for _, q in first] == [q.id for _, q in again]
    assert first[0][1].id == "tf" and len(first) == 4
    assert all(q.level == "application" for _, q in first[1:])
    assert [q.id for q in order_questions(spec(), first)] == [
        q.id for q in order_questions(spec(), again)
    ]
    other, _ = select_items(spec(seed=8), [BANK])
    assert [q.id for _, q in other] != [q.id for _, q in first]


def test_a_draw_can_match_the_steps_of_case_parts() -> None:
    chosen, problems = select_items(spec(items=(), draws=(Draw(1, step="take-action"),)), [BANK])
    assert problems == [] and chosen[0][1].id == "case"


def test_selection_problems_are_located_in_the_session_file() -> None:
    bad = spec(
        items=(ItemRef("demo", "nope", 4, 7), ItemRef("other", "x", 5, 7)),
        draws=(Draw(99, level="analysis", line=7, col=7),),
    )
    _, problems = select_items(bad, [BANK])
    assert [str(p) for p in problems] == [
        "week.yaml:4:7: bank 'demo' has no item 'nope'",
        "week.yaml:5:7: no loaded bank has the id 'other'",
        "week.yaml:7:7: draw of 99 (level analysis) finds only 0 unused matching items",
    ]


def test_answers_flags_time_and_timeout_submission() -> None:
    clock = Clock()
    chosen, _ = select_items(spec(shuffle=False), [BANK])
    logged = []
    run = ExamRun(
        spec(shuffle=False),
        "Ana",
        order_questions(spec(shuffle=False), chosen),
        clock,
        on_answer=lambda q, r, s, t: logged.append((q.id, s.points)),
    )
    run.start()
    clock.tick(20)
    assert run.answer(TrueFalseResponse(True)).full
    run.toggle_flag()
    run.go(1)
    clock.tick(30)
    run.answer(SingleResponse(1))  # wrong
    run.answer(SingleResponse(0))  # changed to right
    with pytest.raises(ValueError, match="option"):
        run.answer(SingleResponse(7))
    assert run.flagged == {0} and run.unanswered() == [2, 3]
    second = run.questions[1].id
    assert logged == [("demo/tf", 1.0), (second, 0.0), (second, 1.0)]
    clock.tick(600)
    assert run.expired() and run.remaining_seconds() == 0
    with pytest.raises(TimeoutError):
        run.answer(SingleResponse(0), index=2)
    attempt = run.submit(timed_out=True)
    assert attempt.timed_out and attempt.learner == "Ana"
    assert (attempt.score, attempt.max) == (2, 4)
    assert [i.seconds for i in attempt.items][:2] == [20, 630]
    assert attempt.items[2].response is None and attempt.items[2].picked == ()
    assert attempt.items[0].options == ("True", "False") and attempt.items[0].picked == (0,)


def test_a_case_keeps_its_part_scores_for_the_step_breakdown() -> None:
    clock = Clock()
    s = spec(items=(ItemRef("demo", "case"),), draws=(), shuffle=False)
    chosen, _ = select_items(s, [BANK])
    run = ExamRun(s, "Ben", order_questions(s, chosen), clock)
    run.start()
    run.answer(CaseResponse((SingleResponse(0), SingleResponse(2))))
    item = run.submit().items[0]
    assert [(p.step, p.score, p.max) for p in item.parts] == [
        ("analyze-cues", 1, 1),
        ("take-action", 0, 1),
    ]
