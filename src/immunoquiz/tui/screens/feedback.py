"""After each answer: verdicts, score and rule, explanation, sources, next review.

Enter goes on; `e` upgrades a fully correct answer to Easy (study mode); `u`
undoes the answer and asks it again; Esc ends the session. Dismisses with
"next", "undo" or "end" for the question screen to act on.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from immunoquiz.study import Outcome, Session
from immunoquiz.tui.host import TrainerScreen
from immunoquiz.tui.text import lit
from immunoquiz.tui.widgets.bars import TitleBar
from immunoquiz.tui.widgets.feedback import FeedbackView


def schedule_text(outcome: Outcome, easy: bool = False) -> str:
    text = outcome.interval_text
    text = text[:1].upper() + text[1:]
    return f"Marked Easy · {text}" if easy else text


class FeedbackScreen(TrainerScreen, Screen[str]):
    BINDINGS = [
        Binding("enter,n", "next", "Next question"),
        Binding("e", "easy", "Easy"),
        Binding("u,ctrl+z", "undo", "Undo answer"),
        Binding("escape", "end", "End session"),
    ]

    def __init__(
        self, session: Session, outcome: Outcome, *, layout: dict[str, tuple[int, ...]], title: str
    ) -> None:
        super().__init__()
        self.session = session
        self.outcome = outcome
        self.shown_order = layout
        self.title_text = title
        self.easy = False
        self.busy = False

    def compose(self) -> ComposeResult:
        card = self.outcome.card
        answered = len(self.session.history)
        yield TitleBar(lit(f"{self.title_text} · feedback"), f"{answered} answered")
        with VerticalScroll(id="feedback-scroll"):
            yield FeedbackView(
                card.bank,
                card.item,
                self.outcome.response,
                self.outcome.score,
                layout=self.shown_order,
                schedule=schedule_text(self.outcome),
                id="feedback",
            )
        yield Static(self._hint(), id="feedback-hint")
        yield Footer()

    def _hint(self) -> str:
        parts = ["Enter next"]
        if self.can_easy:
            parts.append("e too easy? mark Easy")
        parts += ["u undo", "Esc end session"]
        return " · ".join(parts)

    def on_mount(self) -> None:
        self.query_one("#feedback-scroll").focus()

    @property
    def can_easy(self) -> bool:
        return self.session.mode == "study" and self.outcome.score.full and not self.easy

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "easy":
            return self.can_easy
        return True

    def action_next(self) -> None:
        if not self.busy:
            self.dismiss("next")

    def action_undo(self) -> None:
        if not self.busy:
            self.dismiss("undo")

    def action_end(self) -> None:
        if not self.busy:
            self.dismiss("end")

    async def action_easy(self) -> None:
        if not self.can_easy or self.busy:
            return
        self.busy = True
        try:
            self.outcome = await self.trainer.backend.mark_easy(self.session, self.outcome)
            self.easy = True
        finally:
            self.busy = False
        self.query_one("#schedule", Static).update(schedule_text(self.outcome, easy=True))
        self.query_one("#feedback-hint", Static).update(self._hint())
        self.refresh_bindings()
