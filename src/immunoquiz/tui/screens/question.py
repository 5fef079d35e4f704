"""One question at a time: the item's widget, then the feedback screen, then the next.

The answer is recorded (committed) before feedback appears; undo puts the last
answered card back on screen. When nothing is left the summary takes over;
when nothing was due at all the screen says when the next card is due and
offers practice instead.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Static

from immunoquiz.banks.model import CaseItem
from immunoquiz.present import Layout, layout
from immunoquiz.responses import Response
from immunoquiz.scheduling import describe_interval
from immunoquiz.store import StoreError
from immunoquiz.study import Card, QueueCounts, Session
from immunoquiz.tui.host import TrainerScreen
from immunoquiz.tui.messages import StartSession
from immunoquiz.tui.text import human, join, lit, plural, type_label
from immunoquiz.tui.widgets import ItemWidget, widget_for
from immunoquiz.tui.widgets.bars import TitleBar
from immunoquiz.tui.widgets.footer import Footer

if TYPE_CHECKING:  # imported when first needed: not on the way to the first question
    from immunoquiz.tui.screens.feedback import FeedbackScreen


def session_title(session: Session, label: str) -> str:
    mode = "Study" if session.mode == "study" else "Practice"
    return f"{mode} · {label}" if label else mode


class QuestionScreen(TrainerScreen, Screen[None]):
    # The answer takes the keyboard as each card is shown (focus_answer). Textual's own
    # pick once the screen is composed (its first focusable, the scroll area) would
    # restyle the whole question, then again as the answer takes it from the scroll.
    AUTO_FOCUS = ""

    BINDINGS = [
        Binding("escape", "end", "End"),
        Binding("ctrl+z", "undo", "Undo", key_display="^z"),
        Binding("p", "practise_instead", "Practise"),
    ]

    def __init__(
        self,
        session: Session,
        *,
        label: str = "",
        first: tuple[Card | None, QueueCounts] | None = None,
    ) -> None:
        """`first`: the session's first card and counts, read before the screen is pushed,
        so the screen is composed and drawn once with its question (not empty, then
        again with the card, the counts and the keys)."""
        super().__init__()
        self.session = session
        self.label = label
        self.card: Card | None = None
        self.widget: ItemWidget | None = None
        self.first = first
        self.started = time.monotonic()
        self.busy = False
        self.shown = 0
        self.layout_seeds: dict[str, int] = {}
        self.nothing_due = False
        self.feedback: FeedbackScreen | None = None  # one per session, reused
        self.then: Callable[[], object] | None = None  # once the feedback is gone

    def compose(self) -> ComposeResult:
        card, counts = self.first if self.first is not None else (None, None)
        title = lit(session_title(self.session, self.label))
        yield TitleBar(title, who="" if counts is None else self._counts_label(counts))
        if card is None:
            yield Static("", id="meta")
            yield Container(id="body")
        else:
            holder, meta = self._card_widgets(card, again=False)
            yield Static(meta, id="meta")
            yield Container(holder, id="body", classes="-case" if holder is self.widget else "")
        yield Footer()

    def on_mount(self) -> None:
        first, self.first = self.first, None
        if first is None:
            self.run_worker(self.advance(), group="question", exclusive=True)
        elif first[0] is None:
            self.run_worker(self._none_left(), group="question", exclusive=True)
        elif self.widget is not None:
            # composed with the screen: the keyboard goes to it before the first frame
            self._start_answering(self.widget)

    async def on_unmount(self) -> None:
        feedback = self.feedback
        if feedback is None or feedback in self.app.screen_stack:
            return  # none made, or the app is closing over it (it uninstalls it then)
        self.app.uninstall_screen(feedback)
        await feedback.remove()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "practise_instead":
            return self.nothing_due
        if action == "undo":
            return bool(self.session.history)
        return True

    # -- showing -------------------------------------------------------------------

    async def advance(self, *, under_feedback: bool = False) -> None:
        """Ask the engine for the next card; summary or 'nothing due' when there is none."""
        card, counts = await self.trainer.backend.next_with_counts(self.session)
        if card is None:
            await self._none_left(under_feedback=under_feedback)
            return
        await self.show(card, counts=counts)

    async def _none_left(self, *, under_feedback: bool = False) -> None:
        if self.session.history:
            await self.end(under_feedback=under_feedback)
        else:
            await self.show_nothing_due()

    async def _update_counts(self) -> None:
        self._show_counts(await self.trainer.backend.counts(self.session))

    def _show_counts(self, counts: QueueCounts) -> None:
        self.query_one(TitleBar).set(who=self._counts_label(counts))

    def _counts_label(self, counts: QueueCounts) -> str:
        answered = len(self.session.history)
        if self.session.mode == "practice":
            return f"{answered} answered · {counts.new} left"
        learning = f" · {counts.learning} learning" if counts.learning else ""
        return f"{answered} answered · {counts.due} due{learning} · {counts.new} new"

    def _layout(self, card: Card, again: bool) -> Layout:
        """A fresh layout per showing; an undone answer comes back laid out as before."""
        if not (again and card.card_id in self.layout_seeds):
            self.shown += 1
            seed = self.trainer.seed
            self.layout_seeds[card.card_id] = (
                random.randrange(2**32) if seed is None else seed * 1000 + self.shown
            )
        return layout(card.item, self.layout_seeds[card.card_id])

    async def show(
        self, card: Card, *, again: bool = False, counts: QueueCounts | None = None
    ) -> None:
        """The card's widget; with `counts` (read with the card) drawn in the same frame."""
        body = self.query_one("#body", Container)
        holder, meta = self._card_widgets(card, again)
        widget = self.widget
        assert widget is not None
        await body.remove_children()
        body.set_class(holder is widget, "-case")
        await body.mount(holder)
        self.query_one("#meta", Static).update(meta)
        if counts is not None:
            self._show_counts(counts)
        self.refresh_bindings()
        self._start_answering(widget)
        if counts is None:
            await self._update_counts()

    def _start_answering(self, widget: ItemWidget) -> None:
        """The keyboard to the card's answer, and its answering time starts."""
        widget.focus_answer()
        if self.focused is None:  # a case mounts its first part a little later
            self.call_after_refresh(widget.focus_answer)
        self.started = time.monotonic()

    def _card_widgets(self, card: Card, again: bool) -> tuple[Widget, Content]:
        """The card's widget (in its scroll area, but for a case, which scrolls its own
        parts) and the line above it; the card becomes this screen's current one."""
        self.card = card
        self.nothing_due = False
        item = card.item
        widget = widget_for(item, self._layout(card, again), id="answer")
        self.widget = widget
        parts: list[str | tuple[str, str]] = [(type_label(item), "bold $accent")]
        if item.level:
            parts += [("  ·  ", "dim"), human(item.level)]
        if item.step:
            parts += [("  ·  ", "dim"), human(item.step)]
        if card.is_new:
            parts += [("  ·  ", "dim"), ("new", "bold $success")]
        parts += [("  ·  ", "dim"), (card.bank.title, "dim")]
        holder = widget if isinstance(item, CaseItem) else VerticalScroll(widget, id="scroll")
        return holder, join(*parts)

    async def show_nothing_due(self) -> None:
        self.card = None
        self.widget = None
        self.nothing_due = True
        self.refresh_bindings()
        body = self.query_one("#body", Container)
        await body.remove_children()
        when = await self.trainer.backend.next_due(self.session)
        where = f" in {self.label}" if self.label else ""
        count = len(self.session.catalog)
        if not count:
            # a filter that matches nothing: say so, and offer no empty practice
            self.nothing_due = False
            self.refresh_bindings()
            heading = "Nothing to ask"
            lines = [f"No question matches {self.label}." if self.label else "No question matches."]
        else:
            heading = "All caught up"
            soon = f": {describe_interval(self.trainer.backend.now(), when)}" if when else ""
            lines = [
                f"Nothing due{where}{soon}.",
                f"Practise these {plural(count, 'question')} anyway? "
                "Practice does not touch your schedule.",
            ]
        buttons = [Button("Home  esc", id="home", compact=True)]
        if count:
            buttons.insert(
                0, Button("Practise them  p", id="practise", variant="primary", compact=True)
            )
        panel = Vertical(
            Static(join((heading, "bold $success")), classes="big"),
            *(Static(lit(line)) for line in lines),
            Horizontal(*buttons, classes="buttons"),
            id="nothing-due",
        )
        await body.mount(panel)
        self.query_one("#meta", Static).update("")
        self.query_one(Button).focus()
        await self._update_counts()

    # -- answering -----------------------------------------------------------------

    def on_item_widget_submitted(self, message: ItemWidget.Submitted) -> None:
        if message.widget is not self.widget or self.card is None or self.busy:
            return
        message.stop()
        self.busy = True  # one answer at a time, however fast Enter is pressed
        duration = time.monotonic() - self.started
        self.run_worker(self._record(self.card, message.widget, message.response, duration))

    async def _record(
        self, card: Card, widget: ItemWidget, response: Response, duration: float
    ) -> None:
        from immunoquiz.tui.screens.feedback import FeedbackScreen

        try:
            try:
                outcome = await self.trainer.backend.answer(self.session, card, response, duration)
            except StoreError as exc:
                self.notify(str(exc), title="Not saved", severity="error", markup=False)
                return
            except ValueError as exc:
                widget.say(str(exc))
                return
            screen = self.feedback
            if screen is None:
                screen = self.feedback = FeedbackScreen(
                    self.session,
                    outcome,
                    layout=widget.shown_layout,
                    title=session_title(self.session, self.label),
                    ready_for=self.ready_for,
                )
                self.app.install_screen(screen, f"feedback-{id(self)}")
            else:
                await screen.show_answer(outcome, layout=widget.shown_layout)
            # No counts update here: this screen is hidden behind the feedback, and
            # showing the next card updates them (relaying out a hidden screen while the
            # feedback is being drawn only delays the verdict).
            self.app.push_screen(screen, self.after_feedback)
        finally:
            self.busy = False

    async def ready_for(self, result: str) -> None:
        """Under the feedback, before it goes: the next card read and shown (or the undone
        one again, the summary made, 'nothing due'), so the frame after the feedback is
        already the next thing, never this screen's answered question again."""
        self.then = None
        if result == "undo":
            await self.action_undo()
        elif result == "end":
            await self.end(under_feedback=True)
        else:
            await self.advance(under_feedback=True)

    def after_feedback(self, result: str | None) -> None:
        # the feedback is gone: what `ready_for` made is on screen, or the summary takes over
        then, self.then = self.then, None
        if then is not None:
            then()

    async def action_undo(self) -> None:
        card = await self.trainer.backend.undo(self.session)
        if card is None:
            self.notify("Nothing to undo in this session.", timeout=3)
            return
        self.notify(
            self.session.undo_notice or "Last answer undone: it is yours to answer again.",
            timeout=3 if self.session.undo_notice is None else 6,
        )
        await self.show(card, again=True)

    # -- leaving -------------------------------------------------------------------

    def action_end(self) -> None:
        self.run_worker(self.end(), group="question")

    async def end(self, *, under_feedback: bool = False) -> None:
        """The summary instead of this screen (home when nothing was answered); with
        `under_feedback`, made ready for `after_feedback` to show in the feedback's place."""
        from immunoquiz.tui.screens.summary import SummaryScreen

        summary = await self.trainer.backend.summary(self.session)
        if summary.answered == 0:
            leave: Callable[[], object] = self.app.pop_screen
        else:
            leave = partial(
                self.app.switch_screen, SummaryScreen(self.session, summary, label=self.label)
            )
        if under_feedback:
            self.then = leave
        else:
            leave()

    async def action_practise_instead(self) -> None:
        if not self.nothing_due:
            return
        filters = self.session.filters
        # posted to the app, since this screen is on its way out
        self.app.post_message(StartSession("practice", filters, label=self.label or "Practice"))
        self.app.pop_screen()

    @on(Button.Pressed, "#practise")
    async def practise_pressed(self) -> None:
        await self.action_practise_instead()

    @on(Button.Pressed, "#home")
    def home_pressed(self) -> None:
        self.app.pop_screen()
