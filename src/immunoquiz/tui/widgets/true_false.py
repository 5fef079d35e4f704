"""True or false: t / f, digits, arrows and Enter."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding

from immunoquiz.banks.model import TrueFalseItem
from immunoquiz.responses import TrueFalseResponse
from immunoquiz.tui.widgets.base import ItemWidget
from immunoquiz.tui.widgets.choices import ChoiceList


class TrueFalseChoices(ChoiceList):
    # t and f are how one picks here (space still does): the footer keeps room for "? Help"
    BINDINGS = [Binding("space", "pick_cursor", "Pick", show=False)]


class TrueFalseWidget(ItemWidget):
    item: TrueFalseItem

    HINT = "t true · f false · ↑↓ or 1-2 choose · Enter submits"

    BINDINGS = [
        Binding("t", "answer(True)", "True"),
        Binding("f", "answer(False)", "False"),
    ]

    def compose_answer(self) -> ComposeResult:
        yield TrueFalseChoices(["True", "False"], id="choices")

    @property
    def choices(self) -> ChoiceList:
        return self.query_one("#choices", ChoiceList)

    def action_answer(self, value: bool) -> None:
        self.choices.pick(0 if value else 1)

    def missing(self) -> str | None:
        return None if self.choices.picked else "Choose True or False first."

    def build_response(self) -> TrueFalseResponse:
        return TrueFalseResponse(0 in self.choices.picked)

    def on_choice_list_submit_requested(self, message: ChoiceList.SubmitRequested) -> None:
        message.stop()
        self.submit()
