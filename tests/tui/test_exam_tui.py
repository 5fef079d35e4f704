"""The timed exam in the TUI, driven with keys: answer, navigate, flag, review, submit, time out."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from answering import answer
from conftest import START, Clock, screen_text, settle
from sample_banks import (
    ALL_ITEMS,
    CLOZE,
    SELECT_N,
    SINGLE,
    TRAP,
    TRUE_FALSE,
    every_type_bank,
    markup_trap_bank,
)
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from immunoquiz.banks.model import Bank, CaseItem, ClozeItem, Item, TrueFalseItem
from immunoquiz.educator.attempt import Attempt, ExamPaper, Learner
from immunoquiz.educator.exam import order_questions
from immunoquiz.educator.session_spec import ItemRef, SessionSpec, select_items
from immunoquiz.responses import MultipleResponse, SingleResponse, TrueFalseResponse
from immunoquiz.tui.exam_app import ExamApp
from immunoquiz.tui.screens.exam import (
    ConfirmLeave,
    ConfirmSubmit,
    ExamClock,
    ExamResultScreen,
    ExamScreen,
    ReviewScreen,
    StartScreen,
)
from immunoquiz.tui.widgets import ItemWidget
from immunoquiz.tui.widgets.case import CaseWidget
from immunoquiz.tui.widgets.choices import ChoiceList
from immunoquiz.tui.widgets.feedback import FeedbackView


def make_exam(
    tmp_path: Path,
    clock: Clock,
    bank: Bank | None = None,
    ids: tuple[str, ...] | None = None,
    slow_store: bool = False,
    results: Path | None = None,
    tick_seconds: float = 1.0,
    **spec_fields: object,
) -> tuple[ExamApp, list[str]]:
    bank = bank or every_type_bank()
    ids = ids or tuple(i.id for i in bank.questions)
    fields: dict = dict(
        title="Week 3 check",
        items=tuple(ItemRef(bank.id, i) for i in ids),
        time_limit=20,
        pass_mark=70,
        seed=3,
        shuffle=False,
        content_hash="c" * 64,
    )
    fields.update(spec_fields)
    spec = SessionSpec(**fields)
    chosen, problems = select_items(spec, [bank])
    assert problems == []
    logged: list[str] = []

    def log(q, r, s, t) -> None:  # noqa: ANN001
        logged.append(q.id)
        if slow_store:  # a busy disk: the save takes a while, keys keep coming
            threading.Event().wait(0.3)

    log.where = "progress.sqlite3"  # type: ignore[attr-defined]
    paper = ExamPaper(spec, tuple(order_questions(spec, chosen)))
    learner = Learner("l-ana", "Ana Silva")
    results = results or tmp_path / "results"

    def opener() -> Attempt:
        return Attempt.open(paper, learner, results, clock=clock, progress=log)

    pending = Attempt.pending(paper, learner, results)
    app = ExamApp(paper, "Ana Silva", opener, pending=pending, tick_seconds=tick_seconds)
    return app, logged


async def start(pilot: Pilot) -> None:
    """Past the start page: Enter starts the clock."""
    await pilot.pause()
    assert isinstance(pilot.app.screen, StartScreen)
    await pilot.press("enter")
    await pilot.pause()


def current_widget(app: ExamApp) -> ItemWidget:
    screen = app.screen
    assert isinstance(screen, ExamScreen), screen
    assert screen.index is not None
    return screen.widgets[screen.index]


async def answer_right(pilot: Pilot, widget: ItemWidget) -> None:
    """Like a trainee who knows it all; in an exam `f` flags, so false is typed as 2."""
    if isinstance(widget, CaseWidget):
        for n in range(len(widget.item.parts)):
            await pilot.pause()
            await answer_right(pilot, widget.part_widgets[n])
    elif isinstance(widget.item, TrueFalseItem):
        widget.query_one(ChoiceList).focus()
        await pilot.press("1" if widget.item.answer else "2", "enter")
    else:
        await answer(pilot, widget, correct=True)


def saved(tmp_path: Path) -> dict:
    (path,) = (tmp_path / "results").glob("*.json")
    return json.loads(path.read_text(encoding="utf-8"))


async def test_answer_every_type_then_review_and_submit(tmp_path: Path, clock: Clock) -> None:
    app, logged = make_exam(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        text = screen_text(app)
        assert "Question 1 of 9" in text and "20:00 left" in text and "Ana Silva" in text
        for n in range(len(ALL_ITEMS)):
            screen = app.screen
            assert isinstance(screen, ExamScreen) and screen.index == n
            await answer_right(pilot, current_widget(app))
            await pilot.pause()
        # After the last answer the review page opens: everything answered.
        assert isinstance(app.screen, ReviewScreen)
        assert "9 of 9 answered" in screen_text(app)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmSubmit)
        assert "Every question is answered." in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultScreen)
        text = screen_text(app)
        assert "Score  19/19  (100%)" in text and "✓ Passed" in text
        assert "Results saved to" in text
    data = saved(tmp_path)
    assert all(i["score"] == i["max"] for i in data["items"]) and not data["timed_out"]
    assert len(logged) == 9  # every answer went to the store as it was given


async def test_navigate_flag_and_come_back_to_a_kept_answer(tmp_path: Path, clock: Clock) -> None:
    app, logged = make_exam(tmp_path, clock, ids=(SINGLE.id, TRUE_FALSE.id, "anti-pd1-drugs"))
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("2")  # pick option 2 (Tumour cells), do not press Enter
        await pilot.press("n")  # moving on keeps a complete answer
        await pilot.pause()
        assert app.attempt.answers[0] == SingleResponse(1) and logged == ["every-type/pd1-where"]
        assert "2 false · ↑↓ choose · Enter submits · f flags" in screen_text(app)
        await pilot.press("f")  # on a true/false item, f flags (it does not answer False)
        await pilot.pause()
        assert app.attempt.flagged == {1} and 1 not in app.attempt.answers
        assert "⚑ flagged" in screen_text(app)
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScreen) and screen.index == 0
        assert current_widget(app).query_one(ChoiceList).picked == {1}  # as it was left
        assert "✓ answered" in screen_text(app)
        await pilot.press("1", "enter")  # change it: Enter keeps it and moves on
        await pilot.pause()
        assert app.attempt.answers[0] == SingleResponse(0) and screen.index == 1
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        text = screen_text(app)
        assert "1 of 3 answered" in text and "2 not answered" in text
        assert "○ not answered  ⚑ flagged" in text
        await pilot.press("down", "enter")  # the highlighted row is the current question
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen) and app.screen.index == 2
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmSubmit)
        assert "2 questions are not answered: 2, 3." in screen_text(app)
        await pilot.press("n")  # go back
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultScreen)
    data = saved(tmp_path)
    assert [i["score"] for i in data["items"]] == [1, 0, 0]
    assert data["items"][1]["response"] is None


async def test_letters_typed_in_a_blank_are_text_not_commands(tmp_path: Path, clock: Clock) -> None:
    app, _ = make_exam(tmp_path, clock, ids=(CLOZE.id, SINGLE.id))
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press(*"fnpr")  # typed into blank 1
        await pilot.pause()
        widget = current_widget(app)
        assert widget.query_one("#blank-0", Input).value == "fnpr"
        assert app.attempt.flagged == set() and isinstance(app.screen, ExamScreen)
        widget.query_one("#blank-1").focus()  # the drop-down, closed: f flags again
        await pilot.press("f")
        await pilot.pause()
        assert app.attempt.flagged == {0}


async def test_time_up_submits_automatically(tmp_path: Path, clock: Clock) -> None:
    app, _ = make_exam(
        tmp_path, clock, ids=(SINGLE.id, TRUE_FALSE.id), time_limit=1, tick_seconds=0.05
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        assert app.timer is not None  # the countdown ticks every second by itself
        await pilot.press("1", "enter")
        await pilot.pause()
        clock.advance(seconds=35)
        await app.tick()
        await pilot.pause()
        clock_widget = app.screen.query_one(ExamClock)
        assert "00:25 left" in screen_text(app) and clock_widget.has_class("-warning")
        await pilot.press("r")  # time runs out while the review page is open
        await pilot.pause()
        clock.advance(seconds=30)
        for _ in range(200):  # the app's own timer submits (it once cancelled itself)
            await pilot.pause(0.05)
            if isinstance(app.screen, ExamResultScreen):
                break
        assert isinstance(app.screen, ExamResultScreen)
        await pilot.pause()  # switched to, and painted (on a busy machine that takes a moment)
        text = screen_text(app)
        assert "Time is up: your answers were submitted." in text
        assert "Score  1/2  (50%)" in text and "✗ Not passed" in text
        await pilot.press("q")
        await pilot.pause()
    data = saved(tmp_path)
    assert data["timed_out"] is True and [i["score"] for i in data["items"]] == [1, 0]


async def test_immediate_feedback_is_shown_and_final(tmp_path: Path, clock: Clock) -> None:
    app, _ = make_exam(tmp_path, clock, ids=(SINGLE.id, TRUE_FALSE.id), feedback="immediate")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("2", "enter")
        await pilot.pause()
        assert app.screen.query(FeedbackView)
        text = screen_text(app)
        assert "✗ Incorrect" in text and "final" in text
        await pilot.press("n", "p")  # back to it: still its feedback, no widget to change it
        await pilot.pause()
        assert app.screen.query(FeedbackView) and 0 not in app.screen.widgets  # type: ignore[attr-defined]
        await pilot.press("ctrl+q")  # leaving asks, and does not submit
        await pilot.pause()
        assert isinstance(app.screen, ConfirmLeave)
        assert "Leave the exam?" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
    data = saved(tmp_path)
    assert data["status"] == "interrupted" and [i["score"] for i in data["items"]] == [0, 0]


async def test_bank_text_is_shown_literally(tmp_path: Path, clock: Clock) -> None:
    bank = markup_trap_bank()
    app, _ = make_exam(tmp_path, clock, bank=bank, ids=(bank.questions[0].id,))
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot)
        assert "[bold]b $var" in screen_text(app)
        await pilot.press("r")
        await pilot.pause()
        assert "[/] [B]x" in screen_text(app)


# --- snapshots at 80x24 ------------------------------------------------------------------


def _snapshot_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ExamApp:
    clock = Clock(START)
    bank = every_type_bank()
    ids = (SINGLE.id, TRUE_FALSE.id, "anti-pd1-drugs", "pdl1-drugs")
    monkeypatch.chdir(tmp_path)  # the result page shows the path: keep it the same
    results = Path("results")
    app, _ = make_exam(tmp_path, clock, bank=replace(bank), ids=ids, shuffle=True, results=results)
    return app


def test_snapshot_exam_question(
    snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def before(pilot: Pilot) -> None:
        await start(pilot)
        await pilot.press("2", "n", "f")
        await pilot.pause()
        await pilot.press("p")
        await settle(pilot)

    assert snap_compare(
        _snapshot_app(tmp_path, monkeypatch), terminal_size=(80, 24), run_before=before
    )


def test_snapshot_review_page(
    snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def before(pilot: Pilot) -> None:
        await start(pilot)
        await pilot.press("2", "n", "f", "r")
        await settle(pilot)

    assert snap_compare(
        _snapshot_app(tmp_path, monkeypatch), terminal_size=(80, 24), run_before=before
    )


async def test_the_start_page_says_what_comes_and_enter_starts_the_clock(
    tmp_path: Path, clock: Clock
) -> None:
    app, _ = make_exam(tmp_path, clock, ids=(SINGLE.id, TRUE_FALSE.id), time_limit=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Questions: 2" in text and "Time limit: 1 minute" in text
        assert "Pass mark: 70%" in text and "Feedback: after you submit" in text
        assert not (tmp_path / "results").exists()  # nothing started yet
        clock.advance(minutes=5)  # reading the start page does not use up the time
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen) and "01:00 left" in screen_text(app)
        assert saved(tmp_path)["status"] == "in_progress"


async def test_warnings_then_the_time_up_screen(tmp_path: Path, clock: Clock) -> None:
    app, _ = make_exam(tmp_path, clock, ids=(SINGLE.id, TRUE_FALSE.id), time_limit=6)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await start(pilot)
        clock.advance(seconds=61)
        await app.tick()
        await pilot.pause()
        assert "4 min 59 s left." in screen_text(app)  # the 5-minute notice
        clock.advance(minutes=4)
        await app.tick()
        await pilot.pause()
        assert "59 s left." in screen_text(app)
        clock.advance(minutes=1)
        await app.tick()
        await pilot.pause()
        assert isinstance(app.screen, ExamResultScreen)
        text = screen_text(app)
        assert "Time is up" in text and "Score  0/2  (0%)" in text and "Results saved to" in text
    assert saved(tmp_path)["status"] == "time_up"


def type_ahead(app: ExamApp, *keys: str) -> None:
    """Keys as a fast typist (or a paste) sends them: all queued at once, no pause between."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_keys_typed_while_an_answer_is_saved_go_to_the_next_question(
    tmp_path: Path, clock: Clock
) -> None:
    """A slow disk: the trainee types three answers before the first one is saved."""
    ids = (SINGLE.id, TRUE_FALSE.id, SELECT_N.id)
    app, _ = make_exam(tmp_path, clock, ids=ids, slow_store=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        type_ahead(app, "2", "enter", "t", "enter", "1", "3", "enter")
        for _ in range(300):  # three slow saves: wait for the review page
            await pilot.pause(0.05)
            if isinstance(app.screen, ReviewScreen):
                break
        assert isinstance(app.screen, ReviewScreen), screen_text(app)
        assert app.attempt is not None
        assert app.attempt.answers == {
            0: SingleResponse(1),
            1: TrueFalseResponse(True),
            2: MultipleResponse(frozenset({0, 2})),
        }


async def test_leaving_and_coming_back_resumes_with_the_same_deadline(
    tmp_path: Path, clock: Clock
) -> None:
    app, _ = make_exam(tmp_path, clock, ids=(SINGLE.id, TRUE_FALSE.id))
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("1", "enter", "f")
        await pilot.pause()
        app.hang_up()  # what SIGHUP and SIGTERM do
        await pilot.pause()
    first = saved(tmp_path)
    assert first["status"] == "interrupted" and first["items"][1]["flagged"] is True
    clock.advance(minutes=3)
    again, _ = make_exam(tmp_path, clock, ids=(SINGLE.id, TRUE_FALSE.id))
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Resuming your attempt 1" in screen_text(again)
        await pilot.press("enter")
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, ExamScreen) and screen.index == 1
        assert "17:00 left" in screen_text(again) and "⚑ flagged" in screen_text(again)
        assert again.attempt is not None and again.attempt.answers == {0: SingleResponse(0)}
    second = saved(tmp_path)
    assert (second["started"], second["deadline"]) == (first["started"], first["deadline"])


