"""One widget per item type, each turning the learner's input into a Response."""

from __future__ import annotations

from immunoquiz.banks.model import (
    BowtieItem,
    CaseItem,
    ClozeItem,
    Item,
    MatchItem,
    MultipleItem,
    OrderItem,
    SingleItem,
    TrueFalseItem,
)
from immunoquiz.present import Layout
from immunoquiz.tui.widgets.base import ItemWidget
from immunoquiz.tui.widgets.bowtie import BowtieWidget
from immunoquiz.tui.widgets.case import CaseWidget
from immunoquiz.tui.widgets.cloze import ClozeWidget
from immunoquiz.tui.widgets.match import MatchWidget
from immunoquiz.tui.widgets.multiple import MultipleWidget
from immunoquiz.tui.widgets.order import OrderWidget
from immunoquiz.tui.widgets.single import SingleWidget
from immunoquiz.tui.widgets.true_false import TrueFalseWidget

WIDGETS: dict[type[Item], type[ItemWidget]] = {
    SingleItem: SingleWidget,
    MultipleItem: MultipleWidget,
    TrueFalseItem: TrueFalseWidget,
    ClozeItem: ClozeWidget,
    OrderItem: OrderWidget,
    MatchItem: MatchWidget,
    BowtieItem: BowtieWidget,
}


def widget_for(item: Item, shown: Layout | None = None, *, id: str | None = None) -> ItemWidget:
    """The widget that asks `item`, laid out as `shown` (a fresh layout when None)."""
    if isinstance(item, CaseItem):
        return CaseWidget(item, shown, id=id, part_widget=widget_for)
    return WIDGETS[type(item)](item, shown, id=id)


__all__ = ["WIDGETS", "ItemWidget", "widget_for"]
