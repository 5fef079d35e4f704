"""The practice picker as a trainee uses it: type words to narrow, tick recent misses,
choose an item type, and a filter with nothing due still offers practice that starts."""

from __future__ import annotations

from pathlib import Path

from conftest import saved_reviews, screen_text, settle
from sample_banks import every_type_bank, small_bank
from test_app import answer_current
from textual.widgets import Checkbox, OptionList, Select

from immunoquiz.store import Flag, Store
from immunoquiz.tui.screens.practice import PracticeScreen
from immunoquiz.tui.screens.question import QuestionScreen
from immunoquiz.tui.screens.summary import SummaryScreen


def entry(app, label: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """The index and shown text of the list entry whose label starts with `label`."""
    options = app.screen.query_one("#practice-choices", OptionList).options
    for n, option in enumerate(options):
        if str(option.prompt).strip().startswith(label):
            return n, str(option.prompt).strip()
    raise AssertionError(f"no entry {label!r}")


async def practise_all(pilot, correct: bool) -> list[str]:  # type: ignore[no-untyped-def]
    """Answer every question of the practice round; the item ids asked."""
    asked = []
    while isinstance(pilot.app.screen, QuestionScreen) and pilot.app.screen.card is not None:
        asked.append(pilot.app.screen.card.item.id)
        await answer_current(pilot, correct)
        await pilot.press("enter")
        await settle(pilot)
    return asked


async def test_search_and_type_narrow_the_counts_and_the_round(make_app) -> None:
    app = make_app([every_type_bank(), small_bank()])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PracticeScreen)
        everything = entry(app, "All items of all banks")[1]
        await pilot.press("slash", *"PD-1 which")
        await settle(pilot)
        narrowed = entry(app, "All items of all banks")[1]
        assert narrowed != everything and narrowed.endswith("  3")
        assert "3 questions match" in screen_text(app)
        app.screen.query_one("#practice-type", Select).value = "multiple"
        await settle(pilot)
        assert entry(app, "All items of all banks")[1].endswith("  1")
        await pilot.press("enter")  # Enter in the search box starts the highlighted entry
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen)
        title = screen_text(app).split("\n")[0]
        assert "Practice · “PD-1 which” · Select all / N" in title, "named by the narrowing"
        asked = await practise_all(pilot, correct=True)
        assert asked == ["anti-pd1-drugs"]
        assert isinstance(app.screen, SummaryScreen)


async def test_a_search_with_no_match_cannot_start_an_empty_round(make_app, tmp_path) -> None:
    app = make_app([every_type_bank()])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p", "slash", *"zzqx")
        await settle(pilot)
        assert "No question matches: change the search or filters" in screen_text(app)
        await pilot.press("enter", "enter")  # to the list, then Enter on an empty entry
        await settle(pilot)
        assert isinstance(app.screen, PracticeScreen), "nothing to start"


async def test_recent_misses_practise_what_was_missed(make_app, tmp_path: Path) -> None:
    app = make_app([every_type_bank(), small_bank()])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert app.screen.query_one("#mark-misses", Checkbox).disabled, "no misses yet"
        await pilot.press("escape", "s")
        await settle(pilot)
        missed = []
        for correct in (False, True, False):
            missed += [] if correct else [app.screen.card.item.id]
            await answer_current(pilot, correct)
            await pilot.press("enter")
            await settle(pilot)
        await pilot.press("escape", "enter")  # end the session, leave the summary
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        box = app.screen.query_one("#mark-misses", Checkbox)
        assert "Recent misses 2" in screen_text(app)
        box.value = True
        await settle(pilot)
        assert entry(app, "All items of all banks")[1].endswith("  2")
        app.screen.query_one("#practice-choices", OptionList).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "Recent misses" in screen_text(app).split("\n")[0]
        assert sorted(await practise_all(pilot, correct=True)) == sorted(missed)
    modes = [r.mode for r in saved_reviews(tmp_path / "data")]
    assert modes == ["study"] * 3 + ["practice"] * 2


async def test_a_filter_with_nothing_due_offers_its_questions_anyway(make_app) -> None:
    app = make_app([every_type_bank(), small_bank()], new_limit=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # a topic row of the home table
        await settle(pilot)
        text = " ".join(screen_text(app).split())
        assert "Nothing due in Adverse events: " in text
        assert "Practise these 2 questions anyway?" in text
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen) and app.screen.session.mode == "practice"
        assert len(await practise_all(pilot, correct=True)) == 2


async def test_flagged_questions_can_be_practised(make_app, tmp_path: Path, clock) -> None:
    with Store.open(tmp_path / "data") as store:
        profile = store.create_profile("Ana", clock())
        store.flag(profile, Flag("every-type/drug-target", "Which ULN?", clock()))
    app = make_app([every_type_bank(), small_bank()])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert "Flagged 1" in screen_text(app)
        app.screen.query_one("#mark-flagged", Checkbox).value = True
        await settle(pilot)
        app.screen.query_one("#practice-choices", OptionList).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert await practise_all(pilot, correct=True) == ["drug-target"]
