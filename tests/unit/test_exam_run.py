"""An exam attempt: deterministic selection, navigation, flags, the clock and submission."""

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from immunoquiz.banks.model import Bank, CaseItem, Option, SingleItem, TrueFalseItem
from immunoquiz.educator.attempt import (
    Attempt,
    AttemptClosed,
    ExamPaper,
    Learner,
    NoAttemptsLeft,
    TimeUp,
)
from immunoquiz.educator.exam import order_questions
from immunoquiz.educator.session_spec import Draw, ItemRef, SessionSpec, select_items
from immunoquiz.responses import (
    CaseResponse,
    MultipleResponse,
    Response,
    Score,
    SingleResponse,
    TrueFalseResponse,
)


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
        "week.yaml:5:7: no loaded bank has the id 'other' (list its file under bank_files: "
        "in the session file, or pass --banks FILE)",
        "week.yaml:7:7: draw of 99 (level analysis) finds only 0 unused matching items",
    ]


ANA = Learner("l-ana", "Ana")


def paper(s: SessionSpec) -> ExamPaper:
    chosen, problems = select_items(s, [BANK])
    assert problems == []
    return ExamPaper(s, tuple(order_questions(s, chosen)))


def on_disk(attempt: Attempt) -> dict:
    return json.loads(attempt.path.read_text())


def test_answers_flags_time_and_timeout_submission(tmp_path: Path) -> None:
    clock = Clock()
    logged = []

    def log(q, r: Response, s: Score, t: float) -> None:
        logged.append((q.id, s.points))

    log.where = "progress.sqlite3"  # type: ignore[attr-defined]
    attempt = Attempt.open(paper(spec(shuffle=False)), ANA, tmp_path, clock=clock, progress=log)
    assert (
        attempt.path.name == "check--l-ana--a1.json" and on_disk(attempt)["status"] == "in_progress"
    )
    clock.tick(20)
    assert attempt.answer(0, TrueFalseResponse(True)).full
    assert on_disk(attempt)["items"][0]["response"] == {"kind": "true_false", "value": True}
    attempt.flag(0)
    attempt.go(1)
    clock.tick(30)
    attempt.answer(1, SingleResponse(1))  # wrong
    attempt.answer(1, SingleResponse(0))  # changed to right
    with pytest.raises(ValueError, match="option"):
        attempt.answer(1, SingleResponse(7))
    assert attempt.flagged == {0} and attempt.unanswered() == [2, 3]
    second = attempt.questions[1].id
    assert logged == [("demo/tf", 1.0), (second, 0.0), (second, 1.0)]
    clock.tick(600)
    assert attempt.expired() and attempt.remaining_seconds() == 0
    with pytest.raises(TimeUp):
        attempt.answer(2, SingleResponse(0))
    result = attempt.result()
    assert result.status == "time_up" and result.timed_out and result.learner == "Ana"
    assert result.ended == datetime(2026, 11, 27, 9, 10, tzinfo=UTC)  # the deadline, not later
    assert (result.score, result.max) == (2, 4)
    assert [i.seconds for i in result.items][:2] == [20, 580]
    assert result.items[2].response is None and result.items[2].picked == ()
    assert result.items[0].options == ("True", "False") and result.items[0].picked == (0,)
    assert result.items[0].flagged and not result.items[1].flagged
    data = on_disk(attempt)
    assert data["status"] == "time_up" and data["timed_out"] is True and data["version"] == 2
    assert data["learner"] == {"id": "l-ana", "name": "Ana"} and data["attempt"] == 1
    assert data["deadline"] == "2026-11-27T09:10:00+00:00"


def test_a_case_keeps_its_part_scores_for_the_step_breakdown(tmp_path: Path) -> None:
    s = spec(items=(ItemRef("demo", "case"),), draws=(), shuffle=False)
    attempt = Attempt.open(paper(s), Learner("ben", "Ben"), tmp_path, clock=Clock())
    attempt.answer(0, CaseResponse((SingleResponse(0), SingleResponse(2))))
    item = attempt.submit().items[0]
    assert [(p.step, p.score, p.max) for p in item.parts] == [
        ("analyze-cues", 1, 1),
        ("take-action", 0, 1),
    ]


