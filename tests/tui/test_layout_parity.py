"""One layout for every client: the TUI, plain mode and the present model show the same order.

For every item type and several seeds, the order the model gives is the order the
TUI widget shows and the order plain mode numbers. Clients do not shuffle.
"""

from __future__ import annotations

import pytest
from sample_banks import ALL_ITEMS, SINGLE
from textual.app import App, ComposeResult

from immunoquiz.banks.model import (
    BowtieItem,
    CaseItem,
    ClozeItem,
    Item,
    MatchItem,
    OrderItem,
    TrueFalseItem,
)
from immunoquiz.plain.display import BOWTIE_PREFIX
from immunoquiz.plain.render import body
from immunoquiz.present import Layout, layout
from immunoquiz.tui.widgets import widget_for
from immunoquiz.tui.widgets.choices import ChoiceList
from immunoquiz.tui.widgets.match import MatchGrid
from immunoquiz.tui.widgets.order import OrderList

SEEDS = (1, 2, 3, 2026)
# Items with a list to order (true/false always shows True, False).
FLAT = [i for i in ALL_ITEMS if not isinstance(i, CaseItem | ClozeItem | TrueFalseItem)]


def model_lists(item: Item, shown: Layout) -> dict[str, list[str]]:
    """What the model says is shown, list by list, as texts in display order."""
    if isinstance(item, OrderItem):
        return {"items": [item.items[j] for j in shown.shown("items")]}
    if isinstance(item, MatchItem):
        return {"rows": [item.rows[j] for j in shown.shown("rows")]}
    if isinstance(item, BowtieItem):
        return {g: [getattr(item, g)[j].text for j in shown.shown(g)] for g in BOWTIE_PREFIX}
    if "options" in shown.lists:
        return {"options": [item.options[j].text for j in shown.shown("options")]}  # type: ignore[attr-defined]
    return {}


class Shows(App[None]):
    def __init__(self, item: Item, shown: Layout) -> None:
        super().__init__()
        self.item, self.shown = item, shown

    def compose(self) -> ComposeResult:
        yield widget_for(self.item, self.shown, id="w")


async def tui_lists(item: Item, shown: Layout) -> dict[str, list[str]]:
    app = Shows(item, shown)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        if isinstance(item, OrderItem):
            grid = app.query_one(OrderList)
            return {"items": [grid.texts[j] for j in grid.order]}
        if isinstance(item, MatchItem):
            match = app.query_one(MatchGrid)
            return {"rows": [match.row_texts[j] for j in match.row_order]}
        lists = {cl.id or "": list(cl.texts) for cl in app.query(ChoiceList)}
        if not isinstance(item, BowtieItem):
            lists = {"options": lists["choices"]} if "choices" in lists else {}
        return lists


def plain_lists(item: Item, shown: Layout) -> dict[str, list[str]]:
    """Plain mode's numbered lines, read back in the order printed."""
    lines = body(item, shown)
    out: dict[str, list[str]] = {}
    for name, texts in model_lists(item, shown).items():
        prefix = BOWTIE_PREFIX.get(name, "") if isinstance(item, BowtieItem) else ""
        found = []
        for k in range(1, len(texts) + 1):
            label = f"  {prefix}{k}. "
            found.append(next(line[len(label) :] for line in lines if line.startswith(label)))
        out[name] = found
    return out


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("item", FLAT, ids=lambda i: i.type + "-" + i.id)
async def test_tui_plain_and_model_show_the_same_order(item: Item, seed: int) -> None:
    shown = layout(item, seed)
    expected = model_lists(item, shown)
    assert expected, "every choice-like type has at least one list"
    assert plain_lists(item, shown) == expected
    assert await tui_lists(item, shown) == expected


def test_the_layout_depends_on_the_seed_and_on_nothing_else() -> None:
    for item in ALL_ITEMS:
        for seed in SEEDS:
            assert layout(item, seed) == layout(item, seed)
    assert len({layout(SINGLE, s).shown("options") for s in range(20)}) > 1  # seeds shuffle
