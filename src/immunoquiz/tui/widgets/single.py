"""Single best answer: digits, arrows and Enter; a click picks."""

from __future__ import annotations

from textual.app import ComposeResult

from immunoquiz.banks.model import SingleItem
from immunoquiz.responses import SingleResponse
from immunoquiz.tui.widgets.base import ItemWidget
from immunoquiz.tui.widgets.choices import ChoiceList


class SingleWidget(ItemWidget):
    item: SingleItem

    def compose_answer(self) -> ComposeResult:
        order = self.shown_layout.shown("options")
        self.HINT = f"1-{len(order)} or ↑↓ choose · Enter submits"
        yield ChoiceList([self.item.options[i].text for i in order], id="choices")

    @property
    def choices(self) -> ChoiceList:
        return self.query_one("#choices", ChoiceList)

    def missing(self) -> str | None:
        return None if self.choices.picked else "Choose an answer first."

    def build_response(self) -> SingleResponse:
        (position,) = self.choices.picked
        return SingleResponse(self.layout_order["options"][position])

    def on_choice_list_submit_requested(self, message: ChoiceList.SubmitRequested) -> None:
        message.stop()
        self.submit()
