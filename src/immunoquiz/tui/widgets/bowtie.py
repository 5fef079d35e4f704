"""Bow-tie: actions to take | condition most likely | parameters to monitor.

Three columns with their pick counts (2, 1, 2). ←→ or Tab move between
columns; inside one, ↑↓ move, Space or a digit picks. A full column refuses
another pick and says so.

Below 100 terminal columns the three lists stack (a compact layout): side by
side, each would be about 16 cells wide and an option would take 5 to 10 lines.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from immunoquiz.banks.model import BowtieItem
from immunoquiz.responses import BowtieResponse
from immunoquiz.tui.widgets.base import ItemWidget
from immunoquiz.tui.widgets.choices import ChoiceList

# Display order (left to right) and the heading of each list, NCSBN style.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("actions", "Actions to take"),
    ("conditions", "Condition most likely"),
    ("parameters", "Parameters to monitor"),
)


class BowtieWidget(ItemWidget):
    item: BowtieItem

    DEFAULT_CSS = """
    BowtieWidget .bowtie { height: auto; }
    BowtieWidget .bowtie-col { width: 1fr; height: auto; border: round $panel; padding: 0 1 0 0; }
    BowtieWidget .bowtie-col:focus-within { border: round $accent; }
    BowtieWidget .bowtie-col.-full { border: round $success; }
    BowtieWidget .col-head { height: auto; layout: vertical; }
    BowtieWidget .col-title { text-style: bold; padding: 0 0 0 1; width: auto; }
    BowtieWidget .col-count { color: $text-muted; padding: 0 0 0 1; width: auto; }
    BowtieWidget .bowtie.-compact { layout: vertical; }
    BowtieWidget .-compact .bowtie-col {
        border: none; border-left: thick $panel; margin: 1 0 0 0; padding: 0;
    }
    BowtieWidget .-compact .bowtie-col:focus-within { border: none; border-left: thick $accent; }
    BowtieWidget .-compact .bowtie-col.-full { border: none; border-left: thick $success; }
    BowtieWidget .-compact .col-head { layout: horizontal; height: 1; }
    """

    COMPACT_BELOW = 100  # terminal columns

    HINT = "←→/Tab column · ↑↓ move · Space or digit picks · Enter submits"

    BINDINGS = [
        Binding("left", "column(-1)", "Prev column", show=False),
        Binding("right", "column(1)", "Next column", show=False),
    ]

    def compose_answer(self) -> ComposeResult:
        want = dict(self.item.PICKS)
        with Horizontal(classes="bowtie"):
            for name, title in COLUMNS:
                options = getattr(self.item, name)
                order = self.shown_layout.shown(name)
                with Vertical(classes="bowtie-col", id=f"col-{name}"):
                    with Horizontal(classes="col-head"):
                        yield Static(f"{title}", classes="col-title")
                        yield Static(self._count(0, want[name]), classes="col-count")
                    yield ChoiceList(
                        [options[i].text for i in order],
                        multi=want[name] > 1,
                        limit=want[name],
                        standalone=False,
                        id=name,
                    )

    def on_mount(self) -> None:
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        self.query_one(".bowtie").set_class(self.app.size.width < self.COMPACT_BELOW, "-compact")

    @staticmethod
    def _count(picked: int, want: int) -> str:
        return f"pick {want} · {picked}/{want}"

    def lists(self) -> list[ChoiceList]:
        return [self.query_one(f"#{name}", ChoiceList) for name, _ in COLUMNS]

    def action_column(self, delta: int) -> None:
        lists = self.lists()
        current = next((n for n, cl in enumerate(lists) if cl.has_focus), 0)
        lists[(current + delta) % len(lists)].focus()

    def missing(self) -> str | None:
        want = dict(self.item.PICKS)
        for (name, title), cl in zip(COLUMNS, self.lists(), strict=True):
            if len(cl.picked) != want[name]:
                return f"{title}: pick {want[name]} ({len(cl.picked)} picked)."
        return None

    def build_response(self) -> BowtieResponse:
        chosen = {
            name: frozenset(self.layout_order[name][p] for p in cl.picked)
            for (name, _), cl in zip(COLUMNS, self.lists(), strict=True)
        }
        return BowtieResponse(chosen["conditions"], chosen["actions"], chosen["parameters"])

    def on_choice_list_changed(self, message: ChoiceList.Changed) -> None:
        message.stop()
        self.say(None)
        cl = message.choice_list
        want = dict(self.item.PICKS)[cl.id or ""]
        column = self.query_one(f"#col-{cl.id}", Vertical)
        column.query_one(".col-count", Static).update(self._count(len(cl.picked), want))
        column.set_class(len(cl.picked) == want, "-full")

    def on_choice_list_refused(self, message: ChoiceList.Refused) -> None:
        message.stop()
        title = dict(COLUMNS)[message.choice_list.id or ""]
        self.say(
            f"{title}: only {message.limit} may be picked. Unpick one first "
            "(Space on a picked option)."
        )

    def on_choice_list_submit_requested(self, message: ChoiceList.SubmitRequested) -> None:
        message.stop()
        self.submit()
