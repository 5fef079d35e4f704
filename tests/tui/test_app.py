"""The whole trainer, driven like a trainee would: keys in, screens and saved progress out."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from answering import answer, submit
from conftest import Clock, saved_cards, saved_reviews, screen_text, settle
from sample_banks import ALL_ITEMS, SINGLE, TRUE_FALSE, every_type_bank, small_bank

from immunoquiz.banks.model import Bank
from immunoquiz.store import Store
from immunoquiz.study import stats
from immunoquiz.tui.app import HIGH_CONTRAST, ImmunoquizApp
from immunoquiz.tui.screens.feedback import FeedbackScreen
from immunoquiz.tui.screens.home import HomeScreen
from immunoquiz.tui.screens.practice import PracticeScreen
from immunoquiz.tui.screens.profile import ProfileScreen
from immunoquiz.tui.screens.question import QuestionScreen
from immunoquiz.tui.screens.stats import StatsScreen
from immunoquiz.tui.screens.summary import SummaryScreen
from immunoquiz.tui.widgets import ItemWidget

GOOD, EASY, AGAIN = 3, 4, 1


async def answer_current(pilot, correct: bool, *, keys: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Answer the question on screen; by keys, or (quicker) by posting the response."""
    screen = pilot.app.screen
    assert isinstance(screen, QuestionScreen), screen
    widget = screen.query_one("#answer", ItemWidget)
    if keys:
        await answer(pilot, widget, correct)
    else:
        await submit(pilot, widget, correct)
    await settle(pilot)
    assert isinstance(pilot.app.screen, FeedbackScreen), pilot.app.screen


