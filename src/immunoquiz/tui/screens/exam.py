"""The timed exam in the TUI: questions, the review page, confirmation and results.

`ExamApp` wraps one `ExamRun` (educator/exam.py). The countdown belongs to the
app, so it keeps running (and submits at time-out) whichever screen is on top.
Each question keeps its own answer widget once shown, so going back shows the
answer as it was left; a complete answer is kept when the learner moves on
(as on paper, what is marked is the answer), Enter keeps it explicitly.
With `feedback: immediate` an answer is followed by its feedback and is final.
All bank text goes through `lit()` / `Content`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import (
    Button,
    Collapsible,
    ContentSwitcher,
    Footer,
    Input,
    OptionList,
    Select,
    Static,
)
from textual.widgets.option_list import Option

from immunoquiz import scoring
from immunoquiz.banks.model import CaseItem, Item, TrueFalseItem
from immunoquiz.educator.exam import ExamQuestion, ExamRun
from immunoquiz.educator.presentation import clock_text, layout_rng, passed, percent, shown_item
from immunoquiz.educator.results import AttemptResult
from immunoquiz.responses import Response
from immunoquiz.store import StoreError
from immunoquiz.tui.crash import OneLineCrash
from immunoquiz.tui.text import join, lit, num, type_label
from immunoquiz.tui.widgets import ItemWidget, widget_for
from immunoquiz.tui.widgets.bars import TitleBar, who_label
from immunoquiz.tui.widgets.feedback import FeedbackView

Layout = dict[str, tuple[int, ...]]
WARN_SECONDS = 60  # the countdown turns to the warning colour in the last minute
TIME_UP = "Time is up: your answers were submitted."
TRUE_FALSE_HINT = "t true · 2 false · ↑↓ choose · Enter submits · f flags"


def _stem_excerpt(item: Item, width: int = 44) -> Content:
    return lit(" ".join(item.stem.split())).truncate(width, ellipsis=True)


class ExamClock(Static):
    """'18:02 left'; warning colours in the last minute. The app refreshes it every second."""

    def __init__(self, exam: ExamRun, *, id: str | None = None) -> None:
        super().__init__("", id=id, classes="exam-clock", markup=False)
        self.exam = exam

    def on_mount(self) -> None:
        self.refresh_time()

    def refresh_time(self) -> None:
        left = self.exam.remaining_seconds()
        if left is None:
            self.update("no time limit")
            return
        self.update(f"{clock_text(left)} left")
        self.set_class(left < WARN_SECONDS, "-warning")


# --- the question screen -------------------------------------------------------------


class ExamScreen(Screen[None]):
    """One question at a time, free navigation, flags; the review page before submitting."""

    BINDINGS = [
        Binding("n,right", "next", "Next"),
        Binding("p,left", "previous", "Prev"),
        # Priority: on a true/false item `f` flags (t, 1-2 and arrows still answer).
        Binding("f", "flag", "Flag", priority=True),
        Binding("r,escape", "review", "Review"),
        Binding("s", "submit", "Submit exam", show=False),
        Binding("ctrl+q", "app.leave", "Leave"),  # shown here; the app's binding acts
    ]

    app: ExamApp

    def __init__(self) -> None:
        super().__init__()
        self.index: int | None = None
        self.widgets: dict[int, ItemWidget] = {}
        self.busy = False

    @property
    def exam(self) -> ExamRun:
        return self.app.exam

    def compose(self) -> ComposeResult:
        spec = self.exam.spec
        yield TitleBar(join("Exam · ", spec.title), who_label(self.exam.learner))
        with Horizontal(id="exam-bar"):
            yield Static("", id="exam-where")
            yield ExamClock(self.exam, id="exam-clock")
        yield Static("", id="exam-strip")
        yield ContentSwitcher(id="exam-body")
        with Horizontal(id="exam-nav"):
            yield Button("◀ Prev  p", id="exam-prev", compact=True)
            yield Button("Next ▶  n", id="exam-next", compact=True)
            yield Button("⚑ Flag  f", id="exam-flag", compact=True)
            yield Button("Review & submit  r", id="exam-review", compact=True, variant="primary")
        yield Footer()

    async def on_mount(self) -> None:
        await self.show(self.exam.current)

    # -- showing -------------------------------------------------------------------

    def _pane_id(self, i: int) -> str:
        return f"q-{i}"

    def _item(self, i: int) -> Item:
        return shown_item(self.exam.questions[i].item, self.exam.spec.shuffle)

    def _feedback_pane(self, i: int) -> Widget:
        q = self.exam.questions[i]
        response = self.exam.answers[i]
        view = FeedbackView(
            q.bank,
            self._item(i),
            response,
            scoring.score(q.item, response),
            layout=self.app.layouts.get(i),
            schedule="This answer is final: feedback has been shown.",
        )
        return VerticalScroll(view, classes="exam-scroll")

    def _new_pane(self, i: int) -> Container:
        q = self.exam.questions[i]
        item = self._item(i)
        if self.app.immediate and i in self.exam.answers:
            return Container(self._feedback_pane(i), id=self._pane_id(i), classes="exam-pane")
        widget = widget_for(item, layout_rng(self.exam.spec, q), id=f"answer-{i}")
        self.widgets[i] = widget
        inner: Widget = widget if isinstance(item, CaseItem) else VerticalScroll(
            widget, classes="exam-scroll"
        )  # fmt: skip
        return Container(inner, id=self._pane_id(i), classes="exam-pane")

    async def show(self, i: int) -> None:
        """Go to question `i` (0-based), keeping the answer of the one left."""
        if self.index is not None and self.index != i:
            await self.keep(self.index)
        self.exam.go(i)
        self.index = i
        switcher = self.query_one("#exam-body", ContentSwitcher)
        pane_id = self._pane_id(i)
        if not switcher.query_children(f"#{pane_id}"):
            await switcher.add_content(self._new_pane(i))
        switcher.current = pane_id
        self.refresh_status()
        widget = self.widgets.get(i)
        if widget is not None and widget.is_mounted and pane_id == switcher.current:
            self.call_after_refresh(self._focus, i)

    def _focus(self, i: int) -> None:
        """Keyboard on the answer, but the stem in view: it is read first."""
        widget = self.widgets.get(i)
        if widget is None or not widget.is_mounted:
            return
        if isinstance(widget.item, CaseItem):
            widget.focus_answer()  # the part being answered, beside the vignette
            return
        for child in widget.query("*"):
            if child.focusable:
                child.focus(scroll_visible=False)
                break
        for scroll in self.query_one(f"#{self._pane_id(i)}").query(VerticalScroll):
            scroll.scroll_home(animate=False, immediate=True)

    def refresh_status(self) -> None:
        i = self.index if self.index is not None else 0
        total = len(self.exam.questions)
        parts: list[str | tuple[str, str]] = [
            (f"Question {i + 1} of {total}", "bold"),
            ("  ·  ", "dim"),
            (type_label(self._item(i)), "$accent"),
        ]
        if i in self.exam.answers:
            parts += [("  ·  ", "dim"), ("✓ answered", "$success")]
        if i in self.exam.flagged:
            parts += [("  ·  ", "dim"), ("⚑ flagged", "bold $warning")]
        self.query_one("#exam-where", Static).update(join(*parts))
        self.query_one("#exam-strip", Static).update(self.strip())
        self.query_one("#exam-flag", Button).label = (
            "⚑ Unflag  f" if i in self.exam.flagged else "⚑ Flag  f"
        )

    def strip(self) -> Content:
        """Every question number: answered in colour, flagged with ⚑, the current reversed."""
        pieces: list[str | tuple[str, str]] = []
        answered = len(self.exam.answers)
        pieces.append((f"{answered}/{len(self.exam.questions)} answered  ", "$text-muted"))
        for n in range(len(self.exam.questions)):
            style = "$success" if n in self.exam.answers else "$text-muted"
            if n == self.index:
                style += " reverse bold"
            pieces.append((f"{n + 1}", style))
            pieces.append(("⚑" if n in self.exam.flagged else " ", "bold $warning"))
        return join(*pieces)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """A true/false item (or case part) says `f` answers False; in an exam it flags."""
        node = event.widget
        while node is not None and not isinstance(node, Screen):
            if isinstance(node, ItemWidget) and isinstance(node.item, TrueFalseItem):
                for hint in node.query_children(".actions").results():
                    for static in hint.query_children(".hint").results(Static):
                        static.update(TRUE_FALSE_HINT)
                return
            node = node.parent  # type: ignore[assignment]

    # -- answers -------------------------------------------------------------------

    def _index_of(self, widget: ItemWidget) -> int | None:
        if widget.id and widget.id.startswith("answer-"):
            return int(widget.id.removeprefix("answer-"))
        return None

    async def keep(self, i: int) -> None:
        """Keep the answer on screen for question `i` if it is complete and new."""
        widget = self.widgets.get(i)
        if widget is None or not widget.is_mounted:
            return
        if self.app.immediate and i in self.exam.answers:
            return  # final once its feedback was shown
        try:
            if widget.missing() is not None:
                return
            response = widget.build_response()
        except (ValueError, TypeError, LookupError):
            return  # not a whole answer yet
        if scoring.validate_response(widget.item, response) or self.exam.answers.get(i) == response:
            return
        await self.record(i, widget, response, quiet=True)

    async def record(self, i: int, widget: ItemWidget, response: Response, *, quiet: bool) -> bool:
        try:
            self.exam.answer(response, i)
        except TimeoutError:
            self.app.request_submit(timed_out=True)
            return False
        except ValueError as exc:
            if not quiet:
                widget.say(str(exc))
            return False
        except StoreError as exc:
            self.notify(
                f"{exc}. The answer still counts in this exam.",
                title="Not saved to your progress",
                severity="warning",
                markup=False,
            )
        self.app.layouts[i] = dict(widget.layout_order)
        if self.app.immediate:
            await self._show_feedback(i)
        return True

    async def _show_feedback(self, i: int) -> None:
        pane = self.query_one(f"#{self._pane_id(i)}", Container)
        await pane.remove_children()
        self.widgets.pop(i, None)
        await pane.mount(self._feedback_pane(i))

    async def on_item_widget_submitted(self, message: ItemWidget.Submitted) -> None:
        i = self._index_of(message.widget)
        if i is None:
            return
        message.stop()
        if self.busy or self.app.attempt is not None:
            return
        self.busy = True
        try:
            if not await self.record(i, message.widget, message.response, quiet=False):
                return
            self.refresh_status()
            if self.app.immediate:
                self.query_one(f"#{self._pane_id(i)} VerticalScroll").focus()
                return  # read the feedback; n goes on
            if i + 1 < len(self.exam.questions):
                await self.show(i + 1)
            else:
                await self.action_review()
        finally:
            self.busy = False

    # -- actions -------------------------------------------------------------------

    def _typing(self) -> bool:
        """True while letters are typed, not commands: a text field, an open drop-down."""
        focused = self.focused
        # An open drop-down is the Select's focused child (it searches as letters are typed).
        return isinstance(focused, Input) or (
            focused is not None and isinstance(focused.parent, Select)
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "flag" and self._typing():
            return False
        return True

    async def action_next(self) -> None:
        if self.index is not None and self.index + 1 < len(self.exam.questions):
            await self.show(self.index + 1)
        else:
            await self.action_review()

    async def action_previous(self) -> None:
        if self.index is not None and self.index > 0:
            await self.show(self.index - 1)

    def action_flag(self) -> None:
        if self.index is None:
            return
        self.exam.toggle_flag(self.index)
        self.refresh_status()  # the bar, the strip and the button say it

    async def action_review(self) -> None:
        if self.index is not None:
            await self.keep(self.index)
            self.refresh_status()

        async def chosen(index: int | None) -> None:
            if index is not None and self.app.attempt is None:
                await self.show(index)

        await self.app.push_screen(ReviewScreen(self.index or 0), chosen)

    async def action_submit(self) -> None:
        if self.index is not None:
            await self.keep(self.index)
            self.refresh_status()
        await self.app.confirm_submit()

    @on(Button.Pressed, "#exam-prev")
    async def _prev_pressed(self) -> None:
        await self.action_previous()

    @on(Button.Pressed, "#exam-next")
    async def _next_pressed(self) -> None:
        await self.action_next()

    @on(Button.Pressed, "#exam-flag")
    def _flag_pressed(self) -> None:
        self.action_flag()

    @on(Button.Pressed, "#exam-review")
    async def _review_pressed(self) -> None:
        await self.action_review()


# --- the review page -----------------------------------------------------------------


def review_row(
    n: int, question: ExamQuestion, answered: bool, flagged: bool, width: int = 80
) -> Content:
    """' 3  ○ not answered  ⚑ flagged  A patient on adjuvant…' fitted to `width` columns."""
    state = ("✓ answered    ", "$success") if answered else ("○ not answered", "bold $warning")
    return join(
        (f"{n + 1:>3}  ", "bold"),
        state,
        ("  ⚑ flagged  " if flagged else "             ", "bold $warning"),
        _stem_excerpt(question.item, max(12, width - 42)),
    )


class ReviewScreen(Screen[int | None]):
    """Every question with its state; Enter goes to one, Submit asks before submitting."""

    BINDINGS = [
        Binding("escape", "back", "Back to the questions"),
        Binding("s", "submit", "Submit exam"),
    ]

    app: ExamApp

    def __init__(self, current: int = 0) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        exam = self.app.exam
        yield TitleBar(join("Exam · ", exam.spec.title, " · review"), who_label(exam.learner))
        with Horizontal(id="review-bar"):
            yield Static(self.headline(), id="review-head")
            yield ExamClock(exam, id="review-clock")
        yield OptionList(
            *[
                Option(
                    review_row(n, q, n in exam.answers, n in exam.flagged, self.app.size.width),
                    id=f"r-{n}",
                )
                for n, q in enumerate(exam.questions)
            ],
            id="review-list",
        )
        with Horizontal(id="review-actions"):
            yield Button("Back to the questions  esc", id="review-back", compact=True)
            yield Button("Submit exam  s", id="review-submit", compact=True, variant="primary")
            yield Static("Enter goes to the highlighted question", classes="review-hint")
        yield Footer()

    def headline(self) -> Content:
        exam = self.app.exam
        total = len(exam.questions)
        missing = len(exam.unanswered())
        parts: list[str | tuple[str, str]] = [
            (f"{total - missing} of {total} answered", "bold"),
        ]
        if missing:
            parts += [("  ·  ", "dim"), (f"{missing} not answered", "bold $warning")]
        parts += [("  ·  ", "dim"), (f"{len(exam.flagged)} flagged", "$warning")]
        return join(*parts)

    def on_mount(self) -> None:
        options = self.query_one("#review-list", OptionList)
        options.highlighted = min(self.current, len(self.app.exam.questions) - 1)
        options.focus()

    @on(OptionList.OptionSelected, "#review-list")
    def _selected(self, message: OptionList.OptionSelected) -> None:
        self.dismiss(message.option_index)

    def action_back(self) -> None:
        self.dismiss(None)

    async def action_submit(self) -> None:
        await self.app.confirm_submit()

    @on(Button.Pressed, "#review-back")
    def _back_pressed(self) -> None:
        self.action_back()

    @on(Button.Pressed, "#review-submit")
    async def _submit_pressed(self) -> None:
        await self.action_submit()


class ConfirmSubmit(ModalScreen[bool]):
    """'3 questions are not answered (4, 9, 12). Submit anyway?'"""

    BINDINGS = [
        Binding("y", "answer(True)", "Submit"),
        Binding("n,escape", "answer(False)", "Go back"),
    ]

    def __init__(self, missing: list[int], *, leaving: bool = False) -> None:
        super().__init__()
        self.missing = missing
        self.leaving = leaving

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-submit"):
            title = "Leave the exam?" if self.leaving else "Submit the exam?"
            yield Static(title, classes="dialog-title")
            if self.missing:
                listed = ", ".join(str(i + 1) for i in self.missing)
                noun = "question is" if len(self.missing) == 1 else "questions are"
                yield Static(
                    join(
                        (f"{len(self.missing)} {noun} not answered: {listed}.", "bold $warning"),
                        " Unanswered questions score 0.",
                    )
                )
            else:
                yield Static("Every question is answered.")
            yield Static(
                "Leaving submits your answers so far; you cannot change them afterwards."
                if self.leaving
                else "After submitting you cannot change your answers.",
                classes="dialog-hint",
            )
            with Horizontal(classes="dialog-row"):
                yield Button("Submit  y", id="confirm-yes", variant="primary", compact=True)
                yield Button("Go back  n", id="confirm-no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#confirm-no" if self.missing else "#confirm-yes", Button).focus()

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no(self) -> None:
        self.dismiss(False)


# --- results -------------------------------------------------------------------------


class ExamResultScreen(Screen[None]):
    """Score, pass or fail against the pass mark, and each question's feedback."""

    BINDINGS = [Binding("q,escape", "close", "Close")]

    app: ExamApp

    def compose(self) -> ComposeResult:
        app = self.app
        attempt = app.attempt
        assert attempt is not None
        where = join("Exam · ", attempt.session_title, " · results")
        yield TitleBar(where, who_label(attempt.learner))
        with VerticalScroll(id="exam-result"):
            share = percent(attempt.score, attempt.max)
            yield Static(
                join(
                    ("Score  ", "bold"),
                    (f"{num(attempt.score)}/{num(attempt.max)}", "bold $accent"),
                    f"  ({share:.0f}%)",
                ),
                id="exam-score",
            )
            verdict = passed(attempt.score, attempt.max, attempt.pass_mark)
            if verdict is not None:
                mark = f"pass mark {num(attempt.pass_mark or 0)}%"
                yield Static(
                    join(("✓ Passed", "bold $success"), f"  ({mark})")
                    if verdict
                    else join(("✗ Not passed", "bold $error"), f"  ({mark})"),
                    id="exam-verdict",
                )
            if attempt.timed_out:
                yield Static(lit(TIME_UP, "bold $warning"), id="exam-timeout")
            if app.result_path is not None:
                yield Static(join("Results saved to ", str(app.result_path)), id="exam-saved")
            elif app.save_error:
                yield Static(
                    join(("Results NOT saved: ", "bold $error"), app.save_error), id="exam-saved"
                )
            yield Static("Questions", classes="section")
            for i, (q, result) in enumerate(zip(app.exam.questions, attempt.items, strict=True)):
                yield self._item_block(i, q, result.score, result.max)
        yield Footer()

    def _item_block(self, i: int, q: ExamQuestion, points: float, maximum: float) -> Widget:
        exam = self.app.exam
        response = exam.answers.get(i)
        if response is None:
            title = f"{i + 1}. ○ Not answered · 0/{num(maximum)}"
            body: Widget = Static(lit(q.item.stem), classes="fb-text")
        else:
            score = scoring.score(q.item, response)
            mark = "✓" if score.full else ("◐" if score.points > 0 else "✗")
            title = f"{i + 1}. {mark} {num(points)}/{num(maximum)}"
            body = FeedbackView(
                q.bank,
                shown_item(q.item, exam.spec.shuffle),
                response,
                score,
                layout=self.app.layouts.get(i),
            )
        # A Content title: a str would be parsed as markup, and the stem is bank text.
        label = join(title, "  ", _stem_excerpt(q.item, max(12, self.app.size.width - 36)))
        return Collapsible(body, title=label, collapsed=True, classes="exam-item")  # type: ignore[arg-type]

    def action_close(self) -> None:
        self.app.exit(self.app.result_path)


