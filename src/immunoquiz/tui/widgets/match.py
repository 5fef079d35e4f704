"""Match (the NGN matrix): a grid with one choice per row.

↑↓ pick the row, ←→ the column, Space marks the cell; a digit marks that
column in the current row and moves down. A click marks a cell.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from immunoquiz.banks.model import MatchItem
from immunoquiz.responses import MatchResponse
from immunoquiz.tui.text import join, lit
from immunoquiz.tui.widgets.base import ItemWidget
from immunoquiz.tui.widgets.hanging import Hanging


def column_width(label: str, lines: int = 3) -> int:
    """Wide enough for the longest word (headers wrap) and for the label to wrap to at most
    `lines` lines, capped so rows keep room."""
    longest = max((len(w) for w in label.split()), default=1)
    width = max(6, min(16, max(longest, min(len(label), 12)) + 2))
    while len(lit(label).wrap(width)) > lines and width < 30:
        width += 1
    return width


class MatchCell(Static):
    DEFAULT_CSS = """
    MatchCell { height: auto; content-align: center top; text-align: center; }
    MatchCell.-cursor { background: $boost; }
    MatchCell.-picked { color: $success; text-style: bold; }
    MatchCell:hover { background: $boost; }
    """

    class Clicked(Message):
        def __init__(self, row: int, col: int) -> None:
            super().__init__()
            self.row = row
            self.col = col

    def __init__(self, row: int, col: int, width: int) -> None:
        super().__init__("( )")
        self.row = row
        self.col = col
        self.styles.width = width

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Clicked(self.row, self.col))


class MatchGrid(Widget, can_focus=True):
    DEFAULT_CSS = """
    MatchGrid { height: auto; width: 1fr; layout: vertical; }
    MatchGrid > Horizontal { height: auto; width: 1fr; }
    MatchGrid > .header { color: $text-muted; text-style: bold; border-bottom: solid $panel; }
    MatchGrid > Horizontal > .row-label { width: 1fr; max-width: 44; padding: 0 1 0 0; }
    MatchGrid > .legend { color: $text-muted; }
    MatchGrid > Horizontal > .col-label { text-align: center; height: auto; margin: 0 0 0 1; }
    MatchGrid MatchCell { margin: 0 0 0 1; }
    MatchGrid > .match-row.-current { background: $boost 50%; }
    MatchGrid:focus MatchCell.-cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    """

    BINDINGS = [
        Binding("up,k", "row(-1)", "Row up", show=False),
        Binding("down,j", "row(1)", "Row down", show=False),
        Binding("left,h", "col(-1)", "Column left", show=False),
        Binding("right,l", "col(1)", "Column right", show=False),
        Binding("space", "mark", "Mark"),
        Binding("enter", "submit", "Submit"),
    ]

    row: reactive[int] = reactive(0, init=False)
    col: reactive[int] = reactive(0, init=False)

    class Changed(Message):
        pass

    class SubmitRequested(Message):
        pass

    def __init__(
        self, rows: list[str], columns: list[str], row_order: tuple[int, ...], *, id: str | None
    ) -> None:
        super().__init__(id=id)
        self.row_texts = rows
        self.columns = columns
        self.row_order = row_order  # display row -> bank row
        self.picks: list[int | None] = [None] * len(rows)  # by display row
        self.full_widths = [column_width(f"{n + 1} {c}") for n, c in enumerate(columns)]
        self.widths = list(self.full_widths)
        self.compact = False

    MIN_LABEL = 24  # row text gets at least this many cells, or the headers go compact
    MAX_LABEL = 44  # the row label's max-width (CSS above)
    ROW_LINES = 3  # a row's text wraps to at most this many lines, or the headers go compact

    def _fits(self, width: int) -> bool:
        room = min(self.MAX_LABEL, width - sum(w + 1 for w in self.full_widths)) - 1
        if room + 1 < self.MIN_LABEL:
            return False
        return all(len(lit(t).wrap(room)) <= self.ROW_LINES for t in self.row_texts)

    def compose(self) -> ComposeResult:
        width = self.size.width or max(40, self.app.size.width - 6)
        self.compact = not self._fits(width)
        self.widths = [5] * len(self.columns) if self.compact else list(self.full_widths)
        if self.compact:
            # Too many or too long columns for one line: number them, name them above.
            for n, name in enumerate(self.columns):
                yield Hanging(join((f"{n + 1}", "bold")), lit(name), indent=3, classes="legend")
        with Horizontal(classes="header"):
            yield Static("", classes="row-label")
            for n, (name, width) in enumerate(zip(self.columns, self.widths, strict=True)):
                text = f"{n + 1}" if self.compact else f"{n + 1} {name}"
                label = Static(lit(text), classes="col-label")
                label.styles.width = width
                yield label
        for r, bank_row in enumerate(self.row_order):
            with Horizontal(classes="match-row"):
                yield Static(lit(self.row_texts[bank_row]), classes="row-label")
                for c, width in enumerate(self.widths):
                    yield MatchCell(r, c, width)

    def on_resize(self) -> None:
        if self.size.width and self.compact == self._fits(self.size.width):
            self.refresh(recompose=True)
            self.call_after_refresh(self._show)

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        for r, line in enumerate(self.query_children(".match-row")):
            line.set_class(r == self.row, "-current")
            for cell in line.query_children(MatchCell):
                picked = self.picks[r] == cell.col
                cell.set_class(r == self.row and cell.col == self.col, "-cursor")
                if picked != cell.has_class("-picked"):
                    cell.set_class(picked, "-picked")
                    cell.update("(•)" if picked else "( )", layout=False)
                if r == self.row and cell.col == self.col:
                    line.scroll_visible(animate=False)

    def watch_row(self) -> None:
        self._show()

    def watch_col(self) -> None:
        self._show()

    def mark(self, row: int, col: int) -> None:
        self.picks[row] = col
        self.row, self.col = row, col
        self._show()
        self.post_message(self.Changed())

    def action_row(self, delta: int) -> None:
        self.row = (self.row + delta) % len(self.row_order)

    def action_col(self, delta: int) -> None:
        self.col = (self.col + delta) % len(self.columns)

    def action_mark(self) -> None:
        self.mark(self.row, self.col)

    def action_submit(self) -> None:
        self.post_message(self.SubmitRequested())

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit() and event.character != "0":
            col = int(event.character) - 1
            if col < len(self.columns):
                event.stop()
                event.prevent_default()
                row = self.row
                self.mark(row, col)
                if row + 1 < len(self.row_order):
                    self.row = row + 1

    def on_match_cell_clicked(self, message: MatchCell.Clicked) -> None:
        message.stop()
        self.focus()
        self.mark(message.row, message.col)


class MatchWidget(ItemWidget):
    item: MatchItem

    def compose_answer(self) -> ComposeResult:
        order = self.shown_layout.shown("rows")
        self.HINT = f"1-{len(self.item.columns)} mark a column · ↑↓←→ Space · Enter submits"
        yield MatchGrid(list(self.item.rows), list(self.item.columns), order, id="grid")

    @property
    def grid(self) -> MatchGrid:
        return self.query_one("#grid", MatchGrid)

    def missing(self) -> str | None:
        empty = [n + 1 for n, p in enumerate(self.grid.picks) if p is None]
        if empty:
            rows = ", ".join(map(str, empty))
            word = "row" if len(empty) == 1 else "rows"
            return f"Mark one column in every row ({word} {rows} still empty)."
        return None

    def build_response(self) -> MatchResponse:
        picks: list[int | None] = [None] * len(self.item.rows)
        for display_row, bank_row in enumerate(self.layout_order["rows"]):
            picks[bank_row] = self.grid.picks[display_row]
        return MatchResponse(tuple(picks))

    def on_match_grid_changed(self, message: MatchGrid.Changed) -> None:
        message.stop()
        self.say(None)

    def on_match_grid_submit_requested(self, message: MatchGrid.SubmitRequested) -> None:
        message.stop()
        self.submit()
