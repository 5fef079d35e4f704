"""Plain line mode for a timed exam (`immunoquiz exam --plain`).

Numbered text out, one typed line per answer in, never an ANSI code: for screen
readers, dumb terminals and scripts. Questions are rendered and answers parsed
by the same code as `study --plain`; this module adds the exam's commands
(n, p, g N, f, r, s, ?), the clock and the end-of-exam summary.

The deadline is enforced while the trainee is idle: reading from a real
stream polls the clock (select with a short timeout), so at the deadline the
attempt is submitted and the result printed without waiting for a line. The
clock is checked again after every line read: a line typed after the end does
not count. The end of input, Ctrl-C, SIGHUP and SIGTERM save the attempt as
interrupted: the same command resumes it.
"""

from __future__ import annotations

import contextlib
import os
import random
import select
import signal
from collections.abc import Iterator
from types import FrameType

from immunoquiz.banks.model import (
    BowtieItem,
    CaseItem,
    ClozeItem,
    Item,
    MatchItem,
    MultipleItem,
    OrderItem,
    SingleItem,
    TrueFalseItem,
)
from immunoquiz.educator.attempt import Attempt, TimeUp
from immunoquiz.educator.presentation import passed, percent, time_left_text
from immunoquiz.educator.results import AttemptResult
from immunoquiz.educator.session_spec import SessionSpec
from immunoquiz.plain import render
from immunoquiz.plain.display import BOWTIE_PREFIX, LETTERS, Display
from immunoquiz.plain.runner import Console, PlainSession
from immunoquiz.plain.syntax import help_text, type_label
from immunoquiz.plain.syntax import hint as syntax_hint
from immunoquiz.plain.text import indent, safe
from immunoquiz.present import explain
from immunoquiz.records import dataclass, field
from immunoquiz.responses import (
    BowtieResponse,
    CaseResponse,
    ClozeResponse,
    MatchResponse,
    MultipleResponse,
    OrderResponse,
    Response,
    Score,
    SingleResponse,
    TrueFalseResponse,
)

EXAM_COMMANDS: tuple[tuple[str, str], ...] = (
    ("n", "next question (also: next)"),
    ("p", "previous question (also: prev)"),
    ("g N", "go to question N (also: go N)"),
    ("f", "flag or unflag this question for review (also: flag)"),
    ("r", "review page: every question, answered or not, flagged or not (also: review)"),
    ("s", "submit your answers (always asks first; also: submit)"),
    ("?", "show this help (also: help)"),
)
EXAM_NOTES: tuple[str, ...] = (
    "In a fill-in blank, single letters are answers: type the commands in full there",
    "(next, prev, flag, review, submit, help; g N works as usual), and a backslash",
    "first to answer with a command word itself (\\next).",
    "In a true-or-false question, f means false (as in study): type the commands in",
    "full there too.",
    "Each answer is saved in the results file (and your progress) as soon as you give",
    "it. Unanswered questions score 0. Ctrl-C or the end of input leaves without",
    "submitting: the same command resumes the attempt (the time limit keeps running).",
)
BLANK_NOTE = "In a blank, type commands in full (next, prev, flag, review, submit)."
TRUE_FALSE_HINT = (
    "Answer: t, f, true or false, e.g. t. Here, type commands in full (next, prev, flag, "
    "review, submit)."
)

_WORDS = {
    "n": "next", "next": "next",
    "p": "prev", "prev": "prev", "previous": "prev",
    "f": "flag", "flag": "flag", "unflag": "flag",
    "r": "review", "review": "review",
    "s": "submit", "submit": "submit",
    "?": "help", "h": "help", "help": "help",
}  # fmt: skip
# In a fill-in blank or a true/false statement a single letter is an answer: only these
# are commands there.
_BLANK_WORDS = {"?", "next", "prev", "previous", "flag", "unflag", "review", "submit", "help"}