def test_snapshot_start_page(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert snap_compare(_snapshot_app(tmp_path, monkeypatch), terminal_size=(80, 24))


def test_snapshot_time_up(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = _snapshot_app(tmp_path, monkeypatch)

    async def before(pilot: Pilot) -> None:
        await start(pilot)
        await pilot.press("2", "enter")
        await pilot.pause()
        clock = app.attempt.clock  # type: ignore[union-attr]  # the test's clock
        clock.advance(minutes=21)  # type: ignore[attr-defined]
        await app.tick()
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=before)


async def test_trap_text_is_literal_on_every_exam_screen_with_an_unanswered_item(
    tmp_path: Path, clock: Clock
) -> None:
    """Start page, each question, review, confirm and the results page (which lists
    the unanswered case by its text): markup-looking bank text shows as typed."""
    bank = markup_trap_bank()
    app, _ = make_exam(tmp_path, clock, bank=bank, title=f"Check {TRAP}")
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.pause()
        assert f"Check {TRAP}" in screen_text(app)  # the start page
        await start(pilot)
        assert f"Prompt {TRAP}" in screen_text(app) and f"Right {TRAP}" in screen_text(app)
        await answer_right(pilot, current_widget(app))
        await pilot.pause()
        widget = current_widget(app)  # the case, left unanswered
        text = " ".join(screen_text(app).split())
        assert f"Vignette {TRAP}" in text and f"Blank {TRAP}" in text
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "[/] [B]x" in screen_text(app) and "1 of 2 answered" in screen_text(app)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmSubmit)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultScreen)
        text = " ".join(screen_text(app).split())
        assert "[/] [B]x" in text and "Vignette" in text
        assert widget.item.id == "trap-case"
    data = saved(tmp_path)
    assert [i["response"] is None for i in data["items"]] == [False, True]


