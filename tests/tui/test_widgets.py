"""Each item widget, driven by keys: the Response carries bank indices, shuffled or not."""

from __future__ import annotations

import pytest
from answering import answer
from sample_banks import (
    ALL_ITEMS,
    BOWTIE,
    CASE,
    CLOZE,
    MATCH,
    MULTIPLE,
    ORDER,
    SELECT_N,
    SINGLE,
    TRUE_FALSE,
)
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input

from immunoquiz.banks.model import Item
from immunoquiz.present import layout
from immunoquiz.responses import (
    BowtieResponse,
    CaseResponse,
    ClozeResponse,
    MatchResponse,
    MultipleResponse,
    OrderResponse,
    Response,
    SingleResponse,
    TrueFalseResponse,
)
from immunoquiz.scoring import score
from immunoquiz.tui.widgets import ItemWidget, widget_for
from immunoquiz.tui.widgets.choices import ChoiceList
from immunoquiz.tui.widgets.match import MatchGrid
from immunoquiz.tui.widgets.order import OrderList


class OneItem(App[None]):
    """Shows one item widget and keeps what it submits."""

    def __init__(self, item: Item, seed: int = 3) -> None:
        super().__init__()
        self.item = item
        self.seed = seed
        self.responses: list[Response] = []

    def compose(self) -> ComposeResult:
        widget = widget_for(self.item, layout(self.item, self.seed), id="w")
        if self.item.type == "case":
            yield widget
        else:
            yield VerticalScroll(widget)

    def on_mount(self) -> None:
        self.call_after_refresh(self.widget.focus_answer)

    @property
    def widget(self) -> ItemWidget:
        return self.query_one("#w", ItemWidget)

    def on_item_widget_submitted(self, message: ItemWidget.Submitted) -> None:
        if message.widget is self.widget:
            self.responses.append(message.response)


@pytest.mark.parametrize("correct", [True, False], ids=["right", "wrong"])
@pytest.mark.parametrize("item", ALL_ITEMS, ids=lambda i: i.id)
async def test_every_type_answers_right_and_wrong(item: Item, correct: bool) -> None:
    app = OneItem(item)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await answer(pilot, app.widget, correct)
        await pilot.pause()
        assert len(app.responses) == 1, "one answer submitted"
        result = score(item, app.responses[0])
        assert result.full is correct


async def test_single_maps_display_position_to_bank_index() -> None:
    app = OneItem(SINGLE, seed=1)
    async with app.run_test() as pilot:
        await pilot.pause()
        order = app.widget.layout_order["options"]
        assert order != tuple(range(len(SINGLE.options))), "seed shuffles the options"
        await pilot.press("2", "enter")
        assert app.responses == [SingleResponse(order[1])]


async def test_single_arrows_then_enter_and_click() -> None:
    app = OneItem(SINGLE)
    async with app.run_test() as pilot:
        await pilot.pause()
        order = app.widget.layout_order["options"]
        await pilot.press("down", "down", "enter")
        assert app.responses[-1] == SingleResponse(order[2])
        rows = app.widget.query("ChoiceRow")
        await pilot.click(rows[3])
        await pilot.click(app.widget.query_one(".submit"))
        assert app.responses[-1] == SingleResponse(order[3])


async def test_unshuffled_item_keeps_bank_order() -> None:
    app = OneItem(MATCH)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.widget.layout_order["rows"] == (0, 1, 2)


async def test_select_all_space_toggles_and_empty_is_refused() -> None:
    app = OneItem(MULTIPLE)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("enter")
        assert app.responses == []
        assert "at least one" in str(app.widget.query_one(".problem").render())
        order = app.widget.layout_order["options"]
        await pilot.press("space", "down", "space", "space", "enter")  # pick 1, toggle 2 twice
        assert app.responses == [MultipleResponse(frozenset({order[0]}))]


async def test_select_n_refuses_an_extra_pick_with_a_message() -> None:
    app = OneItem(SELECT_N)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("1", "2", "3")
        choices = app.widget.query_one(ChoiceList)
        assert choices.picked == {0, 1}, "third pick refused"
        marks = [row.render().plain[2:5] for row in choices.query("ChoiceRow")]
        assert marks == ["[x]", "[x]", "[ ]", "[ ]"], "picks are visible"
        problem = str(app.widget.query_one(".problem").render())
        assert "Only 2 may be picked" in problem
        await pilot.press("1", "3", "enter")  # unpick one, then the third is accepted
        order = app.widget.layout_order["options"]
        assert app.responses == [MultipleResponse(frozenset({order[1], order[2]}))]