def parse_command(line: str, *, blank: bool = False) -> tuple[str, int | None] | None:
    """('next' | 'prev' | 'go' | 'flag' | 'review' | 'submit' | 'help', N) or None."""
    words = line.strip().casefold().split()
    if not words:
        return None
    head = words[0]
    if head in ("g", "go", "goto") or (head.startswith("g") and head[1:].isdigit()):
        rest = words[1:] if head in ("g", "go", "goto") else [head[1:]]
        if len(rest) == 1 and rest[0].isdigit():
            return "go", int(rest[0])
        return None
    if len(words) != 1 or (blank and head not in _BLANK_WORDS):
        return None
    name = _WORDS.get(head)
    return (name, None) if name else None


class _Command(Exception):
    def __init__(self, name: str, number: int | None = None) -> None:
        super().__init__(name)
        self.name = name
        self.number = number


class _TimeUp(Exception):
    pass


class _EndOfInput(Exception):
    pass


class _Hangup(Exception):
    """SIGHUP or SIGTERM: save the attempt as interrupted and leave."""


WARN_AT = (300, 60)  # seconds left at which plain mode says how much time is left
POLL_SECONDS = 0.25  # how often the clock is looked at while waiting for a line


@dataclass
class _Reader(PlainSession):
    """The study plain mode's answer collection, reading through the exam's prompt."""

    exam: PlainExam | None = None

    def _line(self, item: Item, **kwargs: bool) -> str:
        assert self.exam is not None
        # A fill-in blank or a true/false statement: single letters (f for false) are
        # answers there, so commands must be typed in full.
        letters = any(kwargs.values()) or isinstance(item, TrueFalseItem)
        return self.exam.read(item, blank=letters)

    def collect(self, item: Item, display: Display) -> Response:
        """As in study, but a case part's answer hint is the exam's (f flags here)."""
        if not isinstance(item, CaseItem):
            return super().collect(item, display)
        parts = []
        for i, part in enumerate(item.parts):
            lines = render.case_part(i, item, display)
            if lines and lines[-1] == syntax_hint(part):
                lines[-1] = PlainExam.hint(part)
            self.console.say(*lines)
            parts.append(self.collect(part, display.parts[i]))
        return CaseResponse(tuple(parts))


# --- what a given answer looks like, in the syntax the learner types ---------------------


def answer_text(item: Item, response: Response, display: Display) -> str:
    """A response written the way it would be typed for this display ('1 3', 'c1 a2 ...')."""
    if isinstance(item, SingleItem) and isinstance(response, SingleResponse):
        return str(display.number_of("options", response.choice))
    if isinstance(item, MultipleItem) and isinstance(response, MultipleResponse):
        return " ".join(
            str(n) for n in sorted(display.number_of("options", i) for i in response.choices)
        )
    if isinstance(item, TrueFalseItem) and isinstance(response, TrueFalseResponse):
        return "true" if response.value else "false"
    if isinstance(item, ClozeItem) and isinstance(response, ClozeResponse):
        if len(response.blanks) == 1:
            return safe(response.blanks[0]) or "(empty)"
        return "; ".join(
            f"blank {i + 1}: {safe(b) or '(empty)'}" for i, b in enumerate(response.blanks)
        )
    if isinstance(item, OrderItem) and isinstance(response, OrderResponse):
        shown = display.shown("items")
        return " ".join(str(shown.index(j) + 1) for j in response.order)
    if isinstance(item, MatchItem) and isinstance(response, MatchResponse):
        rows = display.shown("rows")
        return " ".join(
            f"{k}{LETTERS[response.picks[row]]}"  # type: ignore[index]
            for k, row in enumerate(rows, start=1)
            if response.picks[row] is not None
        )
    if isinstance(item, BowtieItem) and isinstance(response, BowtieResponse):
        labels = []
        for name, prefix in BOWTIE_PREFIX.items():
            numbers = sorted(display.number_of(name, i) for i in getattr(response, name))
            labels += [f"{prefix}{n}" for n in numbers]
        return " ".join(labels)
    if isinstance(item, CaseItem) and isinstance(response, CaseResponse):
        return "; ".join(
            f"part {i + 1}: {answer_text(part, r, display.parts[i])}"
            for i, (part, r) in enumerate(zip(item.parts, response.parts, strict=True))
        )
    return "(given)"


