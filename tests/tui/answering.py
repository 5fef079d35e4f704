"""Drive an item widget with the keyboard, the way a learner would, right or wrong."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input, Select

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
from immunoquiz.tui.widgets import ItemWidget
from immunoquiz.tui.widgets.bowtie import COLUMNS
from immunoquiz.tui.widgets.case import CaseWidget
from immunoquiz.tui.widgets.order import OrderList


def _digit(position: int) -> str:
    return str(position + 1)


async def answer(pilot: Pilot, widget: ItemWidget, correct: bool) -> None:
    """Answer the item shown by `widget` fully right (`correct`) or not fully right."""
    item = widget.item
    await pilot.pause()
    if isinstance(item, SingleItem):
        order = widget.layout_order["options"]
        want = item.correct_index if correct else next(i for i in order if i != item.correct_index)
        await pilot.press(_digit(order.index(want)), "enter")
    elif isinstance(item, MultipleItem):
        order = widget.layout_order["options"]
        right = sorted(item.correct_indices)
        wrong = [i for i in range(len(item.options)) if i not in item.correct_indices]
        chosen = right if correct else [wrong[0], *right[1:]]
        await pilot.press(*[_digit(order.index(i)) for i in chosen], "enter")
    elif isinstance(item, TrueFalseItem):
        value = item.answer if correct else not item.answer
        await pilot.press("t" if value else "f", "enter")
    elif isinstance(item, ClozeItem):
        for n, blank in enumerate(item.blanks):
            field = widget.query_one(f"#blank-{n}")
            field.focus()
            await pilot.pause()
            if isinstance(field, Input):
                text = blank.answers[0] if correct else "not this"
                await pilot.press(*text)
                await pilot.pause()
            else:
                assert isinstance(field, Select) and blank.choices
                want = (
                    blank.answers[0]
                    if correct
                    else next(c for c in blank.choices if c not in blank.answers)
                )
                order = widget.layout_order[f"choices{n}"]
                position = order.index(blank.choices.index(want))
                await pilot.press("enter")  # opens the drop-down
                await pilot.pause()
                await pilot.press(*["down"] * (position + 1), "enter")
                await pilot.pause()
        await pilot.pause()
        widget.submit()
    elif isinstance(item, OrderItem):
        order_list = widget.query_one(OrderList)
        order_list.focus()
        if correct:
            for place in range(len(item.items)):
                current = order_list.order.index(place)
                while order_list.cursor < current:
                    await pilot.press("down")
                while order_list.cursor > current:
                    await pilot.press("up")
                await pilot.press(*["shift+up"] * (current - place))
        await pilot.press("enter")
    elif isinstance(item, MatchItem):
        rows = widget.layout_order["rows"]
        keys = []
        for display_row, bank_row in enumerate(rows):
            col = item.answer[bank_row]
            if not correct and display_row == 0:
                col = (col + 1) % len(item.columns)
            keys.append(_digit(col))
        await pilot.press(*keys, "enter")
    elif isinstance(item, BowtieItem):
        for n, (name, _) in enumerate(COLUMNS):
            options = getattr(item, name)
            order = widget.layout_order[name]
            right = [i for i, o in enumerate(options) if o.correct]
            if not correct and name == "conditions":
                right = [next(i for i, o in enumerate(options) if not o.correct)]
            await pilot.press(*[_digit(order.index(i)) for i in right])
            if n < len(COLUMNS) - 1:
                await pilot.press("right")
        await pilot.press("enter")
    elif isinstance(item, CaseItem):
        assert isinstance(widget, CaseWidget)
        for n in range(len(item.parts)):
            await pilot.pause()
            part = widget.part_widgets[n]
            await answer(pilot, part, correct)
    else:  # pragma: no cover
        raise AssertionError(f"no driver for {item.type}")
    await pilot.pause()


def response_for(item: Item, correct: bool) -> Response:
    """A fully right (or not fully right) response, built directly in bank indices."""
    if isinstance(item, SingleItem):
        wrong = next(i for i in range(len(item.options)) if i != item.correct_index)
        return SingleResponse(item.correct_index if correct else wrong)
    if isinstance(item, MultipleItem):
        right = sorted(item.correct_indices)
        wrong = [i for i in range(len(item.options)) if i not in item.correct_indices]
        return MultipleResponse(frozenset(right if correct else [wrong[0], *right[1:]]))
    if isinstance(item, TrueFalseItem):
        return TrueFalseResponse(item.answer if correct else not item.answer)
    if isinstance(item, ClozeItem):
        return ClozeResponse(tuple(b.answers[0] if correct else "not this" for b in item.blanks))
    if isinstance(item, OrderItem):
        n = len(item.items)
        return OrderResponse(tuple(range(n)) if correct else tuple(reversed(range(n))))
    if isinstance(item, MatchItem):
        picks = list(item.answer)
        if not correct:
            picks[0] = (picks[0] + 1) % len(item.columns)
        return MatchResponse(tuple(picks))
    if isinstance(item, BowtieItem):

        def pick(options: tuple, want_right: bool) -> frozenset[int]:  # type: ignore[type-arg]
            return frozenset(i for i, o in enumerate(options) if o.correct == want_right)

        conditions = pick(item.conditions, True)
        if not correct:
            conditions = frozenset({min(pick(item.conditions, False))})
        return BowtieResponse(conditions, pick(item.actions, True), pick(item.parameters, True))
    if isinstance(item, CaseItem):
        return CaseResponse(tuple(response_for(p, correct) for p in item.parts))
    raise AssertionError(f"no response for {item.type}")  # pragma: no cover


async def submit(pilot: Pilot, widget: ItemWidget, correct: bool) -> None:
    """Answer without the keys (those are covered in test_widgets.py): quicker app tests."""
    widget.post_message(ItemWidget.Submitted(widget, response_for(widget.item, correct)))
    await pilot.pause()
