"""What every item widget shares: the item, its `present.Layout`, and a Response out.

A widget shows one item in the order its layout says (widgets never shuffle)
and, on submit, posts `ItemWidget.Submitted` with a `Response` whose indices
are the bank's own. An incomplete or invalid answer is refused with one plain
sentence instead (no answer without a choice: `present.incomplete`).
`shown_layout` records what was shown where, so feedback shows the same order
(`layout_order` is its lists as a dict, for turning display positions into bank indices).
"""

from __future__ import annotations

import random

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Static

from immunoquiz.banks.model import Item
from immunoquiz.present import Layout, incomplete, layout
from immunoquiz.responses import Response
from immunoquiz.scoring import validate_response
from immunoquiz.tui.text import lit


class ItemWidget(Vertical):
    """Base class: subclasses implement `compose_answer`, `build_response`, `missing`."""

    DEFAULT_CSS = """
    ItemWidget { height: auto; width: 1fr; }
    ItemWidget > .stem { margin: 0 0 1 0; text-style: bold; }
    ItemWidget > .actions { height: auto; margin: 1 0 0 0; }
    ItemWidget > .actions > Button { margin: 0 2 0 0; min-width: 10; }
    ItemWidget > .actions > .hint { color: $text-muted; width: 1fr; }
    ItemWidget > .problem { color: $warning; text-style: bold; display: none; }
    ItemWidget > .problem.-shown { display: block; }
    """

    HINT = "Enter submits"

    class Submitted(Message):
        def __init__(self, widget: ItemWidget, response: Response) -> None:
            super().__init__()
            self.widget = widget
            self.response = response

        @property
        def control(self) -> ItemWidget:
            return self.widget

    def __init__(
        self,
        item: Item,
        shown: Layout | None = None,
        *,
        show_stem: bool = True,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="item-widget")
        self.item = item
        # No layout given: a fresh one (a new showing), never a widget's own shuffle.
        self.shown_layout = shown if shown is not None else layout(item, random.getrandbits(64))
        self.show_stem = show_stem
        self.layout_order: dict[str, tuple[int, ...]] = self.shown_layout.as_dict()

    def compose(self) -> ComposeResult:
        if self.show_stem:
            yield Static(lit(self.stem_text()), classes="stem")
        yield from self.compose_answer()
        yield Static("", classes="problem")
        with Horizontal(classes="actions"):
            yield Button("Submit", classes="submit", compact=True, variant="primary")
            yield Static(self.HINT, classes="hint")

    def stem_text(self) -> str:
        return self.item.stem

    def compose_answer(self) -> ComposeResult:
        raise NotImplementedError
        yield  # pragma: no cover

    def build_response(self) -> Response:
        """The answer as it stands (possibly incomplete)."""
        raise NotImplementedError

    def missing(self) -> str | None:
        """Why the answer is not complete yet, or None."""
        return None

    def focus_answer(self) -> None:
        """Put the keyboard on the first thing to answer."""
        for widget in self.query("*"):
            if widget.focusable:
                # No scrolling to it: the stem above must stay in view. Focused now, not
                # on a later turn of the loop: a screen shown meanwhile would focus its
                # first focusable (the scroll) and the footer be rebuilt for it.
                self.screen.set_focus(widget, scroll_visible=False)
                return

    def say(self, text: str | None) -> None:
        """Show (or clear) the one-line reason an answer was refused."""
        problem = self.query_one(".problem", Static)
        if not text and not problem.has_class("-shown"):
            return  # nothing to clear: touching it would relayout the screen before feedback
        problem.update(lit(text or ""))
        problem.set_class(bool(text), "-shown")
        if text:
            self.app.bell()
            problem.scroll_visible(animate=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.has_class("submit") and event.button.parent in self.children:
            event.stop()
            self.submit()

    def focus_submit(self) -> None:
        for child in self.query_children(Horizontal):
            if child.has_class("actions"):
                child.query_one(Button).focus()

    def action_submit(self) -> None:
        self.submit()

    def submit(self) -> bool:
        reason = self.missing()
        response: Response | None = None
        if reason is None:
            response = self.build_response()
            reason = validate_response(self.item, response)
            if reason:
                reason = reason[:1].upper() + reason[1:] + "."
            else:
                reason = incomplete(self.item, response)
        if reason or response is None:
            self.say(reason)
            return False
        self.say(None)
        self.post_message(self.Submitted(self, response))
        return True