# --- the exam -------------------------------------------------------------------------


@dataclass
class PlainExam:
    """One learner's attempt at the prompt (opened, possibly resumed)."""

    run: Attempt
    console: Console
    poll_seconds: float = POLL_SECONDS
    current: int | None = 0  # None: the review page
    failure: str | None = None  # an unexpected error that ended the session early
    _reader: _Reader | None = None
    _pending: bytes = b""
    _warned: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._reader = _Reader(None, self.console, random.Random(0), exam=self)  # type: ignore[arg-type]
        self.current = self.run.current
        left = self.run.remaining_seconds()
        total = (self.run.spec.time_limit or 0) * 60
        # Warn when a threshold is crossed: not one a resumed attempt passed while
        # away, nor one as long as the whole exam.
        self._warned = {
            w
            for w in WARN_AT
            if w >= total or (self.run.resumed and left is not None and left <= w)
        }

    @property
    def spec(self) -> SessionSpec:
        return self.run.spec

    @property
    def total(self) -> int:
        return len(self.run.questions)

    @property
    def immediate(self) -> bool:
        return self.spec.feedback == "immediate"

    # --- input --------------------------------------------------------------------

    def _check_clock(self) -> None:
        if self.run.check_time():
            raise _TimeUp
        left = self.run.remaining_seconds()
        for mark in WARN_AT:
            if left is not None and left <= mark and mark not in self._warned:
                self._warned.update(w for w in WARN_AT if w >= mark)
                self.console.say(f"{time_left_text(left).capitalize()}.")

    def _fileno(self) -> int | None:
        """The input's descriptor when it can be waited on with select, else None."""
        if os.name == "nt":
            return None
        try:
            return self.console.inp.fileno()
        except (OSError, ValueError, AttributeError):
            return None  # a test's StringIO: read it line by line, blocking

    def _line(self) -> str | None:
        """One line without its newline (None at the end of input), watching the clock."""
        fd = self._fileno()
        if fd is None:
            return self.console.read()
        if self.console.interactive:
            self.console.out.write("> ")
            self.console.out.flush()
        while b"\n" not in self._pending:
            self._check_clock()
            ready, _, _ = select.select([fd], [], [], self.poll_seconds)
            if not ready:
                continue
            chunk = os.read(fd, 4096)
            if not chunk:
                if not self._pending:
                    return None
                self._pending += b"\n"  # a last line without a newline still counts
                break
            self._pending += chunk
        raw, _, self._pending = self._pending.partition(b"\n")
        return raw.decode("utf-8", errors="replace").rstrip("\r")

    def read(self, item: Item | None, *, blank: bool = False) -> str:
        """One line: an answer (returned) or a command (raised as _Command)."""
        while True:
            self._check_clock()
            line = self._line()
            self._check_clock()  # a line typed after the end does not count
            if line is None:
                raise _EndOfInput
            stripped = line.strip()
            if blank and stripped.startswith("\\"):
                return line  # an escaped command word is an answer
            command = parse_command(line, blank=blank)
            if command is None:
                return line
            name, number = command
            if name == "help":
                self._help(item)
                continue
            raise _Command(name, number)

    def _help(self, item: Item | None) -> None:
        self.console.say(help_text(EXAM_COMMANDS, EXAM_NOTES), "")
        if item is not None and (h := self.hint(item)):
            self.console.say(h)

    @staticmethod
    def hint(item: Item) -> str:
        if isinstance(item, TrueFalseItem):
            return TRUE_FALSE_HINT
        if isinstance(item, ClozeItem):
            return f"{syntax_hint(item)} {BLANK_NOTE}"
        return syntax_hint(item)

    # --- showing --------------------------------------------------------------------

    def display(self, index: int) -> Display:
        return self.run.layout(index)

    def _status(self) -> str:
        answered = self.total - len(self.run.unanswered())
        left = self.run.remaining_seconds()
        clock = f" {time_left_text(left)}." if left is not None else ""
        return f"{answered} of {self.total} answered.{clock}"

    def _show(self, index: int) -> None:
        self._check_clock()
        item = self.run.questions[index].item
        display = self.display(index)
        label = type_label(item)
        if isinstance(item, CaseItem):
            n = len(item.parts)
            label = f"case study, {n} part{'s' if n != 1 else ''}"
        flag = " Flagged for review." if index in self.run.flagged else ""
        lines = ["", f"Question {index + 1} of {self.total}: {label}.{flag} {self._status()}"]
        if isinstance(item, CaseItem):
            lines.append(indent(item.vignette, ""))
        else:
            lines += render.body(item, display)
        given = self.run.answers.get(index)
        if given is not None:
            lines.append(f"Your answer: {answer_text(item, given, display)}.")
            if self.immediate:
                lines.append(
                    render.verdict(self._score(index)) + " Answers with feedback are final."
                )
            else:
                lines.append("Type a new answer to change it, or n for the next question.")
        elif not isinstance(item, CaseItem) and (h := self.hint(item)):
            lines.append(h)
        self.console.say(*lines)

    def _score(self, index: int) -> Score:
        return self.run.score_of(index)

    def review_lines(self) -> list[str]:
        flagged = len(self.run.flagged)
        lines = [
            "",
            f"Review page. {self._status()} {flagged} flagged.",
        ]
        for i in range(self.total):
            state = "answered" if i in self.run.answers else "not answered"
            if i in self.run.flagged:
                state += ", flagged"
            lines.append(f"  {i + 1}. {state}")
        lines.append("Type a question number to go to it, s to submit, ? for help.")
        return lines

    # --- acting on commands -----------------------------------------------------------

    def _go(self, index: int) -> None:
        if not 0 <= index < self.total:
            self.console.say(
                f"There is no question {index + 1}: type g and a number from 1 to {self.total}."
            )
            return
        self.run.go(index)
        self.current = index

    def _command(self, c: _Command) -> bool:
        """Act on a command; True when the attempt is to be submitted."""
        here = self.current
        if c.name == "next":
            if here is None:
                self._go(0)
            elif here + 1 < self.total:
                self._go(here + 1)
            else:
                self.console.say("That was the last question.")
                self.current = None
        elif c.name == "prev":
            if here is None:
                self._go(self.total - 1)
            elif here > 0:
                self._go(here - 1)
            else:
                self.console.say("This is the first question.")
        elif c.name == "go":
            assert c.number is not None
            self._go(c.number - 1)
        elif c.name == "flag":
            if here is None:
                self.console.say("Go to a question first (g N), then type f to flag it.")
            else:
                on = self.run.flag(here)
                self.console.say(f"Question {here + 1} {'flagged' if on else 'unflagged'}.")
                return False  # stay on the question without printing it again
        elif c.name == "review":
            self.current = None
        elif c.name == "submit":
            return self._confirm_submit()
        return False

    def _confirm_submit(self) -> bool:
        """Always asked: a stray s must not end an exam."""
        missing = self.run.unanswered()
        if missing:
            listed = ", ".join(str(i + 1) for i in missing)
            noun = "question is" if len(missing) == 1 else "questions are"
            self.console.say(
                f"{len(missing)} {noun} not answered: {listed}. Unanswered questions score 0.",
                "Submit anyway? Type y to submit, anything else to go back.",
            )
        else:
            self.console.say(
                "Every question is answered. Submit now? You cannot change your answers "
                "afterwards. Type y to submit, anything else to go back."
            )
        try:
            reply = self.read(None)
        except _Command:
            return False  # n, or any other command: go back
        return reply.strip().casefold() in ("y", "yes")

    # --- the loop -------------------------------------------------------------------

    def _ask(self, index: int) -> bool:
        """Show question `index` and take one answer or command; True to submit."""
        self._show(index)
        reread = False
        while True:
            try:
                if index in self.run.answers and self.immediate:
                    self.read(None)
                    self.console.say("This answer is final; type n, p, g N, r or s.")
                    continue
                if reread:
                    self.console.say(f"Question {index + 1}, your answer:")
                reread = False
                assert self._reader is not None
                item = self.run.questions[index].item
                response = self._reader.collect(item, self.display(index))
            except _Command as c:
                before = self.current
                if self._command(c):
                    return True
                if c.name == "flag" and self.current == before:
                    reread = True
                    continue
                return False
            self._record(index, response)
            return False

    def _record(self, index: int, response: Response) -> None:
        try:
            score = self.run.answer(index, response)
        except TimeUp:
            raise _TimeUp from None
        except ValueError as exc:  # not a whole answer: ask again
            self.console.say(f"Not accepted: {exc} Type ? for help.")
            return
        self.console.say(*self.run.take_notices())
        if self.immediate:
            self.console.say(*self.feedback_lines(index, score))
        else:
            self.console.say(f"Answer to question {index + 1} kept.")
        if index + 1 < self.total:
            self.run.go(index + 1)
            self.current = index + 1
        else:
            self.current = None
            missing = len(self.run.unanswered())
            if missing:
                self.console.say(
                    f"That was the last question; {missing} still unanswered. "
                    "Here is the review page."
                )
            else:
                self.console.say("Every question is answered. Type s to submit, or review first.")

    def _review(self) -> bool:
        """The review page and its prompt: a number jumps, commands work; True to submit."""
        self.console.say(*self.review_lines())
        while True:
            try:
                line = self.read(None)
            except _Command as c:
                if c.name == "review":
                    self.console.say(*self.review_lines())
                    continue
                return self._command(c)
            text = line.strip().rstrip(".")
            if text.isdigit():
                self._go(int(text) - 1)
                if self.current is not None:
                    return False
                continue
            self.console.say("Type a question number, s to submit, or ? for help.")

    def _intro(self) -> None:
        spec, run = self.spec, self.run
        facts = [f"{self.total} question{'s' if self.total != 1 else ''}"]
        if spec.time_limit:
            facts.append(f"{spec.time_limit} minute{'s' if spec.time_limit != 1 else ''}")
        if spec.pass_mark is not None:
            facts.append(f"pass mark {render.num(spec.pass_mark)}%")
        when = "after each answer" if self.immediate else "after you submit"
        self.console.say(
            f"Exam: {safe(spec.title)}. Learner: {safe(run.learner.name)}. {', '.join(facts)}.",
            f"Feedback {when}. Answers are saved as you give them; you can go back and change "
            "them until you submit." if not self.immediate else
            f"Feedback {when}; an answer with feedback is final.",
            "Commands: n next, p previous, g N go to question N, f flag, r review, s submit, "
            "? help.",
        )  # fmt: skip
        if run.resumed:
            answered = self.total - len(run.unanswered())
            self.console.say(
                f"Resuming your attempt {run.number} started {run.started:%Y-%m-%d %H:%M} UTC: "
                f"{answered} of {self.total} answered."
            )

    def take(self) -> AttemptResult:
        """Run the attempt until it is final (returned) or interrupted (`run.is_open`)."""
        if not self.run.is_open:
            self.console.say("", "Time ran out while you were away: your answers were submitted.")
            return self.run.result()
        self._intro()
        try:
            while True:
                if self.current is None:
                    done = self._review()
                else:
                    done = self._ask(self.current)
                if done:
                    self.console.say("", "Submitted.")
                    return self.run.submit("submitted")
        except _TimeUp:
            self.console.say("", "Time is up: submitted. Answers given so far count.")
            return self.run.submit("time_up")
        except _EndOfInput:
            self.console.say("", "End of input.")
        except (KeyboardInterrupt, _Hangup):
            pass
        except Exception as exc:  # never lose an attempt: save what was given
            self.failure = f"{type(exc).__name__}: {exc}"
            with contextlib.suppress(OSError):
                self.console.say("", f"Unexpected problem ({self.failure}).")
        self.run.interrupt()
        return self.run.result()

    # --- feedback -----------------------------------------------------------------------

    def feedback_lines(self, index: int, score: Score) -> list[str]:
        """The study mode's feedback for one answer, without any schedule."""
        q = self.run.questions[index]
        e = explain(q.item, self.run.answers[index], score, self.display(index))
        return [e.headline, *render.explained(q.bank, q.item, e, self.display(index))]

    def summary_lines(self, attempt: AttemptResult, results: str | None = None) -> list[str]:
        points, maximum = attempt.score, attempt.max
        share = round(percent(points, maximum))
        lines = [
            f"Score: {render.num(points)} of {render.num(maximum)} points ({share}%)."
            + (" Time ran out." if attempt.timed_out else "")
        ]
        verdict = passed(points, maximum, attempt.pass_mark)
        if verdict is not None:
            mark = render.num(attempt.pass_mark or 0)
            lines.append(f"Pass mark {mark}%: {'passed' if verdict else 'not passed'}.")
        if not self.immediate:
            for i, result in enumerate(attempt.items):
                if i in self.run.answers:
                    score = Score(result.score, result.max, "")
                    body = self.feedback_lines(i, self._score(i))
                    lines += ["", f"Question {i + 1}. {render.verdict(score)}", *body[1:]]
                else:
                    lines += ["", f"Question {i + 1}. Not answered: 0/{render.num(result.max)}."]
        else:
            missing = [str(i + 1) for i in range(self.total) if i not in self.run.answers]
            if missing:
                lines.append("Not answered: " + ", ".join(missing) + ".")
        if results is not None:
            lines += ["", f"Results saved to {safe(results)}."]
        return lines