# --- the app --------------------------------------------------------------------------


class ExamApp(OneLineCrash, App[Path | None]):
    """One exam attempt. Returns the results file's path (None if it could not be saved)."""

    CSS_PATH = "../app.tcss"
    TITLE = "immunoquiz exam"
    ENABLE_COMMAND_PALETTE = False  # nothing to look up during an exam

    BINDINGS = [
        Binding("ctrl+q", "leave", "Leave", priority=True, show=False),
        Binding("ctrl+t", "toggle_contrast", "Contrast", show=False),
    ]

    def __init__(
        self,
        exam: ExamRun,
        save: Callable[[AttemptResult], Path],
        *,
        tick_seconds: float = 1.0,
    ) -> None:
        super().__init__()
        self.exam = exam
        self.save = save
        self.tick_seconds = tick_seconds
        self.attempt: AttemptResult | None = None
        self.result_path: Path | None = None
        self.save_error: str | None = None
        self.layouts: dict[int, Layout] = {}
        self.timer: Timer | None = None

    @property
    def immediate(self) -> bool:
        return self.exam.spec.feedback == "immediate"

    def on_mount(self) -> None:
        from immunoquiz.tui.app import DEFAULT_THEME, HIGH_CONTRAST_THEME

        self.register_theme(HIGH_CONTRAST_THEME)
        self.theme = DEFAULT_THEME
        if self.exam.started is None:
            self.exam.start()
        self.push_screen(ExamScreen())
        self.timer = self.set_interval(self.tick_seconds, self.tick)

    async def tick(self) -> None:
        """Every second: the countdown, and submission when the time is up."""
        if self.attempt is not None:
            return
        if self.exam.expired():
            await self.submit(timed_out=True)
            return
        for clock in self.screen.query(ExamClock):
            clock.refresh_time()

    async def confirm_submit(self, *, leaving: bool = False) -> None:
        if self.attempt is not None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.request_submit()

        await self.push_screen(ConfirmSubmit(self.exam.unanswered(), leaving=leaving), answered)

    def request_submit(self, *, timed_out: bool = False) -> None:
        """Submit from the app's own message loop (a screen must not await its own removal)."""
        self.call_later(self.submit, timed_out=timed_out)

    async def submit(self, *, timed_out: bool = False) -> None:
        """Score and save the attempt, then show the results (once, whatever calls it)."""
        if self.attempt is not None:
            return
        self.attempt = self.exam.submit(timed_out=timed_out)
        if self.timer is not None:
            self.timer.stop()
        try:
            self.result_path = self.save(self.attempt)
        except OSError as exc:
            self.save_error = str(exc)
        while len(self.screen_stack) > 2:
            await self.pop_screen()
        await self.switch_screen(ExamResultScreen())
        if timed_out:
            self.notify(TIME_UP, title="Time is up", severity="warning", timeout=10)

    async def action_leave(self) -> None:
        if self.attempt is not None:
            self.exit(self.result_path)
        else:
            await self.confirm_submit(leaving=True)

    def action_toggle_contrast(self) -> None:
        from immunoquiz.tui.app import DEFAULT_THEME, HIGH_CONTRAST

        self.theme = DEFAULT_THEME if self.theme == HIGH_CONTRAST else HIGH_CONTRAST
