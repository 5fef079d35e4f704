"""Browse: find questions, see their history, suspend, practise and flag them (80x24)."""

from __future__ import annotations

from pathlib import Path

from conftest import START, saved_reviews, screen_text, settle, wait_until
from sample_banks import SINGLE, TRUE_FALSE, every_type_bank, markup_trap_bank, small_bank
from test_app import answer_current
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select

from immunoquiz import scheduling
from immunoquiz.banks.model import Bank
from immunoquiz.responses import SingleResponse
from immunoquiz.store import Store
from immunoquiz.study import open_session
from immunoquiz.tui.screens.browse import BrowseScreen, FlagScreen
from immunoquiz.tui.screens.home import HomeScreen
from immunoquiz.tui.screens.question import QuestionScreen

SIZE = (80, 24)


def banks() -> list[Bank]:
    return [small_bank(), every_type_bank()]


def studied_once(data_dir: Path) -> None:
    """Ana answered the first question of the learning path, right, at START."""
    with Store.open(data_dir) as store:
        ana = store.create_profile("Ana", START)
        s = open_session(
            store, ana, [small_bank()], now=lambda: START, seed=7,
            scheduler=scheduling.make_scheduler(fuzz=False),
        )  # fmt: skip
        card = s.next()
        assert card is not None and card.card_id == "adverse/pd1-where"
        s.answer(card, SingleResponse(SINGLE.correct_index), 4.0)


def marks(data_dir: Path) -> tuple[set[str], list[tuple[str, str, str | None, int | None]]]:
    with Store.open(data_dir) as store:
        ana = store.get_profile("Ana")
        assert ana is not None
        flags = [(f.card_id, f.note, f.bank_file, f.line) for f in store.flags(ana)]
        return store.suspended(ana), flags


def rows(app) -> list[str]:  # type: ignore[no-untyped-def]
    table = app.screen.query_one("#browse-list", DataTable)
    return [str(key.value) for key in table.rows]


def footer(app) -> str:  # type: ignore[no-untyped-def]
    return screen_text(app).split("\n")[-1]


async def open_browse(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("b")
    await settle(pilot)
    assert isinstance(pilot.app.screen, BrowseScreen)


async def pick(pilot: Pilot, card_id: str) -> None:
    table = pilot.app.screen.query_one("#browse-list", DataTable)
    table.move_cursor(row=table.get_row_index(card_id))
    table.focus()
    await settle(pilot)


def test_browse_snapshot(snap_compare, make_app, tmp_path: Path) -> None:
    studied_once(tmp_path / "data")

    async def run(pilot: Pilot) -> None:
        await open_browse(pilot)
        await pilot.press("down", "x")
        await settle(pilot)
        await pilot.press("up")
        await settle(pilot)
        pilot.app.screen.query_one(Input).cursor_blink = False
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(banks()), terminal_size=SIZE, run_before=run)


def test_flag_dialog_snapshot(snap_compare, make_app) -> None:
    async def run(pilot: Pilot) -> None:
        await open_browse(pilot)
        await pilot.press("f", "enter")  # an empty note is refused, with the reason
        await settle(pilot)
        pilot.app.screen.query_one(Input).cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app(banks()), terminal_size=SIZE, run_before=run)


async def test_home_key_and_palette_open_browse(make_app) -> None:
    app = make_app(banks())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: "b Browse" in footer(app))
        assert "b Browse" in footer(app)
        await open_browse(pilot)
        assert "11 of 11 questions match" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Browse" in titles


async def test_the_selected_question_shows_its_history_due_date_and_stability(
    make_app, tmp_path: Path
) -> None:
    studied_once(tmp_path / "data")
    app = make_app(banks())
    async with app.run_test(size=SIZE) as pilot:
        await open_browse(pilot)
        await pick(pilot, "adverse/pd1-where")
        text = screen_text(app)
        assert "Learning · next due 2026-03-02 09:10 (in 10 minutes)" in text
        assert "stability" in text
        assert "2026-03-02 09:00  study    1/1  Good" in text
        await pick(pilot, "adverse/tnbc-her2")
        assert "New: never studied" in screen_text(app)


async def test_search_and_filters_narrow_the_list(make_app, tmp_path: Path) -> None:
    studied_once(tmp_path / "data")
    app = make_app(banks())
    async with app.run_test(size=SIZE) as pilot:
        await open_browse(pilot)
        await pilot.press("slash", *"PD-1 receptor")
        await settle(pilot)
        assert "adverse/pd1-where" in rows(app)
        assert "adverse/tnbc-her2" not in rows(app)
        app.screen.query_one(Input).value = ""
        app.screen.query_one("#browse-bank", Select).value = "adverse"
        await settle(pilot)
        assert rows(app) == ["adverse/pd1-where", "adverse/tnbc-her2"]
        app.screen.query_one("#browse-state", Select).value = "new"
        await settle(pilot)
        assert rows(app) == ["adverse/tnbc-her2"]
        assert "1 of 11 questions match" in screen_text(app)