async def test_select_n_needs_exactly_n() -> None:
    app = OneItem(SELECT_N)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("1", "enter")
        assert app.responses == []
        assert "Pick 2 options (1 picked)" in str(app.widget.query_one(".problem").render())


async def test_true_false_keys() -> None:
    app = OneItem(TRUE_FALSE)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("t", "enter")
        await pilot.press("f", "enter")
        assert app.responses == [TrueFalseResponse(True), TrueFalseResponse(False)]


async def test_cloze_typed_blank_and_dropdown() -> None:
    app = OneItem(CLOZE)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press(*"Combined  Positive score", "enter")  # Enter moves to blank 2
        assert app.responses == []
        await pilot.press("enter")  # open the drop-down (unshuffled: 22C3, SP142, SP263)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        await pilot.press("enter")  # focus went to Submit
        assert app.responses == [ClozeResponse(("Combined  Positive score", "SP142"))]
        sentence = str(app.widget.query_one(".stem").render())
        assert "Combined  Positive score" in sentence and "SP142" in sentence


async def test_cloze_empty_blank_is_refused() -> None:
    app = OneItem(CLOZE)
    async with app.run_test() as pilot:
        await pilot.pause()
        app.widget.submit()
        await pilot.pause()
        assert app.responses == []
        assert "Fill in blank 1" in str(app.widget.query_one(".problem").render())


async def test_typing_q_in_a_blank_types_it() -> None:
    app = OneItem(CLOZE)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("q")
        assert app.is_running
        assert app.query_one("#blank-0", Input).value == "q"


async def test_order_moves_lines_with_shift_and_space_grab() -> None:
    app = OneItem(ORDER)
    async with app.run_test() as pilot:
        await pilot.pause()
        order_list = app.widget.query_one(OrderList)
        start = list(order_list.order)
        await pilot.press("shift+down")  # the top line goes down one
        assert order_list.order == [start[1], start[0], *start[2:]]
        assert order_list.cursor == 1
        await pilot.press("space", "up", "space")  # pick it up, move it back, put it down
        assert order_list.order == start
        await pilot.press("enter")
        assert app.responses == [OrderResponse(tuple(start))]


async def test_order_click_to_pick_up_and_put_down() -> None:
    app = OneItem(ORDER)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        order_list = app.widget.query_one(OrderList)
        start = list(order_list.order)
        rows = order_list.query("OrderRow")
        await pilot.click(rows[0])
        await pilot.click(rows[2])
        assert order_list.order == [start[1], start[2], start[0], start[3]]


async def test_match_grid_one_choice_per_row() -> None:
    app = OneItem(MATCH)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("enter")
        assert app.responses == []
        assert "rows 1, 2, 3" in str(app.widget.query_one(".problem").render())
        await pilot.press("2", "2", "1")  # a digit marks and moves down
        await pilot.press("up", "up", "right", "right", "space")  # row 1 -> column 3
        await pilot.press("enter")
        assert app.responses == [MatchResponse((2, 1, 0))]


async def test_match_click_marks_a_cell() -> None:
    app = OneItem(MATCH)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        cells = app.widget.query("MatchCell")
        await pilot.click(cells[2])  # row 1, column 3
        await pilot.click(cells[3])  # row 2, column 1
        await pilot.click(cells[4])  # row 2, column 2: replaces column 1
        await pilot.click(cells[6])  # row 3, column 1
        await pilot.press("enter")
        assert app.responses == [MatchResponse((2, 1, 0))]


async def test_bowtie_counts_and_refusal() -> None:
    app = OneItem(BOWTIE)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("1", "2", "3")  # actions: the third pick is refused
        problem = str(app.widget.query_one(".problem").render())
        assert "Actions to take: only 2 may be picked" in problem
        counts = [str(c.render()) for c in app.widget.query(".col-count")]
        assert counts[0] == "pick 2 · 2/2"
        await pilot.press("right", "1", "2")  # condition: one pick, a second replaces it
        assert app.widget.query_one("#conditions", ChoiceList).picked == {1}
        await pilot.press("enter")
        assert app.responses == []
        assert "Parameters to monitor: pick 2" in str(app.widget.query_one(".problem").render())
        await pilot.press("right", "1", "3", "enter")
        assert app.responses == [
            BowtieResponse(frozenset({1}), frozenset({0, 1}), frozenset({0, 2}))
        ]


