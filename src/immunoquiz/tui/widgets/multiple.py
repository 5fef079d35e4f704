"""Select all that apply, and select-N (which refuses an extra pick, saying why)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from immunoquiz.banks.model import MultipleItem
from immunoquiz.responses import MultipleResponse
from immunoquiz.tui.text import plural
from immunoquiz.tui.widgets.base import ItemWidget
from immunoquiz.tui.widgets.choices import ChoiceList


class MultipleWidget(ItemWidget):
    item: MultipleItem

    DEFAULT_CSS = """
    MultipleWidget > .count { color: $text-muted; }
    """

    def compose_answer(self) -> ComposeResult:
        order = self.shown_layout.shown("options")
        self.HINT = f"Space or 1-{len(order)} pick/unpick · ↑↓ move · Enter submits"
        yield ChoiceList(
            [self.item.options[i].text for i in order],
            multi=True,
            limit=self.item.choose,
            id="choices",
        )
        yield Static(self._count_text(0), classes="count")

    def _count_text(self, picked: int) -> str:
        if self.item.choose:
            return f"{picked} of {self.item.choose} picked"
        return f"{plural(picked, 'option')} picked · select all that apply"

    @property
    def choices(self) -> ChoiceList:
        return self.query_one("#choices", ChoiceList)

    def missing(self) -> str | None:
        picked = len(self.choices.picked)
        if self.item.choose and picked != self.item.choose:
            return f"Pick {plural(self.item.choose, 'option')} ({picked} picked)."
        if not picked:
            return "Pick at least one option."
        return None

    def build_response(self) -> MultipleResponse:
        order = self.layout_order["options"]
        return MultipleResponse(frozenset(order[p] for p in self.choices.picked))

    def on_choice_list_changed(self, message: ChoiceList.Changed) -> None:
        message.stop()
        self.say(None)
        self.query_one(".count", Static).update(self._count_text(len(self.choices.picked)))

    def on_choice_list_refused(self, message: ChoiceList.Refused) -> None:
        message.stop()
        self.say(
            f"Only {message.limit} may be picked: unpick one first "
            "(space or its number on a picked option)."
        )

    def on_choice_list_submit_requested(self, message: ChoiceList.SubmitRequested) -> None:
        message.stop()
        self.submit()