def test_an_interrupted_attempt_resumes_with_its_deadline_answers_and_flags(tmp_path: Path) -> None:
    clock = Clock()
    first = Attempt.open(paper(spec()), ANA, tmp_path, clock=clock)
    first.answer(
        0,
        first.questions[0].item.type == "true_false"
        and TrueFalseResponse(True)
        or SingleResponse(0),
    )
    first.flag(1)
    clock.tick(120)
    first.interrupt()
    assert on_disk(first)["status"] == "interrupted" and on_disk(first)["ended"] is None
    clock.tick(180)  # away for three minutes: the clock kept running
    again = Attempt.open(paper(spec()), Learner("l-ana", "Ana S."), tmp_path, clock=clock)
    assert again.resumed and again.path == first.path and again.number == 1
    assert again.started == first.started and again.deadline == first.deadline
    assert again.remaining_seconds() == 300
    assert set(again.answers) == {0} and again.flagged == {1} and again.current == 1
    assert on_disk(again)["status"] == "in_progress"
    assert list(tmp_path.iterdir()) == [first.path]  # no second file, no temp left


def test_an_attempt_resumed_after_its_deadline_is_submitted_as_time_up(tmp_path: Path) -> None:
    clock = Clock()
    first = Attempt.open(paper(spec()), ANA, tmp_path, clock=clock)
    first.interrupt()
    clock.tick(3600)
    again = Attempt.open(paper(spec()), ANA, tmp_path, clock=clock)
    assert again.status == "time_up" and not again.is_open
    assert again.result().ended == first.deadline
    with pytest.raises(AttemptClosed):
        again.answer(0, TrueFalseResponse(True))


def test_a_submitted_attempt_is_final_unless_the_session_allows_more(tmp_path: Path) -> None:
    clock = Clock()
    Attempt.open(paper(spec()), ANA, tmp_path, clock=clock).submit()
    with pytest.raises(NoAttemptsLeft, match="1 of 1 attempt used"):
        Attempt.open(paper(spec()), ANA, tmp_path, clock=clock)
    second = Attempt.open(paper(spec(attempts=2)), ANA, tmp_path, clock=clock)
    assert second.number == 2 and second.path.name == "check--l-ana--a2.json"
    # Another learner (another profile or machine) has attempts of their own.
    other = Attempt.open(paper(spec()), Learner("l-ben", "Ana"), tmp_path, clock=clock)
    assert other.number == 1 and other.path != second.path


def test_extend_moves_the_deadline_and_ended_by_educator_is_final(tmp_path: Path) -> None:
    clock = Clock()
    attempt = Attempt.open(paper(spec()), ANA, tmp_path, clock=clock)
    clock.tick(599)
    attempt.extend(5)
    clock.tick(60)
    assert not attempt.check_time() and attempt.remaining_seconds() == 241
    assert on_disk(attempt)["deadline"] == "2026-11-27T09:15:00+00:00"
    result = attempt.submit("ended_by_educator")
    assert result.status == "ended_by_educator" and not result.timed_out
    assert attempt.submit("submitted").status == "ended_by_educator"  # final stays final


def test_no_answer_without_a_choice(tmp_path: Path) -> None:
    from immunoquiz.banks.model import MultipleItem

    pick2 = MultipleItem(
        id="m2",
        explanation="e",
        prompt="Pick two",
        options=(Option("a", True), Option("b", True), Option("c"), Option("d")),
        choose=2,
        scoring="zero_one",
    )
    bank = Bank(id="demo", title="D", topic="checkpoints", questions=(pick2,))
    s = spec(items=(ItemRef("demo", "m2"),), draws=())
    chosen, _ = select_items(s, [bank])
    attempt = Attempt.open(
        ExamPaper(s, tuple(order_questions(s, chosen))), ANA, tmp_path, clock=Clock()
    )
    with pytest.raises(ValueError, match=r"Choose 2 options \(1 chosen\)"):
        attempt.answer(0, MultipleResponse(frozenset({0})))
    assert attempt.answers == {}