async def test_first_run_asks_a_name_and_explains(make_app, tmp_path: Path) -> None:
    app = make_app([every_type_bank()], profile=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        text = screen_text(app)
        assert "Welcome to immunoquiz" in text
        assert "just before you would forget it" in text
        await pilot.press(*"Ana", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert "● Ana" in text
        assert "Every item type" in text
        assert "9 new today" in text
    assert saved_reviews(tmp_path / "data") == []


async def test_study_every_type_and_check_what_is_saved(make_app, tmp_path: Path) -> None:
    """Every type through the real app, alternately right and wrong; each answer is on disk,
    and each miss comes back in the same session (answered right then) before it ends.

    (Every type both right and wrong, key by key, is in test_widgets.py.)
    """
    bank = every_type_bank()
    app = make_app([bank])
    expected: dict[str, bool] = {}
    came_back: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        while isinstance(app.screen, QuestionScreen):
            screen = app.screen
            assert screen.card is not None
            card_id = screen.card.card_id
            if card_id in expected:
                assert expected[card_id] is False, "only a miss comes back today"
                assert len(expected) == len(ALL_ITEMS), "new items first, then the misses"
                came_back.append(card_id)
                correct = True
            else:
                correct = len(expected) % 2 == 0
                expected[card_id] = correct
            await answer_current(pilot, correct, keys=True)
            text = screen_text(app)
            assert ("✓ Correct" in text) is correct
            assert "Next review in" in text
            await pilot.press("enter")
            await settle(pilot)
        assert isinstance(app.screen, SummaryScreen), "nothing left: the summary"
    assert set(expected) == {bank.card_id(i) for i in ALL_ITEMS}, "every type was asked"
    assert sorted(came_back) == sorted(c for c, ok in expected.items() if not ok)
    reviews = saved_reviews(tmp_path / "data")
    first: dict[str, bool] = {}
    for r in reviews:
        first.setdefault(r.card_id, r.full)
    assert first == expected
    assert len(reviews) == len(expected) + len(came_back)
    assert all(r.rating == (GOOD if r.full else AGAIN) for r in reviews)
    assert all(r.mode == "study" and r.duration_s is not None for r in reviews)
    assert set(saved_cards(tmp_path / "data")) == set(expected)


async def test_feedback_shows_verdicts_rule_explanation_sources(make_app) -> None:
    bank = Bank(id="one", title="One", topic="checkpoints", questions=(SINGLE,),
                sources=every_type_bank().sources)  # fmt: skip
    app = make_app([bank])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await answer_current(pilot, correct=False)
        text = screen_text(app)
        assert "✗ Incorrect: 0/1." in text  # the score in the model's words, as plain mode
        assert "Your answer, not correct" in text and "Correct, not chosen" in text
        assert "PD-1 is an inhibitory receptor on activated T cells." in text  # the why
        assert "Anti-PD-1 antibodies block the receptor" in text  # the explanation
        assert "Pardoll DM. Nat Rev Cancer 2012;12:252-264" in text  # the full citation
        assert "Next review in 1 minute" in text
        assert "Easy" not in screen_text(app).split("\n")[-1], "no Easy for a miss"


async def test_partial_credit_names_the_rule(make_app) -> None:
    from sample_banks import MULTIPLE

    bank = Bank(id="m", title="M", topic="checkpoints", questions=(MULTIPLE,))
    app = make_app([bank])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        widget = app.screen.query_one("#answer", ItemWidget)
        order = widget.layout_order["options"]
        await pilot.press(str(order.index(0) + 1), "enter")  # one of the two right options
        await settle(pilot)
        assert "1/2, scored +/- scoring." in screen_text(app)
        assert "◐ Partly correct" in screen_text(app)


async def test_mark_easy_after_a_full_answer(make_app, tmp_path: Path) -> None:
    app = make_app([small_bank()])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await answer_current(pilot, correct=True)
        assert "Next review in 10 minutes" in screen_text(app)
        await pilot.press("e")
        await settle(pilot)
        assert "Marked Easy · Next review in" in screen_text(app)
    reviews = saved_reviews(tmp_path / "data")
    assert [r.rating for r in reviews] == [EASY], "Easy replaced Good; one answer stands"


async def test_undo_the_last_answer_and_answer_again(make_app, tmp_path: Path) -> None:
    app = make_app([small_bank()])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        first = app.screen.card
        layout = app.screen.query_one("#answer", ItemWidget).layout_order
        await answer_current(pilot, correct=False)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.card.card_id == first.card_id, "the same question again"
        again = app.screen.query_one("#answer", ItemWidget).layout_order
        assert again == layout, "laid out as before, so the same key picks the same option"
        assert saved_cards(tmp_path / "data") == {}, "the card is back to never seen"
        await answer_current(pilot, correct=True)
        await pilot.press("enter")
        await settle(pilot)
        # ctrl+z on the next question undoes the previous answer too
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert app.screen.card.card_id == first.card_id
    everything = saved_reviews(tmp_path / "data", include_undone=True)
    assert [r.undone for r in everything] == [True, True]


async def test_quit_reopen_progress_and_tomorrows_due_count(
    make_app, tmp_path: Path, clock: Clock
) -> None:
    bank = every_type_bank()
    app = make_app([bank])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        for _ in range(2):
            await answer_current(pilot, correct=True)
            await pilot.press("e")  # Easy: due in days, not minutes
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    assert len(saved_reviews(tmp_path / "data")) == 2

    # Reopen the day before the first of them falls due: home says how many come tomorrow.
    cards = saved_cards(tmp_path / "data")
    clock.now = min(row.due for row in cards.values()) - timedelta(days=1)
    with Store.open(tmp_path / "data") as store:
        profile = store.get_profile("Ana")
        tomorrow = stats(store, profile, [bank], clock.now).due_by_day[1].due
    assert tomorrow >= 1
    again = make_app([bank], profile=None)  # the only profile is picked by itself
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, HomeScreen)
        text = screen_text(again)
        assert "● Ana" in text
        assert "seen 2/9 items" in text
        assert "Today  0 due · 7 new today" in text
        assert f"Tomorrow  {tomorrow} due" in text


async def test_nothing_due_offers_practice(make_app, tmp_path: Path) -> None:
    app = make_app([small_bank()], new_limit=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        text = screen_text(app)
        assert "All caught up" in text
        assert "Practise these 2 questions anyway?" in " ".join(text.split())
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.session.mode == "practice"
        await answer_current(pilot, correct=True)
        assert "Practice: your schedule is unchanged" in screen_text(app)
    reviews = saved_reviews(tmp_path / "data")
    assert [r.mode for r in reviews] == ["practice"]
    assert saved_cards(tmp_path / "data") == {}


async def test_practise_a_chosen_step_from_home(make_app, tmp_path: Path) -> None:
    app = make_app([every_type_bank()])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PracticeScreen)
        text = screen_text(app)
        for heading in ("Topics", "Clinical-judgment steps"):
            assert heading in text
        option_list = app.screen.query_one("#practice-choices")
        labels = [str(o.prompt) for o in option_list.options]
        target = next(n for n, label in enumerate(labels) if "Take action" in label)
        option_list.highlighted = target
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen)
        asked = set()
        while isinstance(app.screen, QuestionScreen):
            asked.add(app.screen.card.item.id)
            await answer_current(pilot, correct=False)
            await pilot.press("enter")
            await settle(pilot)
        assert asked == {"colitis-bowtie", "colitis-case"}, "only items of that step"
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Practice session complete" in text
        assert "To revisit" in text