def _trapped(item: Item) -> Item:
    """The item with a markup trap in its stem (prompt, statement, first cloze segment
    or vignette) and explanation; keys and options unchanged."""
    if isinstance(item, TrueFalseItem):
        item = replace(item, statement=f"{TRAP} {item.statement}")
    elif isinstance(item, ClozeItem):
        item = replace(item, segments=(f"{TRAP} {item.segments[0]}", *item.segments[1:]))
    elif isinstance(item, CaseItem):
        item = replace(item, vignette=f"{TRAP} {item.vignette}")
    else:
        item = replace(item, prompt=f"{TRAP} {item.prompt}")  # type: ignore[call-arg]
    return replace(item, explanation=f"{TRAP} {item.explanation}")


async def test_every_item_type_with_trap_text_on_every_exam_screen_answered_or_not(
    tmp_path: Path, clock: Clock
) -> None:
    """Each type answered (odd positions) or left blank (even): the question pages, the
    review page and the results page all show the trap text as typed and never crash."""
    plain = every_type_bank()
    bank = replace(plain, questions=tuple(_trapped(i) for i in plain.questions))
    app, _ = make_exam(tmp_path, clock, bank=bank)
    async with app.run_test(size=(100, 60)) as pilot:
        await start(pilot)
        for n in range(len(ALL_ITEMS)):
            assert TRAP.split(" ")[1] in screen_text(app)  # "[B]x" as typed
            if n % 2:
                await answer_right(pilot, current_widget(app))
            else:  # skip it (n would be typed into a cloze blank)
                screen = app.screen
                assert isinstance(screen, ExamScreen)
                await screen.action_next()
            await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "[B]x" in screen_text(app)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultScreen)
        assert "[B]x" in screen_text(app)
    answered = [i["response"] is not None for i in saved(tmp_path)["items"]]
    assert answered.count(False) == 5 and answered.count(True) == 4
