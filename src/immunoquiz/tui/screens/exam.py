"""The timed exam's screens: start page, questions, review page, dialogs and the result.

The screens drive an `educator.attempt.Attempt` through the app (`ExamHost`,
implemented by `tui/exam_app.py`; screens never import an app module). Each
question keeps its own answer widget once shown, so going back shows the answer
as it was left; a complete answer is kept when the learner moves on (as on
paper, what is marked is the answer), Enter keeps it explicitly. Saving runs in
a worker thread; while an answer is being saved and the next question shown the
screen is `settling`, and the app holds keys until it is not (tui/key_order.py),
so they reach the question on screen, never the previous one.
With `feedback: immediate` an answer is followed by its feedback and is final.
All bank text goes through `lit()` / `Content`.
"""

from __future__ import annotations

import asyncio
from typing import Protocol, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
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

from immunoquiz.banks.model import CaseItem, Item, TrueFalseItem
from immunoquiz.educator.attempt import Attempt, AttemptClosed
from immunoquiz.educator.exam import ExamQuestion
from immunoquiz.educator.presentation import clock_text, passed, percent, time_left_text
from immunoquiz.educator.results import AttemptResult
from immunoquiz.educator.session_spec import SessionSpec
from immunoquiz.responses import Response
from immunoquiz.tui.text import join, lit, num, type_label
from immunoquiz.tui.widgets import ItemWidget, widget_for
from immunoquiz.tui.widgets.bars import TitleBar, who_label
from immunoquiz.tui.widgets.feedback import FeedbackView

WARN_SECONDS = 60  # the countdown turns to the warning colour in the last minute
TIME_UP = "Time is up: your answers were submitted."
TRUE_FALSE_HINT = "t true · 2 false · ↑↓ choose · Enter submits · f flags"


class ExamHost(Protocol):
    """What the exam screens need from their app (tui/exam_app.py)."""

    @property
    def attempt(self) -> Attempt | None: ...

    @property
    def spec(self) -> SessionSpec: ...

    @property
    def learner_name(self) -> str: ...

    @property
    def question_count(self) -> int: ...

    @property
    def pending(self) -> AttemptResult | None: ...

    @property
    def final(self) -> AttemptResult | None: ...

    @property
    def time_up(self) -> bool: ...

    async def begin(self) -> None: ...

    async def confirm_submit(self) -> None: ...

    def request_submit(self, reason: str) -> None: ...

    async def retry_save(self) -> None: ...

    async def leave(self) -> None: ...


def _host(widget: Widget) -> ExamHost:
    return cast(ExamHost, widget.app)


def _attempt(widget: Widget) -> Attempt:
    attempt = _host(widget).attempt
    assert attempt is not None, "the exam has not started"
    return attempt


def _stem_excerpt(item: Item, width: int = 44) -> Content:
    return lit(" ".join(item.stem.split())).truncate(width, ellipsis=True)


def _minutes(n: int) -> str:
    return f"{n} minute" if n == 1 else f"{n} minutes"


# --- the start page ----------------------------------------------------------------


