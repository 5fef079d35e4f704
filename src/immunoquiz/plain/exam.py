"""Plain line mode for a timed exam (`immunoquiz exam --plain`).

Numbered text out, one typed line per answer in, never an ANSI code: for screen
readers, dumb terminals and scripts. Questions are rendered and answers parsed
by the same code as `study --plain`; this module adds the exam's commands
(n, p, g N, f, r, s, ?), the clock and the end-of-exam summary.

Plain mode blocks on input, so the clock is checked before each question is
shown and after every line read: once time is up, nothing more is accepted and
the attempt is submitted with the answers given so far. The end of input
submits too.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from immunoquiz import scoring
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
from immunoquiz.educator.exam import ExamRun
from immunoquiz.educator.presentation import layout_rng, passed, percent, shown_item, time_left_text
from immunoquiz.educator.results import AttemptResult
from immunoquiz.educator.session_spec import SessionSpec
from immunoquiz.plain import render
from immunoquiz.plain.display import BOWTIE_PREFIX, LETTERS, Display, make_display
from immunoquiz.plain.runner import Console, PlainSession
from immunoquiz.plain.syntax import help_text, type_label
from immunoquiz.plain.syntax import hint as syntax_hint
from immunoquiz.plain.text import indent, safe
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
from immunoquiz.scoring import part_scores
from immunoquiz.store import StoreError
from immunoquiz.study import Card, Outcome

EXAM_COMMANDS: tuple[tuple[str, str], ...] = (
    ("n", "next question (also: next)"),
    ("p", "previous question (also: prev)"),
    ("g N", "go to question N (also: go N)"),
    ("f", "flag or unflag this question for review (also: flag)"),
    ("r", "review page: every question, answered or not, flagged or not (also: review)"),
    ("s", "submit your answers (asks first if some are unanswered; also: submit)"),
    ("?", "show this help (also: help)"),
)
EXAM_NOTES: tuple[str, ...] = (
    "In a fill-in blank, single letters are answers: type the commands in full there",
    "(next, prev, flag, review, submit, help; g N works as usual), and a backslash",
    "first to answer with a command word itself (\\next).",
    "In a true-or-false question, f means false (as in study): type the commands in",
    "full there too.",
    "Each answer is kept (and saved in your progress) as soon as you give it; the",
    "results file is written when you submit. Unanswered questions score 0.",
)
BLANK_NOTE = "In a blank, type commands in full (next, prev, flag, review, submit)."
SCHEDULE_NOTE = "exam answers do not change your review schedule"
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
    """One learner's attempt at the prompt. `run` is an ExamRun not yet started."""

    run: ExamRun
    console: Console
    displays: dict[int, Display] = field(default_factory=dict)
    current: int | None = 0  # None: the review page
    failure: str | None = None  # an unexpected error that ended the attempt early
    _reader: _Reader | None = None

    def __post_init__(self) -> None:
        self._reader = _Reader(None, self.console, random.Random(0), exam=self)  # type: ignore[arg-type]

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
        if self.run.expired():
            raise _TimeUp

    def read(self, item: Item | None, *, blank: bool = False) -> str:
        """One line: an answer (returned) or a command (raised as _Command)."""
        while True:
            self._check_clock()
            line = self.console.read()
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
        if index not in self.displays:
            question = self.run.questions[index]
            item = shown_item(question.item, self.spec.shuffle)
            self.displays[index] = make_display(item, layout_rng(self.spec, question))
        return self.displays[index]

    def _status(self) -> str:
        answered = self.total - len(self.run.unanswered())
        left = self.run.remaining_seconds()
        clock = f" {time_left_text(left)}." if left is not None else ""
        return f"{answered} of {self.total} answered.{clock}"

    def _show(self, index: int) -> None:
        self._check_clock()
        q = self.run.questions[index]
        item = shown_item(q.item, self.spec.shuffle)
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
        q = self.run.questions[index]
        return scoring.score(q.item, self.run.answers[index])

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
                on = self.run.toggle_flag(here)
                self.console.say(f"Question {here + 1} {'flagged' if on else 'unflagged'}.")
                return False  # stay on the question without printing it again
        elif c.name == "review":
            self.current = None
        elif c.name == "submit":
            return self._confirm_submit()
        return False

    def _confirm_submit(self) -> bool:
        missing = self.run.unanswered()
        if not missing:
            return True
        listed = ", ".join(str(i + 1) for i in missing)
        noun = "question is" if len(missing) == 1 else "questions are"
        self.console.say(
            f"{len(missing)} {noun} not answered: {listed}. Unanswered questions score 0.",
            "Submit anyway? Type y to submit, anything else to go back.",
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
                item = shown_item(self.run.questions[index].item, self.spec.shuffle)
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
            score = self.run.answer(response, index)
        except TimeoutError:
            raise _TimeUp from None
        except StoreError as exc:
            score = self._score(index)
            self.console.say(
                f"Could not save this answer to your progress file ({exc}); "
                "it still counts in this exam."
            )
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

    def take(self) -> AttemptResult:
        """Run the whole attempt; returns it submitted (timed out, or by the learner)."""
        self.run.start()
        spec = self.spec
        facts = [f"{self.total} question{'s' if self.total != 1 else ''}"]
        if spec.time_limit:
            facts.append(f"{spec.time_limit} minute{'s' if spec.time_limit != 1 else ''}")
        if spec.pass_mark is not None:
            facts.append(f"pass mark {render.num(spec.pass_mark)}%")
        when = "after each answer" if self.immediate else "after you submit"
        self.console.say(
            f"Exam: {safe(spec.title)}. Learner: {safe(self.run.learner)}. {', '.join(facts)}.",
            f"Feedback {when}. Answers are kept as you give them; you can go back and change "
            "them until you submit." if not self.immediate else
            f"Feedback {when}; an answer with feedback is final.",
            "Commands: n next, p previous, g N go to question N, f flag, r review, s submit, "
            "? help.",
        )  # fmt: skip
        try:
            while True:
                if self.current is None:
                    done = self._review()
                else:
                    done = self._ask(self.current)
                if done:
                    self.console.say("", "Submitted.")
                    return self.run.submit()
        except _TimeUp:
            self.console.say("", "Time is up: submitted. Answers given so far count.")
            return self.run.submit(timed_out=True)
        except (_EndOfInput, KeyboardInterrupt):
            self.console.say("", "End of input: submitted.")
            return self.run.submit()
        except Exception as exc:  # never lose an attempt: submit what was given
            self.failure = f"{type(exc).__name__}: {exc}"
            self.console.say("", f"Unexpected problem ({self.failure}): submitted.")
            return self.run.submit()

    # --- feedback -----------------------------------------------------------------------

    def feedback_lines(self, index: int, score: Score) -> list[str]:
        """The study mode's feedback for one answer, without any schedule."""
        q = self.run.questions[index]
        response = self.run.answers[index]
        parts: tuple[Score, ...] = ()
        if isinstance(q.item, CaseItem) and isinstance(response, CaseResponse):
            parts = part_scores(q.item, response)
        outcome = Outcome(
            Card(q.bank, shown_item(q.item, self.spec.shuffle), q.id), response, score,
            None, None, SCHEDULE_NOTE, 0, _EPOCH, None, "exam", parts,  # type: ignore[arg-type]
        )  # fmt: skip
        lines = render.feedback(outcome, self.display(index))
        # The first line says it is saved and that the schedule is untouched: keep only
        # the verdict in an exam.
        lines[0] = render.verdict(score)
        return lines

    def summary_lines(self, attempt: AttemptResult, results: Path | None = None) -> list[str]:
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
            lines += ["", f"Results saved to {results}."]
        return lines


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def run_plain_exam(
    run: ExamRun, console: Console, save: Callable[[AttemptResult], Path]
) -> tuple[AttemptResult, Path, str | None]:
    """Take the exam at the prompt, save the results (via `save`) and print the summary.

    Returns the attempt, the results file and the unexpected error that ended the
    attempt early, if one did (the answers given before it are still saved).
    `save` may raise OSError; it is the caller's to report.
    """
    exam = PlainExam(run, console)
    attempt = exam.take()
    path = save(attempt)
    console.say(*exam.summary_lines(attempt, path))
    return attempt, path, exam.failure
