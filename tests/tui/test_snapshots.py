"""Every screen at 80x24, as SVG snapshots (pytest-textual-snapshot).

Baselines live in __snapshots__/ and were looked at before being accepted;
regenerate with `pytest tests/tui/test_snapshots.py --snapshot-update` and look
again. The clock and the shuffle seed are fixed, so the screens are stable.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import pytest
from answering import submit
from conftest import settle
from sample_banks import (
    BOWTIE,
    CASE,
    CLOZE,
    MATCH,
    MULTIPLE,
    ORDER,
    SELECT_N,
    SINGLE,
    SOURCES,
    TRUE_FALSE,
    every_type_bank,
    markup_trap_bank,
    small_bank,
)
from textual.pilot import Pilot
from textual.widgets import Input

from immunoquiz.banks.model import Bank, Item
from immunoquiz.tui.widgets import ItemWidget

SIZE = (80, 24)
Steps = Callable[[Pilot], Awaitable[None]]


def one(item: Item) -> Bank:
    return Bank(
        id="demo", title="Demo bank", topic="checkpoints", questions=(item,), sources=SOURCES
    )


def steps(*keys: str, then: Steps | None = None) -> Steps:
    """Settle, press `keys` (settling after each), run `then`, stop cursors blinking."""

    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        if then is not None:
            await then(pilot)
            await settle(pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        pilot.app.clear_notifications()  # toasts time out: keep them out of the picture
        await pilot.pause()

    return run


def answered(correct: bool) -> Steps:
    """Answer the question on screen (by response: the keys are tested elsewhere)."""

    async def run(pilot: Pilot) -> None:
        widget = pilot.app.screen.query_one("#answer", ItemWidget)
        await submit(pilot, widget, correct)

    return run


def test_first_run(snap_compare, make_app) -> None:
    app = make_app([every_type_bank(), small_bank()], profile=None)
    assert snap_compare(app, terminal_size=SIZE, run_before=steps(*"Ana"))


def test_home(snap_compare, make_app) -> None:
    app = make_app([every_type_bank(), small_bank()])
    assert snap_compare(app, terminal_size=SIZE, run_before=steps())


def test_home_high_contrast(snap_compare, make_app) -> None:
    app = make_app([every_type_bank(), small_bank()])
    assert snap_compare(app, terminal_size=SIZE, run_before=steps("ctrl+t"))


def test_profile(snap_compare, make_app) -> None:
    app = make_app([small_bank()])
    assert snap_compare(app, terminal_size=SIZE, run_before=steps("c"))


def test_practice(snap_compare, make_app) -> None:
    app = make_app([every_type_bank(), small_bank()])
    assert snap_compare(app, terminal_size=SIZE, run_before=steps("p"))


def test_practice_narrowed(snap_compare, make_app) -> None:
    """A search typed: every entry counts what it would ask with it."""
    app = make_app([every_type_bank(), small_bank()])
    assert snap_compare(app, terminal_size=SIZE, run_before=steps("p", "slash", *"pd-1"))


QUESTIONS: Sequence[tuple[str, Item, tuple[str, ...]]] = (
    ("single", SINGLE, ("down",)),
    ("multiple", MULTIPLE, ("1",)),
    ("select_n_refused", SELECT_N, ("1", "2", "3")),
    ("true_false", TRUE_FALSE, ()),
    ("cloze", CLOZE, tuple("cps")),
    ("order", ORDER, ("shift+down",)),
    ("match", MATCH, ("1",)),
    ("bowtie", BOWTIE, ("1", "right", "2")),
    ("case_part_2", CASE, ("2", "enter")),
)


@pytest.mark.parametrize(("name", "item", "keys"), QUESTIONS, ids=[q[0] for q in QUESTIONS])
def test_question(snap_compare, make_app, name: str, item: Item, keys: tuple[str, ...]) -> None:
    app = make_app([one(item)])
    assert snap_compare(app, terminal_size=SIZE, run_before=steps("s", *keys))


def test_feedback_single(snap_compare, make_app) -> None:
    app = make_app([one(SINGLE)])
    assert snap_compare(app, terminal_size=SIZE, run_before=steps("s", then=answered(False)))


def test_feedback_bowtie(snap_compare, make_app) -> None:
    app = make_app([one(BOWTIE)])
    assert snap_compare(app, terminal_size=SIZE, run_before=steps("s", then=answered(False)))


def test_feedback_case(snap_compare, make_app) -> None:
    app = make_app([one(CASE)])
    assert snap_compare(app, terminal_size=SIZE, run_before=steps("s", then=answered(True)))


def test_feedback_full_credit_offers_hard_and_easy(snap_compare, make_app) -> None:
    app = make_app([one(SINGLE)])
    assert snap_compare(app, terminal_size=SIZE, run_before=steps("s", then=answered(True)))


def test_feedback_typed_miss_offers_i_was_right(snap_compare, make_app) -> None:
    app = make_app([one(CLOZE)])
    assert snap_compare(app, terminal_size=SIZE, run_before=steps("s", then=answered(False)))


def test_settings(snap_compare, make_app) -> None:
    app = make_app([small_bank()])
    assert snap_compare(app, terminal_size=SIZE, run_before=steps("comma"))


def test_nothing_due(snap_compare, make_app) -> None:
    app = make_app([small_bank()], new_limit=0)
    assert snap_compare(app, terminal_size=SIZE, run_before=steps("s"))


def test_nothing_due_in_a_topic(snap_compare, make_app) -> None:
    """A topic chosen on the home screen with nothing due: its questions offered anyway."""
    app = make_app([every_type_bank(), small_bank()], new_limit=0)
    assert snap_compare(app, terminal_size=SIZE, run_before=steps("down", "down", "enter"))


def test_summary(snap_compare, make_app) -> None:
    app = make_app([small_bank()])

    async def two_answers(pilot: Pilot) -> None:
        await answered(True)(pilot)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await answered(False)(pilot)
        await settle(pilot)
        await pilot.press("escape")

    assert snap_compare(app, terminal_size=SIZE, run_before=steps("s", then=two_answers))


def test_stats(snap_compare, make_app) -> None:
    app = make_app([every_type_bank(), small_bank()])

    async def then(pilot: Pilot) -> None:
        await answered(True)(pilot)
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("t")

    assert snap_compare(app, terminal_size=SIZE, run_before=steps("s", then=then))


def test_help(snap_compare, make_app) -> None:
    app = make_app([small_bank()])
    assert snap_compare(app, terminal_size=SIZE, run_before=steps("question_mark"))


# --- the markup-trap bank: every text shown literally ----------------------------


def test_trap_home(snap_compare, make_app) -> None:
    app = make_app([markup_trap_bank()])
    assert snap_compare(app, terminal_size=SIZE, run_before=steps())


def test_trap_feedback(snap_compare, make_app) -> None:
    app = make_app([markup_trap_bank()])
    assert snap_compare(app, terminal_size=SIZE, run_before=steps("s", then=answered(False)))


# --- larger terminals: the same screens use the room --------------------------------


def test_case_wide(snap_compare, make_app) -> None:
    app = make_app([one(CASE)])
    assert snap_compare(app, terminal_size=(130, 32), run_before=steps("s", "2", "enter"))


def test_bowtie_wide(snap_compare, make_app) -> None:
    """From 100 columns the bow-tie's three lists stand side by side."""
    app = make_app([one(BOWTIE)])
    assert snap_compare(app, terminal_size=(120, 30), run_before=steps("s", "1"))


def test_home_wide(snap_compare, make_app) -> None:
    app = make_app([every_type_bank(), small_bank(), markup_trap_bank()])
    assert snap_compare(app, terminal_size=(130, 32), run_before=steps())