class StartScreen(Screen[None]):
    """Title, number of questions, time limit, pass mark, when feedback comes; Enter starts."""

    BINDINGS = [
        Binding("enter", "begin", "Start", priority=True),
        Binding("escape,q", "app.quit", "Not now"),
    ]

    def compose(self) -> ComposeResult:
        host = _host(self)
        spec = host.spec
        yield TitleBar(join("Exam · ", spec.title), who_label(host.learner_name))
        with VerticalScroll(id="exam-start"):
            yield Static(lit(spec.title, "bold"), classes="section")
            facts = [f"Questions: {host.question_count}"]
            facts.append(
                f"Time limit: {_minutes(spec.time_limit)}" if spec.time_limit else "No time limit"
            )
            if spec.pass_mark is not None:
                facts.append(f"Pass mark: {num(spec.pass_mark)}%")
            facts.append(
                "Feedback: after each answer (an answer with feedback is final)"
                if spec.feedback == "immediate"
                else "Feedback: after you submit"
            )
            yield Static("\n".join(facts), id="start-facts")
            pending = host.pending
            if pending is not None:
                answered = sum(1 for i in pending.items if i.response is not None)
                left = ""
                if pending.deadline is not None:
                    left = f" It is due at {pending.deadline.astimezone():%H:%M} (the time "
                    left += "kept running while you were away)."
                yield Static(
                    join(
                        (f"Resuming your attempt {pending.attempt}", "bold $warning"),
                        f" started {pending.started.astimezone():%H:%M}: {answered} of "
                        f"{len(pending.items)} answered.{left}",
                    ),
                    id="start-resume",
                )
            yield Static(
                "Answers are saved as you give them. You can go back, change them and flag "
                "questions until you submit. Ctrl+Q leaves without submitting: the same "
                "command brings you back.",
                classes="dialog-hint",
            )
            label = "Resume  Enter" if pending is not None else "Start the exam  Enter"
            yield Button(label, id="start-go", variant="primary", compact=True)
            yield Static("", id="start-problem")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#start-go", Button).focus()

    async def action_begin(self) -> None:
        await _host(self).begin()

    @on(Button.Pressed, "#start-go")
    async def _go(self) -> None:
        await self.action_begin()

    def problem(self, text: str) -> None:
        self.query_one("#start-problem", Static).update(lit(text, "bold $error"))


# --- the countdown -------------------------------------------------------------------


