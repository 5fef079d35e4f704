"""At 80x24 every bow-tie and match item of the bundled banks reads whole: each option
(bow-tie entries, match rows and column names) takes at most 3 lines and no word is
broken in the middle ("pembrolizuma/b"). Checked on the screen a trainee sees: the
real app's question screen showing each item in turn, paged down, every option read
off the screen once it is wholly in view."""

from __future__ import annotations

import dataclasses

from conftest import screen_text, settle, wait_until
from sample_banks import every_type_bank
from test_app import answer_current
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from immunoquiz.banks import bundled_and_extra
from immunoquiz.banks.model import Bank, BowtieItem, CaseItem, Item, MatchItem
from immunoquiz.study import Card, Filters
from immunoquiz.tui.screens.question import QuestionScreen
from immunoquiz.tui.widgets.choices import ChoiceRow
from immunoquiz.tui.widgets.hanging import Hanging
from immunoquiz.tui.widgets.match import MatchGrid

MAX_LINES = 3


def wide_items() -> Bank:
    """Every bundled bow-tie and match item, case parts included, as one bank."""
    banks, problems = bundled_and_extra([])
    assert not problems
    found: list[Item] = []
    for bank in banks:
        for item in bank.questions:
            for one in (item, *item.parts) if isinstance(item, CaseItem) else (item,):
                if isinstance(one, BowtieItem | MatchItem):
                    found.append(dataclasses.replace(one, id=f"i{len(found)}", update=None))
    assert len(found) > 20, "the bundled banks have many of them"
    return Bank(id="wide", title="Wide", topic="adverse-events", questions=tuple(found))


def targets(screen: QuestionScreen) -> list[tuple[Widget, str, int]]:
    """(widget, its full text, cells before the text) for every option on screen."""
    widget = screen.widget
    assert widget is not None
    item = widget.item
    out: list[tuple[Widget, str, int]] = []
    if isinstance(item, BowtieItem):
        texts = [o.text for o in (*item.conditions, *item.actions, *item.parameters)]
        rows = list(widget.query(ChoiceRow))
        out += [(row, row.body.plain, row.indent) for row in rows]
        assert sorted(t for _, t, _ in out) == sorted(texts)
    else:
        grid = widget.query_one(MatchGrid)
        out += [(w, w.body.plain, w.indent) for w in grid.query(Hanging)]  # numbered columns
        for label in grid.query(".row-label, .col-label").results(Static):
            if str(label.render()):  # (the header's empty row label aside)
                out.append((label, str(label.render()), 0))
        shown = " ".join(text for _, text, _ in out)
        assert all(text in shown for text in (*item.rows, *item.columns))
    return out


def lines_of(rows: list[str], widget: Widget, skip: int) -> list[str]:
    region = widget.content_region
    assert 0 <= region.y and region.bottom <= len(rows), "scrolled into view"
    return [row[region.x + skip : region.right].rstrip() for row in rows[region.y : region.bottom]]


async def test_bowtie_and_match_options_fit_three_lines_without_broken_words(make_app) -> None:
    bank = wide_items()
    app = make_app([bank], start="practice", filters=Filters(banks=frozenset({"wide"})))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        for item in bank.questions:  # shown as the session would show it, unanswered
            await screen.show(Card(bank, item, bank.card_id(item)))
            await pilot.pause()
            left = targets(screen)
            scroll = screen.query_one("#scroll", VerticalScroll)
            y = 0
            while left:  # page down, checking each option once it is wholly in view
                scroll.scroll_to(y=y, animate=False, immediate=True)
                await pilot.pause()
                rows = screen_text(app).split("\n")
                view = scroll.content_region
                for target, text, skip in [t for t in left if view.contains_region(t[0].region)]:
                    left.remove((target, text, skip))
                    shown = lines_of(rows, target, skip)
                    where = f"{item.id}: {text!r} shows as {shown!r}"
                    assert len([s for s in shown if s.strip()]) <= MAX_LINES, where
                    assert " ".join(shown).split() == text.split(), where
                if left:
                    assert y < scroll.max_scroll_y, f"never wholly in view: {left}"
                    y = min(scroll.max_scroll_y, y + max(1, view.height - 4))


async def test_help_key_fits_the_footer_of_every_question_type(make_app) -> None:
    """At 80 columns the footer of every item type still ends with "? Help" whole
    (true/false and ordering items once cut it to "?")."""
    app = make_app([every_type_bank()])
    footers: dict[str, str] = {}

    def last_line() -> str:
        return screen_text(app).split("\n")[-1]

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        while isinstance(app.screen, QuestionScreen):
            # the question's own keys, not home's or the feedback's ("⏎ Next") left from before
            await wait_until(pilot, lambda: "End" in last_line() and "Next" not in last_line())
            footers[type(app.screen.card.item).__name__] = last_line()
            await answer_current(pilot, True)
            await pilot.press("enter")
            await settle(pilot)
    assert len(footers) == 8, footers
    assert all("? Help" in line for line in footers.values()), footers
    assert "⇧↑↓ Move" in footers["OrderItem"]
    assert "t True  f False" in footers["TrueFalseItem"]
