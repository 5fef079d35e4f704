"""Self-study as Anki users expect it: Hard/Easy after full credit, "I was right" after a
typed miss, misses back in the same session, counts that follow every answer."""

from __future__ import annotations

from pathlib import Path

from conftest import saved_reviews, screen_text, settle, wait_until
from sample_banks import CLOZE, SINGLE, SOURCES, TRUE_FALSE, small_bank
from test_app import answer_current
from textual.widgets import Input, Select

from immunoquiz.banks.model import Bank
from immunoquiz.responses import ClozeResponse
from immunoquiz.store import Store
from immunoquiz.study import settings as cfg
from immunoquiz.study.session import OVERRIDE_RULE
from immunoquiz.tui.app import HIGH_CONTRAST, ImmunoquizApp
from immunoquiz.tui.screens.feedback import FeedbackScreen
from immunoquiz.tui.screens.home import HomeScreen
from immunoquiz.tui.screens.question import QuestionScreen
from immunoquiz.tui.screens.settings import SettingsScreen
from immunoquiz.tui.screens.summary import SummaryScreen
from immunoquiz.tui.widgets import ItemWidget

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4


def footer(app) -> str:  # type: ignore[no-untyped-def]
    return screen_text(app).split("\n")[-1]


def two_questions() -> Bank:
    return Bank(
        id="two", title="Two", topic="checkpoints", questions=(SINGLE, TRUE_FALSE), sources=SOURCES
    )


async def test_hard_then_easy_after_full_credit(make_app, tmp_path: Path) -> None:
    app = make_app([small_bank()])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await answer_current(pilot, correct=True)
        assert "h unsure? Hard · e Easy" in screen_text(app)
        await wait_until(pilot, lambda: "Hard" in footer(app))
        assert "Hard" in footer(app) and "Easy" in footer(app)
        await pilot.press("h")
        await settle(pilot)
        assert "Marked Hard · Next review in" in screen_text(app)
        assert [r.rating for r in saved_reviews(tmp_path / "data")] == [HARD]
        await pilot.press("e")
        await settle(pilot)
        assert "Marked Easy · Next review in" in screen_text(app)
    reviews = saved_reviews(tmp_path / "data")
    assert [r.rating for r in reviews] == [EASY], "one answer stands, re-rated"


async def test_no_rating_choice_after_a_miss(make_app, tmp_path: Path) -> None:
    app = make_app([small_bank()])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await answer_current(pilot, correct=False)
        await wait_until(pilot, lambda: "Next" in footer(app))
        assert "Hard" not in footer(app) and "I was right" not in footer(app)
        await pilot.press("h", "e", "o")
        await settle(pilot)
    assert [r.rating for r in saved_reviews(tmp_path / "data")] == [AGAIN]


async def test_i_was_right_after_a_typed_miss(make_app, tmp_path: Path) -> None:
    bank = Bank(id="c", title="Cloze", topic="checkpoints", questions=(CLOZE,), sources=SOURCES)
    app = make_app([bank])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        widget = app.screen.query_one("#answer", ItemWidget)
        # "combined-positive scores" is a fair answer the bank did not list
        response = ClozeResponse(("combined positive scores", "22C3"))
        widget.post_message(ItemWidget.Submitted(widget, response))
        await settle(pilot)
        assert isinstance(app.screen, FeedbackScreen)
        assert "Partly correct" in screen_text(app)
        assert "o I was right" in screen_text(app)
        await wait_until(pilot, lambda: "I was right" in footer(app))
        assert "I was right" in footer(app)
        await pilot.press("o")
        await settle(pilot)
        text = screen_text(app)
        assert "✓ Correct" in text and "Counted right (your override)" in text
        await wait_until(pilot, lambda: "I was right" not in footer(app))
        assert "I was right" not in footer(app), "offered once"
    (review,) = saved_reviews(tmp_path / "data")
    assert review.full and review.rating == GOOD and review.rule == OVERRIDE_RULE


async def test_a_miss_comes_back_and_the_summary_says_what_is_in_learning(
    make_app, tmp_path: Path
) -> None:
    bank = two_questions()
    app = make_app([bank])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        missed = app.screen.card
        assert "0 answered · 0 due · 2 new" in screen_text(app)
        await answer_current(pilot, correct=False)
        await pilot.press("enter")
        await settle(pilot)
        assert "1 answered · 0 due · 1 learning · 1 new" in screen_text(app)
        await answer_current(pilot, correct=True)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen), "the session goes on: the miss is back"
        assert app.screen.card.card_id == missed.card_id
        await pilot.press("escape")  # leave before answering it
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Still in learning" in text
        assert missed.item.stem.split()[0] in text.split("Still in learning")[1]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "2 answered" in screen_text(app), "home counts follow on return"