class ExamClock(Static):
    """'18:02 left'; warning colours in the last minute. The app refreshes it every second."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, classes="exam-clock", markup=False)

    def on_mount(self) -> None:
        self.refresh_time()

    def refresh_time(self) -> None:
        attempt = _host(self).attempt
        left = attempt.remaining_seconds() if attempt is not None else None
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

    def __init__(self) -> None:
        super().__init__()
        self.index: int | None = None
        self.widgets: dict[int, ItemWidget] = {}
        self.switching = False  # an answer is being saved and the next question shown
        self.working = 0  # a save or a change of question under way

    @property
    def settling(self) -> bool:
        """Keys wait while this is True (tui/key_order.py): they are for what comes next."""
        return self.switching or self.working > 0

    @property
    def exam(self) -> Attempt:
        return _attempt(self)

    def compose(self) -> ComposeResult:
        spec = self.exam.spec
        yield TitleBar(join("Exam · ", spec.title), who_label(self.exam.learner.name))
        with Horizontal(id="exam-bar"):
            yield Static("", id="exam-where")
            yield ExamClock(id="exam-clock")
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
        return self.exam.questions[i].item

    def _feedback_pane(self, i: int) -> Widget:
        q = self.exam.questions[i]
        view = FeedbackView(
            q.bank,
            q.item,
            self.exam.answers[i],
            self.exam.score_of(i),
            layout=self.exam.layout(i),
            schedule="This answer is final: feedback has been shown.",
        )
        return VerticalScroll(view, classes="exam-scroll")

    def _new_pane(self, i: int) -> Container:
        item = self._item(i)
        if self.immediate and i in self.exam.answers:
            return Container(self._feedback_pane(i), id=self._pane_id(i), classes="exam-pane")
        widget = widget_for(item, self.exam.layout(i), id=f"answer-{i}")
        self.widgets[i] = widget
        inner: Widget = widget if isinstance(item, CaseItem) else VerticalScroll(
            widget, classes="exam-scroll"
        )  # fmt: skip
        return Container(inner, id=self._pane_id(i), classes="exam-pane")

    @property
    def immediate(self) -> bool:
        return self.exam.spec.feedback == "immediate"

    async def show(self, i: int, *, keep: bool = True) -> None:
        """Go to question `i` (0-based), keeping the answer of the one left."""
        self.working += 1
        try:
            await self._show(i, keep=keep)
        finally:
            self.working -= 1

    async def _show(self, i: int, *, keep: bool) -> None:
        if keep and self.index is not None and self.index != i:
            await self.keep(self.index)
        if _host(self).final is not None:
            return
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
            self._focus(i)

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
        if widget is None or not widget.is_mounted or not self.exam.is_open:
            return
        if self.immediate and i in self.exam.answers:
            return  # final once its feedback was shown
        try:
            if widget.missing() is not None:
                return
            response = widget.build_response()
        except (ValueError, TypeError, LookupError):
            return  # not a whole answer yet
        if self.exam.answers.get(i) == response:
            return
        await self.record(i, widget, response, quiet=True)

    async def record(self, i: int, widget: ItemWidget, response: Response, *, quiet: bool) -> bool:
        """Save the answer (in a worker thread: file I/O stays off the event loop)."""
        self.working += 1
        try:
            await asyncio.to_thread(self.exam.answer, i, response)
        except AttemptClosed:
            _host(self).request_submit("time_up")
            return False
        except ValueError as exc:
            if not quiet:
                widget.say(str(exc))
            return False
        finally:
            self.working -= 1
        if self.immediate:
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
        if self.switching or i != self.index or _host(self).final is not None:
            return  # a key meant for a question no longer on screen
        self.switching = True  # keys typed from now on wait for the next question
        try:
            if not await self.record(i, message.widget, message.response, quiet=False):
                self._focus(i)
                return
            self.refresh_status()
            if self.immediate:
                self.query_one(f"#{self._pane_id(i)} VerticalScroll").focus()
            elif i + 1 < len(self.exam.questions):
                await self.show(i + 1, keep=False)
            else:
                await self.action_review()
        finally:
            self.switching = False

    # -- actions -------------------------------------------------------------------

    def _typing(self) -> bool:
        """True while letters are typed, not commands: a text field, an open drop-down."""
        focused = self.focused
        # An open drop-down is the Select's focused child (it searches as letters are typed).
        return isinstance(focused, Input) or (
            focused is not None and isinstance(focused.parent, Select)
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.switching:
            return False  # held, then acted on once the next question is on screen
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

    async def action_flag(self) -> None:
        if self.index is None or not self.exam.is_open:
            return
        try:
            await asyncio.to_thread(self.exam.flag, self.index)
        except AttemptClosed:
            _host(self).request_submit("time_up")
            return
        self.refresh_status()  # the bar, the strip and the button say it

    async def action_review(self) -> None:
        if self.index is not None:
            await self.keep(self.index)
            self.refresh_status()

        async def chosen(index: int | None) -> None:
            if index is not None and _host(self).final is None:
                await self.show(index)

        if _host(self).final is None:
            await self.app.push_screen(ReviewScreen(self.index or 0), chosen)

    async def action_submit(self) -> None:
        if self.index is not None:
            await self.keep(self.index)
            self.refresh_status()
        await _host(self).confirm_submit()

    @on(Button.Pressed, "#exam-prev")
    async def _prev_pressed(self) -> None:
        await self.action_previous()

    @on(Button.Pressed, "#exam-next")
    async def _next_pressed(self) -> None:
        await self.action_next()

    @on(Button.Pressed, "#exam-flag")
    async def _flag_pressed(self) -> None:
        await self.action_flag()

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

    def __init__(self, current: int = 0) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        exam = _attempt(self)
        yield TitleBar(join("Exam · ", exam.spec.title, " · review"), who_label(exam.learner.name))
        with Horizontal(id="review-bar"):
            yield Static(self.headline(), id="review-head")
            yield ExamClock(id="review-clock")
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
        exam = _attempt(self)
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
        options.highlighted = min(self.current, len(_attempt(self).questions) - 1)
        options.focus()

    @on(OptionList.OptionSelected, "#review-list")
    def _selected(self, message: OptionList.OptionSelected) -> None:
        self.dismiss(message.option_index)

    def action_back(self) -> None:
        self.dismiss(None)

    async def action_submit(self) -> None:
        await _host(self).confirm_submit()

    @on(Button.Pressed, "#review-back")
    def _back_pressed(self) -> None:
        self.action_back()

    @on(Button.Pressed, "#review-submit")
    async def _submit_pressed(self) -> None:
        await self.action_submit()


# --- dialogs -------------------------------------------------------------------------


class ConfirmSubmit(ModalScreen[bool]):
    """'3 questions are not answered (4, 9, 12). Submit anyway?'"""

    BINDINGS = [
        Binding("y", "answer(True)", "Submit"),
        Binding("n,escape", "answer(False)", "Go back"),
    ]

    def __init__(self, missing: list[int]) -> None:
        super().__init__()
        self.missing = missing

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-submit"):
            yield Static("Submit the exam?", classes="dialog-title")
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
            yield Static("After submitting you cannot change your answers.", classes="dialog-hint")
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


class ConfirmLeave(ModalScreen[bool]):
    """Ctrl+Q or Ctrl+C: leave without submitting? The same command resumes."""

    BINDINGS = [
        Binding("y,l", "answer(True)", "Leave"),
        Binding("n,escape", "answer(False)", "Stay"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-leave"):
            yield Static("Leave the exam?", classes="dialog-title")
            yield Static(
                "Your answers are saved and nothing is submitted. Run the same command to "
                "come back; the time limit keeps running while you are away."
            )
            with Horizontal(classes="dialog-row"):
                yield Button("Leave  y", id="leave-yes", compact=True)
                yield Button("Stay  n", id="leave-no", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#leave-no", Button).focus()

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    @on(Button.Pressed, "#leave-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#leave-no")
    def _no(self) -> None:
        self.dismiss(False)


# --- the result ----------------------------------------------------------------------


class ExamResultScreen(Screen[None]):
    """Time is up or submitted: the score once it is saved, and feedback per question.

    The same screen whichever way the attempt ended; the score is shown only
    when the results file holds it (otherwise: why not, and r to try again).
    """

    BINDINGS = [
        Binding("q,escape", "app.quit", "Close"),
        Binding("r", "retry", "Save again", show=False),
    ]

    def compose(self) -> ComposeResult:
        host = _host(self)
        attempt = _attempt(self)
        result = host.final
        assert result is not None
        where = join("Exam · ", result.session_title, " · result")
        yield TitleBar(where, who_label(result.learner))
        with VerticalScroll(id="exam-result"):
            if host.time_up:
                yield Static(lit(TIME_UP, "bold $warning"), id="exam-timeout")
            if not attempt.saved:
                yield Static(
                    join(
                        ("Results NOT saved: ", "bold $error"),
                        f"{attempt.path}: {attempt.save_problem}. Your score is shown once "
                        "it is saved. Fix the problem (free some space, reconnect the drive) "
                        "and press r to try again.",
                    ),
                    id="exam-saved",
                )
                yield Footer()
                return
            share = percent(result.score, result.max)
            yield Static(
                join(
                    ("Score  ", "bold"),
                    (f"{num(result.score)}/{num(result.max)}", "bold $accent"),
                    f"  ({share:.0f}%)",
                ),
                id="exam-score",
            )
            verdict = passed(result.score, result.max, result.pass_mark)
            if verdict is not None:
                mark = f"pass mark {num(result.pass_mark or 0)}%"
                yield Static(
                    join(("✓ Passed", "bold $success"), f"  ({mark})")
                    if verdict
                    else join(("✗ Not passed", "bold $error"), f"  ({mark})"),
                    id="exam-verdict",
                )
            yield Static(join("Results saved to ", str(attempt.path)), id="exam-saved")
            yield Static("Questions", classes="section")
            for i, q in enumerate(attempt.questions):
                yield self._item_block(attempt, i, q)
        yield Footer()

    def _item_block(self, attempt: Attempt, i: int, q: ExamQuestion) -> Widget:
        response = attempt.answers.get(i)
        score = attempt.score_of(i)
        if response is None:
            title = f"{i + 1}. ○ Not answered · 0/{num(score.max)}"
            body: Widget = Static(lit(q.item.stem), classes="fb-text")
        else:
            mark = "✓" if score.full else ("◐" if score.points > 0 else "✗")
            title = f"{i + 1}. {mark} {num(score.points)}/{num(score.max)}"
            body = FeedbackView(q.bank, q.item, response, score, layout=attempt.layout(i))
        # A Content title: a str would be parsed as markup, and the stem is bank text.
        label = join(title, "  ", _stem_excerpt(q.item, max(12, self.app.size.width - 36)))
        return Collapsible(body, title=label, collapsed=True, classes="exam-item")  # type: ignore[arg-type]

    async def action_retry(self) -> None:
        await _host(self).retry_save()


def time_left_notice(seconds: float) -> str:
    """'5 min 0 s left' as a notice: words, so a screen reader says them right."""
    return time_left_text(seconds).capitalize() + "."
