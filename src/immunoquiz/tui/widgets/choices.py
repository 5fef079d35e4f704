"""A keyboard-first list of options: one pick (radio) or several (checkboxes).

Used by single, select-all, select-N, true/false and each bow-tie column. Rows
are widgets so long options wrap with a hanging indent and the surrounding
scroll container can bring the cursor row into view.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from immunoquiz.tui.text import join, key_label, lit
from immunoquiz.tui.widgets.hanging import Hanging


class ChoiceRow(Hanging):
    """One option: key, marker, text (wrapping under itself). Clicking it picks it."""

    DEFAULT_CSS = """
    ChoiceRow { height: auto; width: 1fr; padding: 0 1 0 0; }
    ChoiceRow.-cursor { background: $boost; }
    ChoiceRow:hover { background: $boost; }
    """

    class Clicked(Message):
        def __init__(self, position: int) -> None:
            super().__init__()
            self.position = position

    def __init__(self, position: int, text: str, multi: bool) -> None:
        self.position = position
        self.text = text
        self.multi = multi
        self.picked = False
        self.cursor = False
        super().__init__(self._head(False, False), lit(text), indent=6)

    def _head(self, picked: bool, cursor: bool) -> Content:
        if self.multi:
            mark = "[x]" if picked else "[ ]"
        else:
            mark = "(•)" if picked else "( )"
        # On the highlighted row the cursor colours apply to the whole line (contrast).
        return join(
            (key_label(self.position), "bold" if cursor else "dim"),
            " ",
            (mark, "bold" if cursor else "bold $success" if picked else ""),
            " ",
        )

    def set_state(self, *, picked: bool, cursor: bool) -> None:
        self.set_class(cursor, "-cursor")
        self.set_class(picked, "-picked")
        if picked != self.picked or cursor != self.cursor:
            body = None
            if picked != self.picked:
                body = lit(self.text, "bold") if picked else lit(self.text)
            self.picked, self.cursor = picked, cursor
            self.set_parts(self._head(picked, cursor), body)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Clicked(self.position))


class ChoiceList(Widget, can_focus=True):
    """Options in display order; `picked` holds display positions.

    `limit` caps the picks of a multi list (select-N, bow-tie columns): an extra
    pick is refused with `Refused` so the owner can say why.
    """

    DEFAULT_CSS = """
    ChoiceList { height: auto; width: 1fr; layout: vertical; padding: 0 0; }
    ChoiceList:focus > ChoiceRow.-cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    """

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("home", "cursor_to(0)", "First", show=False),
        Binding("end", "cursor_to(-1)", "Last", show=False),
        Binding("space", "pick_cursor", "Pick", key_display="space"),
        Binding("enter", "submit", "Submit"),
    ]

    cursor: reactive[int] = reactive(0, init=False)

    class Changed(Message):
        """The picks changed (by key or click)."""

        def __init__(self, choice_list: ChoiceList) -> None:
            super().__init__()
            self.choice_list = choice_list

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    class SubmitRequested(Message):
        def __init__(self, choice_list: ChoiceList) -> None:
            super().__init__()
            self.choice_list = choice_list

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    class Refused(Message):
        """A pick beyond `limit` was refused."""

        def __init__(self, choice_list: ChoiceList, limit: int) -> None:
            super().__init__()
            self.choice_list = choice_list
            self.limit = limit

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    def __init__(
        self,
        texts: Sequence[str],
        *,
        multi: bool = False,
        limit: int | None = None,
        standalone: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.texts = list(texts)
        self.multi = multi
        self.limit = limit
        # A standalone one-pick list (a single item) picks as the cursor moves and
        # on Enter; a bow-tie column only picks on space, a digit or a click.
        self.standalone = standalone
        self.picked: set[int] = set()

    def compose(self) -> ComposeResult:
        for position, text in enumerate(self.texts):
            yield ChoiceRow(position, text, self.multi)

    def on_mount(self) -> None:
        self._refresh_rows()

    @property
    def rows(self) -> list[ChoiceRow]:
        return list(self.query_children(ChoiceRow))

    def _refresh_rows(self) -> None:
        for row in self.rows:
            row.set_state(picked=row.position in self.picked, cursor=row.position == self.cursor)

    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_rows()
        rows = self.rows
        if 0 <= new < len(rows):
            rows[new].scroll_visible(animate=False)

    # -- picking ---------------------------------------------------------------

    def pick(self, position: int) -> bool:
        """Pick (single) or toggle (multi) the option at `position`; False if refused."""
        if not 0 <= position < len(self.texts):
            return False
        self.cursor = position
        if not self.multi:
            self.picked = {position}
        elif position in self.picked:
            self.picked.discard(position)
        elif self.limit is not None and len(self.picked) >= self.limit:
            self.app.bell()
            self.post_message(self.Refused(self, self.limit))
            return False
        else:
            self.picked.add(position)
        self._refresh_rows()
        self.post_message(self.Changed(self))
        return True

    @property
    def follows(self) -> bool:
        return not self.multi and self.standalone

    def action_cursor(self, delta: int) -> None:
        if self.texts:
            self.cursor = (self.cursor + delta) % len(self.texts)
            if self.follows:
                self.pick(self.cursor)

    def action_cursor_to(self, position: int) -> None:
        if self.texts:
            self.cursor = position % len(self.texts)
            if self.follows:
                self.pick(self.cursor)

    def action_pick_cursor(self) -> None:
        self.pick(self.cursor)

    def action_submit(self) -> None:
        # Never pick the row under the cursor on Enter: no answer without a choice.
        self.post_message(self.SubmitRequested(self))

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character in "123456789":
            position = int(event.character) - 1
            if position < len(self.texts):
                event.stop()
                event.prevent_default()
                self.pick(position)

    def on_choice_row_clicked(self, message: ChoiceRow.Clicked) -> None:
        message.stop()
        self.focus()
        self.pick(message.position)