@contextlib.contextmanager
def _hangups_interrupt() -> Iterator[None]:
    """SIGHUP and SIGTERM raise _Hangup in the main thread while the exam runs."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise _Hangup

    wanted = [getattr(signal, n) for n in ("SIGHUP", "SIGTERM") if hasattr(signal, n)]
    try:
        previous = {s: signal.signal(s, handler) for s in wanted}
    except ValueError:  # not the main thread (an embedding program): no handlers
        yield
        return
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def run_plain_exam(attempt: Attempt, console: Console) -> str | None:
    """Take the exam at the prompt; prints the summary once the final result is saved.

    Returns the unexpected error that ended the session early, if one did (the
    attempt is then saved as interrupted). An interrupted attempt (end of
    input, Ctrl-C, SIGHUP, SIGTERM) is left open for the caller to report.
    """
    exam = PlainExam(attempt, console)
    with _hangups_interrupt():
        try:
            result = exam.take()
        except (KeyboardInterrupt, _Hangup):
            attempt.interrupt()  # a second signal while saving: still saved
            return exam.failure
    if attempt.is_open:
        return exam.failure
    while not attempt.saved:
        console.say(
            f"Could not save the results file {attempt.path}: {attempt.save_problem}.",
            "Your score is shown once it is saved. Fix the problem (free some space, "
            "reconnect the drive) and press Enter to try again, or type q to stop.",
        )
        line = console.read()
        if line is None or line.strip().casefold() in ("q", "quit"):
            return exam.failure
        attempt.save()
    with contextlib.suppress(OSError):
        console.say(*exam.summary_lines(result, str(attempt.path)))
    return exam.failure
