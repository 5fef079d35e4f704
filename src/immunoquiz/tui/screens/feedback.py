"""After each answer: verdicts, score and rule, explanation, sources, next review.

Enter goes on. In study mode a fully correct answer may be re-rated Hard (`h`,
"I was unsure") or Easy (`e`) instead of the default Good, and a typed answer
marked wrong may be counted right (`o`, "I was right"; recorded as an override).
`u` undoes the answer and asks it again; Esc ends the session. Dismisses with
"next", "undo" or "end" for the question screen to act on.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from immunoquiz.present import Layout
from immunoquiz.study import Outcome, Rerating, Session
from immunoquiz.tui.host import TrainerScreen
from immunoquiz.tui.text import lit
from immunoquiz.tui.widgets.bars import TitleBar
from immunoquiz.tui.widgets.feedback import FeedbackView, verdict_line
from immunoquiz.tui.widgets.footer import Footer


def schedule_text(outcome: Outcome, rating: Rerating = "good", overridden: bool = False) -> str:
    text = outcome.interval_text
    text = text[:1].upper() + text[1:]
    if rating != "good":
        text = f"Marked {rating.capitalize()} · {text}"
    return f"Counted right (your override) · {text}" if overridden else text


class FeedbackScreen(TrainerScreen, Screen[str]):
    BINDINGS = [
        Binding("enter,n", "next", "Next"),
        Binding("h", "rate('hard')", "Hard"),
        Binding("e", "rate('easy')", "Easy"),
        Binding("o", "override", "I was right"),
        Binding("u,ctrl+z", "undo", "Undo"),
        Binding("escape", "end", "End"),
    ]

    def __init__(self, session: Session, outcome: Outcome, *, layout: Layout, title: str) -> None:
        super().__init__()
        self.session = session
        self.outcome = outcome
        self.shown_order = layout
        self.title_text = title
        self.rating: Rerating = "good"
        self.overridden = False
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
                details_later=True,
                id="feedback",
            )
        yield Static(self._hint(), id="feedback-hint")
        yield Footer()

    def _hint(self) -> str:
        parts = ["Enter next"]
        if self.can_rerate:
            parts.append("h unsure? Hard · e Easy" if self.rating == "good" else "h Hard · e Easy")
        if self.can_override:
            parts.append("o I was right")
        parts += ["u undo", "Esc end"]
        return " · ".join(parts)

    def on_mount(self) -> None:
        self.query_one("#feedback-scroll").focus()

    @property
    def can_rerate(self) -> bool:
        return self.session.mode == "study" and self.outcome.score.full

    @property
    def can_override(self) -> bool:
        return self.session.mode == "study" and self.session.can_override(self.outcome)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "rate":
            return self.can_rerate and parameters[:1] != (self.rating,)
        if action == "override":
            return self.can_override
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

    async def action_rate(self, rating: Rerating) -> None:
        """Hard or Easy instead of Good: the same answer, re-rated in one transaction."""
        if not self.can_rerate or self.busy or rating == self.rating:
            return
        self.busy = True
        try:
            self.outcome = await self.trainer.backend.rerate(self.session, self.outcome, rating)
            self.rating = rating
        finally:
            self.busy = False
        self._refresh_verdict()

    async def action_override(self) -> None:
        """I was right: a typed miss counts as full credit, logged as an override."""
        if not self.can_override or self.busy:
            return
        self.busy = True
        try:
            self.outcome = await self.trainer.backend.override(self.session, self.outcome)
            self.overridden = self.outcome.score.full
        finally:
            self.busy = False
        self._refresh_verdict()

    def _refresh_verdict(self) -> None:
        self.query_one("#verdict", Static).update(verdict_line(self.outcome.score))
        self.query_one("#schedule", Static).update(
            schedule_text(self.outcome, self.rating, self.overridden)
        )
        self.query_one("#feedback-hint", Static).update(self._hint())
        self.refresh_bindings()