def test_a_failing_progress_store_is_said_once_and_the_exam_goes_on(tmp_path: Path) -> None:
    def broken(q, r: Response, s: Score, t: float) -> None:
        raise OSError("attempt to write a readonly database")

    broken.where = "/data/progress.sqlite3"  # type: ignore[attr-defined]
    attempt = Attempt.open(paper(spec()), ANA, tmp_path, clock=Clock(), progress=broken)
    for i in range(2):
        attempt.answer(
            i,
            attempt.questions[i].item.type == "true_false"
            and TrueFalseResponse(True)
            or SingleResponse(0),
        )
    notices = attempt.take_notices()
    assert notices == [
        "Progress could not be saved in /data/progress.sqlite3: attempt to write a readonly "
        "database. The exam goes on; the results file is the record."
    ]
    assert attempt.is_open and len(on_disk(attempt)["items"]) == 4
    assert sum(i["response"] is not None for i in on_disk(attempt)["items"]) == 2


def test_a_results_file_that_cannot_be_written_is_retried_and_never_reported_saved(
    tmp_path: Path,
) -> None:
    """A real failure: the results folder is swapped for a file (a drive gone), then back."""
    folder = tmp_path / "results"
    attempt = Attempt.open(paper(spec()), ANA, folder, clock=Clock())
    folder.rename(tmp_path / "away")
    folder.write_text("not a folder", encoding="utf-8")
    attempt.answer(1, SingleResponse(0))
    assert not attempt.saved and attempt.is_open
    notice = attempt.take_notices()[0]
    assert notice == (
        f"Could not save the results file {attempt.path}: {folder} is not a folder (any more). "
        "Your answers are kept here and saving is tried again with each answer."
    )
    attempt.submit()
    assert not attempt.saved and attempt.status == "submitted"
    assert not attempt.save()  # still failing: never reported saved
    folder.unlink()
    (tmp_path / "away").rename(folder)
    assert on_disk(attempt)["status"] == "in_progress"  # what was on disk before
    assert attempt.save() and on_disk(attempt)["status"] == "submitted"
    assert on_disk(attempt)["items"][1]["response"] is not None
    assert attempt.take_notices() == [f"The results file {attempt.path} is saved again."]


def test_results_files_are_created_with_the_process_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        attempt = Attempt.open(paper(spec()), ANA, tmp_path / "results", clock=Clock())
        attempt.answer(1, SingleResponse(0))
    finally:
        os.umask(old)
    assert attempt.path.stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "results").stat().st_mode & 0o777 == 0o755


def test_the_same_session_lays_out_items_the_same_for_every_learner(tmp_path: Path) -> None:
    a = Attempt.open(paper(spec()), ANA, tmp_path, clock=Clock())
    b = Attempt.open(paper(spec()), Learner("l-ben", "Ben"), tmp_path, clock=Clock())
    assert [a.layout(i) for i in range(4)] == [b.layout(i) for i in range(4)]
    pinned = Attempt.open(
        paper(spec(shuffle=False)), Learner("cai", "Cai"), tmp_path, clock=Clock()
    )
    assert all(pinned.layout(i).lists.get("options", (0, 1, 2)) == (0, 1, 2) for i in range(4))


def test_an_educator_may_allow_another_attempt_and_a_final_one_can_be_restored(
    tmp_path: Path,
) -> None:
    """Class mode: a rejoin approved as 'new', and a server restart showing a result page."""
    clock = Clock()
    first = Attempt.open(paper(spec()), ANA, tmp_path, clock=clock)
    first.answer(0, SingleResponse(0))
    record = first.submit()
    written = Path(first.path).read_bytes()
    second = Attempt.open(paper(spec()), ANA, tmp_path, clock=clock, allowed=2)
    assert second.number == 2 and second.is_open
    back = Attempt.restore(paper(spec()), ANA, record, clock=clock)
    assert back.status == "submitted" and back.answers == {0: SingleResponse(0)}
    assert Path(first.path).read_bytes() == written  # restoring writes nothing
