"""After each answer: verdicts, score and rule, explanation, sources, next review.

Enter goes on. In study mode a fully correct answer may be re-rated Hard (`h`,
"I was unsure") or Easy (`e`) instead of the default Good, and a typed answer
marked wrong may be counted right (`o`, "I was right"; recorded as an override).
`u` undoes the answer and asks it again; Esc ends the session. Dismisses with
"next", "undo" or "end" once `ready_for` (the question screen's) has made what comes
next ready under it, so the answered question is never drawn again in between.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from textual.app import ComposeResult
from textual.await_remove import AwaitRemove
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

    def __init__(
        self,
        session: Session,
        outcome: Outcome,
        *,
        layout: Layout,
        title: str,
        ready_for: Callable[[str], Awaitable[object]],
    ) -> None:
        super().__init__()
        self.ready_for = ready_for
        self.session = session
        self.outcome = outcome
        self.shown_order = layout
        self.title_text = title
        self.rating: Rerating = "good"
        self.overridden = False
        self.busy = False
        self._showing = 0  # counts dismissals: a late callback of an earlier showing does nothing
        self._clearing: AwaitRemove | None = None
        self._resumed = asyncio.Event()
        self._styled_under: tuple[object, ...] | None = None  # see on_screen_resume
        self._skip_restyle = False

    def compose(self) -> ComposeResult:
        yield TitleBar(lit(f"{self.title_text} · feedback"), self._answered())
        with VerticalScroll(id="feedback-scroll"):
            yield self._view()
        yield Static(self._hint(), id="feedback-hint")
        yield Footer()

    def _answered(self) -> str:
        return f"{len(self.session.history)} answered"

    def _view(self) -> FeedbackView:
        card = self.outcome.card
        return FeedbackView(
            card.bank,
            card.item,
            self.outcome.response,
            self.outcome.score,
            layout=self.shown_order,
            schedule=schedule_text(self.outcome),
            details_later=True,
            id="feedback",
        )

    async def show_answer(self, outcome: Outcome, *, layout: Layout) -> None:
        """The next answer on this screen (hidden since the last one): the verdict and
        schedule change in place, the rest follows once they are on screen.

        The question screen keeps one feedback screen for its session, so the title,
        hint and footer are built once, not after every answer."""
        if self._clearing is not None:  # the last answer's details, removed when it was dismissed
            await self._clearing
            self._clearing = None
        self.outcome = outcome
        self.shown_order = layout
        self.rating = "good"
        self.overridden = False
        self.busy = False
        self.query_one(TitleBar).set(who=self._answered())
        self.query_one("#feedback-hint", Static).update(self._hint())
        card = outcome.card
        self.query_one(FeedbackView).show(
            card.bank,
            card.item,
            outcome.response,
            outcome.score,
            layout=layout,
            schedule=schedule_text(outcome),
        )
        self.query_one("#feedback-scroll", VerticalScroll).scroll_home(animate=False)
        self.refresh_bindings()

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

    def _style_state(self) -> tuple[object, ...] | None:
        """What this screen's styles were worked out under: Textual's count of CSS
        invalidations (a theme change bumps it), terminal focus and size."""
        css_count = getattr(self.app, "_css_update_count", None)
        return None if css_count is None else (css_count, self.app.app_focus, self.app.size)

    def on_screen_resume(self) -> None:
        self._resumed.set()
        # Textual restyles every node of a screen it pushes (Screen._on_screen_resume,
        # after this handler): the footer's keys most of all, the largest cost between
        # Enter and the verdict on screen. Shown again under the same CSS, nothing here
        # needs it: classes changed while hidden were restyled when they changed, and
        # the verdict, schedule and hint only change text. Anything else: restyled.
        state = self._style_state()
        self._skip_restyle = state is not None and state == self._styled_under
        self._styled_under = state
        self.call_next(self._end_resume)
        # the verdict's frame first, then the rest of the feedback
        self.call_after_refresh(self._mount_details, self._showing)

    def update_node_styles(self, animate: bool = True) -> None:
        if self._skip_restyle:  # the push's restyle of a screen already styled for it
            self._skip_restyle = False
            return
        super().update_node_styles(animate)

    def _end_resume(self) -> None:
        self._skip_restyle = False

    async def _mount_details(self, showing: int) -> None:
        if showing == self._showing and self.app.screen is self:
            await self.query_one(FeedbackView).mount_details()

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
        self._leave("next")

    def action_undo(self) -> None:
        self._leave("undo")

    def action_end(self) -> None:
        self._leave("end")

    def _leave(self, result: str) -> None:
        if self.busy or self.app.screen is not self:  # mid-change, or a second quick Enter
            return
        self.busy = True  # until the next answer is shown here
        self.run_worker(self._leave_when_ready(result), group="leave")

    async def _leave_when_ready(self, result: str) -> None:
        # What comes next is read and laid out under this screen first: the learner sees
        # this feedback until the next question (or summary) replaces it in one frame.
        await self.ready_for(result)
        while self.app.screen is not self:  # a screen opened over this one meanwhile (help)
            self._resumed.clear()
            await self._resumed.wait()
        self._showing += 1
        self.dismiss(result)
        # Hidden now: drop this answer's details before the next answer needs the screen.
        self._clearing = self.query_one(FeedbackView).clear_details()

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
