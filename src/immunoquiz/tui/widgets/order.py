"""Order: move the highlighted line up and down until the list is right.

Keyboard: ↑↓ move the highlight; Shift+↑↓ (or Space to pick up, ↑↓, Space to
put down) move the line itself. Mouse: click a line to pick it up, click where
it should go to put it down.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from immunoquiz.banks.model import OrderItem
from immunoquiz.responses import OrderResponse
from immunoquiz.tui.text import join, lit
from immunoquiz.tui.widgets.base import ItemWidget
from immunoquiz.tui.widgets.hanging import Hanging


class OrderRow(Hanging):
    """Place number, grip and text. Clicking posts the place."""

    DEFAULT_CSS = """
    OrderRow { height: auto; width: 1fr; }
    OrderRow.-cursor { background: $boost; }
    OrderRow.-grabbed { background: $accent 40%; text-style: bold; }
    OrderRow:hover { background: $boost; }
    """

    class Clicked(Message):
        def __init__(self, place: int) -> None:
            super().__init__()
            self.place = place

    def __init__(self, place: int, text: str) -> None:
        self.place = place
        self.text = text
        self.grabbed = False
        super().__init__(self._head(False), lit(text), indent=7)

    def _head(self, grabbed: bool) -> Content:
        return join((f"{self.place + 1}.".ljust(4), "dim"), ("↕" if grabbed else "≡", ""), "  ")

    def show(self, text: str, *, cursor: bool, grabbed: bool) -> None:
        self.set_class(cursor and not grabbed, "-cursor")
        self.set_class(grabbed, "-grabbed")
        if text != self.text or grabbed != self.grabbed:
            changed = text != self.text
            self.text, self.grabbed = text, grabbed
            self.set_parts(self._head(grabbed), lit(text) if changed else None)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Clicked(self.place))


class OrderList(Widget, can_focus=True):
    DEFAULT_CSS = """
    OrderList { height: auto; width: 1fr; layout: vertical; }
    OrderList:focus > OrderRow.-cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    """

    BINDINGS = [
        Binding("up,k", "up", "Up", show=False),
        Binding("down,j", "down", "Down", show=False),
        # one footer entry for both moves, so "? Help" still fits at 80 columns
        Binding("shift+up,ctrl+up,K", "move(-1)", "Move", key_display="⇧↑↓"),
        Binding("shift+down,ctrl+down,J", "move(1)", "Down", show=False),
        Binding("space", "grab", "Grab"),
        Binding("enter", "submit", "Submit"),
    ]

    cursor: reactive[int] = reactive(0, init=False)
    grabbed: reactive[bool] = reactive(False, init=False)

    class SubmitRequested(Message):
        pass

    def __init__(self, texts: list[str], order: list[int], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.texts = texts  # in bank order
        self.order = order  # bank indices, top to bottom

    def compose(self) -> ComposeResult:
        for place, index in enumerate(self.order):
            yield OrderRow(place, self.texts[index])

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        for row in self.query_children(OrderRow):
            here = row.place == self.cursor
            row.show(
                self.texts[self.order[row.place]],
                cursor=here,
                grabbed=here and self.grabbed,
            )
            if here:
                row.scroll_visible(animate=False)

    def watch_cursor(self) -> None:
        self._show()

    def watch_grabbed(self) -> None:
        self._show()

    def move_line(self, source: int, target: int) -> None:
        """Move the line at place `source` to place `target`; the cursor follows it."""
        target = max(0, min(len(self.order) - 1, target))
        line = self.order.pop(source)
        self.order.insert(target, line)
        self.cursor = target
        self._show()

    def action_up(self) -> None:
        if self.grabbed:
            self.action_move(-1)
        elif self.cursor > 0:
            self.cursor -= 1

    def action_down(self) -> None:
        if self.grabbed:
            self.action_move(1)
        elif self.cursor < len(self.order) - 1:
            self.cursor += 1

    def action_move(self, delta: int) -> None:
        target = self.cursor + delta
        if 0 <= target < len(self.order):
            self.move_line(self.cursor, target)
        else:
            self.app.bell()

    def action_grab(self) -> None:
        self.grabbed = not self.grabbed

    def action_submit(self) -> None:
        self.grabbed = False
        self.post_message(self.SubmitRequested())

    def on_order_row_clicked(self, message: OrderRow.Clicked) -> None:
        message.stop()
        self.focus()
        if self.grabbed:
            self.grabbed = False
            self.move_line(self.cursor, message.place)
        else:
            self.cursor = message.place
            self.grabbed = True


class OrderWidget(ItemWidget):
    item: OrderItem

    HINT = "Shift+↑↓ move the line (or Space, ↑↓, Space) · Enter submits"

    def compose_answer(self) -> ComposeResult:
        order = self.shown_layout.shown("items")
        yield OrderList(list(self.item.items), list(order), id="order")

    @property
    def order_list(self) -> OrderList:
        return self.query_one("#order", OrderList)

    def build_response(self) -> OrderResponse:
        return OrderResponse(tuple(self.order_list.order))

    def on_order_list_submit_requested(self, message: OrderList.SubmitRequested) -> None:
        message.stop()
        self.submit()
