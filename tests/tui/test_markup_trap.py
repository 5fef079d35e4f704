"""Bank text is data: markup-looking text shows exactly as typed, everywhere, and never crashes."""

from __future__ import annotations

from answering import answer
from conftest import screen_text, settle
from sample_banks import TRAP, markup_trap_bank

from immunoquiz.tui.screens.feedback import FeedbackScreen
from immunoquiz.tui.screens.question import QuestionScreen
from immunoquiz.tui.widgets import ItemWidget


def flat(text: str) -> str:
    """Screen text with line breaks, panel edges and runs of spaces folded (lines wrap)."""
    for edge in "▌▐│█":
        text = text.replace(edge, " ")
    return " ".join(text.split())


async def test_trap_bank_shows_every_text_literally(make_app) -> None:
    app = make_app([markup_trap_bank()])
    async with app.run_test(size=(100, 90)) as pilot:
        await settle(pilot)
        assert "Trap bank [/] [B]x [$accent] [link=" in screen_text(app)  # home

        await pilot.press("s")
        await settle(pilot)
        seen_types = set()
        shown: list[str] = []
        while isinstance(app.screen, QuestionScreen):
            widget = app.screen.query_one("#answer", ItemWidget)
            item = widget.item
            seen_types.add(item.type)
            # A miss comes back in the same session: answer it right the second time.
            missed_before = item.id in shown
            shown.append(item.id)
            text = flat(screen_text(app))
            if item.type == "single":
                for literal in (f"Prompt {TRAP}", f"Right {TRAP}", f"Wrong {TRAP}"):
                    assert literal in text
            else:
                assert f"Vignette {TRAP}" in text
            await answer(pilot, widget, correct=item.type == "case" or missed_before)
            await settle(pilot)
            assert isinstance(app.screen, FeedbackScreen)
            text = flat(screen_text(app))
            if item.type == "single":
                for literal in (f"Why right {TRAP}", f"Why wrong {TRAP}", f"Explanation {TRAP}"):
                    assert literal in text
            else:
                for literal in (f"Vignette {TRAP}", f"Update {TRAP}", f"Row {TRAP}", "[B]x"):
                    assert literal in text
                assert f"Case explanation {TRAP}" in text
            assert f"Cite {TRAP}" in text
            assert "https://example.org/[/]" in text
            await pilot.press("enter")
            await settle(pilot)
        assert seen_types == {"single", "case"}
        assert len(shown) == 3, "the missed single came back once, in the same session"


async def test_trap_case_shows_update_and_dropdown_choices(make_app) -> None:
    app = make_app([markup_trap_bank()], start="practice")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        # Practice with no filter opens the chooser; take "everything".
        await pilot.press("enter")
        await settle(pilot)
        while app.screen.query_one("#answer", ItemWidget).item.type != "case":
            await answer(pilot, app.screen.query_one("#answer", ItemWidget), True)
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
        case = app.screen.query_one("#answer", ItemWidget)
        part = case.part_widgets[0]
        part.query_one("#blank-0").focus()
        await pilot.press("enter")  # open the drop-down of "[/]", "[B]x", "[$accent]"
        await settle(pilot)
        text = screen_text(app)
        for choice in ("[/]", "[B]x", "[$accent]"):
            assert choice in text
        await pilot.press("escape")
        await settle(pilot)
        await answer(pilot, part, True)
        await settle(pilot)
        assert f"Update {TRAP}" in flat(screen_text(app))
        assert f"Match {TRAP}" in flat(screen_text(app))