async def test_summary_lists_topics_steps_and_misses(make_app) -> None:
    app = make_app([every_type_bank(), small_bank()])
    async with app.run_test(size=(80, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        topics = []
        for correct in (True, False, True):
            topics.append(app.screen.card.topic)
            await answer_current(pilot, correct)
            await pilot.press("enter")
            await settle(pilot)
        assert topics == ["checkpoints"] * 3, "the learning path starts with checkpoints"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Score" in text and "Answered  3" in text and "Time" in text
        assert "By topic" in text and "Checkpoints" in text and "Adverse events" not in text
        assert "By clinical-judgment step" in text
        assert "To revisit" in text
        missed = app.screen.summary.to_revisit
        assert len(missed) == 1
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.card.card_id == missed[0].card_id


async def test_statistics_screen(make_app) -> None:
    app = make_app([every_type_bank()])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await answer_current(pilot, correct=True)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        screen = app.screen
        for chart in ("#forecast", "#reviews", "#accuracy"):
            assert screen.query_one(chart)
        text = screen_text(app)
        assert "Mastery by topic" in text
        assert "Today 1 answered" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)


async def test_switch_and_create_profile(make_app, tmp_path: Path) -> None:
    app = make_app([small_bank()])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        await pilot.press("tab", *"Ben", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.profile is not None and app.profile.name == "Ben"
        assert "● Ben" in screen_text(app)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.profile.name == "Ben"


async def test_help_lists_every_key_and_closes(make_app) -> None:
    app = make_app([small_bank()])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        from immunoquiz.tui.screens.help import KEYS, HelpScreen

        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(row.key for row in app.screen.query(".key-row"))
        for _, keys in KEYS:
            for key, _ in keys:
                assert key in shown
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_high_contrast_theme_is_remembered(make_app) -> None:
    app = make_app([small_bank()])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert app.theme == HIGH_CONTRAST
    again = make_app([small_bank()])
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert again.theme == HIGH_CONTRAST


async def test_command_palette_has_the_main_actions(make_app) -> None:
    app = make_app([small_bank()])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in ("Study", "Practise", "Statistics", "Settings", "Profile", "Help"):
            assert wanted in titles
        assert "High-contrast theme" in titles
        for developer_tool in ("Screenshot", "Keys", "Theme"):
            assert developer_tool not in titles, "Textual's own entries are left out"
        await pilot.press("ctrl+p")
        await pilot.press(*"statis", "enter")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)


async def test_start_straight_into_a_filtered_study_session(tmp_path: Path, clock: Clock) -> None:
    from immunoquiz.study import Filters

    app = ImmunoquizApp(
        data_dir=tmp_path / "data",
        banks=[every_type_bank(), small_bank()],
        profile_name="Cy",
        start="study",
        filters=Filters(banks=frozenset({"adverse"})),
        clock=clock,
        seed=1,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.card.bank.id == "adverse"
        assert app.screen.card.item.id in {SINGLE.id, TRUE_FALSE.id}
        # Ending the session (nothing answered) shows home, with every bank and its counts.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert "● Cy" in text
        assert "Every item type" in text and "Adverse events basics" in text
        assert "new today" in text
        assert "Study  s" not in text  # the button shows the count once it is known
    assert Store.open(tmp_path / "data").get_profile("Cy") is not None


async def test_start_straight_into_a_session_asks_who_first(tmp_path: Path, clock: Clock) -> None:
    """No profile yet: the first-run dialog over home, then the session asked for."""
    from immunoquiz.study import Filters

    app = ImmunoquizApp(
        data_dir=tmp_path / "data",
        banks=[every_type_bank(), small_bank()],
        start="practice",
        filters=Filters(banks=frozenset({"adverse"})),
        clock=clock,
        seed=1,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        text = screen_text(app)
        assert "Welcome to immunoquiz" in text
        assert "Pick or create a profile" in text  # home, behind the dialog
        await pilot.press(*"Bo", "enter")
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.card.bank.id == "adverse"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "● Bo" in screen_text(app)


async def test_unusable_progress_file_is_one_line_and_exit_1(tmp_path: Path, clock: Clock) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "progress.sqlite3").write_text("not a database")
    app = ImmunoquizApp(data_dir=data, banks=[small_bank()], clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
    assert app.return_code == 1
    assert app.error is not None and "progress.sqlite3" in app.error
    assert "\n" not in app.error
    assert (data / "progress.sqlite3").read_text() == "not a database"


async def test_an_unreadable_progress_row_is_said_once_and_skipped(
    make_app, tmp_path: Path
) -> None:
    """A row an older version wrote with a year-0026 time: the home screen still opens,
    and a notice names the row and points to `immunoquiz doctor`, once."""
    import sqlite3

    app = make_app([small_bank()])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
    path = tmp_path / "data" / "progress.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO reviews (profile_id, card_id, session, ts, mode, response, points,"
            " max, rule, rating) VALUES (1, 'adverse/x', 's',"
            " '0026-11-28T09:00:00.000000Z', 'study', '{}', 1, 1, 'r', 3)"
        )
        bad_id = conn.execute("SELECT max(id) FROM reviews").fetchone()[0]
    app = make_app([small_bank()])
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("t")  # statistics read every review
        await settle(pilot)
        await pilot.pause(1.5)
        notes = [str(n.message) for n in app._notifications]
        assert sum(f"review {bad_id} skipped" in n for n in notes) == 1, notes
        assert isinstance(app.screen, StatsScreen)
