"""One widget per item type, each turning the learner's input into a Response.

A type's widget module is imported when an item of that type is first shown, so
the first question costs its own widget, not all eight.
"""

from __future__ import annotations

from importlib import import_module

from immunoquiz.banks.model import CaseItem, Item
from immunoquiz.present import Layout
from immunoquiz.tui.widgets.base import ItemWidget

# item type -> (module in this package, widget class)
WIDGETS: dict[str, tuple[str, str]] = {
    "single": ("single", "SingleWidget"),
    "multiple": ("multiple", "MultipleWidget"),
    "true_false": ("true_false", "TrueFalseWidget"),
    "cloze": ("cloze", "ClozeWidget"),
    "order": ("order", "OrderWidget"),
    "match": ("match", "MatchWidget"),
    "bowtie": ("bowtie", "BowtieWidget"),
}


def widget_class(item: Item) -> type[ItemWidget]:
    module, name = WIDGETS[item.type]
    found: type[ItemWidget] = getattr(import_module(f"{__name__}.{module}"), name)
    return found


def widget_for(item: Item, shown: Layout | None = None, *, id: str | None = None) -> ItemWidget:
    """The widget that asks `item`, laid out as `shown` (a fresh layout when None)."""
    if isinstance(item, CaseItem):
        from immunoquiz.tui.widgets.case import CaseWidget

        return CaseWidget(item, shown, id=id, part_widget=widget_for)
    return widget_class(item)(item, shown, id=id)


__all__ = ["WIDGETS", "ItemWidget", "widget_for"]