async def test_case_unfolds_parts_and_keeps_the_vignette() -> None:
    app = OneItem(CASE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        widget = app.widget
        vignette = widget.query_one("#vignette")
        assert CASE.vignette in str(vignette.query_one(".vignette-text").render())
        assert not vignette.query(".update")
        await pilot.press("2", "enter")
        await pilot.pause()
        updates = vignette.query(".update")
        assert len(updates) == 1 and CASE.parts[1].update in str(updates[0].render())
        assert "Part 2 of 2" in str(widget.query_one(".part-title").render())
        await pilot.press("f", "enter")
        await pilot.pause()
        assert app.responses == [CaseResponse((SingleResponse(1), TrueFalseResponse(False)))]


async def test_long_option_wraps_and_scrolls_into_view() -> None:
    from immunoquiz.banks.model import Option, SingleItem

    long = "A very long option " * 30
    item = SingleItem(
        id="long",
        prompt="Long prompt. " * 40,
        options=tuple(Option(f"{n}: {long}", n == 0) for n in range(6)),
        explanation="x",
        shuffle=False,
    )
    app = OneItem(item)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        rows = list(app.widget.query("ChoiceRow"))
        assert rows[0].region.height > 1, "the option wraps instead of being cut"
        await pilot.press("6")
        await pilot.pause()
        scroll = app.query_one(VerticalScroll)
        assert scroll.scroll_y > 0
        assert rows[5].region.y < 24 and rows[5].region.bottom > 0


async def test_match_with_many_long_columns_numbers_them_at_80_columns() -> None:
    from immunoquiz.banks.model import MatchItem

    columns = tuple(f"Column number {n} with a long explanatory name" for n in range(1, 7))
    item = MatchItem(
        id="wide",
        prompt="Classify.",
        rows=("First row", "Second row"),
        columns=columns,
        answer=(0, 5),
        explanation="x",
        shuffle=False,
    )
    for size, compact in (((80, 24), True), ((220, 30), False)):
        app = OneItem(item)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            grid = app.widget.query_one(MatchGrid)
            assert grid.compact is compact
            labels = [row.region.width for row in grid.query(".row-label")]
            assert min(labels[1:]) >= 20, "row text keeps room to be read"
            await pilot.press("1", "6", "enter")
            assert app.responses == [MatchResponse((0, 5))]


async def test_long_vignette_scrolls_in_its_panel_and_the_part_stays_visible() -> None:
    from dataclasses import replace

    item = replace(CASE, vignette="Day 1: she feels well. " * 120)
    app = OneItem(item)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        panel = app.widget.query_one("#vignette")
        assert panel.max_scroll_y > 0, "the vignette scrolls instead of being cut"
        assert panel.region.height <= 12, "it leaves room for the question"
        part = app.widget.part_widgets[0]
        assert part.region.height > 0 and part.region.y < 24
        await pilot.press("2", "enter")
        await pilot.pause()
        update = panel.query(".update").last()
        assert update.region.y >= panel.region.y, "the new information is scrolled into view"


@pytest.mark.parametrize(
    ("item", "keys", "refusal"),
    [
        (SINGLE, (), "Choose an answer first."),
        (TRUE_FALSE, (), "Choose True or False first."),
        (SELECT_N, ("1",), "Pick 2 options (1 picked)."),
        (MATCH, ("1",), "Mark one column in every row"),
        (BOWTIE, (), "Actions to take: pick 2 (0 picked)."),
    ],
    ids=["single", "true_false", "select_n", "match", "bowtie"],
)
async def test_enter_with_no_choice_is_refused_never_picked_for_you(
    item: Item, keys: tuple[str, ...], refusal: str
) -> None:
    """Enter on an untouched list used to record option 1 (or True) as the answer."""
    app = OneItem(item)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press(*keys, "enter")
        await pilot.pause()
        assert app.responses == []
        assert refusal in str(app.widget.query_one(".problem").render())
