"""The full-screen exam (`immunoquiz exam`): one attempt, from the start page to the result.

The app owns the countdown, so it keeps running (and submits at the deadline)
whichever screen is on top; it warns at 5 minutes and at 1 minute left. A new
attempt is opened when the learner presses Enter on the start page (its clock
starts then); a resumed one keeps its original deadline. Ctrl+Q and Ctrl+C ask
before leaving without submitting; SIGHUP and SIGTERM save the attempt as
interrupted and end the app. Every file write runs in a worker thread; keys
typed meanwhile are held and handled one at a time (tui/key_order.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import Callable

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.timer import Timer

from immunoquiz.educator.attempt import Attempt, ExamPaper, NoAttemptsLeft, ResumeMismatch
from immunoquiz.educator.results import AttemptResult
from immunoquiz.educator.session_spec import SessionSpec
from immunoquiz.tui.crash import OneLineCrash
from immunoquiz.tui.key_order import KeyOrder
from immunoquiz.tui.screens.exam import (
    ConfirmLeave,
    ConfirmSubmit,
    ExamClock,
    ExamResultScreen,
    ExamScreen,
    StartScreen,
    time_left_notice,
)
from immunoquiz.tui.themes import DEFAULT_THEME, HIGH_CONTRAST, HIGH_CONTRAST_THEME

WARN_AT = (300, 60)  # seconds left at which a notice says how much time is left
NEVER_HELD = ("ctrl+q", "ctrl+c")  # leaving is asked at once, even during a slow save


class ExamApp(OneLineCrash, App[None]):
    """One exam attempt. `opener` opens (or resumes) it; `attempt` is None until then."""

    CSS_PATH = "app.tcss"
    TITLE = "immunoquiz exam"
    ENABLE_COMMAND_PALETTE = False  # nothing to look up during an exam

    BINDINGS = [
        Binding("ctrl+q", "leave", "Leave", priority=True, show=False),
        Binding("ctrl+c", "leave", "Leave", priority=True, show=False),
        Binding("ctrl+t", "toggle_contrast", "Contrast", show=False),
    ]

    def __init__(
        self,
        paper: ExamPaper,
        learner_name: str,
        opener: Callable[[], Attempt],
        *,
        pending: AttemptResult | None = None,
        tick_seconds: float = 1.0,
    ) -> None:
        super().__init__()
        self.paper = paper
        self._learner_name = learner_name
        self.opener = opener
        self._pending = pending
        self.tick_seconds = tick_seconds
        self._attempt: Attempt | None = None
        self._final: AttemptResult | None = None
        self._time_up = False
        self.timer: Timer | None = None
        self.warned: set[int] = set()
        self.hung_up = False
        self.keys = KeyOrder(self, self._deliver_key)

    # --- what the screens read (ExamHost) ---------------------------------------------

    @property
    def attempt(self) -> Attempt | None:
        return self._attempt

    @property
    def spec(self) -> SessionSpec:
        return self.paper.spec

    @property
    def learner_name(self) -> str:
        return self._learner_name

    @property
    def question_count(self) -> int:
        return len(self.paper.questions)

    @property
    def pending(self) -> AttemptResult | None:
        return self._pending

    @property
    def final(self) -> AttemptResult | None:
        return self._final

    @property
    def time_up(self) -> bool:
        return self._time_up

    # --- keys -------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """A key typed while an answer is saved waits for the question it is meant for."""
        if (
            isinstance(event, events.Key)
            and not event.is_forwarded
            and event.key not in NEVER_HELD
            and self.keys.hold(event)
        ):
            return
        await super().on_event(event)

    async def _deliver_key(self, key: events.Key) -> None:
        await super().on_event(key)

    # --- life cycle -------------------------------------------------------------------

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST_THEME)
        self.theme = DEFAULT_THEME
        loop = asyncio.get_running_loop()
        for name in ("SIGHUP", "SIGTERM"):
            with contextlib.suppress(AttributeError, NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(getattr(signal, name), self.hang_up)
        self.push_screen(StartScreen())
        self.timer = self.set_interval(self.tick_seconds, self.tick)

    async def begin(self) -> None:
        """Enter on the start page: open the attempt (its clock starts now if it is new)."""
        if self._attempt is not None:
            return
        try:
            attempt = await asyncio.to_thread(self.opener)
        except (NoAttemptsLeft, ResumeMismatch) as exc:
            self._start_problem(str(exc))
            return
        except OSError as exc:
            self._start_problem(f"Cannot write the results file: {exc.strerror or exc}")
            return
        self._attempt = attempt
        left = attempt.remaining_seconds()
        total = (attempt.spec.time_limit or 0) * 60
        # Warn when a threshold is crossed: not one a resumed attempt passed while
        # away, nor one as long as the whole exam.
        self.warned = {
            w for w in WARN_AT if w >= total or (attempt.resumed and left is not None and left <= w)
        }
        if not attempt.is_open:  # its time ran out while the learner was away
            self._final = attempt.result()
            self._time_up = self._final.status == "time_up"
            await self.switch_screen(ExamResultScreen())
            return
        await self.switch_screen(ExamScreen())

    def _start_problem(self, text: str) -> None:
        screen = self.screen
        if isinstance(screen, StartScreen):
            screen.problem(text)

    async def tick(self) -> None:
        """Every second: notices, the countdown, and submission when the time is up."""
        attempt = self._attempt
        if attempt is None or self._final is not None:
            return
        for notice in attempt.take_notices():
            self.notify(notice, title="Saving", severity="warning", timeout=15, markup=False)
        if attempt.expired():
            await self.submit("time_up")
            return
        left = attempt.remaining_seconds()
        for mark in WARN_AT:
            if left is not None and left <= mark and mark not in self.warned:
                self.warned.update(w for w in WARN_AT if w >= mark)
                self.notify(time_left_notice(left), title="Time", severity="warning", timeout=10)
        for clock in self.screen.query(ExamClock):
            clock.refresh_time()

    async def confirm_submit(self) -> None:
        attempt = self._attempt
        if attempt is None or self._final is not None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.request_submit("submitted")

        await self.push_screen(ConfirmSubmit(attempt.unanswered()), answered)

    def request_submit(self, reason: str) -> None:
        """Submit from the app's own message loop (a screen must not await its own removal)."""
        self.call_later(self.submit, reason)

    async def submit(self, reason: str) -> None:
        """Make the attempt final and show the result (once, whatever calls it)."""
        attempt = self._attempt
        if attempt is None or self._final is not None:
            return
        if reason not in ("submitted", "time_up", "ended_by_educator"):
            raise ValueError(f"not a submit reason: {reason!r}")
        self._final = await asyncio.to_thread(
            attempt.submit,
            "time_up" if reason == "time_up" else "submitted",
        )
        self._time_up = self._final.status == "time_up"
        # The timer is not stopped here: this may run inside its own tick, and
        # stopping it would cancel the switch to the result page (the app then
        # ended with no score shown). A tick after the end does nothing.
        while len(self.screen_stack) > 2:
            await self.pop_screen()
        await self.switch_screen(ExamResultScreen())

    async def retry_save(self) -> None:
        attempt = self._attempt
        if attempt is None or attempt.saved:
            return
        await asyncio.to_thread(attempt.save)
        await self.switch_screen(ExamResultScreen())

    # --- leaving ----------------------------------------------------------------------

    async def action_leave(self) -> None:
        if self._attempt is None or self._final is not None:
            self.exit()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.call_later(self.leave)

        if not isinstance(self.screen, ConfirmLeave):
            await self.push_screen(ConfirmLeave(), answered)

    async def leave(self) -> None:
        """Save the attempt as interrupted (resumable) and end the app."""
        if self._attempt is not None and self._final is None:
            await asyncio.to_thread(self._attempt.interrupt)
        self.exit()

    def hang_up(self) -> None:
        """SIGHUP or SIGTERM: save now (the process is about to end) and leave."""
        self.hung_up = True
        if self._attempt is not None and self._final is None:
            self._attempt.interrupt()
        self.exit()

    def action_toggle_contrast(self) -> None:
        self.theme = DEFAULT_THEME if self.theme == HIGH_CONTRAST else HIGH_CONTRAST


def run_exam(
    paper: ExamPaper,
    learner_name: str,
    opener: Callable[[], Attempt],
    *,
    pending: AttemptResult | None = None,
) -> Attempt | None:
    """Take an exam full-screen; returns the attempt (None if it was never started).

    The caller reports how it ended: final (and saved or not) or still open.
    """
    app = ExamApp(paper, learner_name, opener, pending=pending)
    app.run()
    if app.crash_message:
        with contextlib.suppress(OSError):
            print(app.crash_message, file=sys.stderr)
    return app.attempt