async def test_suspend_then_unsuspend(make_app, tmp_path: Path) -> None:
    app = make_app(banks())
    async with app.run_test(size=SIZE) as pilot:
        await open_browse(pilot)
        await pick(pilot, "adverse/tnbc-her2")
        await wait_until(pilot, lambda: "x Suspend" in footer(app))
        assert "x Suspend" in footer(app)
        await pilot.press("x")
        await settle(pilot)
        assert "Suspended: never studied" in screen_text(app)
        await wait_until(pilot, lambda: "x Unsuspend" in footer(app))
        assert "x Unsuspend" in footer(app)
        assert marks(tmp_path / "data")[0] == {"adverse/tnbc-her2"}
        app.screen.query_one("#browse-state", Select).value = "suspended"
        await settle(pilot)
        assert rows(app) == ["adverse/tnbc-her2"]
        await pilot.press("x")
        await settle(pilot)
        assert marks(tmp_path / "data")[0] == set()
        assert rows(app) == [], "no longer suspended: gone from the suspended filter"
        assert "No question matches" in screen_text(app)


async def test_a_suspended_question_is_not_studied_and_not_counted(
    make_app, tmp_path: Path
) -> None:
    app = make_app([small_bank()])
    async with app.run_test(size=SIZE) as pilot:
        await open_browse(pilot)
        await pick(pilot, "adverse/pd1-where")
        await pilot.press("x", "escape")
        await settle(pilot)
        assert "1 new today" in screen_text(app)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen)
        assert TRUE_FALSE.statement in screen_text(app)


async def test_practise_this_opens_a_session_on_that_question(make_app, tmp_path: Path) -> None:
    app = make_app(banks())
    async with app.run_test(size=SIZE) as pilot:
        await open_browse(pilot)
        await pick(pilot, "adverse/tnbc-her2")
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen)
        assert TRUE_FALSE.statement in screen_text(app)
        await answer_current(pilot, correct=False)
        await pilot.press("enter")  # next: nothing left, the summary
        await settle(pilot)
        await pilot.press("enter")  # back where we came from
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)
        assert "practice 0/1" in screen_text(app)
    assert [(r.card_id, r.mode) for r in saved_reviews(tmp_path / "data")] == [
        ("adverse/tnbc-her2", "practice")
    ]


async def test_practise_refuses_a_suspended_question(make_app) -> None:
    app = make_app(banks())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_browse(pilot)
        await pilot.press("x", "p")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)
        notes = [str(n.message) for n in app._notifications]
        assert "This question is suspended: press x to unsuspend it first." in notes


async def test_flag_a_problem_with_a_note(make_app, tmp_path: Path) -> None:
    app = make_app(banks())
    async with app.run_test(size=SIZE) as pilot:
        await open_browse(pilot)
        await pick(pilot, "adverse/tnbc-her2")
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FlagScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert "Not saved: say in a few words what is wrong" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)
        assert marks(tmp_path / "data")[1] == [], "Escape saved nothing"
        await pilot.press("f", *"HER2-low changes this", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)
        assert "⚑ Flagged: HER2-low changes this" in screen_text(app)
    assert marks(tmp_path / "data")[1] == [
        ("adverse/tnbc-her2", "HER2-low changes this", None, TRUE_FALSE.line or None)
    ]


async def test_unflag_withdraws_the_flag(make_app, tmp_path: Path) -> None:
    app = make_app(banks())
    async with app.run_test(size=SIZE) as pilot:
        await open_browse(pilot)
        await pick(pilot, "adverse/tnbc-her2")
        await wait_until(pilot, lambda: "f Flag" in footer(app))
        assert "Unflag" not in footer(app), "nothing to withdraw yet"
        await pilot.press("f", *"typo", "enter")
        await settle(pilot)
        await wait_until(pilot, lambda: "u Unflag" in footer(app))
        assert "u Unflag" in footer(app)
        await pilot.press("u")
        await settle(pilot)
        assert "Flag withdrawn." in [str(n.message) for n in app._notifications]
        assert "⚑ Flagged" not in screen_text(app)
        await wait_until(pilot, lambda: "Unflag" not in footer(app))
        assert "Unflag" not in footer(app)
    assert marks(tmp_path / "data")[1] == []


async def test_bank_text_is_shown_literally(make_app) -> None:
    app = make_app([markup_trap_bank()])
    async with app.run_test(size=(120, 30)) as pilot:
        await open_browse(pilot)
        text = screen_text(app)
        assert "Prompt [/] [B]x [$accent]" in text