async def test_settings_screen_refuses_out_of_range_and_saves(make_app, tmp_path: Path) -> None:
    app = make_app([small_bank()])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("comma")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        text = " ".join(screen_text(app).split())  # explanations wrap
        assert "New items per day" in text and "a whole number from 0 to 500" in text
        new = app.screen.query_one("#set-new-per-day", Input)
        new.value = "1"
        retention = app.screen.query_one("#set-retention", Input)
        retention.value = "0.99"
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = " ".join(screen_text(app).split())
        assert "retention: '0.99' is not allowed: use a number from 0.80 to 0.97" in text
        app.screen.query_one("#saved").scroll_visible(animate=False)
        await settle(pilot)
        assert "Not saved: 1 value(s)" in screen_text(app)
        retention.value = "0.85"
        app.screen.query_one("#set-theme", Select).value = "high-contrast"
        await pilot.press("ctrl+s")
        await settle(pilot)
        app.screen.query_one("#saved").scroll_visible(animate=False)
        await settle(pilot)
        assert "Saved: Desired retention, Theme." in screen_text(app), "1 was kept before"
        assert app.theme == HIGH_CONTRAST
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "1 new today" in screen_text(app), "home follows the new-items setting"
    with Store.open(tmp_path / "data") as store:
        profile = store.get_profile("Ana")
        assert profile is not None
        values = cfg.read_all(store, profile)
    assert values["new-per-day"] == "1" and values["retention"] == "0.85"
    assert values["theme"] == "high-contrast"


async def test_home_counts_follow_answers_and_the_clock(make_app, tmp_path: Path, clock) -> None:
    bank = two_questions()
    app = make_app([bank])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Today  0 due · 2 new today · 0 answered" in screen_text(app)
        await pilot.press("s")
        await settle(pilot)
        await answer_current(pilot, correct=False)
        await pilot.press("enter")
        await settle(pilot)
        assert "1 answered · 0 due · 1 learning · 1 new" in screen_text(app)
        await pilot.press("escape", "enter")  # end the session, leave its summary
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert "Today  0 due · 1 new today · 1 learning · 1 answered" in text
        clock.advance(minutes=2)  # the missed card's learning step falls due
        app.screen._clock_check()  # what the screen's 5-second timer calls
        await settle(pilot)
        assert "Today  1 due · 1 new today · 1 answered" in screen_text(app)


async def test_each_feedback_shows_its_own_answer_only(make_app, tmp_path: Path, clock) -> None:
    """The session keeps one feedback screen and fills it for each answer: the second
    answer's feedback reads exactly as that answer's would as the first of a session, with
    nothing left of the last one (its rating, hint, keys, explanation or scroll)."""
    bank = two_questions()
    app = make_app([bank])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await answer_current(pilot, correct=True)
        await pilot.press("h", "end")  # re-rated Hard, scrolled down to the sources
        await settle(pilot)
        assert "Marked Hard" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        second = app.screen.card
        assert isinstance(app.screen, QuestionScreen) and second is not None
        await answer_current(pilot, correct=True)
        await settle(pilot, rounds=2)
        title, *reused = screen_text(app).split("\n")
    assert "2 answered" in title and second.item is TRUE_FALSE
    alone = Bank(
        id="one", title="Two", topic="checkpoints", questions=(second.item,), sources=SOURCES
    )
    fresh = ImmunoquizApp(
        data_dir=tmp_path / "fresh", banks=[alone], profile_name="Ana", clock=clock, seed=7
    )
    async with fresh.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await answer_current(pilot, correct=True)
        await settle(pilot, rounds=2)
        _, *alone_lines = screen_text(fresh).split("\n")
    assert reused == alone_lines


class Frames:
    """The text of every frame the terminal is sent from now on (the whole screen after it)."""

    def __init__(self, app: ImmunoquizApp) -> None:
        self.texts: list[str] = []
        draw = app._display

        def display(screen, update):  # type: ignore[no-untyped-def]
            draw(screen, update)
            if update is not None and screen is app.screen:
                self.texts.append(screen_text(app))

        app._display = display  # type: ignore[method-assign]


async def test_the_feedback_stays_until_what_comes_next_is_drawn(make_app, tmp_path: Path) -> None:
    """Enter or Esc on the feedback: every frame shows the feedback or what comes after it
    (the next question, the summary); the answered question never comes back for a frame
    in between."""
    bank = two_questions()
    first, second = SINGLE.prompt, TRUE_FALSE.statement
    app = make_app([bank])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert first in screen_text(app)
        for key, answered, shows in (
            ("enter", first, second),  # the next question
            ("escape", second, "session complete"),  # the summary
        ):
            await answer_current(pilot, correct=answered == second)
            frames = Frames(app)
            await pilot.press(key)
            await settle(pilot, rounds=2)
            assert frames.texts, key
            for text in frames.texts:
                if "feedback" in text.split("\n")[0]:
                    continue
                assert shows in text and answered not in text, (key, text)


def styles_of(screen) -> list[tuple[str, object, list[object]]]:  # type: ignore[no-untyped-def]
    """Every node's styles (and its component styles, e.g. a footer key's) as worked out."""
    return [
        (
            repr(node),
            node.styles.get_rules(),
            [node.get_component_styles(c).get_rules() for c in sorted(node.COMPONENT_CLASSES)],
        )
        for node in screen.walk_children(with_self=True)
    ]


async def test_the_kept_feedback_screen_is_styled_as_a_fresh_one(make_app) -> None:
    """The feedback screen is kept for the session and not restyled as a whole when it is
    shown again under the same CSS: its styles must be what a full restyle gives, also
    after the theme changed while it was hidden."""
    app = make_app([small_bank()])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        for toggle in (False, False, True):
            if toggle:
                await pilot.press("ctrl+t")  # high contrast, while the feedback is hidden
                await settle(pilot)
            await answer_current(pilot, correct=False)
            await settle(pilot, rounds=2)
            screen = app.screen
            assert isinstance(screen, FeedbackScreen)
            shown = styles_of(screen)
            app.stylesheet.update(screen)
            assert shown == styles_of(screen)
            await pilot.press("enter")
            await settle(pilot)
        assert app.theme == HIGH_CONTRAST
